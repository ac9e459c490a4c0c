import type { Amps } from './kernels.js';
import {
  ADD,
  AND,
  assembleModule,
  BRIF,
  END,
  ensureMemory,
  F64,
  F64ADD,
  F64C,
  F64NEG,
  F64SUB,
  F64X2_ADD,
  F64X2_EXTRACT,
  F64X2_MUL,
  I32,
  I32C,
  LGET,
  LOOP,
  LSET,
  LTEE,
  LTU,
  lazyInstance,
  POPCNT,
  SELECT,
  SHL,
  SHRU,
  simd,
  sleb,
  uleb,
  V_CONST,
  V_LOAD,
  V_LOAD64_SPLAT,
  V_SHUFFLE,
  V_XOR,
  V128,
  VOID,
  XOR,
} from './wasm-asm.js';

/**
 * A WebAssembly-SIMD kernel for Pauli expectations, assembled here byte by byte (no toolchain, no download).
 *
 * The state is copied into the module's memory interleaved (re, im per amplitude), so one 128-bit load
 * holds one amplitude. For a term with flip mask x and phase mask z, `span(j0, chunks, x, z)` sums over
 * `chunks` runs of 2^CHUNK_BITS amplitudes starting at j0:
 *   even: Σ s(j)·Re(conj(ψ_{j⊕x})·ψ_j)      odd: Σ s(j)·Im(conj(ψ_{j⊕x})·ψ_j)
 * with s(j) = (−1)^{|j∧z|}. The sign of the low bits is a per-term table of sign-bit masks XORed onto the
 * product (no multiply); the high bits' sign comes from one popcnt per run.
 */
export const CHUNK_BITS = 7;
const LS = 1 << CHUNK_BITS;
/** Amplitudes per inner step (one vector accumulator each). */
const UNROLL = 4;
/** Bytes of one term's sign table (one 8-byte mask per step of UNROLL low indices); the tables follow the state. */
const TAB_BYTES = (LS / UNROLL) * 8;
/**
 * log2 of the block whose partner block, for every term of a group, stays in L2 while the group runs
 * (2 × 256 KiB). With few terms per group (large states, few terms) the block grows up to MAX_BLOCK_BITS:
 * the pair then lives in L3 but each pass over the state serves more terms.
 */
const BLOCK_BITS = 14;
const MAX_BLOCK_BITS = 17;
/** Terms per group below which the block grows. */
const MIN_GROUP = 16;
/** Terms per group pass (their sign tables sit next to the two blocks in cache). */
const GROUP_MAX = 128;

/** l16 (byte offset, 16 per amplitude) → byte offset of the step's sign entry: l16 / (16·UNROLL) · 8. */
const STEP_SHIFT = 3;

