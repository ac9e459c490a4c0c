import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { authorize } from '../admin/policy.js';
import type { Executor, Task } from '../core/contracts.js';
import { bundleFromWire, verifyJob, writeJob } from '../job/bundle.js';
import { clientApp } from '../job/meta.js';
import { dataDir, type Kit } from '../kit/kit.js';
import type { SiteConfig } from '../kit/layout.js';
import type { Manifest } from '../pki/manifest.js';
import { loadExecutor } from '../server/apps.js';
import { makeLogger } from '../server/log.js';
import { describeGrpcError, openStream } from '../transport/connect.js';
import type { Frame } from '../transport/frame.js';
import { Link } from '../transport/link.js';
import type { Message } from '../transport/message.js';
import { segmentsToWeights, weightsToSegments } from '../transport/weights.js';

export interface ClientOptions {
  /** Overrides the server address from the kit (POC and tests pick free ports). */
  address?: string;
  quiet?: boolean;
  /** Stop retrying after this many failed connection attempts in a row (default: never). */
  maxRetries?: number;
}

interface DeployedJob {
  id: string;
  signature: string;
  executor: Executor;
  abort: AbortController;
}

/**
 * A client site: dials out to the server (sites never listen), registers with the identity in its certificate,
 * heartbeats, installs jobs only after checking the submitter's signature and the site's own policy, runs the
 * job's Executor on each task, and reconnects with back-off when the server goes away.
 */
export class FLClient {
  readonly name: string;
  readonly log: (msg: string) => void;
  private link: Link | undefined;
  private client: grpc.Client | undefined;
  private jobs = new Map<string, DeployedJob>();
  private stopped = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private failures = 0;
  /** Resolves when the client stops for good (stop(), refusal, or retries exhausted). */
  readonly finished: Promise<string>;
  private finish!: (reason: string) => void;
  connected = false;
  tasksDone = 0;

  constructor(
    readonly kit: Kit,
    private opts: ClientOptions = {},
  ) {
    if (kit.config.type !== 'client')
      throw new Error(`${kit.dir} is a ${kit.config.type} kit, not a client kit`);
    this.name = kit.config.name;
    this.log = makeLogger(this.name, opts.quiet);
    this.finished = new Promise((r) => {
      this.finish = r;
    });
  }

  get config(): SiteConfig {
    return this.kit.config as SiteConfig;
  }

  start(): void {
    this.connect();
  }

