import type { Filter, FilterPoint, WeightsMap } from '../core/contracts.js';
import { deriveSeed, Rng } from '../numeric/random.js';

/**
 * Gaussian mechanism on the client update (DP-FedAvg, McMahan et al. 2018): the update's L2 norm is clipped
 * to `clipNorm`, then N(0, (noiseMultiplier * clipNorm)^2) noise is added to every entry. Without a reference
 * model (e.g. on the server side) the weights themselves are clipped and noised. Noise is seeded per site and
 * round so runs are reproducible; a deployment sets a secret seed per site.
 */
export class GaussianDifferentialPrivacy implements Filter {
  readonly name = 'gaussian-dp';

  constructor(
    private readonly clipNorm: number,
    private readonly noiseMultiplier: number,
    private readonly seed: number,
  ) {
    if (!(clipNorm > 0)) throw new Error(`gaussian-dp: clipNorm must be > 0, got ${clipNorm}`);
    if (!(noiseMultiplier >= 0))
      throw new Error(`gaussian-dp: noiseMultiplier must be >= 0, got ${noiseMultiplier}`);
  }

  get noiseStd(): number {
    return this.noiseMultiplier * this.clipNorm;
  }

  apply(
    weights: WeightsMap,
    ctx: { site: string; round: number; point: FilterPoint; reference?: WeightsMap },
  ): WeightsMap {
    const ref = ctx.reference;
    const names = Object.keys(weights).filter((n) => !ref || ref[n]);
    const update = (n: string, i: number): number => {
      const w = (weights[n] as { data: Float32Array }).data[i] as number;
      return ref ? w - ((ref[n] as { data: Float32Array }).data[i] as number) : w;
    };
    let sq = 0;
    for (const n of names) {
      const len = (weights[n] as { data: Float32Array }).data.length;
      for (let i = 0; i < len; i++) sq += update(n, i) ** 2;
    }
    const norm = Math.sqrt(sq);
    const scale = norm > this.clipNorm ? this.clipNorm / norm : 1;
    const rng = new Rng(deriveSeed(this.seed, ctx.site, ctx.round, ctx.point));
    const std = this.noiseStd;
    const out: WeightsMap = { ...weights };
    for (const n of names) {
      const t = weights[n] as { shape: number[]; data: Float32Array };
      const data = new Float32Array(t.data.length);
      for (let i = 0; i < data.length; i++) {
        const base = ref ? ((ref[n] as { data: Float32Array }).data[i] as number) : 0;
        data[i] = base + update(n, i) * scale + std * rng.normal();
      }
      out[n] = { shape: t.shape.slice(), data };
    }
    return out;
  }
}
