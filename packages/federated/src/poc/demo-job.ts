import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A small, dependency-free job used by the demo, POC smoke runs and the infrastructure tests: federated
 * estimation of a mean. Each site holds a private target vector and takes one gradient step of
 * ½‖w − target‖² per round; the server averages weighted by samples (FedAvg). The result is analytic:
 * w_R = t̄ · (1 − (1 − lr)^R), with t̄ the sample-weighted mean of the targets, so a test can check the
 * numbers that came back through real processes, TLS and SQLite.
 */
export const CONSENSUS_MODULE = `// FedAvg on plain float32 vectors (no ML framework): controller and executor of the consensus job.
const sleep = (ms, signal) => new Promise((resolve) => { const t = setTimeout(resolve, ms); signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true }); });

export function createController(cfg) {
  const rounds = cfg.rounds ?? 5, minClients = cfg.minClients ?? 1, dim = cfg.dim ?? 4;
  return {
    async run(ctx) {
      let state = (await ctx.snapshot.load()) ?? { round: 0, weights: { w: { shape: [dim], data: new Float32Array(dim) } }, history: [] };
      if (state.round > 0) ctx.progress({ kind: 'log', message: 'resumed from snapshot of round ' + (state.round - 1) });
      while (state.round < rounds) {
        const r = state.round;
        const t0 = Date.now();
        for (let waited = 0; ctx.comm.sites().length < minClients; waited += 100) {
          if (ctx.signal.aborted) throw new Error('aborted');
          if (waited > (cfg.waitForClientsMs ?? 60000)) throw new Error('round ' + r + ': only ' + ctx.comm.sites().length + ' site(s) connected, need ' + minClients);
          await sleep(100, ctx.signal);
        }
        const sites = ctx.comm.sites();
        ctx.progress({ kind: 'round-start', round: r, sites });
        const replies = await ctx.comm.broadcastAndWait(
          { name: 'train', jobId: ctx.jobId, round: r, weights: state.weights, config: { lr: cfg.lr ?? 0.5 } },
          { targets: sites, minResponses: minClients, waitAfterMinMs: cfg.waitAfterMinMs ?? 0, timeoutMs: cfg.roundTimeoutMs ?? 30000, signal: ctx.signal,
            onReply: (reply) => ctx.progress({ kind: 'reply', round: r, reply }) });
        if (ctx.signal.aborted) throw new Error('aborted');
        const ok = replies.filter((x) => x.status === 'ok' && x.weights);
        if (ok.length < minClients) {
          ctx.progress({ kind: 'log', message: 'round ' + r + ': ' + ok.length + ' usable replies, need ' + minClients + '; retrying' });
          continue;
        }
        const total = ok.reduce((a, x) => a + (x.numSamples ?? 1), 0);
        const next = {};
        for (const [name, t] of Object.entries(state.weights)) {
          const acc = new Float32Array(t.data.length);
          for (const x of ok) { const d = x.weights[name].data, f = (x.numSamples ?? 1) / total; for (let i = 0; i < acc.length; i++) acc[i] += f * d[i]; }
          next[name] = { shape: t.shape, data: acc };
        }
        const loss = ok.reduce((a, x) => a + (x.metrics?.loss ?? 0) * (x.numSamples ?? 1), 0) / total;
        const record = { round: r, sites: ok.map((x) => x.site), metrics: { loss, clients: ok.length }, startedAt: t0, finishedAt: Date.now() };
        state = { round: r + 1, weights: next, history: [...state.history, record] };
        await ctx.snapshot.save(state);
        ctx.progress({ kind: 'round-end', record });
      }
      return state;
    },
  };
}

export function createExecutor(cfg) {
  return {
    async execute(task, ctx) {
      if (cfg.delayMs) await sleep(cfg.delayMs, ctx.signal);
      const lr = task.config.lr ?? 0.5;
      const weights = {};
      let loss = 0;
      for (const [name, t] of Object.entries(task.weights)) {
        const out = new Float32Array(t.data.length);
        for (let i = 0; i < out.length; i++) { const g = t.data[i] - cfg.target; loss += 0.5 * g * g; out[i] = t.data[i] - lr * g; }
        weights[name] = { shape: t.shape, data: out };
      }
      return { status: 'ok', weights, numSamples: cfg.samples ?? 1, metrics: { loss } };
    },
  };
}
`;

export interface ConsensusJobOptions {
  name?: string;
  rounds?: number;
  minClients?: number;
  dim?: number;
  lr?: number;
  roundTimeoutMs?: number;
  waitAfterMinMs?: number;
  /** site → [target, samples, delayMs] */
  sites: Record<string, { target: number; samples: number; delayMs?: number }>;
}

export function writeConsensusJob(dir: string, o: ConsensusJobOptions): string {
  mkdirSync(join(dir, 'custom'), { recursive: true });
  writeFileSync(join(dir, 'custom', 'consensus.mjs'), CONSENSUS_MODULE);
  const meta = {
    name: o.name ?? 'consensus-fedavg',
    min_clients: o.minClients ?? 1,
    deploy_map: { app: ['server', ...Object.keys(o.sites)] },
    apps: {
      app: {
        server: {
          module: 'custom/consensus.mjs',
          rounds: o.rounds ?? 5,
          minClients: o.minClients ?? 1,
          dim: o.dim ?? 4,
          lr: o.lr ?? 0.5,
          roundTimeoutMs: o.roundTimeoutMs ?? 30_000,
          waitAfterMinMs: o.waitAfterMinMs ?? 0,
        },
        client: { module: 'custom/consensus.mjs' },
        sites: Object.fromEntries(
          Object.entries(o.sites).map(([s, v]) => [
            s,
            { target: v.target, samples: v.samples, delayMs: v.delayMs ?? 0 },
          ]),
        ),
      },
    },
  };
  writeFileSync(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return dir;
}

/** The analytic FedAvg result of the consensus job when the same sites answer every round. */
export function consensusExpected(
  sites: { target: number; samples: number }[],
  lr: number,
  rounds: number,
): number {
  const total = sites.reduce((a, s) => a + s.samples, 0);
  const mean = sites.reduce((a, s) => a + s.target * s.samples, 0) / total;
  return mean * (1 - (1 - lr) ** rounds);
}
