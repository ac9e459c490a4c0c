/** The server app config of a job, validated so that a wrong field is named in the error. */
import { z } from 'zod';
import { filterConfigSchema } from '../filters/index.js';
import { modelSpecSchema } from '../learners/model-spec.js';

const roundSettings = {
  rounds: z.number().int().min(1).max(1_000_000),
  /** A round needs this many successful replies; fewer after `maxRoundRetries` retries fails the job. */
  minClients: z.number().int().min(1),
  /** Sample this many of the connected sites each round (all of them when omitted). */
  clientsPerRound: z.number().int().min(1).optional(),
  /** After `minClients` replies are in, wait this long for stragglers before aggregating. */
  waitAfterMinMs: z.number().int().min(0).default(0),
  /** Hard limit per round: a site that has not replied by then is left out of the round. */
  roundTimeoutMs: z.number().int().min(1).default(600_000),
  /** How long to wait at the start of a round for `minClients` sites to be connected. */
  waitForClientsMs: z.number().int().min(0).default(60_000),
  maxRoundRetries: z.number().int().min(0).default(2),
  initialModel: modelSpecSchema,
  seed: z.number().int().default(0),
  /** Sent to clients in every task's config: local epochs, batch size, learning rate. */
  train: z
    .object({
      epochs: z.number().int().min(1).optional(),
      batchSize: z.number().int().min(1).optional(),
      lr: z.number().positive().optional(),
    })
    .strict()
    .default({}),
  /** After each round, ask the round's sites to validate the new global model on their validation data. */
  validateEveryRound: z.boolean().default(true),
  /** After the last round, evaluate the global model and every site's local model at every site. */
  crossSiteEval: z.boolean().default(false),
  /** Server-side filters (points server-before-send and server-after-receive). */
  filters: z.array(filterConfigSchema).default([]),
};

const serverOptimiser = {
  serverLr: z.number().positive().default(0.01),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.99),
  tau: z.number().positive().default(1e-3),
};

export const serverAppConfigSchema = z.discriminatedUnion('workflow', [
  z.object({ workflow: z.literal('fedavg'), ...roundSettings }).strict(),
  z.object({ workflow: z.literal('fedprox'), ...roundSettings, mu: z.number().min(0) }).strict(),
  z.object({ workflow: z.literal('fedadam'), ...roundSettings, ...serverOptimiser }).strict(),
  z.object({ workflow: z.literal('fedyogi'), ...roundSettings, ...serverOptimiser }).strict(),
  z
    .object({
      workflow: z.literal('cyclic'),
      ...roundSettings,
      /** 'fixed' visits sites in name order every round; 'random' reshuffles each round (seeded). */
      order: z.enum(['fixed', 'random']).default('fixed'),
    })
    .strict(),
  z
    .object({
      workflow: z.literal('cross-site-eval'),
      minClients: roundSettings.minClients,
      roundTimeoutMs: roundSettings.roundTimeoutMs,
      waitForClientsMs: roundSettings.waitForClientsMs,
      initialModel: modelSpecSchema,
      seed: roundSettings.seed,
      train: roundSettings.train,
      filters: roundSettings.filters,
    })
    .strict(),
]);

export type ServerAppConfig = z.infer<typeof serverAppConfigSchema>;
export type RoundSettings = Extract<ServerAppConfig, { workflow: 'fedavg' }>;
export type WorkflowName = ServerAppConfig['workflow'];
export const workflowNames: WorkflowName[] = [
  'fedavg',
  'fedprox',
  'fedadam',
  'fedyogi',
  'cyclic',
  'cross-site-eval',
];

/** Turns zod issues into one message that names each wrong field and what would be right. */
export function describeIssues(what: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.join('.') : '(top level)';
    let message = issue.message;
    if (issue.code === 'invalid_union' && issue.path.length === 0 && 'discriminator' in issue) {
      message = `must be one of ${workflowNames.join(', ')}`;
    }
    return `${field}: ${message}`;
  });
  return `invalid ${what}: ${lines.join('; ')}`;
}

export function parseServerAppConfig(input: unknown): ServerAppConfig {
  const result = serverAppConfigSchema.safeParse(input);
  if (!result.success) throw new Error(describeIssues('server app config', result.error));
  const cfg = result.data;
  if ('clientsPerRound' in cfg && cfg.clientsPerRound !== undefined && cfg.clientsPerRound < cfg.minClients) {
    throw new Error(
      `invalid server app config: clientsPerRound (${cfg.clientsPerRound}) must be >= minClients (${cfg.minClients})`,
    );
  }
  return cfg;
}
