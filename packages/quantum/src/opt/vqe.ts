import { observe } from '../exec/api.js';
import type { Kernel } from '../kernel/kernel.js';
import type { SpinOperator } from '../spin/operator.js';
import type { TargetBackend, TargetOptions } from '../targets/registry.js';
import type { GradientStrategy } from './gradients.js';
import type { OptimizeResult, Optimizer } from './optimizers.js';

export interface VqeOptions {
  initialParameters?: number[];
  /** Needed by gradient-based optimizers (L-BFGS, Adam). */
  gradient?: GradientStrategy;
  /** Estimate energies from shots instead of exactly. */
  shots?: number;
  seed?: number;
  target?: string | TargetBackend | { name: string; options?: TargetOptions };
  /** Called after every energy evaluation. */
  onEvaluation?: (parameters: number[], energy: number) => void;
}

export interface VqeResult extends OptimizeResult {
  energy: number;
  parameters: number[];
}

/**
 * Minimises ⟨ψ(θ)|H|ψ(θ)⟩ (cudaq.vqe). The kernel takes either one number[] argument or only number arguments;
 * every energy is one state preparation plus all terms of H evaluated on it.
 */
export function vqe(
  // biome-ignore lint/suspicious/noExplicitAny: a kernel of any parameter tuple
  kernel: Kernel<any[]>,
  H: SpinOperator,
  optimizer: Optimizer,
  options: VqeOptions = {},
): VqeResult {
  const types = kernel.argTypes;
  const listForm = types.length === 1 && types[0] === 'number[]';
  if (!listForm && !types.every((t) => t === 'number')) {
    throw new TypeError(
      `vqe: the kernel must take one 'number[]' or only 'number' arguments, it takes (${types.join(', ')})`,
    );
  }
  const x0 = options.initialParameters ?? new Array(listForm ? 0 : types.length).fill(0);
  if (!listForm && x0.length !== types.length) {
    throw new TypeError(
      `vqe: the kernel has ${types.length} parameter(s) but initialParameters has ${x0.length}`,
    );
  }
  if (listForm && x0.length === 0)
    throw new TypeError("vqe: pass initialParameters for a kernel taking 'number[]'");
  if (optimizer.requiresGradient && !options.gradient) {
    throw new TypeError(
      `vqe: ${optimizer.name} needs { gradient: new ParameterShift() } or new CentralDifference()`,
    );
  }
  let calls = 0;
  const energy = (x: number[]): number => {
    const callOpts: Record<string, unknown> = {};
    if (options.shots !== undefined) {
      callOpts.shots = options.shots;
      callOpts.seed = (options.seed ?? 0) + calls;
    }
    if (options.target !== undefined) callOpts.target = options.target;
    calls++;
    const args = listForm ? [x] : x;
    const e = (observe as unknown as (...a: unknown[]) => { expectation(): number })(
      kernel,
      H,
      ...args,
      callOpts,
    ).expectation();
    options.onEvaluation?.(x, e);
    return e;
  };
  const grad = options.gradient
    ? (x: number[]) => (options.gradient as GradientStrategy).gradient(energy, x)
    : undefined;
  const r = optimizer.minimize(energy, x0, grad);
  return { ...r, energy: r.value, parameters: r.x };
}
