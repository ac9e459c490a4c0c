/**
 * The client half of a job: trains and validates the global model on this site's data, and hands its last
 * local model to cross-site evaluation. Client-side filters run on what arrives and what leaves.
 */
import type { Executor, Task, TaskReply, WeightsMap } from '../core/contracts.js';
import { applyFilters, createFilter, type PlacedFilter } from '../filters/index.js';
import { deriveSeed } from '../numeric/random.js';
import type { ClientAppConfig } from './config.js';
import { evaluateDense, trainDense } from './dense-trainer.js';
import { loadSiteData, type SiteData } from './site-data.js';

type Reply = Omit<TaskReply, 'site'>;

function num(v: unknown, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new Error(`task config ${name} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

export class DenseExecutor implements Executor {
  private data: SiteData | undefined;
  private lastLocal: WeightsMap | undefined;
  private readonly filters: PlacedFilter[];

  constructor(
    private readonly cfg: ClientAppConfig,
    readonly site: string,
  ) {
    this.filters = cfg.filters.map(createFilter);
  }

  siteData(): SiteData {
    if (!this.data) this.data = loadSiteData(this.cfg, this.site);
    return this.data;
  }

  async execute(task: Task, ctx: { site: string; signal: AbortSignal }): Promise<Reply> {
    try {
      return await this.run(task, ctx.signal);
    } catch (e) {
      return { status: 'error', error: e instanceof Error ? e.message : String(e) };
    }
  }

  private async run(task: Task, signal: AbortSignal): Promise<Reply> {
    if (signal.aborted) return { status: 'error', error: 'aborted before start' };
    const point = { site: this.site, round: task.round };
    switch (task.name) {
      case 'train': {
        const received = applyFilters(this.filters, task.weights, {
          ...point,
          point: 'client-after-receive',
        });
        const data = this.siteData();
        const c = task.config;
        const result = await trainDense(received, data.train, {
          epochs: num(c.epochs, this.cfg.train.epochs, 'epochs'),
          batchSize: num(c.batchSize, this.cfg.train.batchSize, 'batchSize'),
          lr: num(c.lr, this.cfg.train.lr, 'lr'),
          mu: num(c.mu, 0, 'mu'),
          seed: deriveSeed(num(c.seed, 0, 'seed'), this.site, task.round),
        });
        this.lastLocal = result.weights;
        const sent = applyFilters(this.filters, result.weights, {
          ...point,
          point: 'client-before-send',
          reference: received,
        });
        return { status: 'ok', weights: sent, numSamples: data.train.count, metrics: result.metrics };
      }
      case 'validate': {
        const received = applyFilters(this.filters, task.weights, {
          ...point,
          point: 'client-after-receive',
        });
        const data = this.siteData();
        return {
          status: 'ok',
          numSamples: data.validation.count,
          metrics: await evaluateDense(received, data.validation),
        };
      }
      case 'submit_model': {
        if (!this.lastLocal)
          return { status: 'error', error: `${this.site} has not trained a local model in this job` };
        return {
          status: 'ok',
          weights: applyFilters(this.filters, this.lastLocal, { ...point, point: 'client-before-send' }),
        };
      }
      default:
        return {
          status: 'error',
          error: `unknown task ${JSON.stringify(task.name)}; this executor runs train, validate and submit_model`,
        };
    }
  }
}
