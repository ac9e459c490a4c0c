import { isDiagonal, isPauliX } from '../ir/gates.js';
import { wasmScratch } from './gates-wasm.js';
import {
  type Amps,
  applyProgram,
  OP_DENSE,
  OP_DENSE2,
  OP_DIAG,
  OP_MUX,
  OP_PAULI,
  OP_PHASEFAN,
  OP_SWAP,
  OP_X,
} from './kernels.js';
import { programOnScratch } from './kernels-wasm.js';
import { type LOp, lopQubits } from './lowered.js';

/**
 * A segment is a run of gates whose qubits fit in L "local" qubits. The state is processed one chunk of
 * 2^L amplitudes at a time (the other qubits fixed), every gate of the segment applied while the chunk sits
 * in cache: many gates per pass over memory. This cache blocking is the engine's main source of speed.
 */
export interface Segment {
  n: number;
  /** Global qubit of each local index, ascending. */
  local: number[];
  program: Float64Array;
  gates: number;
  /** Run with the WebAssembly-SIMD kernels (each chunk copied into the module's memory) where the thread has them. */
  simd: boolean;
}

/**
 * Cuts the ops into segments of at most L qubits each. A segment takes, in program order, every op whose
 * qubits lie in its qubit set and share no qubit with an op left for later: such an op commutes with everything
 * it overtakes. Looking past blocked ops this way lets one pass over the state run far more gates (layered
 * circuits: a light cone per segment rather than a slice of one layer). Each segment's set is the best of a few
 * candidates: first come first served, and windows of consecutive qubits next to the lowest few (so that
 * chunks are gathered in runs of at least a cache line).
 */
export function planSegments(
  ops: LOp[],
  n: number,
  localBits: number,
  simd = false,
  wholeAbove = Number.POSITIVE_INFINITY,
): Segment[] {
  const L = Math.min(localBits, n);
  const segments: Segment[] = [];
  const low = L < n ? Math.min(LOW_RUN_BITS, L - 1) : 0;
  const windows = L < n ? windowMasks(n, L, low) : [];
  // qubit sets as bit masks (n <= 30)
  let remaining = ops.map((op) => ({ op, mask: lopQubits(op).reduce((m, q) => m | (1 << q), 0) }));
  const all = n >= 31 ? -1 : 2 ** n - 1;
  while (remaining.length) {
    let best = takeFirstCome(remaining, all, L, 2 ** low - 1);
    for (const w of windows) {
      if (best.take.length === remaining.length) break;
      const cand = takeWithin(remaining, all, w);
      if (cand.take.length > best.take.length) best = cand;
    }
    // a scattered set wider than `wholeAbove` is encoded over the whole state (one chunk)
    const width = popcount(best.set);
    const whole = width > wholeAbove && best.set !== 2 ** width - 1;
    const set = new Set<number>();
    for (let q = 0; q < n; q++) if (whole || (best.set >>> q) & 1) set.add(q);
    segments.push(
      encodeSegment(
        best.take.map((t) => t.op),
        set,
        n,
        L,
        simd,
      ),
    );
    remaining = best.rest;
  }
  return segments;
}

interface Masked {
  op: LOp;
  mask: number;
}

interface Take {
  take: Masked[];
  rest: Masked[];
  set: number;
}

/** Lowest qubits every candidate set keeps: runs of 2^3 amplitudes fill a 64-byte cache line. */
const LOW_RUN_BITS = 3;

function popcount(v: number): number {
  let c = 0;
  for (let x = v >>> 0; x; x &= x - 1) c++;
  return c;
}

/** The lowest `low` qubits plus each window of L − low consecutive qubits above them. */
function windowMasks(n: number, L: number, low: number): number[] {
  const out: number[] = [];
  for (let a = low; a + (L - low) <= n; a++) out.push((2 ** low - 1) | ((2 ** (L - low) - 1) * 2 ** a));
  return out;
}

/** The qubit set (starting from `start`) grows with the ops in program order up to L qubits. */
function takeFirstCome(ops: Masked[], all: number, L: number, start: number): Take {
  let set = start,
    blocked = 0,
    cap = L;
  const take: Masked[] = [];
  const rest: Masked[] = [];
  let i = 0;
  for (; i < ops.length && blocked !== all; i++) {
    const m = ops[i].mask;
    let fits = (m & blocked) === 0;
    // an op on more than L qubits gets a segment of its own size
    if (fits && take.length === 0) cap = Math.max(L, popcount(set | m));
    if (fits) fits = popcount(set | m) <= cap;
    if (fits) {
      set |= m;
      take.push(ops[i]);
    } else {
      blocked |= m;
      rest.push(ops[i]);
    }
  }
  for (; i < ops.length; i++) rest.push(ops[i]);
  return { take, rest, set };
}

