import { isDiagonal, isPauliX } from '../ir/gates.js';
import { type Amps, applyProgram, OP_DENSE, OP_DIAG, OP_PAULI, OP_SWAP, OP_X } from './kernels.js';
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
}

export function planSegments(ops: LOp[], n: number, localBits: number): Segment[] {
  const L = Math.min(localBits, n);
  const segments: Segment[] = [];
  let cur: LOp[] = [];
  let set = new Set<number>();
  const close = () => {
    if (cur.length) segments.push(encodeSegment(cur, set, n, L));
    cur = [];
    set = new Set();
  };
  for (const op of ops) {
    const qs = lopQubits(op);
    const union = new Set(set);
    for (const q of qs) union.add(q);
    if (union.size > Math.max(L, qs.length)) {
      close();
      for (const q of qs) set.add(q);
    } else {
      set = union;
    }
    cur.push(op);
  }
  close();
  return segments;
}

function encodeSegment(ops: LOp[], used: Set<number>, n: number, L: number): Segment {
  const local = [...used];
  for (let q = 0; local.length < Math.max(L, used.size) && q < n; q++) if (!used.has(q)) local.push(q);
  local.sort((a, b) => a - b);
  const toLocal = new Map<number, number>();
  local.forEach((g, i) => toLocal.set(g, i));
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
    } else if (op.k === 'sw') {
      out.push(OP_SWAP, toLocal.get(op.a) as number, toLocal.get(op.b) as number, mask(op.c));
    } else {
      out.push(OP_PAULI, mask(op.xq), mask(op.zq), op.ny, mask(op.c), op.cos, op.sin);
    }
  }
  return { n, local, program: Float64Array.from(out), gates: ops.length };
}

/** Number of chunks a segment splits the state into. */
export function chunkCount(seg: Segment): number {
  return 2 ** (seg.n - seg.local.length);
}

/** Scratch space and index tables for running chunks of one segment; built once per segment per thread. */
export interface ChunkPlan {
  contiguous: boolean;
  size: number;
  offsets: Int32Array;
  nonLocal: number[];
}

export function chunkPlan(seg: Segment): ChunkPlan {
  const L = seg.local.length;
  const size = 2 ** L;
  const contiguous = seg.local.every((q, i) => q === i);
  const offsets = new Int32Array(contiguous ? 0 : size);
  if (!contiguous) {
    for (let l = 0; l < size; l++) {
      let off = 0;
      for (let k = 0; k < L; k++) if ((l >>> k) & 1) off += 2 ** seg.local[k];
      offsets[l] = off;
    }
  }
  const inLocal = new Set(seg.local);
  const nonLocal: number[] = [];
  for (let q = 0; q < seg.n; q++) if (!inLocal.has(q)) nonLocal.push(q);
  return { contiguous, size, offsets, nonLocal };
}

export interface Scratch {
  re: Amps;
  im: Amps;
}

export function makeScratch(like: Amps, size: number): Scratch {
  const C = like instanceof Float32Array ? Float32Array : Float64Array;
  return { re: new C(size), im: new C(size) };
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
  const { size, offsets, nonLocal, contiguous } = plan;
  const prog = seg.program;
  const sre = scratch.re,
    sim = scratch.im;
  for (let c = from; c < to; c++) {
    let base = 0;
    for (let k = 0; k < nonLocal.length; k++) if ((c / 2 ** k) & 1) base += 2 ** nonLocal[k];
    if (contiguous) {
      applyProgram(re.subarray(base, base + size), im.subarray(base, base + size), size, prog);
      continue;
    }
    for (let l = 0; l < size; l++) {
      const g = base + offsets[l];
      sre[l] = re[g];
      sim[l] = im[g];
    }
    applyProgram(sre, sim, size, prog);
    for (let l = 0; l < size; l++) {
      const g = base + offsets[l];
      re[g] = sre[l];
      im[g] = sim[l];
    }
  }
}
