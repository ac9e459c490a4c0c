/**
 * Cyclic weight transfer: the model visits the sites one after another, each training it further on its own
 * data. A site that fails or times out is skipped (the model moves on unchanged), so one bad site never
 * stalls the ring.
 */
import type {
  Controller,
  ControllerContext,
  ControllerState,
  Metrics,
  RoundRecord,
  WeightsMap,
} from '../core/contracts.js';
import { applyFilters, createFilter, type PlacedFilter } from '../filters/index.js';
import { initialWeights } from '../learners/model-spec.js';
import { deriveSeed, Rng } from '../numeric/random.js';
import { weightedMetrics } from '../numeric/weights.js';
import type { ServerAppConfig } from './config.js';
import { throwIfAborted, waitForSites } from './participants.js';

type CyclicConfig = Extract<ServerAppConfig, { workflow: 'cyclic' }>;

export class CyclicController implements Controller {
  private readonly filters: PlacedFilter[];

  constructor(private readonly cfg: CyclicConfig) {
    this.filters = cfg.filters.map(createFilter);
  }

  async run(ctx: ControllerContext): Promise<ControllerState> {
    const c = this.cfg;
    const saved = await ctx.snapshot.load();
    let state: ControllerState = saved ?? {
      round: 0,
      weights: initialWeights(c.initialModel),
      history: [],
      extra: {},
    };
    let failures = 0;
    while (state.round < c.rounds) {
      throwIfAborted(ctx.signal);
      const round = state.round;
      const startedAt = Date.now();
      const connected = (await waitForSites(ctx, c.minClients, c.waitForClientsMs)).slice().sort();
      const order =
        c.order === 'random'
          ? new Rng(deriveSeed(c.seed, 'cyclic', round)).sample(connected, connected.length)
          : connected;
      const visited: string[] = [];
      const trainMetrics: Array<{ metrics?: Metrics; weight: number }> = [];
      let weights: WeightsMap = state.weights;
      if (order.length >= c.minClients) ctx.progress({ kind: 'round-start', round, sites: order });
      for (const site of order.length >= c.minClients ? order : []) {
        throwIfAborted(ctx.signal);
        const outgoing = applyFilters(this.filters, weights, { site, round, point: 'server-before-send' });
        const reply = await ctx.comm.sendAndWait(
          {
            name: 'train',
            jobId: ctx.jobId,
            round,
            weights: outgoing,
            config: { ...c.train, seed: c.seed, round },
          },
          site,
          { timeoutMs: c.roundTimeoutMs, signal: ctx.signal },
        );
        ctx.progress({ kind: 'reply', round, reply });
        if (reply.status !== 'ok' || !reply.weights) {
          ctx.progress({
            kind: 'log',
            message: `round ${round}: ${site} ${reply.status}${reply.error ? ` (${reply.error})` : ''}; passing the model on`,
          });
          continue;
        }
        weights = {
          ...weights,
          ...applyFilters(this.filters, reply.weights, {
            site,
            round,
            point: 'server-after-receive',
            reference: weights,
          }),
        };
        visited.push(site);
        trainMetrics.push({ metrics: reply.metrics, weight: reply.numSamples ?? 1 });
      }
      if (visited.length < c.minClients) {
        failures++;
        const why = `only ${visited.length} of ${order.length} site(s) trained the model (minClients ${c.minClients})`;
        if (failures > c.maxRoundRetries)
          throw new Error(`round ${round}: ${why}; gave up after ${failures} attempt(s)`);
        ctx.progress({ kind: 'log', message: `round ${round}: ${why}; retrying` });
        continue;
      }
      failures = 0;
      const metrics = weightedMetrics(trainMetrics);
      metrics.clients = visited.length;
      if (c.validateEveryRound) {
        const replies = await ctx.comm.broadcastAndWait(
          { name: 'validate', jobId: ctx.jobId, round, weights, config: {} },
          {
            targets: visited,
            minResponses: visited.length,
            waitAfterMinMs: 0,
            timeoutMs: c.roundTimeoutMs,
            signal: ctx.signal,
          },
        );
        Object.assign(
          metrics,
          weightedMetrics(
            replies
              .filter((r) => r.status === 'ok')
              .map((r) => ({ metrics: r.metrics, weight: r.numSamples ?? 1 })),
          ),
        );
      }
      const record: RoundRecord = { round, sites: visited, metrics, startedAt, finishedAt: Date.now() };
      state = { round: round + 1, weights, history: [...state.history, record], extra: state.extra };
      await ctx.snapshot.save(state);
      ctx.progress({ kind: 'round-end', record });
    }
    return state;
  }
}
