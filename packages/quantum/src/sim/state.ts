import type { Amps } from './kernels.js';
import type { Segment } from './segments.js';

export type Precision = 'complex128' | 'complex64';

export interface StateVector {
  n: number;
  re: Amps;
  im: Amps;
  precision: Precision;
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

export function allocateState(n: number, precision: Precision, maxBytes?: number): StateVector {
  checkStateSize(n, precision, maxBytes);
  const size = 2 ** n;
  const C = precision === 'complex64' ? Float32Array : Float64Array;
  const par = platform.parallel;
  // a new state is starting: the pool must not keep the previous one alive
  par?.release?.();
  const half = size * C.BYTES_PER_ELEMENT;
  const re = par && n >= par.minQubits ? new C(par.allocate(half) as ArrayBuffer) : new C(size);
  const im = par && n >= par.minQubits ? new C(par.allocate(half) as ArrayBuffer) : new C(size);
  re[0] = 1;
  return { n, re, im, precision };
}

export function cloneState(s: StateVector): StateVector {
  const t = allocateState(s.n, s.precision);
  t.re.set(s.re);
  t.im.set(s.im);
  return t;
}
