import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { frameFileName } from '../media/decode.js';
import type { Db } from '../storage/db.js';
import type { Media } from '../storage/media.js';
import type { Project } from '../storage/projects.js';
import { frameBoxes, frameRecords, frameStem } from './records.js';
import { TAR_END, tarEntry } from './tar.js';

const r6 = (v: number) => Math.min(1, Math.max(0, v)).toFixed(6);

/** YOLO (Darknet/Ultralytics) as a tar: obj.names, labels/<stem>.txt with normalised centre boxes, images/ optionally. */
export async function* yoloExport(
  db: Db,
  project: Project,
  media: Media[],
  withImages: boolean,
): AsyncGenerator<Buffer> {
  const names = project.labelSchema.classes.map((k) => k.name);
  const index = new Map(names.map((n, i) => [n, i]));
  yield* tarEntry('obj.names', `${names.join('\n')}\n`);
  yield* tarEntry(
    'data.yaml',
    `names:\n${names.map((n, i) => `  ${i}: ${JSON.stringify(n)}`).join('\n')}\ntrain: images\nval: images\n`,
  );
  for (const m of media) {
    for await (const rec of frameRecords(db, m, withImages)) {
      const stem = frameStem(m, rec.frame);
      const lines = frameBoxes(rec)
        .filter((b) => index.has(b.label) && b.w > 0 && b.h > 0)
        .map(
          (b) =>
            `${index.get(b.label)} ${r6((b.x + b.w / 2) / m.width)} ${r6((b.y + b.h / 2) / m.height)} ${r6(b.w / m.width)} ${r6(b.h / m.height)}`,
        );
      yield* tarEntry(`labels/${stem}.txt`, lines.length ? `${lines.join('\n')}\n` : '');
      if (withImages)
        yield* tarEntry(
          `images/${stem}.jpg`,
          readFileSync(join(m.storageDir, 'frames', frameFileName(rec.frame))),
        );
    }
  }
  yield TAR_END;
}
