import { notFound } from '../errors/http-error.js';
import type { Db } from './db.js';

export type JobStatus = 'running' | 'done' | 'stopped' | 'failed';
export interface Job {
  id: number;
  kind: string;
  mediaId: number;
  trackId: number | null;
  status: JobStatus;
  done: number;
  total: number;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}
type Row = {
  id: number;
  kind: string;
  media_id: number;
  track_id: number | null;
  status: JobStatus;
  done: number;
  total: number;
  error: string | null;
  created_at: number;
  updated_at: number;
  plans: string | null;
  written: string | null;
  created_by: number | null;
};
const toJob = (r: Row): Job => ({
  id: r.id,
  kind: r.kind,
  mediaId: r.media_id,
  trackId: r.track_id,
  status: r.status,
  done: r.done,
  total: r.total,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * `plans` is what the job runs (kept as JSON, read back by whoever runs it) so that a server restarted while it
 * ran can take it up again.
 */
export async function createJob(
  db: Db,
  kind: string,
  mediaId: number,
  trackId: number | null,
  total: number,
  userId: number,
  plans: unknown[] | null = null,
) {
  const now = Date.now();
  const row = await db.get<Row>(
    `INSERT INTO jobs (kind, media_id, track_id, status, done, total, error, created_by, created_at, updated_at, plans, written)
     VALUES (?, ?, ?, 'running', 0, ?, NULL, ?, ?, ?, ?, ?) RETURNING *`,
    [
      kind,
      mediaId,
      trackId,
      total,
      userId,
      now,
      now,
      plans && JSON.stringify(plans),
      plans && JSON.stringify(plans.map(() => 0)),
    ],
  );
  return toJob(row!);
}

/** `written`: per plan, how many of its frames are stored (a resumed run writes from there on). */
export async function updateJob(
  db: Db,
  id: number,
  patch: { status?: JobStatus; done?: number; error?: string | null; written?: number[] },
) {
  const job = await getJob(db, id);
  await db.run(
    'UPDATE jobs SET status = ?, done = ?, error = ?, written = COALESCE(?, written), updated_at = ? WHERE id = ?',
    [
      patch.status ?? job.status,
      patch.done ?? job.done,
      patch.error === undefined ? job.error : patch.error,
      patch.written ? JSON.stringify(patch.written) : null,
      Date.now(),
      id,
    ],
  );
}

export interface UnfinishedJob extends Job {
  /** As given to createJob; null for jobs that keep none. */
  plans: unknown[] | null;
  written: number[] | null;
  createdBy: number | null;
}

/** The jobs running on one video, oldest first (an editor opened on it follows them). */
export async function runningJobsOf(db: Db, mediaId: number): Promise<Job[]> {
  const rows = await db.all<Row>(`SELECT * FROM jobs WHERE media_id = ? AND status = 'running' ORDER BY id`, [
    mediaId,
  ]);
  return rows.map(toJob);
}

/** Jobs still marked running: on start, those a process that ended left behind. */
export async function unfinishedJobs(db: Db): Promise<UnfinishedJob[]> {
  const rows = await db.all<Row>(`SELECT * FROM jobs WHERE status = 'running' ORDER BY id`);
  return rows.map((r) => ({
    ...toJob(r),
    plans: r.plans === null ? null : JSON.parse(r.plans),
    written: r.written === null ? null : JSON.parse(r.written),
    createdBy: r.created_by === null ? null : Number(r.created_by),
  }));
}

/** Keeps what a job found on one frame until it is done with them all. */
export async function saveJobFrame(db: Db, jobId: number, frame: number, data: unknown): Promise<void> {
  await db.run('INSERT INTO job_frames (job_id, frame, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
    jobId,
    frame,
    JSON.stringify(data),
  ]);
}

/** What a job has kept, in frame order. */
export async function jobFrames(db: Db, jobId: number): Promise<{ frame: number; data: unknown }[]> {
  const rows = await db.all<{ frame: number; data: string }>(
    'SELECT frame, data FROM job_frames WHERE job_id = ? ORDER BY frame',
    [jobId],
  );
  return rows.map((r) => ({ frame: Number(r.frame), data: JSON.parse(r.data) }));
}

export async function getJob(db: Db, id: number): Promise<Job> {
  const row = await db.get<Row>('SELECT * FROM jobs WHERE id = ?', [id]);
  if (!row) throw notFound(`job ${id}`);
  return toJob(row);
}

/**
 * Jobs left "running" by a process that ended, and not taken up again (see TrackJobs.resumeUnfinished), are
 * marked failed on start, so the UI does not wait forever.
 */
export async function failOrphanJobs(db: Db, resumed: number[] = []): Promise<void> {
  const keep = resumed.length ? ` AND id NOT IN (${resumed.map(() => '?').join(', ')})` : '';
  await db.run(
    `UPDATE jobs SET status = 'failed', error = 'server restarted while the job ran' WHERE status = 'running'${keep}`,
    resumed,
  );
}
