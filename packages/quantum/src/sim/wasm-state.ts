import { AREA_BYTES, areaOf, hasGateWasm } from './gates-wasm.js';
import { MAX_PAGES } from './wasm-asm.js';

/**
 * A complex128 state that lives inside a WebAssembly.Memory, so the SIMD gate kernels run on it in place
 * (no copy of each chunk into module memory and back). Layout: one area per thread that works on it
 * (parameters, run table, chunk scratch: gates-wasm.ts AREA_BYTES), then the re array, then the im array.
 * With worker threads the memory is shared (SharedArrayBuffer-backed) and every worker instantiates the
 * kernels over it.
 */
export interface WasmHome {
  mem: WebAssembly.Memory;
  /** Byte offsets of the re and im arrays. */
  re: number;
  im: number;
  /** Thread areas at the start of the memory, area i at i·AREA_BYTES. */
  areas: number;
}

/**
 * Largest state kept in WebAssembly memory: 2^27 amplitudes are 2 GiB; 28 qubits (4 GiB) would not fit
 * next to the areas in a 32-bit memory, and stay in typed arrays over SharedArrayBuffers.
 */
export const HOME_MAX_QUBITS = 27;

/**
 * re/im arrays of 2^n amplitudes in a new memory with `areas` thread areas, or null where the host lacks
 * the SIMD kernels (or shared WebAssembly memory when `shared`), or the state is too large.
 */
export function allocateHome(
  n: number,
  areas: number,
  shared: boolean,
): { home: WasmHome; re: Float64Array; im: Float64Array } | null {
  if (n > HOME_MAX_QUBITS || !hasGateWasm()) return null;
  if (shared && typeof SharedArrayBuffer === 'undefined') return null;
  const half = 8 * 2 ** n;
  const re = areas * AREA_BYTES;
  const pages = Math.ceil((re + 2 * half) / 65536);
  if (pages > MAX_PAGES) return null;
  let mem: WebAssembly.Memory;
  try {
    // exactly the size needed and never grown: views stay attached, a non-shared memory too
    mem = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
  } catch {
    return null;
  }
  // a shared memory needs the shared module variant (the host may lack one: then no home)
  if (!areaOf(mem, 0)) return null;
  const home: WasmHome = { mem, re, im: re + half, areas };
  return {
    home,
    re: new Float64Array(mem.buffer, home.re, 2 ** n),
    im: new Float64Array(mem.buffer, home.im, 2 ** n),
  };
}

/**
 * A zeroed home in `spare` (a finished state's memory) when it has the right shape, else a new one (see
 * allocateHome; state.ts keeps the spare).
 */
export function takeHome(
  n: number,
  areas: number,
  shared: boolean,
  spare: WasmHome | null,
): { home: WasmHome; re: Float64Array; im: Float64Array } | null {
  if (
    spare &&
    spare.areas === areas &&
    spare.im - spare.re === 8 * 2 ** n &&
    isShared(spare.mem) === shared
  ) {
    const re = new Float64Array(spare.mem.buffer, spare.re, 2 ** n);
    const im = new Float64Array(spare.mem.buffer, spare.im, 2 ** n);
    re.fill(0);
    im.fill(0);
    return { home: spare, re, im };
  }
  return allocateHome(n, areas, shared);
}

function isShared(mem: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && mem.buffer instanceof SharedArrayBuffer;
}
