import { existsSync, mkdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ControllerState, Metrics, RoundRecord, SnapshotStore, TaskReply } from '../core/contracts.js';
import type { Manifest } from '../pki/manifest.js';
import { readWeightsFile, writeWeightsFile } from './weights-file.js';

export type JobStatus = 'submitted' | 'running' | 'finished' | 'failed' | 'aborted';
export const FINAL_STATES: JobStatus[] = ['finished', 'failed', 'aborted'];

export interface JobRow {
  id: string;
  name: string;
  status: JobStatus;
  submitter: string;
  submitter_org: string;
  submitter_role: string;
  min_clients: number;
  manifest: Manifest;
  submitted_at: number;
  started_at: number | null;
  finished_at: number | null;
  error: string | null;
  cloned_from: string | null;
  resumed: number;
}

interface RoundRow {
  round: number;
  sites: string;
  metrics: string;
  started_at: number;
  finished_at: number;
}

export interface SiteRoundRow {
  round: number;
  site: string;
  status: string;
  num_samples: number | null;
  metrics: Metrics;
  error: string | null;
  at: number;
}

/**
 * The server's durable state in SQLite (WAL): jobs and their lifecycle, per-round and per-site results, and
 * snapshot rows pointing at weight files. A row is written only after its weight file is on disk, so after a
 * kill -9 the newest snapshot row always has a complete file behind it.
 */
