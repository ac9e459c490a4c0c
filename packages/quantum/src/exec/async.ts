import type { Kernel } from '../kernel/kernel.js';
import { SpinOperator } from '../spin/operator.js';
import { type AsyncJob, resolveTarget } from '../targets/registry.js';
import { DEFAULT_SHOTS } from './api.js';
import { type CallOptions, splitArgs } from './call-args.js';
import { type JobResult, observeFromJob, operatorToJob, runJob, sampleFromJob } from './jobs.js';
import { checkObservable, type ObserveResult } from './observe.js';
import type { SampleResult } from './sample-result.js';

type Rest<A extends unknown[]> = [...A] | [...A, CallOptions];

async function submit(
  kernel: Kernel<unknown[]>,
  job: Omit<AsyncJob, 'circuit'>,
  args: unknown[],
  opts: CallOptions,
): Promise<JobResult> {
  const target = resolveTarget(opts.target);
  const full: AsyncJob = { ...job, circuit: kernel.toCircuit(...args) };
  if (
    opts.qpuId !== undefined &&
    (!Number.isInteger(opts.qpuId) || opts.qpuId < 0 || opts.qpuId >= target.qpuCount)
  ) {
    throw new RangeError(
      `qpuId ${opts.qpuId} does not exist; target '${target.name}' has QPUs 0..${target.qpuCount - 1}`,
    );
  }
  if (target.submit) return (await target.submit(full, opts.qpuId)) as JobResult;
  return runJob(full, target.engine());
}

/** sample() on a virtual QPU of the current target; resolves with the same counts sample() gives. */
export async function sampleAsync<A extends unknown[]>(
  kernel: Kernel<A>,
  ...rest: Rest<A>
): Promise<SampleResult> {
  const { args, opts } = splitArgs(kernel as Kernel<unknown[]>, rest, 'sampleAsync');
  const r = await submit(
    kernel as Kernel<unknown[]>,
    { kind: 'sample', shots: opts.shots ?? DEFAULT_SHOTS, seed: opts.seed },
    args,
    opts,
  );
  return sampleFromJob(r);
}

/** observe() on a virtual QPU of the current target. */
export async function observeAsync<A extends unknown[]>(
  kernel: Kernel<A>,
  H: SpinOperator,
  ...rest: Rest<A>
): Promise<ObserveResult> {
  if (!(H instanceof SpinOperator))
    throw new TypeError('observeAsync: second argument must be a SpinOperator');
  const { args, opts } = splitArgs(kernel as Kernel<unknown[]>, rest, 'observeAsync');
  checkObservable((kernel as Kernel<unknown[]>).toCircuit(...args), H);
  const r = await submit(
    kernel as Kernel<unknown[]>,
    { kind: 'observe', shots: opts.shots, seed: opts.seed, terms: operatorToJob(H) },
    args,
    opts,
  );
  return observeFromJob(r);
}
