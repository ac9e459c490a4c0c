import type { Db } from './db.js';

/** Ordered schema changes; `{{id}}` becomes each dialect's auto-increment primary key. */
const MIGRATIONS: string[][] = [
  [
    `CREATE TABLE users (id {{id}}, username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('admin','annotator','reviewer')), created_at BIGINT NOT NULL)`,
    `CREATE TABLE sessions (token TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      expires_at BIGINT NOT NULL)`,
    `CREATE TABLE projects (id {{id}}, name TEXT NOT NULL, label_schema TEXT NOT NULL,
      created_by BIGINT REFERENCES users(id), created_at BIGINT NOT NULL)`,
    `CREATE TABLE project_members (project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE, PRIMARY KEY (project_id, user_id))`,
    `CREATE TABLE media (id {{id}}, project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      name TEXT NOT NULL, kind TEXT NOT NULL, codec TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,
      frame_count INTEGER NOT NULL, storage_dir TEXT NOT NULL, created_at BIGINT NOT NULL)`,
    `CREATE TABLE frames (media_id BIGINT NOT NULL REFERENCES media(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
      pts DOUBLE PRECISION, version INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (media_id, idx))`,
    `CREATE TABLE annotations (id {{id}}, media_id BIGINT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
      frame INTEGER NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL, data TEXT NOT NULL, attributes TEXT NOT NULL,
      source TEXT NOT NULL, confidence DOUBLE PRECISION, status TEXT NOT NULL, created_by BIGINT,
      updated_at BIGINT NOT NULL, reviewed_by BIGINT, reviewed_at BIGINT)`,
    'CREATE INDEX annotations_frame ON annotations (media_id, frame)',
    `CREATE TABLE tracks (id {{id}}, media_id BIGINT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
      label TEXT NOT NULL, attributes TEXT NOT NULL, status TEXT NOT NULL, created_by BIGINT, created_at BIGINT NOT NULL,
      reviewed_by BIGINT, reviewed_at BIGINT)`,
    'CREATE INDEX tracks_media ON tracks (media_id)',
    `CREATE TABLE track_boxes (track_id BIGINT NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
      frame INTEGER NOT NULL, x DOUBLE PRECISION NOT NULL, y DOUBLE PRECISION NOT NULL, w DOUBLE PRECISION NOT NULL,
      h DOUBLE PRECISION NOT NULL, outside INTEGER NOT NULL, occluded INTEGER NOT NULL, keyframe INTEGER NOT NULL,
      source TEXT NOT NULL, confidence DOUBLE PRECISION, PRIMARY KEY (track_id, frame))`,
    `CREATE TABLE jobs (id {{id}}, kind TEXT NOT NULL, media_id BIGINT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
      track_id BIGINT, status TEXT NOT NULL, done INTEGER NOT NULL, total INTEGER NOT NULL, error TEXT,
      created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`,
  ],
  // What a track job runs and how far it has written, so a restarted server resumes it.
  ['ALTER TABLE jobs ADD COLUMN plans TEXT', 'ALTER TABLE jobs ADD COLUMN written TEXT'],
  // What a detect-tracks job has detected, frame by frame, until it links them (so a restart loses none).
  [
    `CREATE TABLE job_frames (job_id BIGINT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE, frame INTEGER NOT NULL,
      data TEXT NOT NULL, PRIMARY KEY (job_id, frame))`,
  ],
];

/** Applies the migrations after the database's version, up to `upTo` (all of them unless told); returns the version. */
export async function migrate(db: Db, upTo = MIGRATIONS.length): Promise<number> {
  await db.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
  );
  const row = await db.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  let current = Number(row?.v ?? 0);
  const id = db.dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  for (let v = current + 1; v <= Math.min(upTo, MIGRATIONS.length); v++) {
    await db.tx(async (t) => {
      for (const sql of MIGRATIONS[v - 1]) await t.run(sql.replaceAll('{{id}}', id));
      await t.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [v, Date.now()]);
    });
    current = v;
  }
  return current;
}
