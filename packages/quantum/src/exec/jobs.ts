import type { Circuit } from '../ir/circuit.js';
import type { EngineOptions } from '../sim/engine.js';
import { releaseState } from '../sim/state.js';
import { SpinOperator } from '../spin/operator.js';
import type { AsyncJob } from '../targets/registry.js';
import {
  checkObservable,
  defaultExpectations,
  ObserveResult,
  observeExact,
  observeSampled,
  prepareState,
  type TermValue,
} from './observe.js';
import { sampleCircuit } from './sample.js';
import { SampleResult } from './sample-result.js';

/** Plain-data results that cross a worker boundary. */
export type JobResult =
  | { kind: 'sample'; counts: Array<[string, number]>; registers: Array<[string, Array<[string, number]>]> }
  | { kind: 'observe'; terms: TermValue[]; shots?: number };

export function operatorToJob(H: SpinOperator): NonNullable<AsyncJob['terms']> {
  return H.rawTerms().map((t) => ({ x: t.x.toString(), z: t.z.toString(), re: t.re, im: t.im }));
}

/** Runs a job with the single-threaded core engine (what one virtual QPU does). */
export function runJob(job: AsyncJob, engine: EngineOptions): JobResult {
  if (job.kind === 'sample') {
    const r = sampleCircuit(job.circuit, job.shots ?? 1000, job.seed, engine);
    return {
      kind: 'sample',
      counts: [...r.counts],
      registers: [...r.registers].map(([k, v]) => [k, [...v]]),
    };
  }
  const H = SpinOperator.fromTerms(
    (job.terms ?? []).map((t) => ({ x: BigInt(t.x), z: BigInt(t.z), re: t.re, im: t.im })),
  );
  checkObservable(job.circuit as Circuit, H);
  const state = prepareState(job.circuit, engine);
  const r =
    job.shots !== undefined
      ? observeSampled(state, H, job.shots, job.seed, engine)
      : observeExact(state, H, (s, p) => defaultExpectations(s, p, engine.threads !== false));
  releaseState(state);
  return { kind: 'observe', terms: r.terms, shots: r.shots };
}

export function sampleFromJob(r: JobResult): SampleResult {
  if (r.kind !== 'sample') throw new Error('expected a sample result');
  return new SampleResult(new Map(r.counts), new Map(r.registers.map(([k, v]) => [k, new Map(v)])));
}

export function observeFromJob(r: JobResult): ObserveResult {
  if (r.kind !== 'observe') throw new Error('expected an observe result');
  return new ObserveResult(r.terms, r.shots);
}
