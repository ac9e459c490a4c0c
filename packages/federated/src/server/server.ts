import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { ControllerContext, ProgressEvent, RoundRecord } from '../core/contracts.js';
import { bundleToWire, readJobBundle, verifyJob } from '../job/bundle.js';
import { deployedTo, type JobMeta, serverApp } from '../job/meta.js';
import { dataDir, type Kit, loadKit } from '../kit/kit.js';
import { KIT, type ParticipantRecord, type ServerConfig } from '../kit/layout.js';
import { identityFromSubject } from '../pki/certs.js';
import { accuracyPlot } from '../plot/index.js';
import type { Frame } from '../transport/frame.js';
import { Link } from '../transport/link.js';
import { federationService, type ServerFrameStream, serverCredentials } from '../transport/service.js';
import { handleAdmin } from './admin-commands.js';
import { loadController } from './apps.js';
import { JobCommunicator } from './communicator.js';
import { type JobRow, JobStore } from './job-store.js';
import { makeLogger } from './log.js';
import { type SiteConn, SiteRegistry } from './sites.js';
import { writeWeightsFile } from './weights-file.js';

export interface ServerOptions {
  /** Overrides the kit's port (0 picks a free one; tests and POC use this). */
  port?: number;
  quiet?: boolean;
  /** How many jobs may run at once. */
  maxRunningJobs?: number;
}

interface RunningJob {
  id: string;
  abort: AbortController;
  done: Promise<void>;
}

/**
 * The federation server: accepts client sites and admins over mutual TLS, keeps jobs in SQLite, deploys them
 * to sites, runs each job's Controller, and resumes running jobs from their last snapshot after a restart.
 */
export class FLServer {
  readonly store: JobStore;
  readonly registry = new SiteRegistry();
  readonly log: (msg: string) => void;
  readonly config: ServerConfig;
  private grpcServer = new grpc.Server({
    'grpc.max_receive_message_length': 16 << 20,
    'grpc.max_send_message_length': 16 << 20,
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 20_000,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 1000,
  } as grpc.ServerOptions);
  private participants = new Map<string, ParticipantRecord>();
  private participantsStamp = '';
  private running = new Map<string, RunningJob>();
  /** A running job's verified files, ready to send: verified once, not once per site. */
  /** Jobs waiting for sites are checked every tick; their files are verified once, not on every tick. */
  private verifiedMeta = new Map<string, JobMeta>();
  /** Why a submitted (or resuming) job has not started yet, for status: the sites it is waiting for. */
  readonly waiting = new Map<string, string>();
  private deployCache = new Map<string, { meta: JobMeta; wire: ReturnType<typeof bundleToWire> }>();
  private timers: NodeJS.Timeout[] = [];
  private stopping = false;
  port = 0;

  constructor(
    public kit: Kit,
    private opts: ServerOptions = {},
  ) {
    if (kit.config.type !== 'server')
      throw new Error(`${kit.dir} is a ${kit.config.type} kit, not a server kit`);
    this.config = kit.config;
    this.log = makeLogger(kit.config.name, opts.quiet);
    mkdirSync(dataDir(kit), { recursive: true });
    this.store = new JobStore(dataDir(kit));
    this.setParticipants(kit.participants ?? []);
    this.participantsStamp = this.stamp();
  }

  private stamp(): string {
    const s = join(this.kit.dir, KIT.startup);
    return [KIT.participants, KIT.signature]
      .map((f) => (existsSync(join(s, f)) ? statSync(join(s, f)).mtimeMs : 0))
      .join('/');
  }

  private setParticipants(list: ParticipantRecord[]): void {
    this.participants = new Map(list.map((p) => [p.name, p]));
  }

  /** Re-reads the participant list when the project admin re-provisioned; a kit that fails its check is ignored. */
  private refreshParticipants(): void {
    const stamp = this.stamp();
    if (stamp === this.participantsStamp) return;
    this.participantsStamp = stamp;
    try {
      const kit = loadKit(this.kit.dir);
      this.kit = kit;
      this.setParticipants(kit.participants ?? []);
      this.log(`participant list reloaded: ${this.participants.size} participants`);
      for (const c of this.registry.all()) {
        if (!this.admitted(c.name, c.serial, 'client').ok)
          c.link.close('participant removed from the project');
      }
    } catch (e) {
      this.log(`participant list NOT reloaded: ${(e as Error).message}`);
    }
  }

  registryParticipants(type: ParticipantRecord['type']): string[] {
    return [...this.participants.values()].filter((p) => p.type === type).map((p) => p.name);
  }

