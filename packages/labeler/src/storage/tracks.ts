import { boxBetweenKeyframes } from '../annotations/interpolate.js';
import type { AnnotationStatus, Track, TrackBox } from '../annotations/types.js';
import { notFound } from '../errors/http-error.js';
import type { Box, TrackStep } from '../tracking/contract.js';
import type { Db } from './db.js';
import { bumpFrameVersion, touchFrames } from './frames.js';

type TrackRow = {
  id: number;
  media_id: number;
  label: string;
  attributes: string;
  status: AnnotationStatus;
  created_by: number | null;
  created_at: number;
  reviewed_by: number | null;
  reviewed_at: number | null;
};
type BoxRow = {
  track_id: number;
  frame: number;
  x: number;
  y: number;
  w: number;
  h: number;
  outside: number;
  occluded: number;
  keyframe: number;
  source: TrackBox['source'];
  confidence: number | null;
};
const toTrack = (r: TrackRow): Track => ({
  id: r.id,
  mediaId: r.media_id,
  label: r.label,
  attributes: JSON.parse(r.attributes),
  status: r.status,
  createdBy: r.created_by,
  createdAt: r.created_at,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at,
});
export const toTrackBox = (r: BoxRow): TrackBox => ({
  trackId: r.track_id,
  frame: r.frame,
  box: { x: r.x, y: r.y, w: r.w, h: r.h },
  outside: r.outside === 1,
  occluded: r.occluded === 1,
  keyframe: r.keyframe === 1,
  source: r.source,
  confidence: r.confidence,
});

const UPSERT_BOX = `INSERT INTO track_boxes (track_id, frame, x, y, w, h, outside, occluded, keyframe, source, confidence)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (track_id, frame) DO UPDATE SET x = excluded.x, y = excluded.y, w = excluded.w, h = excluded.h,
  outside = excluded.outside, occluded = excluded.occluded, keyframe = excluded.keyframe, source = excluded.source,
  confidence = excluded.confidence`;

export async function getTrack(db: Db, id: number): Promise<Track> {
  const row = await db.get<TrackRow>('SELECT * FROM tracks WHERE id = ?', [id]);
  if (!row) throw notFound(`track ${id}`);
  return toTrack(row);
}

export async function listTracks(db: Db, mediaId: number): Promise<Track[]> {
  return (await db.all<TrackRow>('SELECT * FROM tracks WHERE media_id = ? ORDER BY id', [mediaId])).map(
    toTrack,
  );
}

/** A new track with its first keyframe; the frame's version guards against a concurrent edit. */
export async function createTrack(
  db: Db,
  mediaId: number,
  frame: number,
  baseVersion: number,
  label: string,
  box: Box,
  userId: number | null,
  source: TrackBox['source'] = 'manual',
): Promise<{ track: Track; version: number }> {
  return db.tx(async (t) => {
    const version = await bumpFrameVersion(t, mediaId, frame, baseVersion);
    const row = await t.get<TrackRow>(
      `INSERT INTO tracks (media_id, label, attributes, status, created_by, created_at) VALUES (?, ?, '{}', 'pending', ?, ?) RETURNING *`,
      [mediaId, label, userId, Date.now()],
    );
    await t.run(UPSERT_BOX, [row!.id, frame, box.x, box.y, box.w, box.h, 0, 0, 1, source, null]);
    return { track: toTrack(row!), version };
  });
}

/** A person sets (or corrects) the track's box on one frame: it becomes a keyframe. */
export async function setKeyframe(
  db: Db,
  trackId: number,
  frame: number,
  baseVersion: number,
  kf: { box: Box; outside: boolean; occluded: boolean },
): Promise<number> {
  return db.tx(async (t) => {
    const track = await getTrack(t, trackId);
    const version = await bumpFrameVersion(t, track.mediaId, frame, baseVersion);
    const b = kf.box;
    await t.run(UPSERT_BOX, [
      trackId,
      frame,
      b.x,
      b.y,
      b.w,
      b.h,
      kf.outside ? 1 : 0,
      kf.occluded ? 1 : 0,
      1,
      'manual',
      null,
    ]);
    // Gone from here on: tracker output up to the next keyframe no longer describes the object.
    if (kf.outside) await dropTrackerBoxesAfter(t, trackId, track.mediaId, frame);
    return version;
  });
}

