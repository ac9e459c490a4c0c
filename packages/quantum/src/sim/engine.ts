import type { Circuit, CondOp, MeasureOp, Op, ResetOp } from '../ir/circuit.js';
import { checkQubits } from '../ir/circuit.js';
import { gateMatrix } from '../ir/gates.js';
import type { Rng } from '../util/rng.js';
import { inPlaceRunner } from './chunks-in-place.js';
import { fuseGates, fusePhaseFans, JS_COSTS, WASM_COSTS } from './fuse.js';
import { areaOf, hasGateWasm, SCRATCH_QUBITS } from './gates-wasm.js';
import { applyProgram } from './kernels.js';
import { applyProgramIn } from './kernels-wasm.js';
import { gateRuns, type LOp, lowerGate } from './lowered.js';
import { chunkCount, chunkPlan, makeScratch, planSegments, runChunks, type Segment } from './segments.js';
import { allocateState, getPlatform, type Precision, type StateVector } from './state.js';

export interface EngineOptions {
  precision?: Precision;
  /**
   * log2 of the chunk a fused segment runs on while it sits in cache. Default with the SIMD kernels
   * (complex128): 15-qubit chunks from 10 qubits up. With the JavaScript kernels (complex64, no SIMD):
   * whole-state passes up to 24 qubits (the state fits in this machine's last-level cache), 16-qubit blocks above.
   */
  blockQubits?: number;
  /** Turn off fusion and cache blocking (one gate per pass), for comparisons. */
  fusion?: boolean;
  maxMemoryBytes?: number;
  /** Use worker threads when the platform offers them (default true). */
  threads?: boolean;
  /** Use the WebAssembly-SIMD gate kernels where the host has them (default true). */
  simd?: boolean;
}

export interface Trajectory {
  state: StateVector;
  /** Outcome of every measurement in program order. */
  record: Array<{ id: number; register: string; qubit: number; bit: number }>;
}

export const DEFAULT_BLOCK_QUBITS = 16;
/** Up to this many qubits the default runs whole-state passes (no gather/scatter) with the JavaScript kernels. */
export const WHOLE_STATE_MAX_QUBITS = 24;
/**
 * With the WebAssembly-SIMD kernels (complex128): chunks of 2^15 amplitudes (512 KiB, this machine's L2),
 * every gate of a segment applied while the chunk sits in cache — in place where the state lives in
 * WebAssembly memory and the chunk is contiguous, else in a thread's scratch. bench/block-sizes.ts, one thread,
 * best CPU time of alternating rounds at load 4.4-6.1, chunks copied: layered random 20 qubits 288 / 283 / 323
 * ms at blocks 14 / 15 / 16, 22 qubits 1623 / 1214 / 1532 ms; QFT 22 qubits 959 / 722 / 701 ms. In place
 * (load 4.2): layered 20 qubits 290 / 294 / 258 ms at blocks 13 / 14 / 15, QFT 141 / 111 / 105 ms.
 */
export const WASM_BLOCK_QUBITS = SCRATCH_QUBITS;
/** Smallest state that goes through the SIMD kernels (below it the copy in and out is not worth it). */
export const WASM_MIN_QUBITS = 10;

/** Whether gates on this state run in the SIMD kernels (complex128 only: the kernels are f64x2). */
function useWasm(state: StateVector, opts: EngineOptions): boolean {
  return (
    opts.simd !== false && state.re instanceof Float64Array && state.n >= WASM_MIN_QUBITS && hasGateWasm()
  );
}

