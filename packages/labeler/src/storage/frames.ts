import { conflict, notFound } from '../errors/http-error.js';
import type { Db } from './db.js';

/**
 * Optimistic concurrency per frame: every write to a frame's annotations names the version it was based on,
 * and the version moves by one. A stale version means someone else saved in between, so we refuse (409)
 * rather than overwrite their work.
 */
export async function bumpFrameVersion(
  db: Db,
  mediaId: number,
  frame: number,
  expected: number,
): Promise<number> {
  const changed = await db.run(
    'UPDATE frames SET version = version + 1 WHERE media_id = ? AND idx = ? AND version = ?',
    [mediaId, frame, expected],
  );
  if (changed === 1) return expected + 1;
  const row = await db.get<{ version: number }>('SELECT version FROM frames WHERE media_id = ? AND idx = ?', [
    mediaId,
    frame,
  ]);
  if (!row) throw notFound(`frame ${frame} of media ${mediaId}`);
  throw conflict(
    `frame ${frame} was changed by someone else (your version ${expected}, stored version ${row.version}); reload the frame and apply your edit again`,
    { frame, yourVersion: expected, currentVersion: row.version },
  );
}

/** Unconditional bump for writers that do not edit by hand (track jobs); keeps human editors' versions honest. */
export async function touchFrames(db: Db, mediaId: number, frames: number[]): Promise<void> {
  if (frames.length === 0) return;
  const marks = frames.map(() => '?').join(', ');
  await db.run(`UPDATE frames SET version = version + 1 WHERE media_id = ? AND idx IN (${marks})`, [
    mediaId,
    ...frames,
  ]);
}

export async function frameVersion(db: Db, mediaId: number, frame: number): Promise<number> {
  const row = await db.get<{ version: number }>('SELECT version FROM frames WHERE media_id = ? AND idx = ?', [
    mediaId,
    frame,
  ]);
  if (!row) throw notFound(`frame ${frame} of media ${mediaId}`);
  return row.version;
}
