import { HttpError } from '../errors/http-error.js';
import type { NewAnnotation } from '../storage/annotations.js';
import type { Media } from '../storage/media.js';
import type { Project } from '../storage/projects.js';
import { type FrameTarget, frameTargets, stemOf } from './targets.js';

export interface ParsedImport {
  byMedia: Map<number, NewAnnotation[]>;
  count: number;
}

const MAX_ERRORS = 20;

/**
 * Validates a whole COCO file before anything is stored; every problem names the file and the field path
 * (e.g. `annotations[3].bbox`). Images are matched to frames by file name.
 */
export function parseCoco(text: string, fileName: string, project: Project, media: Media[]): ParsedImport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new HttpError(422, `${fileName}: not valid JSON (${(err as Error).message})`);
  }
  const errors: string[] = [];
  const fail = (msg: string) => {
    if (errors.length < MAX_ERRORS) errors.push(`${fileName}: ${msg}`);
  };
  const d = doc as { images?: unknown; annotations?: unknown; categories?: unknown };
  if (typeof d !== 'object' || d === null)
    throw new HttpError(422, `${fileName}: top level must be an object with images, annotations, categories`);
  for (const k of ['images', 'annotations', 'categories'] as const) {
    if (!Array.isArray(d[k])) fail(`field "${k}" must be an array`);
  }
  if (errors.length) throw new HttpError(422, errors.join('\n'), errors);
  const classes = new Set(project.labelSchema.classes.map((k) => k.name));
  const cats = new Map<number, string>();
  for (const [i, c] of (d.categories as { id?: unknown; name?: unknown }[]).entries()) {
    if (typeof c?.id !== 'number') {
      fail(`field "categories[${i}].id" must be a number`);
      continue;
    }
    if (typeof c.name !== 'string') {
      fail(`field "categories[${i}].name" must be a string`);
      continue;
    }
    if (!classes.has(c.name)) {
      fail(
        `field "categories[${i}].name": "${c.name}" is not a class of this project (${[...classes].join(', ')})`,
      );
      continue;
    }
    cats.set(c.id, c.name);
  }
  const targets = frameTargets(media);
  const images = new Map<number, FrameTarget>();
  for (const [i, im] of (d.images as { id?: unknown; file_name?: unknown }[]).entries()) {
    if (typeof im?.id !== 'number') {
      fail(`field "images[${i}].id" must be a number`);
      continue;
    }
    if (typeof im.file_name !== 'string') {
      fail(`field "images[${i}].file_name" must be a string`);
      continue;
    }
    const t = targets.get(stemOf(im.file_name));
    if (!t) {
      fail(`field "images[${i}].file_name": "${im.file_name}" matches no image or frame in this project`);
      continue;
    }
    images.set(im.id, t);
  }
  const byMedia = new Map<number, NewAnnotation[]>();
  let count = 0;
  for (const [i, a] of (
    d.annotations as { image_id?: unknown; category_id?: unknown; bbox?: unknown; score?: unknown }[]
  ).entries()) {
    const t = images.get(a?.image_id as number);
    if (!t) {
      fail(`field "annotations[${i}].image_id": ${JSON.stringify(a?.image_id)} is not an id in images`);
      continue;
    }
    const label = cats.get(a.category_id as number);
    if (!label) {
      fail(
        `field "annotations[${i}].category_id": ${JSON.stringify(a.category_id)} is not an id in categories`,
      );
      continue;
    }
    const bb = a.bbox;
    if (
      !Array.isArray(bb) ||
      bb.length !== 4 ||
      !bb.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
      bb[2] < 0 ||
      bb[3] < 0
    ) {
      {
        fail(
          `field "annotations[${i}].bbox" must be [x, y, width, height] with non-negative width and height, got ${JSON.stringify(bb)}`,
        );
        continue;
      }
    }
    const list = byMedia.get(t.media.id) ?? [];
    list.push({
      frame: t.frame,
      kind: 'box',
      label,
      data: { x: bb[0], y: bb[1], w: bb[2], h: bb[3] },
      source: 'import',
      confidence: typeof a.score === 'number' ? a.score : null,
      status: 'pending',
    });
    byMedia.set(t.media.id, list);
    count++;
  }
  if (errors.length) throw new HttpError(422, errors.join('\n'), errors);
  return { byMedia, count };
}