  /** Checks a peer's certificate identity against the signed participant list. */
  admitted(
    name: string,
    serial: string,
    type: 'client' | 'admin',
  ): { ok: boolean; reason: string; record?: ParticipantRecord } {
    const p = this.participants.get(name);
    const norm = (s: string) => s.toUpperCase().replace(/^0+/, '');
    if (!p)
      return {
        ok: false,
        reason: `"${name}" is not a participant of project ${this.config.project} (removed or never provisioned)`,
      };
    if (norm(p.serial) !== norm(serial))
      return {
        ok: false,
        reason: `certificate of "${name}" (serial ${serial}) has been replaced; use the current startup kit`,
      };
    if (p.type !== type) return { ok: false, reason: `"${name}" is a ${p.type}, not a ${type}` };
    return { ok: true, reason: '', record: p };
  }

  peerIdentity(
    call: ServerFrameStream,
  ): { name: string; org: string; role: string; serial: string } | undefined {
    const cert = call.getAuthContext()?.sslPeerCertificate;
    if (!cert?.subject) return undefined;
    return identityFromSubject(cert.subject as unknown as Record<string, string>, cert.serialNumber ?? '');
  }

  async start(): Promise<number> {
    this.grpcServer.addService(federationService, {
      Connect: (call: ServerFrameStream) => this.onConnect(call),
      Admin: (call: ServerFrameStream) => this.onAdmin(call),
    });
    const k = this.kit;
    const port = this.opts.port ?? this.config.port;
    this.port = await new Promise<number>((resolve, reject) =>
      this.grpcServer.bindAsync(
        `${this.config.listen}:${port}`,
        serverCredentials(k.rootCA, k.key, k.cert),
        (err, p) =>
          err
            ? reject(new Error(`cannot listen on ${this.config.listen}:${port}: ${err.message}`))
            : resolve(p),
      ),
    );
    const resumable = this.store.jobsIn('running');
    for (const j of resumable) {
      this.store.markResumed(j.id);
      this.store.event(j.id, 'server restarted; job will resume from its last snapshot');
    }
    this.timers.push(setInterval(() => this.sweep(), Math.max(100, Math.floor(this.config.heartbeatMs / 2))));
    this.timers.push(setInterval(() => this.schedule(), 250));
    this.log(
      `listening on ${this.config.listen}:${this.port} (mutual TLS, project ${this.config.project})${resumable.length ? `; ${resumable.length} job(s) to resume` : ''}`,
    );
    return this.port;
  }

  /** Drops sites whose heartbeats stopped; their pending tasks fail at once as 'dropped'. */
  private sweep(): void {
    const now = Date.now();
    for (const c of this.registry.all()) {
      if (now - c.link.lastSeen > this.config.heartbeatTimeoutMs) {
        this.log(`${c.name}: no heartbeat for ${now - c.link.lastSeen} ms, dropping`);
        c.link.close('heartbeat timeout');
        c.link.stream.cancel?.();
      }
    }
  }

