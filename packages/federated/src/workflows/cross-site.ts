/**
 * Cross-site evaluation: every site's local model and the global model are each validated at every site,
 * giving a matrix that shows how well a model trained at one hospital generalises to the others.
 */
import type { ControllerContext, TaskReply, WeightsMap } from '../core/contracts.js';

export interface CrossSiteMatrix {
  /** Model owners: 'server' for the global model, then site names. */
  models: string[];
  /** Evaluating sites. */
  sites: string[];
  /** results[model][site] = that site's validation metrics of that model. */
  results: Record<string, Record<string, Record<string, number>>>;
  /** Models or evaluations that failed, with the reason. */
  failures: string[];
}

export async function crossSiteEvaluation(
  ctx: ControllerContext,
  globalWeights: WeightsMap | undefined,
  localModels: Map<string, WeightsMap> | undefined,
  opts: { minClients: number; timeoutMs: number; round: number },
): Promise<CrossSiteMatrix> {
  const sites = ctx.comm.sites().slice().sort();
  const failures: string[] = [];
  let locals = localModels;
  if (!locals) {
    locals = new Map();
    const replies = await ctx.comm.broadcastAndWait(
      { name: 'submit_model', jobId: ctx.jobId, round: opts.round, weights: {}, config: {} },
      {
        targets: sites,
        minResponses: sites.length,
        waitAfterMinMs: 0,
        timeoutMs: opts.timeoutMs,
        signal: ctx.signal,
      },
    );
    for (const r of replies) {
      if (r.status === 'ok' && r.weights) locals.set(r.site, r.weights);
      else failures.push(`submit_model at ${r.site}: ${r.status}${r.error ? ` (${r.error})` : ''}`);
    }
  }
  const models: Array<[string, WeightsMap]> = [];
  if (globalWeights) models.push(['server', globalWeights]);
  for (const site of [...locals.keys()].sort()) models.push([site, locals.get(site) as WeightsMap]);

  const results: CrossSiteMatrix['results'] = {};
  for (const [owner, weights] of models) {
    ctx.progress({
      kind: 'log',
      message: `cross-site evaluation: validating the ${owner} model at ${sites.length} site(s)`,
    });
    const replies: TaskReply[] = await ctx.comm.broadcastAndWait(
      { name: 'validate', jobId: ctx.jobId, round: opts.round, weights, config: { modelOwner: owner } },
      {
        targets: sites,
        minResponses: sites.length,
        waitAfterMinMs: 0,
        timeoutMs: opts.timeoutMs,
        signal: ctx.signal,
      },
    );
    const row: Record<string, Record<string, number>> = {};
    for (const r of replies) {
      if (r.status === 'ok' && r.metrics) row[r.site] = r.metrics;
      else
        failures.push(`validate ${owner} model at ${r.site}: ${r.status}${r.error ? ` (${r.error})` : ''}`);
    }
    results[owner] = row;
  }
  const matrix: CrossSiteMatrix = { models: models.map(([o]) => o), sites, results, failures };
  for (const line of formatCrossSite(matrix)) ctx.progress({ kind: 'log', message: line });
  return matrix;
}

/** The matrix as text: one line per model, validation accuracy at each site. */
export function formatCrossSite(m: CrossSiteMatrix, metric = 'val_accuracy'): string[] {
  const lines = [`cross-site ${metric} (rows: model, columns: ${m.sites.join(', ')})`];
  for (const model of m.models) {
    const cells = m.sites.map((site) => {
      const v = m.results[model]?.[site]?.[metric];
      return v === undefined ? '   -  ' : v.toFixed(4);
    });
    lines.push(`  ${model.padEnd(12)} ${cells.join('  ')}`);
  }
  for (const f of m.failures) lines.push(`  failed: ${f}`);
  return lines;
}
