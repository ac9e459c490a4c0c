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

export async function createJob(
  db: Db,
  kind: string,
  mediaId: number,
  trackId: number | null,
  total: number,
  userId: number,
) {
  const now = Date.now();
  const row = await db.get<Row>(
    `INSERT INTO jobs (kind, media_id, track_id, status, done, total, error, created_by, created_at, updated_at)
     VALUES (?, ?, ?, 'running', 0, ?, NULL, ?, ?, ?) RETURNING *`,
    [kind, mediaId, trackId, total, userId, now, now],
  );
  return toJob(row!);
}

export async function updateJob(
  db: Db,
  id: number,
  patch: { status?: JobStatus; done?: number; error?: string | null },
) {
  const job = await getJob(db, id);
  await db.run('UPDATE jobs SET status = ?, done = ?, error = ?, updated_at = ? WHERE id = ?', [
    patch.status ?? job.status,
    patch.done ?? job.done,
    patch.error === undefined ? job.error : patch.error,
    Date.now(),
    id,
  ]);
}

export async function getJob(db: Db, id: number): Promise<Job> {
  const row = await db.get<Row>('SELECT * FROM jobs WHERE id = ?', [id]);
  if (!row) throw notFound(`job ${id}`);
  return toJob(row);
}

/** Jobs left "running" by a process that died are marked failed on start, so the UI does not wait forever. */
export async function failOrphanJobs(db: Db): Promise<void> {
  await db.run(
    `UPDATE jobs SET status = 'failed', error = 'server restarted while the job ran' WHERE status = 'running'`,
  );
}
