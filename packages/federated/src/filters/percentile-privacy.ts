import type { Filter, FilterPoint, WeightsMap } from '../core/contracts.js';

/**
 * Percentile privacy (Shokri & Shmatikov, CCS 2015, as in NVIDIA FLARE's PercentilePrivacy): of the update
 * (weights minus the model they were trained from), entries whose magnitude is at or below the given
 * percentile of all magnitudes are zeroed and the rest are clipped to [-gamma, gamma]; the site sends the
 * reference plus that sparse, bounded update.
 */
export class PercentilePrivacy implements Filter {
  readonly name = 'percentile-privacy';

  constructor(
    private readonly percentile: number,
    private readonly gamma: number,
  ) {
    if (!(percentile >= 0 && percentile < 100))
      throw new Error(`percentile-privacy: percentile must be in [0, 100), got ${percentile}`);
    if (!(gamma > 0)) throw new Error(`percentile-privacy: gamma must be > 0, got ${gamma}`);
  }

  apply(weights: WeightsMap, ctx: { point: FilterPoint; reference?: WeightsMap }): WeightsMap {
    const ref = ctx.reference;
    if (!ref)
      throw new Error(
        `percentile-privacy at ${ctx.point}: needs the model the weights were trained from; use it at client-before-send`,
      );
    const names = Object.keys(weights).filter((n) => ref[n]);
    let total = 0;
    for (const n of names) total += (weights[n] as { data: Float32Array }).data.length;
    const mags = new Float32Array(total);
    let o = 0;
    for (const n of names) {
      const w = (weights[n] as { data: Float32Array }).data;
      const r = (ref[n] as { data: Float32Array }).data;
      for (let i = 0; i < w.length; i++) mags[o++] = Math.abs(w[i] - r[i]);
    }
    const cutoff = percentileOf(mags, this.percentile);
    const out: WeightsMap = { ...weights };
    for (const n of names) {
      const t = weights[n] as { shape: number[]; data: Float32Array };
      const r = (ref[n] as { data: Float32Array }).data;
      const data = new Float32Array(t.data.length);
      for (let i = 0; i < data.length; i++) {
        const d = t.data[i] - r[i];
        const kept = Math.abs(d) <= cutoff ? 0 : Math.max(-this.gamma, Math.min(this.gamma, d));
        data[i] = r[i] + kept;
      }
      out[n] = { shape: t.shape.slice(), data };
    }
    return out;
  }
}

/** Percentile with linear interpolation between order statistics (numpy's default). */
export function percentileOf(values: Float32Array, q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float32Array.from(values).sort();
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (pos - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}
