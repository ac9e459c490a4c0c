import { boxBetweenKeyframes, type KeyBox } from '../annotations/interpolate.js';
import type { Annotation, TrackBox } from '../annotations/types.js';
import { iterateAnnotations } from '../storage/annotations.js';
import type { Db } from '../storage/db.js';
import type { Media } from '../storage/media.js';
import { toTrackBox } from '../storage/tracks.js';

export interface FrameRecord {
  media: Media;
  frame: number;
  annotations: Annotation[];
  /** Track boxes visible on this frame (stored or interpolated), without outside ones. */
  tracks: (TrackBox & { label: string })[];
}

/**
 * Stored track boxes of a media in (frame, track) order, read in windows of frames sized to about `page` boxes, so
 * they are never all in memory and each query sorts only its window (the primary key is (track, frame), so a
 * frame-range query per track is an index search).
 */
async function* iterateTrackBoxes(db: Db, media: Media, page = 5000): AsyncGenerator<TrackBox> {
  let window = 64;
  for (let from = 0; from < media.frameCount; ) {
    const to = Math.min(media.frameCount, from + window);
    const rows = await db.all<Parameters<typeof toTrackBox>[0]>(
      `SELECT b.* FROM track_boxes b JOIN tracks t ON t.id = b.track_id
       WHERE t.media_id = ? AND t.status NOT IN ('rejected', 'proposal') AND b.frame >= ? AND b.frame < ?
       ORDER BY b.frame, b.track_id`,
      [media.id, from, to],
    );
    for (const r of rows) yield toTrackBox(r);
    from = to;
    window = Math.max(1, Math.min(4096, Math.round((window * page) / Math.max(rows.length, 1))));
  }
}

/**
 * Walks a media's frames in order, merging the annotation stream and the track-box stream, filling track gaps
 * by interpolation between keyframes. Yields only frames with something on them unless `everyFrame`.
 */
export async function* frameRecords(db: Db, media: Media, everyFrame = false): AsyncGenerator<FrameRecord> {
  const tracks = await db.all<{ id: number; label: string }>(
    `SELECT id, label FROM tracks WHERE media_id = ? AND status NOT IN ('rejected', 'proposal') ORDER BY id`,
    [media.id],
  );
  const labels = new Map(tracks.map((t) => [t.id, t.label]));
  const keys = new Map<number, KeyBox[]>();
  for (const r of await db.all<Parameters<typeof toTrackBox>[0]>(
    `SELECT b.* FROM track_boxes b JOIN tracks t ON t.id = b.track_id WHERE t.media_id = ? AND b.keyframe = 1 AND t.status NOT IN ('rejected', 'proposal') ORDER BY b.frame`,
    [media.id],
  )) {
    const b = toTrackBox(r);
    const list = keys.get(b.trackId) ?? [];
    list.push({ frame: b.frame, box: b.box, outside: b.outside });
    keys.set(b.trackId, list);
  }
  const anns = iterateAnnotations(db, media.id);
  const boxes = iterateTrackBoxes(db, media);
  let a = await anns.next();
  let b = await boxes.next();
  for (let f = 0; f < media.frameCount; f++) {
    const rec: FrameRecord = { media, frame: f, annotations: [], tracks: [] };
    while (!a.done && a.value.frame === f) {
      rec.annotations.push(a.value);
      a = await anns.next();
    }
    const stored = new Set<number>();
    while (!b.done && b.value.frame === f) {
      stored.add(b.value.trackId);
      const label = labels.get(b.value.trackId);
      if (label !== undefined && !b.value.outside) rec.tracks.push({ ...b.value, label });
      b = await boxes.next();
    }
    for (const [trackId, kb] of keys) {
      if (stored.has(trackId) || kb[0].frame > f) continue;
      const box = boxBetweenKeyframes(kb, f, media);
      if (box) {
        rec.tracks.push({
          trackId,
          frame: f,
          box,
          outside: false,
          occluded: false,
          keyframe: false,
          source: 'interpolated',
          confidence: null,
          label: labels.get(trackId)!,
        });
      }
    }
    if (everyFrame || rec.annotations.length > 0 || rec.tracks.length > 0) yield rec;
  }
}

/** Every box-like thing on a frame as [label, x, y, w, h] (polygons and keypoints by their bounds). */
export function frameBoxes(
  rec: FrameRecord,
): { label: string; x: number; y: number; w: number; h: number; trackId?: number }[] {
  const out: { label: string; x: number; y: number; w: number; h: number; trackId?: number }[] = [];
  for (const a of rec.annotations) {
    const bb = annotationBounds(a);
    if (bb) out.push({ label: a.label, ...bb });
  }
  for (const t of rec.tracks) out.push({ label: t.label, ...t.box, trackId: t.trackId });
  return out;
}

export function annotationBounds(a: Annotation): { x: number; y: number; w: number; h: number } | null {
  if (a.kind === 'box') return a.data as { x: number; y: number; w: number; h: number };
  if (a.kind === 'polygon' || a.kind === 'keypoints') {
    const pts = (a.data as { points: number[][] }).points;
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y };
  }
  return null;
}

/** A name for a frame that is unique in the project and safe as a file basename (no dots, for WebDataset). */
export function frameStem(media: Media, frame: number): string {
  const stem = media.name.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '_');
  return media.kind === 'image'
    ? `${media.id}_${stem}`
    : `${media.id}_${stem}_${String(frame).padStart(6, '0')}`;
}
