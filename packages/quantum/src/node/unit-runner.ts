import { type ChunkRange, inPlaceRunner } from '../sim/chunks-in-place.js';
import { pauliExpectations } from '../sim/expectation.js';
import type { Amps } from '../sim/kernels.js';
import {
  type ChunkPlan,
  chunkPlan,
  makeScratch,
  runChunks,
  type Scratch,
  type Segment,
} from '../sim/segments.js';
import type { WasmHome } from '../sim/wasm-state.js';
import { KIND_SEGMENT, KIND_TERMS } from './protocol.js';

/** Decodes the job buffer once per job and runs units of it; shared by the main thread and the workers. */
export class UnitRunner {
  private seg: Segment | null = null;
  private plan: ChunkPlan | null = null;
  private scratch: Scratch | null = null;
  private inPlace: ChunkRange | null = null;

  /** `index`: this thread's area in a state's WebAssembly memory (0 the calling thread, i a worker). */
  constructor(private readonly index: number) {}

  /** The state, when it lives in WebAssembly memory: SIMD segments run on it in place. */
  home: WasmHome | null = null;
  re: Amps | null = null;
  im: Amps | null = null;
  job: Float64Array | null = null;
  terms: Int32Array | null = null;
  results: Float64Array | null = null;

  /** Views of a state in (shared) WebAssembly memory. */
  bindHome(home: WasmHome): void {
    const len = (home.im - home.re) / 8;
    this.home = home;
    this.re = new Float64Array(home.mem.buffer, home.re, len);
    this.im = new Float64Array(home.mem.buffer, home.im, len);
  }

  decode(kind: number): void {
    if (kind !== KIND_SEGMENT) return;
    const job = this.job as Float64Array;
    const n = job[0],
      L = job[1],
      progLen = job[2],
      simd = job[3] === 1;
    const local = Array.from(job.subarray(HEADER, HEADER + L));
    const program = job.slice(HEADER + L, HEADER + L + progLen);
    this.seg = { n, local, program, gates: 0, simd };
    this.plan = chunkPlan(this.seg);
    this.inPlace = simd && this.home ? inPlaceRunner(this.home, this.seg, this.plan, this.index) : null;
    if (this.inPlace) return;
    const re = this.re as Amps;
    // (a scratch in WebAssembly memory reads as length 0 once that memory has grown: made anew)
    if (
      !this.scratch ||
      this.scratch.re.length !== this.plan.size ||
      this.scratch.re.constructor !== re.constructor ||
      !!this.scratch.wasm !== simd
    ) {
      this.scratch = makeScratch(re, this.plan.size, simd);
    }
  }

  run(kind: number, unit: number, unitSize: number, total: number): number {
    const from = unit * unitSize;
    const to = Math.min(total, from + unitSize);
    if (kind === KIND_SEGMENT && this.inPlace) this.inPlace(from, to);
    else if (kind === KIND_SEGMENT) {
      runChunks(
        this.re as Amps,
        this.im as Amps,
        this.seg as Segment,
        this.plan as ChunkPlan,
        this.scratch as Scratch,
        from,
        to,
      );
    } else if (kind === KIND_TERMS) {
      const job = this.job as Float64Array;
      const n = job[0];
      pauliExpectations(
        this.re as Amps,
        this.im as Amps,
        n,
        this.terms as Int32Array,
        from,
        to,
        this.results as Float64Array,
        job[1],
      );
    }
    return to - from;
  }
}

/** Words before a segment job's local qubits: n, local count, program length, SIMD flag. */
const HEADER = 4;

export function encodeSegmentJob(seg: Segment): Float64Array {
  const out = new Float64Array(HEADER + seg.local.length + seg.program.length);
  out[0] = seg.n;
  out[1] = seg.local.length;
  out[2] = seg.program.length;
  out[3] = seg.simd ? 1 : 0;
  out.set(seg.local, HEADER);
  out.set(seg.program, HEADER + seg.local.length);
  return out;
}
