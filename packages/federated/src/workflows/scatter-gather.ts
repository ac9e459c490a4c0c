/**
 * Scatter-and-gather: each round the global model goes to the round's sites, they train locally, and the
 * sample-weighted average (optionally passed through FedAdam/FedYogi) becomes the next global model.
 * FedAvg, FedProx (a client-side proximal term, sent as `mu` in the task config), FedAdam and FedYogi are this
 * one loop with different settings.
 */
import type {
  Controller,
  ControllerContext,
  ControllerState,
  Metrics,
  RoundRecord,
  TaskReply,
  WeightsMap,
} from '../core/contracts.js';
import { applyFilters, createFilter, type PlacedFilter } from '../filters/index.js';
import { initialWeights } from '../learners/model-spec.js';
import { weightedAverage, weightedMetrics } from '../numeric/weights.js';
import type { RoundSettings } from './config.js';
import { crossSiteEvaluation } from './cross-site.js';
import { chooseSites, throwIfAborted, waitForSites } from './participants.js';
import type { AdaptiveServerOptimizer, ServerOptimizerState } from './server-optimizer.js';

/** Server-side evaluation of each new global model (e.g. on a held-out set the server owns). */
export type GlobalEvaluator = (weights: WeightsMap, round: number) => Promise<Metrics>;

export interface ScatterGatherOptions {
  settings: RoundSettings;
  /** Extra task config for the clients, e.g. { mu } for FedProx. */
  taskConfig?: Record<string, unknown>;
  optimizer?: AdaptiveServerOptimizer;
  evaluate?: GlobalEvaluator;
}

export class ScatterGatherController implements Controller {
  private readonly filters: PlacedFilter[];

  constructor(private readonly options: ScatterGatherOptions) {
    this.filters = options.settings.filters.map(createFilter);
  }

  async run(ctx: ControllerContext): Promise<ControllerState> {
    const s = this.options.settings;
    const saved = await ctx.snapshot.load();
    let state: ControllerState = saved ?? {
      round: 0,
      weights: initialWeights(s.initialModel),
      history: [],
      extra: {},
    };
    if (saved)
      ctx.progress({
        kind: 'log',
        message: `resuming from snapshot after round ${saved.round} of ${s.rounds}`,
      });
    this.options.optimizer?.restore(state.extra?.optimizer as ServerOptimizerState | undefined);

    let failures = 0;
    while (state.round < s.rounds) {
      throwIfAborted(ctx.signal);
      const round = state.round;
      const startedAt = Date.now();
      const connected = await waitForSites(ctx, s.minClients, s.waitForClientsMs);
      throwIfAborted(ctx.signal);
      const targets = chooseSites(connected, s.clientsPerRound, s.seed, round + failures * 1_000_003);
      let ok: TaskReply[] = [];
      let replies: TaskReply[] = [];
      if (targets.length >= s.minClients) {
        ctx.progress({ kind: 'round-start', round, sites: targets });
        const outgoing = applyFilters(this.filters, state.weights, {
          site: 'server',
          round,
          point: 'server-before-send',
        });
        replies = await ctx.comm.broadcastAndWait(
          { name: 'train', jobId: ctx.jobId, round, weights: outgoing, config: this.taskConfig(round) },
          {
            targets,
            minResponses: s.minClients,
            waitAfterMinMs: s.waitAfterMinMs,
            timeoutMs: s.roundTimeoutMs,
            signal: ctx.signal,
            onReply: (reply) => ctx.progress({ kind: 'reply', round, reply }),
          },
        );
        throwIfAborted(ctx.signal);
        ok = replies
          .filter((r) => r.status === 'ok' && r.weights)
          .sort((a, b) => (a.site < b.site ? -1 : a.site > b.site ? 1 : 0))
          .map((r) => ({
            ...r,
            weights: applyFilters(this.filters, r.weights as WeightsMap, {
              site: r.site,
              round,
              point: 'server-after-receive',
              reference: state.weights,
            }),
          }));
      }
      if (ok.length < s.minClients) {
        failures++;
        const missing = replies
          .filter((r) => r.status !== 'ok')
          .map((r) => `${r.site} ${r.status}${r.error ? ` (${r.error})` : ''}`);
        const why =
          targets.length < s.minClients
            ? `only ${connected.length} client(s) connected`
            : `only ${ok.length} of ${targets.length} client(s) returned a model${missing.length ? `: ${missing.join(', ')}` : ''}`;
        if (failures > s.maxRoundRetries) {
          throw new Error(
            `round ${round}: ${why}; minClients is ${s.minClients}, gave up after ${failures} attempt(s)`,
          );
        }
        ctx.progress({
          kind: 'log',
          message: `round ${round}: ${why}; retrying (${failures}/${s.maxRoundRetries})`,
        });
        continue;
      }
      failures = 0;

      const average = weightedAverage(
        ok.map((r) => ({ weights: r.weights as WeightsMap, weight: r.numSamples ?? 1 })),
        state.weights,
      );
      const next = this.options.optimizer ? this.options.optimizer.step(state.weights, average) : average;
      const metrics: Metrics = weightedMetrics(
        ok.map((r) => ({ metrics: r.metrics, weight: r.numSamples ?? 1 })),
      );
      metrics.clients = ok.length;
      metrics.samples = ok.reduce((a, r) => a + (r.numSamples ?? 0), 0);
      const participating = ok.map((r) => r.site);
      if (s.validateEveryRound) Object.assign(metrics, await this.validate(ctx, next, round, participating));
      if (this.options.evaluate) {
        for (const [k, v] of Object.entries(await this.options.evaluate(next, round)))
          metrics[`global_${k}`] = v;
      }
      const record: RoundRecord = { round, sites: participating, metrics, startedAt, finishedAt: Date.now() };
      state = {
        round: round + 1,
        weights: next,
        history: [...state.history, record],
        extra: {
          ...state.extra,
          ...(this.options.optimizer ? { optimizer: this.options.optimizer.snapshot() } : {}),
        },
      };
      await ctx.snapshot.save(state);
      ctx.progress({ kind: 'round-end', record });
    }

    if (s.crossSiteEval && !state.extra?.crossSiteEval) {
      const matrix = await crossSiteEvaluation(ctx, state.weights, undefined, {
        minClients: s.minClients,
        timeoutMs: s.roundTimeoutMs,
        round: state.round,
      });
      state = { ...state, extra: { ...state.extra, crossSiteEval: matrix } };
      await ctx.snapshot.save(state);
    }
    return state;
  }

  private taskConfig(round: number): Record<string, unknown> {
    return {
      ...this.options.settings.train,
      ...this.options.taskConfig,
      seed: this.options.settings.seed,
      round,
    };
  }

  /** Validation of the new global model at the sites that trained this round; metrics are val_*. */
  private async validate(
    ctx: ControllerContext,
    weights: WeightsMap,
    round: number,
    sites: string[],
  ): Promise<Metrics> {
    const s = this.options.settings;
    const outgoing = applyFilters(this.filters, weights, {
      site: 'server',
      round,
      point: 'server-before-send',
    });
    const replies = await ctx.comm.broadcastAndWait(
      { name: 'validate', jobId: ctx.jobId, round, weights: outgoing, config: this.taskConfig(round) },
      {
        targets: sites,
        minResponses: sites.length,
        waitAfterMinMs: 0,
        timeoutMs: s.roundTimeoutMs,
        signal: ctx.signal,
      },
    );
    const ok = replies.filter((r) => r.status === 'ok');
    return weightedMetrics(ok.map((r) => ({ metrics: r.metrics, weight: r.numSamples ?? 1 })));
  }
}