/** The ops that fit in a fixed qubit set. */
function takeWithin(ops: Masked[], all: number, set: number): Take {
  let blocked = 0;
  const take: Masked[] = [];
  const rest: Masked[] = [];
  let i = 0;
  for (; i < ops.length && blocked !== all; i++) {
    const m = ops[i].mask;
    if ((m & blocked) === 0 && (m & ~set) === 0) take.push(ops[i]);
    else {
      blocked |= m;
      rest.push(ops[i]);
    }
  }
  for (; i < ops.length; i++) rest.push(ops[i]);
  return { take, rest, set };
}

function encodeSegment(ops: LOp[], used: Set<number>, n: number, L: number, simd: boolean): Segment {
  const local = [...used];
  for (let q = 0; local.length < Math.max(L, used.size) && q < n; q++) if (!used.has(q)) local.push(q);
  local.sort((a, b) => a - b);
  const toLocal = new Map<number, number>();
  local.forEach((g, i) => {
    toLocal.set(g, i);
  });
  return { n, local, program: encodeOps(ops, toLocal), gates: ops.length, simd };
}

/** Encodes lowered ops as a kernel program over local qubit indices. */
export function encodeOps(ops: LOp[], toLocal: Map<number, number>): Float64Array {
  const mask = (qs: number[]) => qs.reduce((m, q) => m | (1 << (toLocal.get(q) as number)), 0);
  const out: number[] = [];
  for (const op of ops) {
    if (op.k === 'm') {
      const t = toLocal.get(op.t) as number;
      const cm = mask(op.c);
      const a = op.mat;
      if (isPauliX(a)) out.push(OP_X, t, cm);
      else if (isDiagonal(a)) out.push(OP_DIAG, t, cm, a[0], a[1], a[6], a[7]);
      else out.push(OP_DENSE, t, cm, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    } else if (op.k === 'pf') {
      encodePhaseFan(out, op, toLocal);
    } else if (op.k === 'mx') {
      out.push(OP_MUX, toLocal.get(op.t) as number, toLocal.get(op.c) as number, ...op.m0, ...op.m1);
    } else if (op.k === 'd2') {
      out.push(OP_DENSE2, toLocal.get(op.a) as number, toLocal.get(op.b) as number, ...op.mat);
    } else if (op.k === 'sw') {
      out.push(OP_SWAP, toLocal.get(op.a) as number, toLocal.get(op.b) as number, mask(op.c));
    } else {
      out.push(OP_PAULI, mask(op.xq), mask(op.zq), op.ny, mask(op.c), op.cos, op.sin);
    }
  }
  return Float64Array.from(out);
}

/** Number of chunks a segment splits the state into. */
export function chunkCount(seg: Segment): number {
  return 2 ** (seg.n - seg.local.length);
}

/** Scratch space and index tables for running chunks of one segment; built once per segment per thread. */
export interface ChunkPlan {
  contiguous: boolean;
  size: number;
  /** Local qubits 0..run-1 coincide with global 0..run-1: gather copies runs of 2^run amplitudes. */
  runBits: number;
  /** Global offset of each run (size / 2^runBits entries). */
  runOffsets: Int32Array;
  nonLocal: number[];
}

export function chunkPlan(seg: Segment): ChunkPlan {
  const L = seg.local.length;
  const size = 2 ** L;
  let runBits = 0;
  while (runBits < L && seg.local[runBits] === runBits) runBits++;
  const contiguous = runBits === L;
  const runs = contiguous ? 0 : 2 ** (L - runBits);
  const runOffsets = new Int32Array(runs);
  for (let r = 0; r < runs; r++) {
    let off = 0;
    for (let k = runBits; k < L; k++) if ((r >>> (k - runBits)) & 1) off |= 1 << seg.local[k];
    runOffsets[r] = off;
  }
  const inLocal = new Set(seg.local);
  const nonLocal: number[] = [];
  for (let q = 0; q < seg.n; q++) if (!inLocal.has(q)) nonLocal.push(q);
  return { contiguous, size, runBits, runOffsets, nonLocal };
}

export interface Scratch {
  re: Amps;
  im: Amps;
  /** In the SIMD module's memory: every chunk, contiguous ones too, is copied in and the vector kernels run. */
  wasm?: boolean;
}

/** Scratch for one chunk: with `simd`, complex128 goes in this thread's WebAssembly memory where it has SIMD. */
export function makeScratch(like: Amps, size: number, simd = false): Scratch {
  if (like instanceof Float32Array) return { re: new Float32Array(size), im: new Float32Array(size) };
  const w = simd ? wasmScratch(size) : null;
  if (w) return { ...w, wasm: true };
  return { re: new Float64Array(size), im: new Float64Array(size) };
}

const ONE_RUN = new Int32Array(1);

/** First global index of chunk c: its bits deposited on the non-local qubits. */
export function chunkBase(c: number, nonLocal: number[]): number {
  let base = 0;
  for (let k = 0; k < nonLocal.length; k++) if ((c >>> k) & 1) base += 2 ** nonLocal[k];
  return base;
}

/** Applies the segment to chunks [from, to). */
export function runChunks(
  re: Amps,
  im: Amps,
  seg: Segment,
  plan: ChunkPlan,
  scratch: Scratch,
  from: number,
  to: number,
): void {
  const { size, nonLocal } = plan;
  const contiguous = plan.contiguous && !scratch.wasm;
  // a contiguous chunk copied into the SIMD memory is one run of the whole chunk
  const runOffsets = plan.contiguous ? ONE_RUN : plan.runOffsets;
  const runLen = plan.contiguous ? size : 1 << plan.runBits;
  const runs = runOffsets.length;
  const prog = seg.program;
  const sre = scratch.re,
    sim = scratch.im;
  const simd = scratch.wasm ? programOnScratch(sre as Float64Array, sim as Float64Array, size, prog) : null;
  for (let c = from; c < to; c++) {
    const base = chunkBase(c, nonLocal);
    if (contiguous) {
      applyProgram(re.subarray(base, base + size), im.subarray(base, base + size), size, prog);
      continue;
    }
    if (runLen >= 64) {
      for (let r = 0; r < runs; r++) {
        const g = base | runOffsets[r];
        sre.set(re.subarray(g, g + runLen), r * runLen);
        sim.set(im.subarray(g, g + runLen), r * runLen);
      }
    } else {
      for (let r = 0, l = 0; r < runs; r++) {
        const g = base | runOffsets[r];
        for (let j = 0; j < runLen; j++, l++) {
          sre[l] = re[g + j];
          sim[l] = im[g + j];
        }
      }
    }
    if (simd) simd();
    else applyProgram(sre, sim, size, prog);
    if (runLen >= 64) {
      for (let r = 0; r < runs; r++) {
        const g = base | runOffsets[r];
        re.set(sre.subarray(r * runLen, (r + 1) * runLen), g);
        im.set(sim.subarray(r * runLen, (r + 1) * runLen), g);
      }
    } else {
      for (let r = 0, l = 0; r < runs; r++) {
        const g = base | runOffsets[r];
        for (let j = 0; j < runLen; j++, l++) {
          re[g + j] = sre[l];
          im[g + j] = sim[l];
        }
      }
    }
  }
}

function encodePhaseFan(out: number[], op: Extract<LOp, { k: 'pf' }>, toLocal: Map<number, number>): void {
  const L = toLocal.size;
  // two tables of ~2^(L/2) entries: building them costs little even when the chunk is small (QFT at 12
  // qubits spent 8 ms on 4096-entry tables for a 4096-amplitude state)
  const loBits = Math.max(1, Math.ceil(L / 2));
  const loLen = 1 << loBits,
    hiLen = 2 ** (L - loBits);
  const loAngle = new Float64Array(loLen),
    hiAngle = new Float64Array(hiLen);
  loAngle.fill(op.self);
  for (const [m, theta] of op.terms) {
    const q = toLocal.get(m) as number;
    if (q < loBits) {
      for (let l = 0; l < loLen; l++) if ((l >>> q) & 1) loAngle[l] += theta;
    } else {
      for (let h = 0; h < hiLen; h++) if ((h >>> (q - loBits)) & 1) hiAngle[h] += theta;
    }
  }
  out.push(OP_PHASEFAN, toLocal.get(op.j) as number, loBits, loLen, hiLen);
  for (let l = 0; l < loLen; l++) out.push(Math.cos(loAngle[l]), Math.sin(loAngle[l]));
  for (let h = 0; h < hiLen; h++) out.push(Math.cos(hiAngle[h]), Math.sin(hiAngle[h]));
}
