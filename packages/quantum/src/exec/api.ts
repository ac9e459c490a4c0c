import type { Kernel } from '../kernel/kernel.js';
import { detachState, releaseState, type StateVector } from '../sim/state.js';
import { SpinOperator } from '../spin/operator.js';
import { resolveTarget, type TargetBackend } from '../targets/registry.js';
import { type CallOptions, splitArgs } from './call-args.js';
import { drawCircuit } from './draw.js';
import {
  checkObservable,
  defaultExpectations,
  ObserveResult,
  observeExact,
  observeSampled,
  prepareState,
} from './observe.js';
import { sampleCircuit } from './sample.js';
import { SampleResult } from './sample-result.js';

export const DEFAULT_SHOTS = 1000;

type Rest<A extends unknown[]> = [...A] | [...A, CallOptions];

function checkKernel(k: unknown, fn: string): asserts k is Kernel<unknown[]> {
  if (typeof k !== 'object' || k === null || typeof (k as Kernel).toCircuit !== 'function') {
    throw new TypeError(`${fn}: first argument must be a kernel from makeKernel(), got ${typeof k}`);
  }
}

/** Runs the kernel `shots` times (default 1000) and counts the measured bit strings (cudaq.sample). */
export function sample<A extends unknown[]>(kernel: Kernel<A>, ...rest: Rest<A>): SampleResult {
  checkKernel(kernel, 'sample');
  const { args, opts } = splitArgs(kernel as Kernel<unknown[]>, rest, 'sample');
  const circuit = (kernel as Kernel<unknown[]>).toCircuit(...args);
  const target = resolveTarget(opts.target);
  return sampleCircuit(circuit, opts.shots ?? DEFAULT_SHOTS, opts.seed, target.engine());
}

/** ⟨ψ(args)|H|ψ(args)⟩: exact by default, estimated from `shots` per commuting group when given (cudaq.observe). */
export function observe<A extends unknown[]>(
  kernel: Kernel<A>,
  H: SpinOperator,
  ...rest: Rest<A>
): ObserveResult {
  checkKernel(kernel, 'observe');
  if (!(H instanceof SpinOperator))
    throw new TypeError(
      'observe: second argument must be a SpinOperator (spin.z(0), SpinOperator.parse(...))',
    );
  const { args, opts } = splitArgs(kernel as Kernel<unknown[]>, rest, 'observe');
  const circuit = (kernel as Kernel<unknown[]>).toCircuit(...args);
  checkObservable(circuit, H);
  const target = resolveTarget(opts.target);
  return observeWith(target, circuit, H, opts);
}

export function observeWith(
  target: TargetBackend,
  circuit: ReturnType<Kernel['toCircuit']>,
  H: SpinOperator,
  opts: CallOptions,
): ObserveResult {
  const engine = target.engine();
  const state = prepareState(circuit, engine);
  try {
    if (opts.shots !== undefined) return observeSampled(state, H, opts.shots, opts.seed, engine);
    const fn =
      target.expectations?.bind(target) ??
      ((s: StateVector, p: Int32Array) => defaultExpectations(s, p, engine.threads !== false));
    return observeExact(state, H, fn);
  } finally {
    releaseState(state);
  }
}

/** The final state vector (kernel must not measure). */
export function getState<A extends unknown[]>(kernel: Kernel<A>, ...rest: Rest<A>): QuantumState {
  checkKernel(kernel, 'getState');
  const { args, opts } = splitArgs(kernel as Kernel<unknown[]>, rest, 'getState');
  const circuit = (kernel as Kernel<unknown[]>).toCircuit(...args);
  if (circuit.ops.some((o) => o.type !== 'gate' && o.type !== 'pauli')) {
    throw new Error('getState: the kernel measures or resets; remove measurements to inspect the state');
  }
  return new QuantumState(detachState(prepareState(circuit, resolveTarget(opts.target).engine())));
}

/** Text drawing of the kernel's circuit for the given arguments. */
export function draw<A extends unknown[]>(kernel: Kernel<A>, ...args: A): string {
  checkKernel(kernel, 'draw');
  return drawCircuit((kernel as Kernel<unknown[]>).toCircuit(...args));
}

/** Amplitudes of a simulated state; index bit k is qubit k, bit strings list qubit 0 first. */
export class QuantumState {
  constructor(readonly vector: StateVector) {}

  get numQubits(): number {
    return this.vector.n;
  }

  private index(at: number | string): number {
    if (typeof at === 'number') return at;
    if (at.length !== this.vector.n || !/^[01]+$/.test(at))
      throw new RangeError(`expected a bit string of ${this.vector.n} bits, got "${at}"`);
    let i = 0;
    for (let q = 0; q < at.length; q++) if (at[q] === '1') i += 2 ** q;
    return i;
  }

  amplitude(at: number | string): { re: number; im: number } {
    const i = this.index(at);
    if (!Number.isInteger(i) || i < 0 || i >= this.vector.re.length)
      throw new RangeError(`basis index ${i} out of range 0..${this.vector.re.length - 1}`);
    return { re: this.vector.re[i], im: this.vector.im[i] };
  }

  probability(at: number | string): number {
    const a = this.amplitude(at);
    return a.re * a.re + a.im * a.im;
  }

  /** |⟨this|other⟩|. */
  overlap(other: QuantumState): number {
    let re = 0,
      im = 0;
    const a = this.vector,
      b = other.vector;
    for (let i = 0; i < a.re.length; i++) {
      re += a.re[i] * b.re[i] + a.im[i] * b.im[i];
      im += a.re[i] * b.im[i] - a.im[i] * b.re[i];
    }
    return Math.hypot(re, im);
  }

  /** Amplitudes as [re, im] pairs (copies; small states). */
  toArray(): Array<[number, number]> {
    return Array.from(this.vector.re, (r, i) => [r, this.vector.im[i]]);
  }

  toString(): string {
    const lines: string[] = [];
    const n = this.vector.n;
    for (let i = 0; i < this.vector.re.length && lines.length < 64; i++) {
      const p = this.vector.re[i] ** 2 + this.vector.im[i] ** 2;
      if (p < 1e-12) continue;
      let bits = '';
      for (let q = 0; q < n; q++) bits += Math.floor(i / 2 ** q) & 1 ? '1' : '0';
      lines.push(
        `|${bits}⟩ ${this.vector.re[i].toFixed(6)}${this.vector.im[i] < 0 ? '-' : '+'}${Math.abs(this.vector.im[i]).toFixed(6)}i`,
      );
    }
    return lines.join('\n');
  }
}

export { ObserveResult, SampleResult };
