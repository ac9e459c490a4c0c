import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { bundleToWire, type JobBundle, packJob } from '../job/bundle.js';
import { readJobMeta } from '../job/meta.js';
import { type Kit, loadKit } from '../kit/kit.js';
import { describeGrpcError, openStream } from '../transport/connect.js';
import { Link } from '../transport/link.js';

export class AdminCommandError extends Error {}

export interface JobSummary {
  id: string;
  name: string;
  status: 'submitted' | 'running' | 'finished' | 'failed' | 'aborted';
  submitter: string;
  submitted_at: number;
  started_at: number | null;
  finished_at: number | null;
  error: string | null;
  resumed: number;
  cloned_from: string | null;
  /** Present while the job waits for sites before it starts (or resumes after a server restart). */
  waiting?: string;
}

export interface JobStatus {
  job: JobSummary;
  rounds: {
    round: number;
    sites: string[];
    metrics: Record<string, number>;
    startedAt: number;
    finishedAt: number;
  }[];
  sites: {
    round: number;
    site: string;
    status: string;
    num_samples: number | null;
    metrics: Record<string, number>;
    error: string | null;
  }[];
  events: { at: number; message: string }[];
}

export interface ServerStatus {
  server: string;
  project: string;
  sites: {
    name: string;
    org: string;
    connected_at: number;
    last_seen: number;
    jobs: Record<string, string>;
  }[];
  jobs: JobSummary[];
}

/**
 * The admin API: the same commands as the CLI, authenticated by the admin's startup kit (mutual TLS) and
 * authorised by the server's policy. Jobs are signed here with the admin's own key before they leave.
 */
export class AdminAPI {
  constructor(
    readonly kit: Kit,
    private address?: string,
  ) {
    if (kit.config.type !== 'admin')
      throw new Error(`${kit.dir} is a ${kit.config.type} kit; admin commands need an admin kit`);
  }

  static fromKit(dir: string, address?: string): AdminAPI {
    return new AdminAPI(loadKit(dir), address);
  }

  private async call(
    cmd: string,
    args: unknown = {},
    segments: Uint8Array[] = [],
    timeoutMs = 120_000,
    // biome-ignore lint/suspicious/noExplicitAny: each command's public method gives the answer its type
  ): Promise<{ data: any; segments: Uint8Array[] }> {
    const { client, stream, address } = openStream(this.kit, 'Admin', this.address);
    let grpcError: unknown;
    stream.on('error', (e) => {
      grpcError = e;
    });
    const link = new Link(stream);
    try {
      const res = await link.request('admin', { cmd, args }, segments, timeoutMs);
      const m = res.meta as { ok: boolean; data?: unknown; error?: string };
      if (!m.ok) throw new AdminCommandError(m.error ?? `${cmd} failed`);
      return { data: m.data, segments: res.segments };
    } catch (e) {
      if (e instanceof AdminCommandError) throw e;
      await new Promise((r) => setTimeout(r, 20));
      throw new AdminCommandError(`${cmd}: ${describeGrpcError(grpcError ?? e, address)}`);
    } finally {
      link.close('done');
      client.close();
    }
  }

  /** Validates, signs and submits a job folder; returns the new job id. */
  async submit(jobDir: string): Promise<{ id: string; name: string }> {
    readJobMeta(jobDir);
    return this.submitBundle(this.pack(jobDir));
  }

  pack(jobDir: string): JobBundle {
    return packJob(jobDir, { name: this.kit.identity.name, keyPem: this.kit.key, certPem: this.kit.cert });
  }

  async submitBundle(bundle: JobBundle): Promise<{ id: string; name: string }> {
    const wire = bundleToWire(bundle);
    return (await this.call('submit', wire.meta, wire.segments)).data;
  }

  async list(): Promise<JobSummary[]> {
    return (await this.call('list')).data;
  }

  async status(): Promise<ServerStatus>;
  async status(id: string): Promise<JobStatus>;
  async status(id?: string): Promise<JobStatus | ServerStatus> {
    return (await this.call('status', id ? { id } : {})).data;
  }

  async abort(id: string): Promise<JobSummary> {
    return (await this.call('abort', { id })).data;
  }

  async clone(id: string): Promise<{ id: string; name: string; cloned_from: string }> {
    return (await this.call('clone', { id })).data;
  }

  async delete(id: string): Promise<{ id: string; deleted: boolean }> {
    return (await this.call('delete', { id })).data;
  }

  /** Downloads the job folder (job/) and its result (result/: model.bin, history.json, plot) into outDir. */
  async download(id: string, outDir: string): Promise<{ id: string; status: string; files: string[] }> {
    const { data, segments } = await this.call('download', { id }, [], 600_000);
    const files: string[] = [];
    (data.paths as string[]).forEach((rel, i) => {
      const safe = normalize(rel);
      if (safe.startsWith('..')) throw new AdminCommandError(`server sent an unsafe path "${rel}"`);
      const p = join(outDir, safe);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, segments[i] ?? new Uint8Array(0));
      files.push(p);
    });
    return { id: data.id, status: data.status, files };
  }

  /** Polls until the job reaches a final state; `onStatus` sees each poll (for progress display). */
  async waitFor(
    id: string,
    opts: { timeoutMs?: number; intervalMs?: number; onStatus?: (s: JobStatus) => void } = {},
  ): Promise<JobStatus> {
    const t0 = Date.now();
    for (;;) {
      let s: JobStatus;
      try {
        s = await this.status(id);
      } catch (e) {
        // Keep waiting through a server restart: the job resumes on its own.
        if (
          !/cannot reach the server/.test((e as Error).message) ||
          Date.now() - t0 > (opts.timeoutMs ?? 600_000)
        )
          throw e;
        await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
        continue;
      }
      opts.onStatus?.(s);
      if (['finished', 'failed', 'aborted'].includes(s.job.status)) return s;
      if (Date.now() - t0 > (opts.timeoutMs ?? 600_000))
        throw new AdminCommandError(`job ${id} still ${s.job.status} after ${opts.timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
    }
  }
}
