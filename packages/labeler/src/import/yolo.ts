import { HttpError } from '../errors/http-error.js';
import type { NewAnnotation } from '../storage/annotations.js';
import type { Media } from '../storage/media.js';
import type { Project } from '../storage/projects.js';
import type { ParsedImport } from './coco.js';
import { readTar } from './tar-read.js';
import { frameTargets, stemOf } from './targets.js';

const FIELDS = ['class', 'x_center', 'y_center', 'width', 'height'];

/**
 * A YOLO tar (obj.names or classes.txt, labels/*.txt): every line `class cx cy w h` normalised to 0..1.
 * Errors name the file, the line and the field.
 */
export function parseYoloTar(buf: Buffer, fileName: string, project: Project, media: Media[]): ParsedImport {
  let entries: { name: string; data: Buffer }[];
  try {
    entries = readTar(buf, fileName);
  } catch (err) {
    throw new HttpError(422, (err as Error).message);
  }
  const namesFile = entries.find((e) => /(^|\/)(obj\.names|classes\.txt)$/.test(e.name));
  if (!namesFile)
    throw new HttpError(
      422,
      `${fileName}: no obj.names or classes.txt listing the class names (one per line)`,
    );
  const names = namesFile.data
    .toString('utf8')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  const classes = new Set(project.labelSchema.classes.map((k) => k.name));
  const errors: string[] = [];
  const fail = (m: string) => {
    if (errors.length < 20) errors.push(m);
  };
  for (const [i, n] of names.entries()) {
    if (!classes.has(n))
      fail(
        `${namesFile.name} line ${i + 1}: "${n}" is not a class of this project (${[...classes].join(', ')})`,
      );
  }
  const targets = frameTargets(media);
  const byMedia = new Map<number, NewAnnotation[]>();
  let count = 0;
  const labelFiles = entries.filter((e) => e.name.endsWith('.txt') && e !== namesFile);
  if (labelFiles.length === 0) fail(`${fileName}: no label files (labels/<image>.txt)`);
  for (const e of labelFiles) {
    const t = targets.get(stemOf(e.name));
    if (!t) {
      fail(`${e.name}: matches no image or frame in this project`);
      continue;
    }
    for (const [li, line] of e.data.toString('utf8').split(/\r?\n/).entries()) {
      if (!line.trim()) continue;
      const parts = line.trim().split(/\s+/);
      if (parts.length !== 5) {
        fail(`${e.name} line ${li + 1}: expected 5 fields (${FIELDS.join(' ')}), got ${parts.length}`);
        continue;
      }
      const nums = parts.map(Number);
      const cls = nums[0];
      if (!Number.isInteger(cls) || cls < 0 || cls >= names.length) {
        {
          fail(
            `${e.name} line ${li + 1}: field class "${parts[0]}" must be an integer 0..${names.length - 1}`,
          );
          continue;
        }
      }
      for (let k = 1; k < 5; k++) {
        if (!Number.isFinite(nums[k]) || nums[k] < 0 || nums[k] > 1) {
          {
            fail(
              `${e.name} line ${li + 1}: field ${FIELDS[k]} "${parts[k]}" must be a number between 0 and 1`,
            );
            continue;
          }
        }
      }
      const [, cx, cy, w, h] = nums;
      const m = t.media;
      const list = byMedia.get(m.id) ?? [];
      list.push({
        frame: t.frame,
        kind: 'box',
        label: names[cls],
        data: { x: (cx - w / 2) * m.width, y: (cy - h / 2) * m.height, w: w * m.width, h: h * m.height },
        source: 'import',
        confidence: null,
        status: 'pending',
      });
      byMedia.set(m.id, list);
      count++;
    }
  }
  if (errors.length) throw new HttpError(422, errors.join('\n'), errors);
  return { byMedia, count };
}
