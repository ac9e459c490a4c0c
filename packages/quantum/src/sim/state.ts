import type { Amps } from './kernels.js';
import type { Segment } from './segments.js';
import { takeHome, type WasmHome } from './wasm-state.js';

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
  // the spare state memory (see releaseState) is either reused by this state or dropped for it
  const free = mem ? mem.free + spareBytes() : Number.POSITIVE_INFINITY;
  const limit = Math.min(maxBytes ?? Number.POSITIVE_INFINITY, free);
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
  const sp = takeSpare();
  if (precision === 'complex128' && simd && n >= HOME_MIN_QUBITS) {
    const h = takeHome(n, pooled ? par.threads : 1, pooled, sp?.kind === 'home' ? sp.home : null);
    if (h) {
      h.re[0] = 1;
      return { n, re: h.re, im: h.im, precision, home: h.home };
    }
  }
  const old = sp?.kind === 'arrays' ? sp.state : null;
  if (old && old.n === n && old.precision === precision && isShared(old) === pooled) {
    old.re.fill(0);
    old.im.fill(0);
    old.re[0] = 1;
    return old;
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
 * Largest state whose result getState copies out of the engine's memory (2^24 amplitudes, 256 MiB), so that
 * memory stays for the next state; above it getState hands the memory itself over (a copy would double it).
 */
export const COPY_OUT_MAX_QUBITS = 24;

/**
 * The spare: the memory of the last state the engine finished with, taken by the next state of its shape. A
 * fresh memory costs one page fault per 4 KiB on first touch — on this machine about 20 µs each: 75 ms of CPU
 * for a 20-qubit state (more than its whole QFT), 5 s for 26 qubits, 20 s for 28 — so sample, observe and
 * getState leave their state's memory here. One spare at most; above KEEP_MAX_QUBITS (the 0.5–16 GiB of 25–30
 * qubits) it is dropped after SPARE_IDLE_MS unused: a burst of calls (a VQE loop, a parameter sweep) reuses
 * it, an idle process gives the memory back. Below, states in WebAssembly memory are kept (at most 256 MiB),
 * typed-array ones are not (cheap to make again).
 */
export const KEEP_MAX_QUBITS = 24;
export const SPARE_IDLE_MS = 5000;

type Spare = { kind: 'home'; home: WasmHome } | { kind: 'arrays'; state: StateVector };
let spare: Spare | null = null;
let spareTimer: ReturnType<typeof setTimeout> | undefined;

function keepSpare(sp: Spare, n: number): void {
  clearTimeout(spareTimer);
  spareTimer = undefined;
  spare = sp;
  if (n > KEEP_MAX_QUBITS) {
    spareTimer = setTimeout(() => {
      if (spare === sp) spare = null;
    }, SPARE_IDLE_MS);
    // the timer must not keep a Node process alive (browsers have no unref)
    (spareTimer as { unref?: () => void }).unref?.();
  }
}

function takeSpare(): Spare | null {
  const sp = spare;
  spare = null;
  clearTimeout(spareTimer);
  spareTimer = undefined;
  return sp;
}

/** Bytes of the spare memory (0 without one): reclaimable, so the size check counts them as free. */
export function spareBytes(): number {
  if (!spare) return 0;
  if (spare.kind === 'home') return spare.home.mem.buffer.byteLength;
  return spare.state.re.byteLength + spare.state.im.byteLength;
}

/**
 * Ends the engine's use of a state it made (sample, observe): its memory becomes the spare. The state must
 * not be used after.
 */
export function releaseState(s: StateVector): void {
  if (s.home) keepSpare({ kind: 'home', home: s.home }, s.n);
  else if (s.n > KEEP_MAX_QUBITS) keepSpare({ kind: 'arrays', state: s }, s.n);
}

function isShared(s: StateVector): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && s.re.buffer instanceof SharedArrayBuffer;
}

/**
 * The state as the caller keeps it (getState): a state in WebAssembly memory of up to COPY_OUT_MAX_QUBITS is
 * copied into typed arrays of its own and its memory released; others are handed over as they are.
 */
export function detachState(s: StateVector): StateVector {
  if (!s.home || s.n > COPY_OUT_MAX_QUBITS) return s;
  const out: StateVector = { n: s.n, re: s.re.slice(), im: s.im.slice(), precision: s.precision };
  releaseState(s);
  return out;
}