/** Body of span(j0, chunks, x, z) -> f64 for even (real part) or odd (imaginary part) terms. */
function spanBody(odd: boolean): number[] {
  // params: j0, chunks, x, z, tab (byte offset of the term's sign table)
  const [j0, chunks, x, z, tab] = [0, 1, 2, 3, 4];
  let next = 5;
  const i32 = () => next++;
  const [end, xmHi, jb, jb16, kb16, l16, jp, kp] = Array.from({ length: 8 }, i32);
  // k offset of unit u inside one step: (16u) XOR the flip bits below the step
  const cu = Array.from({ length: UNROLL }, i32);
  const nI32 = next - 5;
  const [total, v, lane] = [next++, next++, next++];
  const acc = Array.from({ length: UNROLL }, () => next++);
  const tmp = next++;
  const sstep = next++;
  const STEP = 16 * UNROLL;
  const c: number[] = [];
  c.push(LGET, j0, LGET, chunks, I32C, ...sleb(CHUNK_BITS), SHL, ADD, LSET, end);
  // flip bits inside a chunk, in bytes: high part XORs the step base, low part is folded into cu
  c.push(LGET, x, I32C, ...sleb(LS - 1), AND, I32C, 4, SHL, I32C, ...sleb(-STEP), AND, LSET, xmHi);
  for (let u = 0; u < UNROLL; u++) {
    c.push(LGET, x, I32C, ...sleb(UNROLL - 1), AND, I32C, 4, SHL, I32C, ...sleb(16 * u), XOR, LSET, cu[u]);
  }
  c.push(LGET, j0, LSET, jb);
  c.push(LOOP, VOID);
  c.push(LGET, jb, I32C, 4, SHL, LSET, jb16);
  c.push(LGET, jb, LGET, x, XOR, I32C, ...sleb(-LS), AND, I32C, 4, SHL, LSET, kb16);
  for (let u = 0; u < UNROLL; u++) c.push(...simd(V_CONST), ...new Array(16).fill(0), LSET, acc[u]);
  c.push(I32C, 0, LSET, l16);
  c.push(LOOP, VOID);
  c.push(LGET, jb16, LGET, l16, ADD, LSET, jp);
  c.push(LGET, kb16, LGET, l16, LGET, xmHi, XOR, ADD, LSET, kp);
  // sign mask of the step's first index lb (table entry 8 bytes per step); offsets u inside the step
  // have their own sign, applied once per chunk below
  c.push(LGET, l16, I32C, ...sleb(STEP_SHIFT), SHRU, LGET, tab, ADD, ...simd(V_LOAD64_SPLAT), 3, 0);
  c.push(LSET, sstep);
  for (let u = 0; u < UNROLL; u++) {
    c.push(LGET, acc[u]);
    // partner amplitude (re_k, im_k)
    c.push(LGET, kp, LGET, cu[u], ADD, ...simd(V_LOAD), 4, 0);
    // own amplitude (re_j, im_j), lanes swapped for odd terms
    c.push(LGET, jp, ...simd(V_LOAD), 4, ...uleb(16 * u));
    if (odd) {
      c.push(LTEE, tmp, LGET, tmp, ...simd(V_SHUFFLE), 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
    }
    c.push(...simd(F64X2_MUL));
    c.push(LGET, sstep, ...simd(V_XOR), ...simd(F64X2_ADD), LSET, acc[u]);
  }
  c.push(LGET, l16, I32C, ...sleb(STEP), ADD, LTEE, l16, I32C, ...sleb(16 * LS), LTU, BRIF, 0);
  c.push(END);
  // each unit's lanes, with the sign of its offset u inside the step: v = Σ_u (−1)^{|u∧z|}·(lane0 ± lane1)
  c.push(F64C, ...new Array(8).fill(0), LSET, v);
  for (let u = 0; u < UNROLL; u++) {
    c.push(LGET, v);
    c.push(LGET, acc[u], ...simd(F64X2_EXTRACT), 0, LGET, acc[u], ...simd(F64X2_EXTRACT), 1);
    c.push(odd ? F64SUB : F64ADD, LTEE, lane, F64NEG, LGET, lane);
    c.push(LGET, z, I32C, u, AND, POPCNT, I32C, 1, AND, SELECT, F64ADD, LSET, v);
  }
  // total += parity(jb & z) ? −v : v
  c.push(LGET, total, LGET, v, F64NEG, LGET, v, LGET, jb, LGET, z, AND, POPCNT, I32C, 1, AND, SELECT);
  c.push(F64ADD, LSET, total);
  c.push(LGET, jb, I32C, ...sleb(LS), ADD, LTEE, jb, LGET, end, LTU, BRIF, 0);
  c.push(END);
  c.push(LGET, total, END);
  const locals = [3, ...uleb(nI32), I32, 3, F64, ...uleb(UNROLL + 2), V128];
  void tmp;
  return [...uleb(locals.length + c.length), ...locals, ...c];
}

export function moduleBytes(): Uint8Array<ArrayBuffer> {
  const params = [I32, I32, I32, I32, I32];
  return assembleModule([
    { name: 'even', params, results: [F64], body: spanBody(false) },
    { name: 'odd', params, results: [F64], body: spanBody(true) },
  ]);
}

type Span = (j0: number, chunks: number, x: number, z: number, tab: number) => number;

interface Instance {
  mem: WebAssembly.Memory;
  even: Span;
  odd: Span;
}

const module = lazyInstance<Instance>(moduleBytes);
const instance = () => module.get();

/**
 * Term indices ordered so that terms sharing the flip bits above the cache block are adjacent: a caller that
 * splits the terms into contiguous ranges (the worker pool) then gives each thread whole groups.
 */
export function blockOrder(terms: Int32Array, n: number): Int32Array {
  const B = Math.min(n, BLOCK_BITS);
  const order = new Int32Array(terms.length / 3);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => (terms[3 * a] >>> B) - (terms[3 * b] >>> B));
}

/**
 * Cache block for terms [from, to): BLOCK_BITS, grown while groups would hold fewer than MIN_GROUP terms.
 * The worker pool computes it over all terms and hands it to every unit, so the sums (and their rounding)
 * are the same however the terms are split.
 */
export function blockBitsFor(terms: Int32Array, n: number, from = 0, to = terms.length / 3): number {
  let B = Math.min(n, BLOCK_BITS);
  for (; B < Math.min(n, MAX_BLOCK_BITS); B++) {
    const groups = new Set<number>();
    for (let t = from; t < to; t++) groups.add(terms[3 * t] >>> B);
    if (to - from >= MIN_GROUP * groups.size) break;
  }
  return B;
}

