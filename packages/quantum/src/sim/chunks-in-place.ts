/**
 * Segments on a state that lives in WebAssembly memory (wasm-state.ts), on one thread's area of that memory.
 * Contiguous chunks (local qubits 0..L−1, whole-state segments included) run in place: the kernels address
 * the state directly. Other chunks are gathered into the area's scratch by the SIMD copy kernel (runs of ≥ 8
 * amplitudes, one table of run offsets per segment), run there while they sit in cache, and scattered back.
 */

import { type Area, areaOf } from './gates-wasm.js';
import { compileProgram } from './kernels-wasm.js';
import { type ChunkPlan, chunkBase, type Segment } from './segments.js';
import type { WasmHome } from './wasm-state.js';

/** The copy kernels move runs in 64-byte steps: runs of at least 2^3 amplitudes. */
const MIN_RUN_BITS = 3;

/** Runs chunks [from, to) of a prepared segment. */
export type ChunkRange = (from: number, to: number) => void;

/**
 * Prepares a segment for thread area `index` (its run table written once); null where the area
 * cannot take it (no SIMD kernels, a chunk larger than the scratch, runs shorter than 8 amplitudes), and the
 * caller falls back to copying chunks in JavaScript.
 */
export function inPlaceRunner(
  home: WasmHome,
  seg: Segment,
  plan: ChunkPlan,
  index: number,
): ChunkRange | null {
  const area = index < home.areas ? areaOf(home.mem, index) : null;
  if (!area) return null;
  const { size, nonLocal } = plan;
  const run = compileProgram(area.w, area.par, size, seg.program);
  if (plan.contiguous) {
    return (from, to) => {
      for (let c = from; c < to; c++) {
        const b = 8 * chunkBase(c, nonLocal);
        run(home.re + b, home.im + b);
      }
    };
  }
  if (!loadRunTable(area, plan)) return null;
  const { w, runTab, scratch } = area;
  const tabEnd = runTab + 4 * plan.runOffsets.length;
  const runBytes = 8 * 2 ** plan.runBits;
  const sre = scratch,
    sim = scratch + 8 * size;
  return (from, to) => {
    for (let c = from; c < to; c++) {
      const b = 8 * chunkBase(c, nonLocal);
      w.gather(sre, sim, home.re + b, home.im + b, runTab, tabEnd, runBytes);
      run(sre, sim);
      w.scatter(sre, sim, home.re + b, home.im + b, runTab, tabEnd, runBytes);
    }
  };
}

/** The plan's run offsets, in bytes, into the area's run table; false when the chunk does not fit the area. */
function loadRunTable(area: Area, plan: ChunkPlan): boolean {
  const runs = plan.runOffsets.length;
  if (plan.size > area.scratchAmps || plan.runBits < MIN_RUN_BITS || area.runTab < 0) return false;
  if (runs * 2 ** MIN_RUN_BITS > area.scratchAmps) return false;
  const tab = new Int32Array(area.w.mem.buffer, area.runTab, runs);
  for (let r = 0; r < runs; r++) tab[r] = 8 * plan.runOffsets[r];
  return true;
}
