import type { Annotation, AnnotationInput, AnnotationStatus } from '../annotations/types.js';
import { badRequest, notFound } from '../errors/http-error.js';
import type { Db } from './db.js';
import { bumpFrameVersion } from './frames.js';

type Row = {
  id: number;
  media_id: number;
  frame: number;
  kind: Annotation['kind'];
  label: string;
  data: string;
  attributes: string;
  source: Annotation['source'];
  confidence: number | null;
  status: AnnotationStatus;
  created_by: number | null;
  updated_at: number;
  reviewed_by: number | null;
  reviewed_at: number | null;
};
export const toAnnotation = (r: Row): Annotation => ({
  id: r.id,
  mediaId: r.media_id,
  frame: r.frame,
  kind: r.kind,
  label: r.label,
  data: JSON.parse(r.data),
  attributes: JSON.parse(r.attributes),
  source: r.source,
  confidence: r.confidence,
  status: r.status,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at,
});

export async function frameAnnotations(db: Db, mediaId: number, frame: number): Promise<Annotation[]> {
  const rows = await db.all<Row>('SELECT * FROM annotations WHERE media_id = ? AND frame = ? ORDER BY id', [
    mediaId,
    frame,
  ]);
  return rows.map(toAnnotation);
}

/**
 * Makes the frame's annotations exactly `items` (the UI autosaves whole frames): items with an id are updated,
 * items without one are created, stored ones not listed are deleted. All or nothing, guarded by the frame version.
 */
export async function saveFrame(
  db: Db,
  mediaId: number,
  frame: number,
  baseVersion: number,
  items: AnnotationInput[],
  userId: number,
): Promise<{ version: number; annotations: Annotation[] }> {
  return db.tx(async (t) => {
    const version = await bumpFrameVersion(t, mediaId, frame, baseVersion);
    const existing = new Map(
      (
        await t.all<{ id: number }>('SELECT id FROM annotations WHERE media_id = ? AND frame = ?', [
          mediaId,
          frame,
        ])
      ).map((r) => [r.id, r]),
    );
    const keep = new Set<number>();
    const now = Date.now();
    for (const it of items) {
      if (it.id !== undefined) {
        if (!existing.has(it.id))
          throw badRequest(`annotation ${it.id} is not on frame ${frame} of media ${mediaId}`);
        keep.add(it.id);
        await t.run(
          'UPDATE annotations SET kind = ?, label = ?, data = ?, attributes = ?, updated_at = ? WHERE id = ?',
          [it.kind, it.label, JSON.stringify(it.data), JSON.stringify(it.attributes ?? {}), now, it.id],
        );
      } else {
        await t.run(
          `INSERT INTO annotations (media_id, frame, kind, label, data, attributes, source, confidence, status, created_by, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'manual', NULL, 'pending', ?, ?)`,
          [
            mediaId,
            frame,
            it.kind,
            it.label,
            JSON.stringify(it.data),
            JSON.stringify(it.attributes ?? {}),
            userId,
            now,
          ],
        );
      }
    }
    for (const id of existing.keys())
      if (!keep.has(id)) await t.run('DELETE FROM annotations WHERE id = ?', [id]);
    return { version, annotations: await frameAnnotations(t, mediaId, frame) };
  });
}

export interface NewAnnotation {
  frame: number;
  kind: Annotation['kind'];
  label: string;
  data: unknown;
  attributes?: Record<string, unknown>;
  source: Annotation['source'];
  confidence: number | null;
  status: AnnotationStatus;
}

/** Bulk insert (detector proposals, imports) in the caller's transaction. */
export async function insertAnnotations(
  db: Db,
  mediaId: number,
  items: NewAnnotation[],
  userId: number | null,
) {
  const now = Date.now();
  const CHUNK = 100;
  for (let i = 0; i < items.length; i += CHUNK) {
    const part = items.slice(i, i + CHUNK);
    const values = part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    const params = part.flatMap((a) => [
      mediaId,
      a.frame,
      a.kind,
      a.label,
      JSON.stringify(a.data),
      JSON.stringify(a.attributes ?? {}),
      a.source,
      a.confidence,
      a.status,
      userId,
      now,
    ]);
    await db.run(
      `INSERT INTO annotations (media_id, frame, kind, label, data, attributes, source, confidence, status, created_by, updated_at)
       VALUES ${values}`,
      params,
    );
  }
}

export async function getAnnotation(db: Db, id: number): Promise<Annotation> {
  const row = await db.get<Row>('SELECT * FROM annotations WHERE id = ?', [id]);
  if (!row) throw notFound(`annotation ${id}`);
  return toAnnotation(row);
}

export async function setAnnotationStatus(db: Db, id: number, status: AnnotationStatus, userId: number) {
  await db.run('UPDATE annotations SET status = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?', [
    status,
    userId,
    Date.now(),
    id,
  ]);
  return getAnnotation(db, id);
}

export async function listAnnotationsByStatus(
  db: Db,
  projectId: number,
  status: AnnotationStatus,
  limit = 500,
) {
  const rows = await db.all<Row>(
    `SELECT a.* FROM annotations a JOIN media m ON m.id = a.media_id WHERE m.project_id = ? AND a.status = ?
     ORDER BY a.media_id, a.frame, a.id LIMIT ?`,
    [projectId, status, limit],
  );
  return rows.map(toAnnotation);
}

/** Pages through a media's annotations in (frame, id) order without holding them all: keyset pagination. */
export async function* iterateAnnotations(db: Db, mediaId: number, page = 5000): AsyncGenerator<Annotation> {
  let lastFrame = -1;
  let lastId = 0;
  for (;;) {
    const rows = await db.all<Row>(
      `SELECT * FROM annotations WHERE media_id = ? AND status <> 'rejected' AND status <> 'proposal'
       AND (frame > ? OR (frame = ? AND id > ?)) ORDER BY frame, id LIMIT ?`,
      [mediaId, lastFrame, lastFrame, lastId, page],
    );
    for (const r of rows) yield toAnnotation(r);
    if (rows.length < page) return;
    const last = rows[rows.length - 1];
    lastFrame = last.frame;
    lastId = last.id;
  }
}
