import type { Kernel } from '../kernel/kernel.js';
import type { TargetBackend, TargetOptions } from '../targets/registry.js';

export interface CallOptions {
  shots?: number;
  seed?: number;
  /** Per-call target override: a name, { name, options }, or a backend from setTarget/createTarget. */
  target?: string | TargetBackend | { name: string; options?: TargetOptions };
  /** Which virtual QPU runs an async call (cpu-mqpu). */
  qpuId?: number;
}

const OPTION_KEYS = new Set(['shots', 'seed', 'target', 'qpuId']);

function isOptions(v: unknown): v is CallOptions {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !ArrayBuffer.isView(v) &&
    Object.getPrototypeOf(v) === Object.prototype
  );
}

/** Splits `...args, options?` for a kernel call and validates the options. */
export function splitArgs(
  kernel: Kernel<unknown[]>,
  rest: unknown[],
  fn: string,
): { args: unknown[]; opts: CallOptions } {
  let opts: CallOptions = {};
  let args = rest;
  if (rest.length === kernel.arity + 1 && isOptions(rest[rest.length - 1])) {
    opts = rest[rest.length - 1] as CallOptions;
    args = rest.slice(0, -1);
  }
  for (const k of Object.keys(opts)) {
    if (!OPTION_KEYS.has(k))
      throw new TypeError(`${fn}: unknown option '${k}'; options are ${[...OPTION_KEYS].join(', ')}`);
  }
  if (opts.shots !== undefined && (!Number.isInteger(opts.shots) || opts.shots < 1)) {
    throw new RangeError(`${fn}: shots must be a positive integer, got ${String(opts.shots)}`);
  }
  if (opts.seed !== undefined && !Number.isInteger(opts.seed))
    throw new TypeError(`${fn}: seed must be an integer, got ${String(opts.seed)}`);
  return { args, opts };
}