/** Below this the JavaScript kernel is as fast (and the state copy is not worth it). */
export const WASM_MIN_QUBITS = 10;
/** Largest state the kernel copies in (2^24 amplitudes = 256 MiB interleaved per thread); larger states use the JavaScript kernel rather than hold another copy per thread. */
export const WASM_MAX_QUBITS = 24;
/** Instances whose memory grew beyond this (states above 22 qubits) are dropped after the call. */
const KEEP_BYTES = 80 * 2 ** 20;

/** Whether this host runs the SIMD kernel (WebAssembly with SIMD). */
export function wasmAvailable(): boolean {
  return instance() !== null;
}

/**
 * Expectations of packed terms [x, z, ny]* for t in [from, to) with the SIMD kernel, or false when it is
 * unavailable here or the state is outside its range (the caller falls back to JavaScript).
 */
export function pauliExpectationsWasm(
  re: Amps,
  im: Amps,
  n: number,
  terms: Int32Array,
  from: number,
  to: number,
  out: Float64Array<ArrayBufferLike>,
  blockBits?: number,
): boolean {
  if (n < WASM_MIN_QUBITS || n > WASM_MAX_QUBITS) return false;
  const w = instance();
  if (!w) return false;
  const N = 2 ** n;
  const count = to - from;
  const tabBase = N * 16;
  const need = tabBase + Math.min(count, GROUP_MAX) * TAB_BYTES;
  if (!ensureMemory(w.mem, need)) return false;
  const buf = w.mem.buffer;
  const st = new Float64Array(buf, 0, 2 * N);
  for (let j = 0; j < N; j++) {
    st[2 * j] = re[j];
    st[2 * j + 1] = im[j];
  }
  const tabs = new Int32Array(buf, tabBase);
  // terms grouped by their flip bits above the block: a group pairs the same two blocks
  const B0 = Math.min(n, BLOCK_BITS);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = from + i;
  order.sort((a, b) => (terms[3 * a] >>> B0) - (terms[3 * b] >>> B0));
  const B = blockBits ?? blockBitsFor(terms, n, from, to);
  const blocks = 2 ** (n - B);
  const blockChunks = 2 ** (B - CHUNK_BITS);
  const acc = new Float64Array(GROUP_MAX);
  for (let g0 = 0; g0 < count; ) {
    const xh = terms[3 * order[g0]] >>> B;
    let g1 = g0 + 1;
    while (g1 < count && g1 - g0 < GROUP_MAX && terms[3 * order[g1]] >>> B === xh) g1++;
    const M = g1 - g0;
    for (let m = 0; m < M; m++) {
      // sign masks: the high word of each 8-byte entry carries the float sign bit
      const zl = terms[3 * order[g0 + m] + 1] & (LS - 1);
      const base = (m * TAB_BYTES) / 4;
      for (let l = 0; l < LS; l += UNROLL) {
        let p = l & zl;
        p ^= p >>> 4;
        p ^= p >>> 2;
        p ^= p >>> 1;
        tabs[base + (2 * l) / UNROLL] = 0;
        tabs[base + (2 * l) / UNROLL + 1] = (p & 1) << 31;
      }
      acc[m] = 0;
    }
    for (let hi = 0; hi < blocks; hi++) {
      if ((hi ^ xh) < hi) continue; // each block pair once, from the block whose pivot bit is 0
      const hb = hi * 2 ** B;
      for (let m = 0; m < M; m++) {
        const t = order[g0 + m];
        const x = terms[3 * t],
          z = terms[3 * t + 1];
        const span = terms[3 * t + 2] & 1 ? w.odd : w.even;
        const tab = tabBase + m * TAB_BYTES;
        if (xh !== 0 || x < LS) {
          // partner block apart (each pair once), or pivot in the low bits / diagonal (every j of the block)
          acc[m] += span(hb, blockChunks, x, z, tab);
        } else {
          // pivot inside the block: runs whose pivot bit is 0
          const pm = 2 ** (31 - Math.clz32(x));
          for (let o = hb; o < hb + 2 ** B; o += 2 * pm) acc[m] += span(o, pm / LS, x, z, tab);
        }
      }
    }
    for (let m = 0; m < M; m++) {
      const t = order[g0 + m];
      const x = terms[3 * t],
        ny = terms[3 * t + 2];
      // the full sum over j (x in the low bits) visits each pair from both ends
      const f = x < LS ? 1 : 2;
      out[t] = (ny === 0 || ny === 3 ? f : -f) * acc[m];
    }
    g0 = g1;
  }
  // wasm memory never shrinks: let a large copy go with its instance rather than hold it for good
  if (need > KEEP_BYTES) module.drop();
  return true;
}
