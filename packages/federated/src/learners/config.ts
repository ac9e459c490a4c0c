/** The client app config of a job: which data this site trains on and how. */
import { z } from 'zod';
import { filterConfigSchema } from '../filters/index.js';
import { describeIssues } from '../workflows/config.js';

const common = {
  numSites: z.number().int().min(1),
  /** Site names in shard order; when omitted a site's shard is the number its name ends in (site-3 -> third). */
  sites: z.array(z.string().min(1)).optional(),
  samplesPerSite: z.number().int().min(1).optional(),
  seed: z.number().int().default(0),
};

export const partitionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('iid'), ...common }).strict(),
  z.object({ kind: z.literal('dirichlet'), alpha: z.number().positive(), ...common }).strict(),
  z.object({ kind: z.literal('label-skew'), classesPerSite: z.number().int().min(1), ...common }).strict(),
]);

export const clientAppConfigSchema = z
  .object({
    dataset: z.discriminatedUnion('name', [
      z
        .object({
          name: z.literal('mnist'),
          partition: partitionSchema,
          /** Each site validates on its own slice of the MNIST test set, at most this many images. */
          validationSamples: z.number().int().min(1).default(1000),
        })
        .strict(),
      z
        .object({
          name: z.literal('breast-cancer'),
          partition: partitionSchema,
          /** Share of the site's rows held out for validation. */
          validationFraction: z.number().gt(0).lt(1).default(0.2),
          csvPath: z.string().optional(),
        })
        .strict(),
    ]),
    /** Local training defaults; the server's task config overrides them per job. */
    train: z
      .object({
        epochs: z.number().int().min(1).default(1),
        batchSize: z.number().int().min(1).default(32),
        lr: z.number().positive().default(0.05),
      })
      .strict()
      .default({ epochs: 1, batchSize: 32, lr: 0.05 }),
    /** Client-side filters (points client-after-receive and client-before-send). */
    filters: z.array(filterConfigSchema).default([]),
  })
  .strict();

export type ClientAppConfig = z.infer<typeof clientAppConfigSchema>;

export function parseClientAppConfig(input: unknown): ClientAppConfig {
  const r = clientAppConfigSchema.safeParse(input);
  if (!r.success) throw new Error(describeIssues('client app config', r.error));
  return r.data;
}