export class JobStore {
  readonly db: Database.Database;

  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'jobs'), { recursive: true });
    this.db = new Database(join(dir, 'server.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS jobs (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, submitter TEXT NOT NULL,
        submitter_org TEXT NOT NULL, submitter_role TEXT NOT NULL, min_clients INTEGER NOT NULL,
        manifest TEXT NOT NULL, submitted_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER,
        error TEXT, cloned_from TEXT, resumed INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS rounds (
        job_id TEXT NOT NULL, round INTEGER NOT NULL, sites TEXT NOT NULL, metrics TEXT NOT NULL,
        started_at INTEGER NOT NULL, finished_at INTEGER NOT NULL, PRIMARY KEY (job_id, round));
      CREATE TABLE IF NOT EXISTS site_rounds (
        job_id TEXT NOT NULL, round INTEGER NOT NULL, site TEXT NOT NULL, status TEXT NOT NULL,
        num_samples INTEGER, metrics TEXT NOT NULL, error TEXT, at INTEGER NOT NULL,
        PRIMARY KEY (job_id, round, site));
      CREATE TABLE IF NOT EXISTS snapshots (
        job_id TEXT NOT NULL, round INTEGER NOT NULL, state TEXT NOT NULL, weights_file TEXT NOT NULL,
        saved_at INTEGER NOT NULL, PRIMARY KEY (job_id, round));
      CREATE TABLE IF NOT EXISTS events (job_id TEXT NOT NULL, at INTEGER NOT NULL, message TEXT NOT NULL);
    `);
  }

  jobDir(id: string): string {
    return join(this.dir, 'jobs', id);
  }

  insertJob(row: Omit<JobRow, 'status' | 'started_at' | 'finished_at' | 'error' | 'resumed'>): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, name, status, submitter, submitter_org, submitter_role, min_clients, manifest, submitted_at, cloned_from)
         VALUES (?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.id,
        row.name,
        row.submitter,
        row.submitter_org,
        row.submitter_role,
        row.min_clients,
        JSON.stringify(row.manifest),
        row.submitted_at,
        row.cloned_from,
      );
    this.event(row.id, `submitted by ${row.submitter}`);
  }

  private parse(r: unknown): JobRow {
    const row = r as Omit<JobRow, 'manifest'> & { manifest: string };
    return { ...row, manifest: JSON.parse(row.manifest) };
  }

  getJob(id: string): JobRow | undefined {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id);
    return r ? this.parse(r) : undefined;
  }

  listJobs(): JobRow[] {
    return this.db
      .prepare('SELECT * FROM jobs ORDER BY submitted_at')
      .all()
      .map((r) => this.parse(r));
  }

  jobsIn(status: JobStatus): JobRow[] {
    return this.db
      .prepare('SELECT * FROM jobs WHERE status = ? ORDER BY submitted_at')
      .all(status)
      .map((r) => this.parse(r));
  }

  setStatus(id: string, status: JobStatus, error?: string): void {
    const now = Date.now();
    if (status === 'running')
      this.db
        .prepare('UPDATE jobs SET status = ?, started_at = COALESCE(started_at, ?) WHERE id = ?')
        .run(status, now, id);
    else if (FINAL_STATES.includes(status))
      this.db
        .prepare('UPDATE jobs SET status = ?, finished_at = ?, error = ? WHERE id = ?')
        .run(status, now, error ?? null, id);
    else this.db.prepare('UPDATE jobs SET status = ? WHERE id = ?').run(status, id);
    this.event(id, `status ${status}${error ? `: ${error}` : ''}`);
  }

  markResumed(id: string): void {
    this.db.prepare('UPDATE jobs SET resumed = resumed + 1 WHERE id = ?').run(id);
  }

  deleteJob(id: string): void {
    const tx = this.db.transaction(() => {
      for (const t of ['jobs', 'rounds', 'site_rounds', 'snapshots', 'events'])
        this.db.prepare(`DELETE FROM ${t} WHERE ${t === 'jobs' ? 'id' : 'job_id'} = ?`).run(id);
    });
    tx();
    rmSync(this.jobDir(id), { recursive: true, force: true });
  }

  event(id: string, message: string): void {
    this.db.prepare('INSERT INTO events (job_id, at, message) VALUES (?, ?, ?)').run(id, Date.now(), message);
  }

  events(id: string): { at: number; message: string }[] {
    return this.db.prepare('SELECT at, message FROM events WHERE job_id = ? ORDER BY rowid').all(id) as {
      at: number;
      message: string;
    }[];
  }

  recordReply(id: string, round: number, reply: TaskReply): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO site_rounds (job_id, round, site, status, num_samples, metrics, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        round,
        reply.site,
        reply.status,
        reply.numSamples ?? null,
        JSON.stringify(reply.metrics ?? {}),
        reply.error ?? null,
        Date.now(),
      );
  }

  recordRound(id: string, rec: RoundRecord): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO rounds (job_id, round, sites, metrics, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        rec.round,
        JSON.stringify(rec.sites),
        JSON.stringify(rec.metrics),
        rec.startedAt,
        rec.finishedAt,
      );
  }

  rounds(id: string): RoundRecord[] {
    return (
      this.db.prepare('SELECT * FROM rounds WHERE job_id = ? ORDER BY round').all(id) as RoundRow[]
    ).map((r) => ({
      round: r.round,
      sites: JSON.parse(r.sites),
      metrics: JSON.parse(r.metrics),
      startedAt: r.started_at,
      finishedAt: r.finished_at,
    }));
  }

  siteRounds(id: string): SiteRoundRow[] {
    return (
      this.db.prepare('SELECT * FROM site_rounds WHERE job_id = ? ORDER BY round, site').all(id) as (Omit<
        SiteRoundRow,
        'metrics'
      > & { metrics: string })[]
    ).map((r) => ({ ...r, metrics: JSON.parse(r.metrics) }));
  }

  snapshotStore(id: string): SnapshotStore {
    return new SqliteSnapshotStore(this, id);
  }

  close(): void {
    this.db.close();
  }
}

/** SnapshotStore for one job: weights in a file per round, the rest of the state in SQLite; keeps the last two. */
export class SqliteSnapshotStore implements SnapshotStore {
  constructor(
    private store: JobStore,
    private jobId: string,
  ) {}

  async save(state: ControllerState): Promise<void> {
    const dir = join(this.store.jobDir(this.jobId), 'snapshots');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `round-${state.round}.bin`);
    writeWeightsFile(file, state.weights);
    const { weights: _w, ...rest } = state;
    const db = this.store.db;
    const old = db.transaction(() => {
      db.prepare(
        'INSERT OR REPLACE INTO snapshots (job_id, round, state, weights_file, saved_at) VALUES (?, ?, ?, ?, ?)',
      ).run(this.jobId, state.round, JSON.stringify(rest), file, Date.now());
      const stale = db
        .prepare(
          'SELECT round, weights_file FROM snapshots WHERE job_id = ? ORDER BY round DESC LIMIT -1 OFFSET 2',
        )
        .all(this.jobId) as { round: number; weights_file: string }[];
      for (const s of stale)
        db.prepare('DELETE FROM snapshots WHERE job_id = ? AND round = ?').run(this.jobId, s.round);
      return stale;
    })();
    for (const s of old)
      if (s.weights_file !== file && existsSync(s.weights_file)) unlinkSync(s.weights_file);
  }

  async load(): Promise<ControllerState | undefined> {
    const rows = this.store.db
      .prepare('SELECT state, weights_file FROM snapshots WHERE job_id = ? ORDER BY round DESC')
      .all(this.jobId) as { state: string; weights_file: string }[];
    for (const r of rows) {
      if (!existsSync(r.weights_file)) continue;
      const rest = JSON.parse(r.state) as Omit<ControllerState, 'weights'>;
      return { ...rest, weights: readWeightsFile(r.weights_file) };
    }
    return undefined;
  }
}
