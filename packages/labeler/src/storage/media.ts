import { notFound } from '../errors/http-error.js';
import type { Db } from './db.js';

export interface Media {
  id: number;
  projectId: number;
  name: string;
  kind: 'image' | 'video';
  codec: string;
  width: number;
  height: number;
  frameCount: number;
  storageDir: string;
  createdAt: number;
}

type Row = {
  id: number;
  project_id: number;
  name: string;
  kind: 'image' | 'video';
  codec: string;
  width: number;
  height: number;
  frame_count: number;
  storage_dir: string;
  created_at: number;
};
const toMedia = (r: Row): Media => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  kind: r.kind,
  codec: r.codec,
  width: r.width,
  height: r.height,
  frameCount: r.frame_count,
  storageDir: r.storage_dir,
  createdAt: r.created_at,
});

/** Inserts the media row and one row per frame (with its presentation time) in one transaction. */
export async function insertMedia(
  db: Db,
  m: Omit<Media, 'id' | 'createdAt'>,
  pts: (number | null)[],
): Promise<Media> {
  return db.tx(async (t) => {
    const row = await t.get<Row>(
      `INSERT INTO media (project_id, name, kind, codec, width, height, frame_count, storage_dir, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [m.projectId, m.name, m.kind, m.codec, m.width, m.height, m.frameCount, m.storageDir, Date.now()],
    );
    const id = row!.id;
    const CHUNK = 200;
    for (let i = 0; i < pts.length; i += CHUNK) {
      const part = pts.slice(i, i + CHUNK);
      const values = part.map(() => '(?, ?, ?, 0)').join(', ');
      const params = part.flatMap((p, j) => [id, i + j, p]);
      await t.run(`INSERT INTO frames (media_id, idx, pts, version) VALUES ${values}`, params);
    }
    return toMedia(row!);
  });
}

export async function getMedia(db: Db, id: number): Promise<Media> {
  const row = await db.get<Row>('SELECT * FROM media WHERE id = ?', [id]);
  if (!row) throw notFound(`media ${id}`);
  return toMedia(row);
}

export async function listMedia(db: Db, projectId: number): Promise<Media[]> {
  return (await db.all<Row>('SELECT * FROM media WHERE project_id = ? ORDER BY id', [projectId])).map(
    toMedia,
  );
}

export async function framePts(db: Db, mediaId: number): Promise<(number | null)[]> {
  const rows = await db.all<{ pts: number | null }>(
    'SELECT pts FROM frames WHERE media_id = ? ORDER BY idx',
    [mediaId],
  );
  return rows.map((r) => r.pts);
}