  private onConnect(call: ServerFrameStream): void {
    this.refreshParticipants();
    const peer = this.peerIdentity(call);
    if (!peer) {
      call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: 'no client certificate' });
      return;
    }
    const adm = this.admitted(peer.name, peer.serial, 'client');
    if (!adm.ok) {
      this.log(`refused connection: ${adm.reason}`);
      call.emit('error', { code: grpc.status.PERMISSION_DENIED, details: adm.reason });
      return;
    }
    const link = new Link(call);
    let conn: SiteConn | undefined;
    link.on('control', (f: Frame) => {
      if (f.h.t === 'hb') {
        link.sendControl({ h: { t: 'hb' } });
        return;
      }
      if (f.h.t !== 'hello' || conn) return;
      if (f.h.site !== peer.name) {
        link.close(`hello names "${f.h.site}" but the certificate is for "${peer.name}"`);
        return;
      }
      conn = {
        name: peer.name,
        org: peer.org,
        serial: peer.serial,
        link,
        connectedAt: Date.now(),
        deployed: new Map(),
      };
      this.registry.add(conn);
      link.sendControl({ h: { t: 'welcome', session: randomUUID(), server: this.config.name } });
      this.log(`${peer.name} (${peer.org}) registered; ${this.registry.all().length} site(s) connected`);
      const c = conn;
      for (const id of this.running.keys()) void this.deployTo(c, id);
    });
    link.on('close', (reason: string) => {
      if (conn) {
        this.registry.remove(conn);
        if (!this.stopping) this.log(`${conn.name} disconnected (${reason})`);
      }
    });
  }

  private onAdmin(call: ServerFrameStream): void {
    this.refreshParticipants();
    const peer = this.peerIdentity(call);
    if (!peer) {
      call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: 'no client certificate' });
      return;
    }
    const adm = this.admitted(peer.name, peer.serial, 'admin');
    if (!adm.ok || !adm.record) {
      call.emit('error', { code: grpc.status.PERMISSION_DENIED, details: adm.reason });
      return;
    }
    const actor = { name: adm.record.name, org: adm.record.org, role: adm.record.role };
    const link = new Link(call);
    // The admin side ends the stream once it has the whole answer (a download may take minutes); an admin
    // connection that stays idle is closed after a while so it cannot hold resources forever.
    const idle = setTimeout(() => link.close('admin connection idle'), 15 * 60_000);
    idle.unref();
    link.on('close', () => clearTimeout(idle));
    link.handle('admin', (msg) => handleAdmin(this, actor, msg));
  }

  /** Sends the job to a site; the site verifies the submitter's signature and its own policy before accepting. */
  async deployTo(conn: SiteConn, jobId: string): Promise<void> {
    const job = this.store.getJob(jobId);
    if (!job || conn.deployed.has(jobId)) return;
    let cached = this.deployCache.get(jobId);
    if (!cached) {
      const bundle = readJobBundle(join(this.store.jobDir(jobId), 'files'));
      cached = { meta: verifyJob(bundle, this.kit.rootCA).meta, wire: bundleToWire(bundle) };
      this.deployCache.set(jobId, cached);
    }
    const { meta, wire } = cached;
    if (!deployedTo(meta, conn.name)) return;
    conn.deployed.set(jobId, 'deploying');
    try {
      const res = await conn.link.request(
        'deploy',
        { jobId, submitter: job.submitter, ...wire.meta },
        wire.segments,
        60_000,
      );
      const m = res.meta as { ok?: boolean; error?: string };
      conn.deployed.set(jobId, m.ok ? 'ok' : (m.error ?? 'refused'));
      if (m.ok) this.log(`job ${jobId} deployed to ${conn.name}`);
      else {
        this.log(`${conn.name} refused job ${jobId}: ${m.error}`);
        this.store.event(jobId, `${conn.name} refused the job: ${m.error}`);
      }
    } catch (e) {
      conn.deployed.delete(jobId);
      this.log(`deploying job ${jobId} to ${conn.name} failed: ${(e as Error).message}`);
    }
  }

  /** Starts submitted jobs (and jobs to resume) once enough of their sites are connected. */
  private schedule(): void {
    if (this.stopping) return;
    const max = this.opts.maxRunningJobs ?? 4;
    const candidates = [...this.store.jobsIn('running'), ...this.store.jobsIn('submitted')].filter(
      (j) => !this.running.has(j.id),
    );
    for (const id of this.waiting.keys()) if (!candidates.some((j) => j.id === id)) this.waiting.delete(id);
    for (const job of candidates) {
      if (this.running.size >= max) return;
      let meta = this.verifiedMeta.get(job.id);
      try {
        if (!meta) {
          meta = verifyJob(readJobBundle(join(this.store.jobDir(job.id), 'files')), this.kit.rootCA).meta;
          this.verifiedMeta.set(job.id, meta);
        }
      } catch (e) {
        this.store.setStatus(
          job.id,
          'failed',
          `job files on the server failed verification: ${(e as Error).message}`,
        );
        continue;
      }
      const eligible = this.registry.all().filter((c) => !c.link.closed && deployedTo(meta, c.name));
      if (eligible.length < job.min_clients) {
        const names = eligible.map((c) => c.name);
        this.waiting.set(job.id, waitingReason(job.min_clients, names));
        continue;
      }
      this.waiting.delete(job.id);
      this.startJob(job, meta);
    }
  }

  private startJob(job: JobRow, meta: JobMeta): void {
    const abort = new AbortController();
    const entry: RunningJob = { id: job.id, abort, done: Promise.resolve() };
    this.running.set(job.id, entry);
    entry.done = this.runJob(job, meta, abort).finally(() => {
      this.running.delete(job.id);
      this.deployCache.delete(job.id);
      this.verifiedMeta.delete(job.id);
    });
  }

  private async runJob(job: JobRow, meta: JobMeta, abort: AbortController): Promise<void> {
    const jobDir = this.store.jobDir(job.id);
    const filesDir = join(jobDir, 'files');
    const resumed = job.status === 'running';
    this.store.setStatus(job.id, 'running');
    this.log(`job ${job.id} (${meta.name}) ${resumed ? 'resuming' : 'starting'}`);
    try {
      // Check the files on disk once more right before any of them runs here or is sent to a site: the copy
      // the server keeps must still be exactly what the admin signed.
      const bundle = readJobBundle(filesDir);
      try {
        this.deployCache.set(job.id, {
          meta: verifyJob(bundle, this.kit.rootCA).meta,
          wire: bundleToWire(bundle),
        });
      } catch (e) {
        throw new Error(`job files on the server failed verification: ${(e as Error).message}`);
      }
      const controller = await loadController(filesDir, serverApp(meta).config);
      await Promise.all(this.registry.all().map((c) => this.deployTo(c, job.id)));
      const store = this.store;
      const progress = (ev: ProgressEvent) => {
        if (ev.kind === 'reply') {
          store.recordReply(job.id, ev.round, ev.reply);
        } else if (ev.kind === 'round-end') {
          store.recordRound(job.id, ev.record);
          const m = Object.entries(ev.record.metrics)
            .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(4)}`)
            .join(' ');
          this.log(
            `job ${job.id} round ${ev.record.round}: ${ev.record.sites.length} site(s) [${ev.record.sites.join(', ')}] ${m}`,
          );
        } else if (ev.kind === 'round-start') {
          this.log(`job ${job.id} round ${ev.round} started with ${ev.sites.length} site(s)`);
        } else {
          store.event(job.id, ev.message);
          this.log(`job ${job.id}: ${ev.message}`);
        }
      };
      const ctx: ControllerContext = {
        jobId: job.id,
        comm: new JobCommunicator(this.registry, job.id),
        snapshot: store.snapshotStore(job.id),
        progress,
        signal: abort.signal,
      };
      const state = await controller.run(ctx);
      if (abort.signal.aborted) throw new Error('aborted');
      const resultDir = join(jobDir, 'result');
      mkdirSync(resultDir, { recursive: true });
      writeWeightsFile(join(resultDir, 'model.bin'), state.weights);
      writeFileSync(
        join(resultDir, 'history.json'),
        `${JSON.stringify({ job: job.id, name: meta.name, rounds: state.history, extra: state.extra ?? {} }, null, 1)}\n`,
      );
      this.writePlot(resultDir, state.history, `${meta.name} (${job.id.slice(0, 8)})`);
      this.store.setStatus(job.id, 'finished');
      this.log(`job ${job.id} finished after ${state.history.length} round(s)`);
    } catch (e) {
      if (this.stopping) return; // leave 'running' so a restart resumes it
      if (abort.signal.aborted) {
        this.store.setStatus(job.id, 'aborted', 'aborted by an admin');
        this.log(`job ${job.id} aborted`);
      } else {
        const msg = (e as Error).message;
        this.store.setStatus(job.id, 'failed', msg);
        this.log(`job ${job.id} failed: ${msg}`);
      }
    } finally {
      if (!this.stopping) {
        for (const c of this.registry.all()) {
          if (c.deployed.delete(job.id)) c.link.send('end-job', { jobId: job.id }).catch(() => {});
        }
      }
    }
  }

  /** The global model's accuracy (or loss) per round as an SVG next to the weights. */
  private writePlot(resultDir: string, history: RoundRecord[], title: string): void {
    try {
      writeFileSync(join(resultDir, 'accuracy.svg'), accuracyPlot(history, title));
    } catch (e) {
      this.log(`plot not written: ${(e as Error).message}`);
    }
  }

  abortJob(id: string): boolean {
    const r = this.running.get(id);
    if (r) {
      r.abort.abort();
      for (const c of this.registry.all())
        if (c.deployed.has(id)) c.link.send('abort', { jobId: id }).catch(() => {});
      return true;
    }
    return false;
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  async waitForJob(id: string): Promise<void> {
    await this.running.get(id)?.done;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    for (const r of this.running.values()) r.abort.abort();
    for (const c of this.registry.all()) c.link.close('server stopping');
    await Promise.race([
      Promise.allSettled([...this.running.values()].map((r) => r.done)),
      new Promise((r) => setTimeout(r, 2000)),
    ]);
    await new Promise<void>((resolve) => this.grpcServer.tryShutdown(() => resolve()));
    this.grpcServer.forceShutdown();
    this.store.close();
  }
}

/** What status shows while a job waits for its sites (the admin otherwise sees "submitted" and nothing else). */
function waitingReason(minClients: number, connected: string[]): string {
  const list = connected.length ? `: ${connected.sort().join(', ')}` : '';
  return `waiting for ${minClients} site(s) to connect (min_clients ${minClients}); ${connected.length} connected${list}`;
}
