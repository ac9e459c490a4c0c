/**
 * runSimulation: a job's Controller and Executor code, unchanged, with N virtual clients on T worker threads
 * (T = 0 runs them in this thread). Virtual clients are a data shard plus seeds, built when sampled.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Communicator, ControllerState, ProgressEvent, RoundRecord } from '../core/contracts.js';
import { parseClientAppConfig } from '../learners/config.js';
import { createExecutor } from '../learners/index.js';
import { accuracyPlot } from '../plot/index.js';
import { createController, type GlobalEvaluator, parseServerAppConfig } from '../workflows/index.js';
import { InProcessCommunicator, MemorySnapshotStore } from './in-process.js';
import { readJobConfigs } from './job-folder.js';
import { WorkerPoolCommunicator } from './worker-pool.js';

export { gather } from './gather.js';
export { InProcessCommunicator, MemorySnapshotStore } from './in-process.js';
export { readJobConfigs } from './job-folder.js';
export { WorkerPoolCommunicator } from './worker-pool.js';

export interface SimulationOptions {
  /** A job folder (meta.json with apps.*.server and apps.*.client); or give `config` directly. */
  jobDir?: string;
  config?: { name?: string; server: unknown; client: unknown };
  /** Number of virtual clients, named site-1 .. site-N; overrides the client config's partition.numSites. */
  clients: number;
  /** Worker threads; 0 runs every client in this thread. */
  threads: number;
  onProgress?: (event: ProgressEvent) => void;
  /** Where to write result.json and accuracy.svg (nothing is written when omitted). */
  outDir?: string;
  /** Server-side evaluation of each global model, recorded as global_<metric>. */
  evaluate?: GlobalEvaluator;
  /**
   * Apply the job's waitAfterMinMs and roundTimeoutMs in wall-clock time as a deployment would. Off by default:
   * virtual clients queue for T threads instead of training side by side, so a client that has not started
   * yet is not a straggler; rounds then wait for every sampled client (the hard timeout, scaled by the queue
   * length, still applies).
   */
  realTimeouts?: boolean;
  /** Virtual clients kept warm per thread (their data shard stays built). */
  cacheSize?: number;
  signal?: AbortSignal;
}

export interface SimulationResult {
  name: string;
  state: ControllerState;
  history: RoundRecord[];
  /** Accuracy per round, as an SVG document. */
  plotSvg: string;
  files: { plot?: string; result?: string };
  clients: number;
  threads: number;
  durationMs: number;
  /** Highest resident set size sampled during the run (main process, all threads included). */
  peakRssBytes: number;
}

export function siteNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `site-${i + 1}`);
}

/** The client config with its partition stretched over exactly `clients` sites. */
function forClients(client: unknown, clients: number): unknown {
  const cfg = parseClientAppConfig(client);
  const { sites: _ignored, ...partition } = cfg.dataset.partition;
  return { ...cfg, dataset: { ...cfg.dataset, partition: { ...partition, numSites: clients } } };
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const { clients, threads } = options;
  if (!Number.isInteger(clients) || clients < 1)
    throw new Error(`clients must be a whole number >= 1, got ${clients}`);
  if (!Number.isInteger(threads) || threads < 0)
    throw new Error(`threads must be a whole number >= 0, got ${threads}`);
  const job = options.jobDir ? readJobConfigs(options.jobDir) : options.config;
  if (!job) throw new Error('runSimulation needs jobDir or config');
  const name = job.name ?? 'simulation';
  const server = parseServerAppConfig(job.server);
  if (server.minClients > clients)
    throw new Error(
      `the job needs minClients=${server.minClients} but the simulation has ${clients} client(s); raise --clients`,
    );
  const clientConfig = forClients(job.client, clients);
  const sites = siteNames(clients);
  const controller = createController(server, { evaluate: options.evaluate });

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  sampler.unref();
  const inner: Communicator & { close?: () => Promise<void> } =
    threads === 0
      ? new InProcessCommunicator((site) => createExecutor(clientConfig, site), sites)
      : new WorkerPoolCommunicator(clientConfig, sites, Math.min(threads, clients), options.cacheSize);
  const comm = options.realTimeouts ? inner : queuedTime(inner, Math.max(1, Math.min(threads, clients)));
  const started = Date.now();
  let state: ControllerState;
  try {
    state = await controller.run({
      jobId: name,
      comm,
      snapshot: new MemorySnapshotStore(),
      progress: (e) => options.onProgress?.(e),
      signal: options.signal ?? new AbortController().signal,
    });
  } finally {
    clearInterval(sampler);
    await inner.close?.();
  }
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const plotSvg = accuracyPlot(state.history, `${name}: ${clients} clients, ${server.workflow}`);
  const result: SimulationResult = {
    name,
    state,
    history: state.history,
    plotSvg,
    files: {},
    clients,
    threads,
    durationMs: Date.now() - started,
    peakRssBytes: peakRss,
  };
  if (options.outDir) {
    mkdirSync(options.outDir, { recursive: true });
    result.files.plot = path.join(options.outDir, 'accuracy.svg');
    result.files.result = path.join(options.outDir, 'result.json');
    writeFileSync(result.files.plot, plotSvg);
    const { weights: _w, ...rest } = state;
    writeFileSync(
      result.files.result,
      JSON.stringify(
        { name, clients, threads, durationMs: result.durationMs, peakRssBytes: peakRss, ...rest },
        null,
        2,
      ),
    );
  }
  return result;
}

/** Rounds wait for every sampled virtual client; the per-task limit grows with the queue in front of it. */
function queuedTime(comm: Communicator, threads: number): Communicator {
  return {
    sites: () => comm.sites(),
    broadcastAndWait: (task, o) => {
      const n = (o.targets ?? comm.sites()).length;
      return comm.broadcastAndWait(task, {
        ...o,
        minResponses: n,
        waitAfterMinMs: 0,
        timeoutMs: o.timeoutMs * Math.ceil(n / threads),
      });
    },
    sendAndWait: (task, site, o) => comm.sendAndWait(task, site, o),
  };
}

/** One line per progress event, for a terminal. */
export function formatProgress(e: ProgressEvent): string {
  const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(4));
  switch (e.kind) {
    case 'round-start':
      return `round ${e.round + 1}: sent to ${e.sites.length} client(s)`;
    case 'reply':
      return `round ${e.round + 1}: ${e.reply.site} ${e.reply.status}${e.reply.metrics?.train_loss !== undefined ? ` loss ${fmt(e.reply.metrics.train_loss)}` : ''}${e.reply.error ? ` (${e.reply.error})` : ''}`;
    case 'round-end':
      return `round ${e.record.round + 1} done in ${((e.record.finishedAt - e.record.startedAt) / 1000).toFixed(1)} s: ${Object.entries(
        e.record.metrics,
      )
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ')}`;
    case 'log':
      return e.message;
  }
}
