import type { WasmHome } from '../sim/wasm-state.js';

/**
 * Shared-memory protocol between the state-vector pool's main thread and its workers. Control words live in
 * an Int32Array over a SharedArrayBuffer; everyone blocks in Atomics.wait (never spins).
 *
 * A job is split into units. Units are claimed with compare-and-swap on a word that also carries the job's
 * generation, so a worker that wakes late can never claim units of a job it has not decoded.
 */
export const GEN = 0;
export const CLAIM = 1;
export const DONE = 2;
export const UNITS = 3;
export const KIND = 4;
export const QUIT = 5;
export const UNIT_SIZE = 6;
export const CTRL_WORDS = 8;

export const KIND_SEGMENT = 1;
export const KIND_TERMS = 2;

export const MAX_UNITS = 0xffff;

export function claimWord(gen: number, next: number): number {
  return ((gen & 0x7fff) << 16) | next;
}

/** Claims the next unit of job `gen`; returns its index or -1 when the job is exhausted or superseded. */
export function claim(ctrl: Int32Array, gen: number): number {
  for (;;) {
    const v = Atomics.load(ctrl, CLAIM);
    if (v >>> 16 !== (gen & 0x7fff)) return -1;
    const next = v & 0xffff;
    if (next >= Atomics.load(ctrl, UNITS)) return -1;
    if (Atomics.compareExchange(ctrl, CLAIM, v, v + 1) === v) return next;
  }
}

export interface BufferMessage {
  /** A state in shared WebAssembly memory (its re/im are views of that memory). */
  home?: WasmHome;
  re?: SharedArrayBuffer;
  im?: SharedArrayBuffer;
  precision?: 'complex128' | 'complex64';
  job?: SharedArrayBuffer;
  terms?: SharedArrayBuffer;
  results?: SharedArrayBuffer;
  /** Drop references to the last state so its memory can be reclaimed. */
  release?: boolean;
}
