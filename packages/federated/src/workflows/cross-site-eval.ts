/**
 * Stand-alone cross-site evaluation job: each site trains the initial model on its own data only (no
 * aggregation), then the initial model and every local model are validated at every site.
 */
import type { Controller, ControllerContext, ControllerState, WeightsMap } from '../core/contracts.js';
import { initialWeights } from '../learners/model-spec.js';
import type { ServerAppConfig } from './config.js';
import { crossSiteEvaluation } from './cross-site.js';
import { throwIfAborted, waitForSites } from './participants.js';

type CrossSiteConfig = Extract<ServerAppConfig, { workflow: 'cross-site-eval' }>;

export class CrossSiteEvalController implements Controller {
  constructor(private readonly cfg: CrossSiteConfig) {}

  async run(ctx: ControllerContext): Promise<ControllerState> {
    const c = this.cfg;
    const saved = await ctx.snapshot.load();
    if (saved?.extra?.crossSiteEval) return saved;
    const start = initialWeights(c.initialModel);
    const sites = (await waitForSites(ctx, c.minClients, c.waitForClientsMs)).slice().sort();
    throwIfAborted(ctx.signal);
    if (sites.length < c.minClients)
      throw new Error(
        `cross-site evaluation: only ${sites.length} client(s) connected, minClients is ${c.minClients}`,
      );
    ctx.progress({ kind: 'round-start', round: 0, sites });
    const replies = await ctx.comm.broadcastAndWait(
      {
        name: 'train',
        jobId: ctx.jobId,
        round: 0,
        weights: start,
        config: { ...c.train, seed: c.seed, round: 0 },
      },
      {
        targets: sites,
        minResponses: c.minClients,
        waitAfterMinMs: 0,
        timeoutMs: c.roundTimeoutMs,
        signal: ctx.signal,
        onReply: (reply) => ctx.progress({ kind: 'reply', round: 0, reply }),
      },
    );
    const locals = new Map<string, WeightsMap>();
    for (const r of replies) if (r.status === 'ok' && r.weights) locals.set(r.site, r.weights);
    if (locals.size < c.minClients)
      throw new Error(
        `cross-site evaluation: only ${locals.size} site(s) trained a local model, minClients is ${c.minClients}`,
      );
    const matrix = await crossSiteEvaluation(ctx, start, locals, {
      minClients: c.minClients,
      timeoutMs: c.roundTimeoutMs,
      round: 0,
    });
    const state: ControllerState = {
      round: 1,
      weights: start,
      history: [],
      extra: { crossSiteEval: matrix },
    };
    await ctx.snapshot.save(state);
    return state;
  }
}
