/**
 * Adaptive server optimisers (Reddi et al., "Adaptive Federated Optimization", ICLR 2021). The averaged client
 * model minus the current global model is treated as a pseudo-gradient step and fed to Adam or Yogi.
 */
import type { WeightsMap } from '../core/contracts.js';

export interface ServerOptimizerState {
  m: WeightsMap;
  v: WeightsMap;
}

export class AdaptiveServerOptimizer {
  private state: ServerOptimizerState | undefined;

  constructor(
    readonly kind: 'adam' | 'yogi',
    private readonly lr: number,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly tau: number,
  ) {}

  restore(state: ServerOptimizerState | undefined): void {
    this.state = state;
  }

  snapshot(): ServerOptimizerState | undefined {
    return this.state;
  }

  /** Returns the next global model from the current one and the sample-weighted client average. */
  step(global: WeightsMap, average: WeightsMap): WeightsMap {
    if (!this.state) {
      const zeros = (fill: number): WeightsMap =>
        Object.fromEntries(
          Object.entries(global).map(([k, t]) => [
            k,
            { shape: t.shape.slice(), data: new Float32Array(t.data.length).fill(fill) },
          ]),
        );
      // v starts at tau^2 as in the paper's experiments, so the first step is not a division by ~tau.
      this.state = { m: zeros(0), v: zeros(this.tau * this.tau) };
    }
    const { m, v } = this.state;
    const out: WeightsMap = {};
    for (const [name, g] of Object.entries(global)) {
      const a = average[name];
      const mt = m[name];
      const vt = v[name];
      if (!a || !mt || !vt)
        throw new Error(`server optimiser: variable ${name} missing from the average or the optimiser state`);
      const data = new Float32Array(g.data.length);
      for (let i = 0; i < data.length; i++) {
        const delta = a.data[i] - g.data[i];
        mt.data[i] = this.beta1 * mt.data[i] + (1 - this.beta1) * delta;
        const d2 = delta * delta;
        if (this.kind === 'adam') vt.data[i] = this.beta2 * vt.data[i] + (1 - this.beta2) * d2;
        else vt.data[i] = vt.data[i] - (1 - this.beta2) * d2 * Math.sign(vt.data[i] - d2);
        data[i] = g.data[i] + (this.lr * mt.data[i]) / (Math.sqrt(vt.data[i]) + this.tau);
      }
      out[name] = { shape: g.shape.slice(), data };
    }
    return out;
  }
}