  /** Resolves once registered with the server, rejects if the client gives up first. */
  waitConnected(timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t0 = Date.now();
      const tick = () => {
        if (this.connected) return resolve();
        if (this.stopped) return reject(new Error(`${this.name} stopped before connecting`));
        if (Date.now() - t0 > timeoutMs)
          return reject(new Error(`${this.name} did not connect within ${timeoutMs} ms`));
        setTimeout(tick, 50);
      };
      tick();
    });
  }

  private connect(): void {
    if (this.stopped) return;
    const { client, stream, address } = openStream(this.kit, 'Connect', this.opts.address);
    this.client = client;
    let refused = '';
    let lastError = '';
    stream.on('error', (e: { code?: number }) => {
      if (e.code === grpc.status.PERMISSION_DENIED || e.code === grpc.status.UNAUTHENTICATED)
        refused = describeGrpcError(e, address);
      else {
        lastError = describeGrpcError(e, address);
        if (!this.connected) this.log(lastError);
      }
    });
    const link = new Link(stream);
    this.link = link;
    link.on('control', (f: Frame) => {
      if (f.h.t === 'welcome') {
        this.connected = true;
        this.failures = 0;
        this.log(`registered with ${f.h.server} at ${address}`);
      }
    });
    link.handle('deploy', (msg) => this.onDeploy(msg));
    link.handle('task', (msg) => this.onTask(msg));
    link.on('message', (msg: Message) => {
      const jobId = (msg.meta as { jobId?: string }).jobId;
      if (!jobId) return;
      if (msg.kind === 'abort' || msg.kind === 'end-job') {
        const j = this.jobs.get(jobId);
        if (msg.kind === 'abort') j?.abort.abort();
        this.jobs.delete(jobId);
        this.log(`job ${jobId} ${msg.kind === 'abort' ? 'aborted by the server' : 'ended'}`);
      }
    });
    link.on('close', (reason: string) => {
      clearInterval(this.heartbeat);
      const was = this.connected;
      this.connected = false;
      client.close();
      if (this.stopped) return;
      if (refused) {
        this.log(`refused: ${refused}`);
        this.stopped = true;
        this.finish(refused);
        return;
      }
      if (was) this.log(`lost the server (${reason}); reconnecting`);
      this.failures++;
      if (this.opts.maxRetries !== undefined && this.failures > this.opts.maxRetries) {
        this.stopped = true;
        this.finish(`gave up after ${this.failures} failed connection attempts: ${lastError || reason}`);
        return;
      }
      // Exponential back-off with jitter, so sites that lost the server together do not return in lockstep.
      const delay = Math.min(5000, 200 * 2 ** Math.min(this.failures, 5)) * (0.5 + Math.random());
      setTimeout(() => this.connect(), delay);
    });
    link.sendControl({ h: { t: 'hello', site: this.name, version: 1 } });
    // Silence is judged only once registered; before that a loaded server may take a while to finish many TLS
    // handshakes, and giving up early would turn a slow start into a reconnect storm.
    const silenceMs = this.config.heartbeatTimeoutMs ?? Math.max(3 * this.config.heartbeatMs, 5000);
    const registerMs = 60_000;
    const opened = Date.now();
    this.heartbeat = setInterval(() => {
      if (!this.connected) {
        if (Date.now() - opened > registerMs) {
          link.close(`not registered within ${registerMs} ms`);
          stream.cancel();
        }
        return;
      }
      link.sendControl({ h: { t: 'hb' } });
      if (Date.now() - link.lastSeen > silenceMs) {
        link.close(`server silent for ${Date.now() - link.lastSeen} ms`);
        stream.cancel();
      }
    }, this.config.heartbeatMs);
  }

  private async onDeploy(msg: Message): Promise<{ meta: unknown }> {
    const m = msg.meta as { jobId: string; paths: string[]; manifest: Manifest };
    try {
      const existing = this.jobs.get(m.jobId);
      if (existing && existing.signature === m.manifest.signature) return { meta: { ok: true } };
      const bundle = bundleFromWire(m, msg.segments);
      const { signer, meta } = verifyJob(bundle, this.kit.rootCA);
      const decision = authorize(this.kit.policy, signer, 'run_job', {
        name: this.name,
        org: this.config.org,
        role: 'client',
      });
      if (!decision.allowed) throw new Error(`site policy of ${this.name}: ${decision.reason}`);
      const app = clientApp(meta, this.name);
      if (!app) throw new Error(`job ${m.jobId} is not deployed to ${this.name}`);
      const dir = join(dataDir(this.kit), 'jobs', m.jobId);
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeJob(bundle, dir);
      const executor = await loadExecutor(dir, app.config, this.name);
      this.jobs.set(m.jobId, {
        id: m.jobId,
        signature: m.manifest.signature,
        executor,
        abort: new AbortController(),
      });
      this.log(`installed job ${m.jobId} (${meta.name}, signed by ${signer.name})`);
      return { meta: { ok: true } };
    } catch (e) {
      this.log(`refused job ${m.jobId}: ${(e as Error).message}`);
      return { meta: { ok: false, error: (e as Error).message } };
    }
  }

  private async onTask(msg: Message): Promise<{ meta: unknown; segments?: Uint8Array[] }> {
    const m = msg.meta as {
      jobId: string;
      name: string;
      round: number;
      config: Record<string, unknown>;
      tensors: { name: string; shape: number[] }[];
    };
    const job = this.jobs.get(m.jobId);
    if (!job) return { meta: { status: 'error', error: `job ${m.jobId} is not installed at ${this.name}` } };
    const task: Task = {
      name: m.name,
      jobId: m.jobId,
      round: m.round,
      config: m.config,
      weights: segmentsToWeights(m.tensors, msg.segments),
    };
    try {
      const r = await job.executor.execute(task, { site: this.name, signal: job.abort.signal });
      const { tensors, segments } = weightsToSegments(r.weights);
      this.tasksDone++;
      return {
        meta: { status: r.status, numSamples: r.numSamples, metrics: r.metrics, error: r.error, tensors },
        segments,
      };
    } catch (e) {
      return { meta: { status: 'error', error: `${this.name}: ${(e as Error).message}` } };
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    for (const j of this.jobs.values()) j.abort.abort();
    this.link?.close('client stopping');
    this.client?.close();
    this.finish('stopped');
  }
}
