import type { Amps } from './kernels.js';
import type { Segment } from './segments.js';
import { giveBackHome, RECYCLE_MAX_QUBITS, takeHome, type WasmHome } from './wasm-state.js';

export type Precision = 'complex128' | 'complex64';

export interface StateVector {
  n: number;
  re: Amps;
  im: Amps;
  precision: Precision;
  /** Set when re and im live in a WebAssembly.Memory (wasm-state.ts): the SIMD kernels run on them in place. */
  home?: WasmHome;
}

/**
 * What the host offers beyond plain JavaScript: memory figures and worker threads. The core runs without
 * one (a browser); the Node module installs one.
 */
export interface Platform {
  memory?(): { total: number; free: number };
  parallel?: ParallelRunner;
}

export interface ParallelRunner {
  readonly threads: number;
  /** Smallest qubit count at which handing work to threads pays. */
  readonly minQubits: number;
  allocate(bytes: number): ArrayBufferLike;
  runSegment(state: StateVector, seg: Segment): void;
  /** ⟨ψ|P_k|ψ⟩ for packed terms (x, z, ny triples). */
  pauliExpectations(state: StateVector, terms: Int32Array): Float64Array;
  /** Drops the runner's references to the last state it worked on. */
  release?(): void;
}

let platform: Platform = {};

export function setPlatform(p: Platform): void {
  platform = p;
}

export function getPlatform(): Platform {
  return platform;
}

/** Largest state the kernels address with 32-bit indices. */
export const MAX_QUBITS = 30;

export function stateBytes(n: number, precision: Precision): number {
  return 2 ** n * (precision === 'complex64' ? 8 : 16);
}

function gib(b: number): string {
  return b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GiB` : `${(b / 2 ** 20).toFixed(1)} MiB`;
}

/** Throws before allocating a state that cannot fit, naming the size, what exists, and what would fit. */
export function checkStateSize(n: number, precision: Precision, maxBytes?: number): void {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`number of qubits must be a positive integer, got ${n}`);
  const need = stateBytes(n, precision);
  if (n > MAX_QUBITS) {
    throw new RangeError(
      `a ${n}-qubit state (${gib(need)} at ${precision}) is beyond this simulator's limit of ${MAX_QUBITS} qubits`,
    );
  }
  const mem = platform.memory?.();
  const limit = Math.min(maxBytes ?? Number.POSITIVE_INFINITY, mem ? mem.free : Number.POSITIVE_INFINITY);
  if (need > limit) {
    let fits = n;
    while (fits > 1 && stateBytes(fits, precision) > limit) fits--;
    const other =
      precision === 'complex128' && stateBytes(n, 'complex64') <= limit
        ? ", or { precision: 'complex64' }"
        : '';
    const where = mem
      ? `this machine has ${gib(mem.total)} in total and ${gib(mem.free)} available`
      : `the limit is ${gib(limit)}`;
    throw new RangeError(
      `a ${n}-qubit state needs ${gib(need)} at ${precision} but ${where}${maxBytes !== undefined ? ` (maxMemoryBytes ${gib(maxBytes)})` : ''}; use at most ${fits} qubits${other}`,
    );
  }
}

/**
 * Smallest complex128 state kept in WebAssembly memory (below it the SIMD kernels are not used; see
 * engine.ts WASM_MIN_QUBITS).
 */
export const HOME_MIN_QUBITS = 10;

/**
 * A new |0…0⟩ state. complex128 states of HOME_MIN_QUBITS to HOME_MAX_QUBITS qubits live in WebAssembly
 * memory (shared where worker threads will work on them) unless `simd` is false or the host lacks the SIMD
 * kernels; others are typed arrays, over SharedArrayBuffers where worker threads will work on them.
 */
export function allocateState(n: number, precision: Precision, maxBytes?: number, simd = true): StateVector {
  checkStateSize(n, precision, maxBytes);
  const size = 2 ** n;
  const par = platform.parallel;
  // a new state is starting: the pool must not keep the previous one alive
  par?.release?.();
  const pooled = !!par && n >= par.minQubits;
  if (precision === 'complex128' && simd && n >= HOME_MIN_QUBITS) {
    const h = takeHome(n, pooled ? par.threads : 1, pooled);
    if (h) {
      h.re[0] = 1;
      return { n, re: h.re, im: h.im, precision, home: h.home };
    }
  }
  const C = precision === 'complex64' ? Float32Array : Float64Array;
  const half = size * C.BYTES_PER_ELEMENT;
  const re = pooled ? new C(par.allocate(half) as ArrayBuffer) : new C(size);
  const im = pooled ? new C(par.allocate(half) as ArrayBuffer) : new C(size);
  re[0] = 1;
  return { n, re, im, precision };
}

export function cloneState(s: StateVector): StateVector {
  const t = allocateState(s.n, s.precision, undefined, s.home !== undefined);
  t.re.set(s.re);
  t.im.set(s.im);
  return t;
}

/**
 * Ends the engine's use of a state it made (sample, observe): a state in WebAssembly memory leaves that
 * memory for the next state (wasm-state.ts takeHome). The state must not be used after.
 */
export function releaseState(s: StateVector): void {
  if (s.home) giveBackHome(s.home);
}

/**
 * The state as the caller keeps it (getState): a state in recyclable WebAssembly memory is copied into
 * typed arrays of its own and its memory released; others are handed over as they are.
 */
export function detachState(s: StateVector): StateVector {
  if (!s.home || s.n > RECYCLE_MAX_QUBITS) return s;
  const out: StateVector = { n: s.n, re: s.re.slice(), im: s.im.slice(), precision: s.precision };
  releaseState(s);
  return out;
}
