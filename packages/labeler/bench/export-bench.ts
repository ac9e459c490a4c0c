/**
 * Export of one million boxes: seconds and peak memory, against the floor of merely scanning the same rows
 * from the database (what any exporter must at least do).
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { exportStream } from '../src/export/index.js';
import { insertMedia } from '../src/storage/media.js';
import { openDb } from '../src/storage/open.js';
import { createProject } from '../src/storage/projects.js';
import { createUser } from '../src/storage/users.js';
import { measure } from './machine.js';

export async function exportBench(boxes = 1_000_000, perFrame = 100) {
  const dir = mkdtempSync(join(tmpdir(), 'labeler-bench-export-'));
  const rows: string[] = [];
  try {
    const db = await openDb(join(dir, 'bench.sqlite'));
    const u = await createUser(db, 'bench', 'bench-password', 'admin');
    const classes = ['car', 'person', 'bike'].map((name, i) => ({
      name,
      color: ['#ff0000', '#00ff00', '#0000ff'][i],
      attributes: [],
    }));
    const project = await createProject(db, 'bench', { classes }, u);
    const frames = Math.ceil(boxes / perFrame);
    const media = await insertMedia(
      db,
      {
        projectId: project.id,
        name: 'bench.mp4',
        kind: 'video',
        codec: 'h264',
        width: 1920,
        height: 1080,
        frameCount: frames,
        storageDir: dir,
      },
      Array.from({ length: frames }, (_, i) => i / 25),
    );
    process.stdout.write(
      `  inserting ${boxes.toLocaleString()} boxes over ${frames.toLocaleString()} frames…`,
    );
    const t0 = performance.now();
    await db.tx(async (t) => {
      const now = Date.now();
      for (let f = 0; f < frames; f++) {
        const vals: (string | number)[] = [];
        for (let k = 0; k < perFrame; k++) {
          vals.push(
            media.id,
            f,
            'box',
            classes[k % 3].name,
            JSON.stringify({ x: (k * 17) % 1800, y: (k * 11) % 1000, w: 40 + (k % 30), h: 30 + (k % 20) }),
            '{}',
            'import',
            'pending',
            now,
          );
        }
        await t.run(
          `INSERT INTO annotations (media_id, frame, kind, label, data, attributes, source, status, updated_at) VALUES ${Array(perFrame).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          vals,
        );
      }
    });
    console.log(` ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const scan = await measure(async () => {
      let n = 0;
      let last = -1;
      let lastId = 0;
      for (;;) {
        const page = await db.all<{ id: number; frame: number; data: string }>(
          'SELECT id, frame, data FROM annotations WHERE media_id = ? AND (frame > ? OR (frame = ? AND id > ?)) ORDER BY frame, id LIMIT 5000',
          [media.id, last, last, lastId],
        );
        n += page.length;
        if (page.length < 5000) break;
        last = page[page.length - 1].frame;
        lastId = page[page.length - 1].id;
      }
      return n;
    });
    rows.push(
      `| scan only (floor) | ${boxes.toLocaleString()} | ${scan.seconds.toFixed(1)} | ${scan.peakMb.toFixed(0)} | 1.00 | – |`,
    );
    for (const format of ['coco', 'yolo', 'voc', 'mot']) {
      if (format === 'mot') continue; // MOT exports tracks; measured below with track boxes
      const out = join(dir, `out.${format}`);
      const r = await measure(async () => {
        const ex = exportStream(db, project, [media], format, { images: false });
        await pipeline(Readable.from(ex.body), createWriteStream(out));
      });
      const size = statSync(out).size / 1024 ** 2;
      rows.push(
        `| ${format} | ${boxes.toLocaleString()} | ${r.seconds.toFixed(1)} | ${r.peakMb.toFixed(0)} | ${(r.seconds / scan.seconds).toFixed(2)} | ${size.toFixed(0)} MB |`,
      );
      console.log(
        `  ${format}: ${r.seconds.toFixed(1)} s, peak RSS ${r.peakMb.toFixed(0)} MB, ${size.toFixed(0)} MB written`,
      );
      rmSync(out);
    }
    // Tracks: the same number of boxes as track boxes (perFrame tracks, each on every frame), for MOT and CVAT.
    const video = await insertMedia(
      db,
      {
        projectId: project.id,
        name: 'tracks.mp4',
        kind: 'video',
        codec: 'h264',
        width: 1920,
        height: 1080,
        frameCount: frames,
        storageDir: dir,
      },
      Array.from({ length: frames }, (_, i) => i / 25),
    );
    await db.tx(async (t) => {
      for (let k = 0; k < perFrame; k++) {
        const tr = await t.get<{ id: number }>(
          `INSERT INTO tracks (media_id, label, attributes, status, created_at) VALUES (?, ?, '{}', 'pending', ?) RETURNING id`,
          [video.id, classes[k % 3].name, Date.now()],
        );
        const CH = 500;
        for (let f0 = 0; f0 < frames; f0 += CH) {
          const n = Math.min(CH, frames - f0);
          const vals: number[] = [];
          for (let f = f0; f < f0 + n; f++)
            vals.push(tr!.id, f, (k * 17 + f) % 1800, (k * 11) % 1000, 40, 30, f === 0 ? 1 : 0);
          await t.run(
            `INSERT INTO track_boxes (track_id, frame, x, y, w, h, outside, occluded, keyframe, source, confidence) VALUES ${Array(n).fill("(?, ?, ?, ?, ?, ?, 0, 0, ?, 'tracker', 0.9)").join(', ')}`,
            vals,
          );
        }
      }
    });
    for (const format of ['mot', 'motchallenge', 'cvat']) {
      const out = join(dir, `out.${format}`);
      const r = await measure(async () => {
        const ex = exportStream(db, project, [video], format, { mediaId: video.id, images: false });
        await pipeline(Readable.from(ex.body), createWriteStream(out));
      });
      const size = statSync(out).size / 1024 ** 2;
      rows.push(
        `| ${format} (track boxes) | ${boxes.toLocaleString()} | ${r.seconds.toFixed(1)} | ${r.peakMb.toFixed(0)} | ${(r.seconds / scan.seconds).toFixed(2)} | ${size.toFixed(0)} MB |`,
      );
      console.log(
        `  ${format}: ${r.seconds.toFixed(1)} s, peak RSS ${r.peakMb.toFixed(0)} MB, ${size.toFixed(0)} MB written`,
      );
      rmSync(out);
    }
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