/** Applies unitary gates to the state: fuse, cut into cache-sized segments, run each over all chunks. */
export function applyGates(state: StateVector, gates: LOp[], opts: EngineOptions = {}): void {
  if (gates.length === 0) return;
  const n = state.n;
  if (opts.fusion === false) {
    for (const g of gates) {
      for (const seg of planSegments([g], n, n)) runSegment(state, seg, opts);
    }
    return;
  }
  const wasm = useWasm(state, opts);
  // JavaScript kernels: below 25 qubits the state sits in this machine's last-level cache and whole-state
  // passes beat gather/scatter; where threads may run, the top three qubits are left out so 8 contiguous
  // chunks share the work. SIMD kernels: 2^15-amplitude chunks (at least 8 of them where threads may run). The choice ignores `threads: false`: the segment planner reorders commuting
  // gates by block size, and one thread must do the same arithmetic as many (bitwise-equal results).
  const par = getPlatform().parallel;
  const pooled = !!par && n >= par.minQubits && isShared(state);
  const block =
    opts.blockQubits ??
    (wasm
      ? Math.min(WASM_BLOCK_QUBITS, pooled ? n - 3 : n)
      : n > WHOLE_STATE_MAX_QUBITS
        ? DEFAULT_BLOCK_QUBITS
        : pooled
          ? n - 3
          : n);
  const fused = fuseGates(fusePhaseFans(gates, block), wasm ? WASM_COSTS : JS_COSTS);
  // a state in WebAssembly memory runs a scattered segment wider than a block (an op on more qubits) over
  // the whole state in place: its chunks would not fit the scratch, and its few gates stream the state anyway
  const wholeAbove = wasm && state.home ? block : undefined;
  for (const seg of planSegments(fused, n, block, wasm, wholeAbove)) runSegment(state, seg, opts);
}

function runSegment(state: StateVector, seg: Segment, opts: EngineOptions): void {
  const home = seg.simd ? state.home : undefined;
  // Whole-state segments run in place: with the SIMD kernels where the state lives in WebAssembly memory,
  // else with the JavaScript kernels, or as one chunk copied into SIMD memory up to the SIMD block size
  if (seg.local.length === state.n) {
    const area = home && areaOf(home.mem, 0);
    if (home && area) {
      applyProgramIn(area, home.re, home.im, state.re.length, seg.program);
      return;
    }
    if (!seg.simd || state.n > WASM_BLOCK_QUBITS) {
      applyProgram(state.re, state.im, state.re.length, seg.program);
      return;
    }
  }
  const par = getPlatform().parallel;
  // a single chunk is work for one thread: the calling one (no hand-off, no waiting on a busy worker)
  if (par && opts.threads !== false && state.n >= par.minQubits && isShared(state) && chunkCount(seg) > 1) {
    par.runSegment(state, seg);
    return;
  }
  const plan = chunkPlan(seg);
  const inPlace = home && inPlaceRunner(home, seg, plan, 0);
  if (inPlace) inPlace(0, chunkCount(seg));
  else
    runChunks(state.re, state.im, seg, plan, makeScratch(state.re, plan.size, seg.simd), 0, chunkCount(seg));
}

function isShared(s: StateVector): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && s.re.buffer instanceof SharedArrayBuffer;
}

/** Runs one shot of a circuit (measurements collapse the state with `rng`). */
export function runTrajectory(circuit: Circuit, rng: Rng, opts: EngineOptions = {}): Trajectory {
  const state = allocateState(
    circuit.numQubits,
    opts.precision ?? 'complex128',
    opts.maxMemoryBytes,
    opts.simd !== false,
  );
  const record: Trajectory['record'] = [];
  const outcomes = new Map<number, number>();
  execOps(state, circuit.ops, rng, opts, record, outcomes);
  return { state, record };
}

function execOps(
  state: StateVector,
  ops: Op[],
  rng: Rng,
  opts: EngineOptions,
  record: Trajectory['record'],
  outcomes: Map<number, number>,
): void {
  for (const item of gateRuns({ numQubits: state.n, ops })) {
    if ('gates' in item) {
      applyGates(state, item.gates, opts);
      continue;
    }
    const op = item.op;
    if (op.type === 'measure') {
      const bit = measureOp(state, op, rng, opts);
      outcomes.set(op.id, bit);
      record.push({ id: op.id, register: op.register, qubit: op.qubit, bit });
    } else if (op.type === 'reset') {
      resetOp(state, op, rng, opts);
    } else {
      execCond(state, op, rng, opts, record, outcomes);
    }
  }
}

function execCond(
  state: StateVector,
  op: CondOp,
  rng: Rng,
  opts: EngineOptions,
  record: Trajectory['record'],
  outcomes: Map<number, number>,
): void {
  const bit = outcomes.get(op.measureId);
  if (bit === undefined)
    throw new Error(
      `conditional refers to measurement #${op.measureId}, which has not happened yet in this circuit`,
    );
  if (bit === 1) execOps(state, op.ops, rng, opts, record, outcomes);
}

