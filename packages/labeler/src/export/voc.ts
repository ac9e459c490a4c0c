import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { frameFileName } from '../media/decode.js';
import type { Db } from '../storage/db.js';
import type { Media } from '../storage/media.js';
import type { Project } from '../storage/projects.js';
import { frameBoxes, frameRecords, frameStem } from './records.js';
import { TAR_END, tarEntry } from './tar.js';

export const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Pascal VOC as a tar: Annotations/<stem>.xml (1-based pixel corners, as VOC tools expect) and JPEGImages/. */
export async function* vocExport(
  db: Db,
  _project: Project,
  media: Media[],
  withImages: boolean,
): AsyncGenerator<Buffer> {
  for (const m of media) {
    for await (const rec of frameRecords(db, m, withImages)) {
      const stem = frameStem(m, rec.frame);
      const objects = frameBoxes(rec)
        .map(
          (b) =>
            `  <object>\n    <name>${xmlEscape(b.label)}</name>\n    <pose>Unspecified</pose>\n    <truncated>0</truncated>\n    <difficult>0</difficult>\n    <bndbox>\n      <xmin>${Math.round(b.x) + 1}</xmin>\n      <ymin>${Math.round(b.y) + 1}</ymin>\n      <xmax>${Math.round(b.x + b.w)}</xmax>\n      <ymax>${Math.round(b.y + b.h)}</ymax>\n    </bndbox>\n  </object>\n`,
        )
        .join('');
      const xml = `<annotation>\n  <folder>JPEGImages</folder>\n  <filename>${stem}.jpg</filename>\n  <size>\n    <width>${m.width}</width>\n    <height>${m.height}</height>\n    <depth>3</depth>\n  </size>\n  <segmented>0</segmented>\n${objects}</annotation>\n`;
      yield* tarEntry(`Annotations/${stem}.xml`, xml);
      if (withImages)
        yield* tarEntry(
          `JPEGImages/${stem}.jpg`,
          readFileSync(join(m.storageDir, 'frames', frameFileName(rec.frame))),
        );
    }
  }
  yield TAR_END;
}