export async function removeKeyframe(
  db: Db,
  trackId: number,
  frame: number,
  baseVersion: number,
): Promise<number> {
  return db.tx(async (t) => {
    const track = await getTrack(t, trackId);
    const version = await bumpFrameVersion(t, track.mediaId, frame, baseVersion);
    await t.run('DELETE FROM track_boxes WHERE track_id = ? AND frame = ?', [trackId, frame]);
    return version;
  });
}

export async function deleteTrack(db: Db, trackId: number): Promise<void> {
  await db.tx(async (t) => {
    const track = await getTrack(t, trackId);
    const frames = await t.all<{ frame: number }>('SELECT frame FROM track_boxes WHERE track_id = ?', [
      trackId,
    ]);
    await touchFrames(
      t,
      track.mediaId,
      frames.map((f) => f.frame),
    );
    await t.run('DELETE FROM tracks WHERE id = ?', [trackId]);
  });
}

export async function keyframes(db: Db, trackId: number): Promise<TrackBox[]> {
  return (
    await db.all<BoxRow>('SELECT * FROM track_boxes WHERE track_id = ? AND keyframe = 1 ORDER BY frame', [
      trackId,
    ])
  ).map(toTrackBox);
}

export async function trackBoxes(db: Db, trackId: number): Promise<TrackBox[]> {
  return (await db.all<BoxRow>('SELECT * FROM track_boxes WHERE track_id = ? ORDER BY frame', [trackId])).map(
    toTrackBox,
  );
}

/**
 * Writes a tracker's answers in one transaction, never over a keyframe a person set. Returns how many were written.
 */
export async function writeTrackerSteps(
  db: Db,
  trackId: number,
  mediaId: number,
  steps: TrackStep[],
): Promise<number> {
  if (steps.length === 0) return 0;
  return db.tx(async (t) => {
    const frames = steps.map((s) => s.frame);
    const marks = frames.map(() => '?').join(', ');
    const manual = new Set(
      (
        await t.all<{ frame: number }>(
          `SELECT frame FROM track_boxes WHERE track_id = ? AND keyframe = 1 AND frame IN (${marks})`,
          [trackId, ...frames],
        )
      ).map((r) => r.frame),
    );
    const written: number[] = [];
    for (const s of steps) {
      if (manual.has(s.frame)) continue;
      const b = s.box ?? { x: 0, y: 0, w: 0, h: 0 };
      await t.run(UPSERT_BOX, [
        trackId,
        s.frame,
        b.x,
        b.y,
        b.w,
        b.h,
        s.outside || !s.box ? 1 : 0,
        0,
        0,
        'tracker',
        s.confidence,
      ]);
      written.push(s.frame);
    }
    await touchFrames(t, mediaId, written);
    return written.length;
  });
}

/**
 * Removes the tracker's boxes after `frame` up to the track's next keyframe (to the end when there is none),
 * so that those frames show the interpolation between the two keyframes. Keyframes are never removed.
 */
export async function clearTrackerBoxes(
  db: Db,
  trackId: number,
  frame: number,
): Promise<{ toFrame: number | null; cleared: number }> {
  return db.tx(async (t) => {
    const track = await getTrack(t, trackId);
    return dropTrackerBoxesAfter(t, trackId, track.mediaId, frame);
  });
}

async function dropTrackerBoxesAfter(t: Db, trackId: number, mediaId: number, frame: number) {
  const next = await neighbourKeyframe(t, trackId, frame, 'forward');
  const bounds = [trackId, frame, next ?? 2147483647];
  const stale = await t.all<{ frame: number }>(
    'SELECT frame FROM track_boxes WHERE track_id = ? AND keyframe = 0 AND frame > ? AND frame < ?',
    bounds,
  );
  await t.run(
    'DELETE FROM track_boxes WHERE track_id = ? AND keyframe = 0 AND frame > ? AND frame < ?',
    bounds,
  );
  await touchFrames(
    t,
    mediaId,
    stale.map((r) => r.frame),
  );
  return { toFrame: next, cleared: stale.length };
}

/**
 * Every track's box on one frame of a media: stored (keyframe or tracker) when present, otherwise interpolated
 * (in the media's picture, see boxBetweenKeyframes).
 */