const basisIn: Record<'x' | 'y', LOp[]> = {
  x: [{ k: 'm', t: 0, c: [], mat: gateMatrix('h', [], false) }],
  y: [
    { k: 'm', t: 0, c: [], mat: gateMatrix('s', [], true) },
    { k: 'm', t: 0, c: [], mat: gateMatrix('h', [], false) },
  ],
};
const basisOut: Record<'x' | 'y', LOp[]> = {
  x: [{ k: 'm', t: 0, c: [], mat: gateMatrix('h', [], false) }],
  y: [
    { k: 'm', t: 0, c: [], mat: gateMatrix('h', [], false) },
    { k: 'm', t: 0, c: [], mat: gateMatrix('s', [], false) },
  ],
};

function onQubit(ops: LOp[], q: number): LOp[] {
  return ops.map((o) => ({ ...(o as Extract<LOp, { k: 'm' }>), t: q }));
}

function measureOp(state: StateVector, op: MeasureOp, rng: Rng, opts: EngineOptions): number {
  checkQubits(`m${op.basis}`, [op.qubit], state.n);
  if (op.basis !== 'z') applyGates(state, onQubit(basisIn[op.basis], op.qubit), opts);
  const bit = collapse(state, op.qubit, rng);
  if (op.basis !== 'z') applyGates(state, onQubit(basisOut[op.basis], op.qubit), opts);
  return bit;
}

function resetOp(state: StateVector, op: ResetOp, rng: Rng, opts: EngineOptions): void {
  checkQubits('reset', [op.qubit], state.n);
  if (collapse(state, op.qubit, rng) === 1)
    applyGates(
      state,
      [
        lowerGate(
          { type: 'gate', name: 'x', targets: [op.qubit], controls: [], params: [], adjoint: false },
          state.n,
        ),
      ],
      opts,
    );
}

/** Probability that `qubit` reads 1. */
export function probabilityOne(state: StateVector, qubit: number): number {
  const { re, im } = state;
  const st = 2 ** qubit;
  let p = 0;
  for (let base = st; base < re.length; base += 2 * st) {
    for (let i = base; i < base + st; i++) p += re[i] * re[i] + im[i] * im[i];
  }
  return p;
}

/** Projective Z measurement of one qubit: draws the outcome, zeroes the other branch, renormalises. */
export function collapse(state: StateVector, qubit: number, rng: Rng): number {
  const p1 = probabilityOne(state, qubit);
  const bit = rng.next() < p1 ? 1 : 0;
  const keep = bit ? p1 : 1 - p1;
  const scale = keep > 0 ? 1 / Math.sqrt(keep) : 0;
  const { re, im } = state;
  const st = 2 ** qubit;
  for (let base = 0; base < re.length; base += 2 * st) {
    const zeroFrom = bit ? base : base + st;
    const keepFrom = bit ? base + st : base;
    for (let i = 0; i < st; i++) {
      re[zeroFrom + i] = 0;
      im[zeroFrom + i] = 0;
      re[keepFrom + i] *= scale;
      im[keepFrom + i] *= scale;
    }
  }
  return bit;
}

/**
 * Draws `shots` basis-state indices from |ψ|²: sorted uniforms against one cumulative pass over the state.
 * Returns index → count.
 */
export function sampleIndices(state: StateVector, shots: number, rng: Rng): Map<number, number> {
  const u = new Float64Array(shots);
  for (let i = 0; i < shots; i++) u[i] = rng.next();
  u.sort();
  let norm = 0;
  const { re, im } = state;
  for (let i = 0; i < re.length; i++) norm += re[i] * re[i] + im[i] * im[i];
  const counts = new Map<number, number>();
  let cum = 0;
  let k = 0;
  let last = 0;
  for (let i = 0; i < re.length && k < shots; i++) {
    const p = (re[i] * re[i] + im[i] * im[i]) / norm;
    if (p === 0) continue;
    last = i;
    cum += p;
    let c = 0;
    while (k < shots && u[k] < cum) {
      c++;
      k++;
    }
    if (c) counts.set(i, (counts.get(i) ?? 0) + c);
  }
  // rounding can leave the last few uniforms just above the final cumulative sum
  if (k < shots) counts.set(last, (counts.get(last) ?? 0) + shots - k);
  return counts;
}
