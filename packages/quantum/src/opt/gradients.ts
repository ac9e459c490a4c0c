import type { Objective } from './optimizers.js';

export interface GradientStrategy {
  readonly name: string;
  gradient(f: Objective, x: number[]): number[];
}

/**
 * Parameter-shift rule: ∂f/∂θ = [f(θ + s) − f(θ − s)] / (2 sin s) with s = π/2, exact when each parameter
 * enters one rotation rx/ry/rz/r1 with coefficient 1 (generator eigenvalues ±1/2).
 */
export class ParameterShift implements GradientStrategy {
  readonly name = 'parameter-shift';
  constructor(readonly shift = Math.PI / 2) {}
  gradient(f: Objective, x: number[]): number[] {
    return x.map((_, i) => {
      const p = x.slice(),
        m = x.slice();
      p[i] += this.shift;
      m[i] -= this.shift;
      return (f(p) - f(m)) / (2 * Math.sin(this.shift));
    });
  }
}

/** Central finite differences: [f(θ + h) − f(θ − h)] / 2h. */
export class CentralDifference implements GradientStrategy {
  readonly name = 'central-difference';
  constructor(readonly step = 1e-5) {}
  gradient(f: Objective, x: number[]): number[] {
    return x.map((_, i) => {
      const p = x.slice(),
        m = x.slice();
      p[i] += this.step;
      m[i] -= this.step;
      return (f(p) - f(m)) / (2 * this.step);
    });
  }
}
