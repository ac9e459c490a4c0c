/** Filter configuration (per job, per side) and the chain that applies filters at one of the four points. */
import { z } from 'zod';
import type { Filter, FilterPoint, WeightsMap } from '../core/contracts.js';
import { ExcludeVariables } from './exclude-vars.js';
import { GaussianDifferentialPrivacy } from './gaussian-dp.js';
import { PercentilePrivacy } from './percentile-privacy.js';

export { ExcludeVariables } from './exclude-vars.js';
export { GaussianDifferentialPrivacy } from './gaussian-dp.js';
export { PercentilePrivacy, percentileOf } from './percentile-privacy.js';

const point = z.enum([
  'server-before-send',
  'server-after-receive',
  'client-before-send',
  'client-after-receive',
]);

export const filterConfigSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('exclude-vars'), point, names: z.array(z.string().min(1)).min(1) }).strict(),
  z
    .object({
      type: z.literal('percentile-privacy'),
      point,
      percentile: z.number().min(0).lt(100).default(10),
      gamma: z.number().positive().default(0.01),
    })
    .strict(),
  z
    .object({
      type: z.literal('gaussian-dp'),
      point,
      clipNorm: z.number().positive(),
      noiseMultiplier: z.number().min(0),
      seed: z.number().int().default(0),
    })
    .strict(),
]);
export type FilterConfig = z.infer<typeof filterConfigSchema>;

export interface PlacedFilter {
  point: FilterPoint;
  filter: Filter;
}

export function createFilter(config: FilterConfig): PlacedFilter {
  switch (config.type) {
    case 'exclude-vars':
      return { point: config.point, filter: new ExcludeVariables(config.names) };
    case 'percentile-privacy':
      return { point: config.point, filter: new PercentilePrivacy(config.percentile, config.gamma) };
    case 'gaussian-dp':
      return {
        point: config.point,
        filter: new GaussianDifferentialPrivacy(config.clipNorm, config.noiseMultiplier, config.seed),
      };
  }
}

/** Applies, in configuration order, the filters placed at `point`. */
export function applyFilters(
  filters: readonly PlacedFilter[],
  weights: WeightsMap,
  ctx: { site: string; round: number; point: FilterPoint; reference?: WeightsMap },
): WeightsMap {
  let w = weights;
  for (const f of filters) if (f.point === ctx.point) w = f.filter.apply(w, ctx);
  return w;
}