export async function trackBoxesAt(
  db: Db,
  media: { id: number; width: number; height: number },
  frame: number,
): Promise<TrackBox[]> {
  const mediaId = media.id;
  const tracks = await db.all<{ id: number }>('SELECT id FROM tracks WHERE media_id = ? ORDER BY id', [
    mediaId,
  ]);
  if (tracks.length === 0) return [];
  const exact = new Map(
    (
      await db.all<BoxRow>(
        'SELECT b.* FROM track_boxes b JOIN tracks t ON t.id = b.track_id WHERE t.media_id = ? AND b.frame = ?',
        [mediaId, frame],
      )
    ).map((r) => [r.track_id, toTrackBox(r)]),
  );
  const missing = tracks.filter((t) => !exact.has(t.id)).map((t) => t.id);
  const keysByTrack = new Map<number, TrackBox[]>();
  if (missing.length > 0) {
    const rows = await db.all<BoxRow>(
      `SELECT b.* FROM track_boxes b JOIN tracks t ON t.id = b.track_id WHERE t.media_id = ? AND b.keyframe = 1 ORDER BY b.frame`,
      [mediaId],
    );
    for (const r of rows) {
      const list = keysByTrack.get(r.track_id) ?? [];
      list.push(toTrackBox(r));
      keysByTrack.set(r.track_id, list);
    }
  }
  const out: TrackBox[] = [];
  for (const t of tracks) {
    const hit = exact.get(t.id);
    if (hit) {
      out.push(hit);
      continue;
    }
    const keys = keysByTrack.get(t.id) ?? [];
    const box = boxBetweenKeyframes(keys, frame, media);
    if (box)
      out.push({
        trackId: t.id,
        frame,
        box,
        outside: false,
        occluded: false,
        keyframe: false,
        source: 'interpolated',
        confidence: null,
      });
  }
  return out;
}

export async function setTrackStatus(
  db: Db,
  id: number,
  status: AnnotationStatus,
  userId: number,
): Promise<Track> {
  await db.run('UPDATE tracks SET status = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?', [
    status,
    userId,
    Date.now(),
    id,
  ]);
  return getTrack(db, id);
}

/** The keyframe a person set on `frame` of a track (box and outside flag), or null when there is none. */
export async function keyframeAt(
  db: Db,
  trackId: number,
  frame: number,
): Promise<{ frame: number; box: Box; outside: boolean } | null> {
  const row = await db.get<{ x: number; y: number; w: number; h: number; outside: number }>(
    'SELECT x, y, w, h, outside FROM track_boxes WHERE track_id = ? AND frame = ? AND keyframe = 1',
    [trackId, frame],
  );
  if (!row) return null;
  return { frame, box: { x: row.x, y: row.y, w: row.w, h: row.h }, outside: !!row.outside };
}

/** A track's keyframes that show the object (not marked outside), in frame order. */
export async function keyframesInView(db: Db, trackId: number): Promise<Array<{ frame: number; box: Box }>> {
  const rows = await db.all<{ frame: number; x: number; y: number; w: number; h: number }>(
    'SELECT frame, x, y, w, h FROM track_boxes WHERE track_id = ? AND keyframe = 1 AND outside = 0 ORDER BY frame',
    [trackId],
  );
  return rows.map((r) => ({ frame: r.frame, box: { x: r.x, y: r.y, w: r.w, h: r.h } }));
}

/** Nearest keyframe strictly after / before `frame`, to bound a re-track at the next correction. */
export async function neighbourKeyframe(
  db: Db,
  trackId: number,
  frame: number,
  direction: 'forward' | 'backward',
) {
  const row =
    direction === 'forward'
      ? await db.get<{ f: number | null }>(
          'SELECT MIN(frame) AS f FROM track_boxes WHERE track_id = ? AND keyframe = 1 AND frame > ?',
          [trackId, frame],
        )
      : await db.get<{ f: number | null }>(
          'SELECT MAX(frame) AS f FROM track_boxes WHERE track_id = ? AND keyframe = 1 AND frame < ?',
          [trackId, frame],
        );
  return row?.f ?? null;
}

export async function updateTrack(
  db: Db,
  id: number,
  patch: { label?: string; attributes?: Record<string, unknown> },
): Promise<Track> {
  const t = await getTrack(db, id);
  await db.run('UPDATE tracks SET label = ?, attributes = ? WHERE id = ?', [
    patch.label ?? t.label,
    JSON.stringify(patch.attributes ?? t.attributes),
    id,
  ]);
  return getTrack(db, id);
}
