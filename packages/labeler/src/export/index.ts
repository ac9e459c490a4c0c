import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { badRequest } from '../errors/http-error.js';
import type { Db } from '../storage/db.js';
import type { Media } from '../storage/media.js';
import type { Project } from '../storage/projects.js';
import { cocoExport } from './coco.js';
import { cvatVideoExport } from './cvat.js';
import { motExport } from './mot.js';
import { motChallengeExport } from './motchallenge.js';
import { vocExport } from './voc.js';
import { tarOfFiles, writeWebDataset } from './webdataset.js';
import { yoloExport } from './yolo.js';

export const EXPORT_FORMATS = ['coco', 'yolo', 'voc', 'mot', 'motchallenge', 'cvat', 'webdataset'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportStream {
  contentType: string;
  fileName: string;
  body: AsyncIterable<string | Buffer>;
}

/** Chooses the writer; per-video formats (MOT, CVAT video) take one video, the first one unless named. */
export function exportStream(
  db: Db,
  project: Project,
  media: Media[],
  format: string,
  opts: { images?: boolean; mediaId?: number; samplesPerShard?: number } = {},
): ExportStream {
  const base = project.name.replace(/[^A-Za-z0-9_-]+/g, '_');
  const pickVideo = () => {
    const v =
      opts.mediaId !== undefined
        ? media.find((m) => m.id === opts.mediaId)
        : media.find((m) => m.kind === 'video');
    if (!v)
      throw badRequest(
        opts.mediaId !== undefined
          ? `media ${opts.mediaId} is not in project ${project.id}`
          : `format ${format} needs a video and project ${project.id} has none`,
      );
    return v;
  };
  switch (format) {
    case 'coco':
      return {
        contentType: 'application/json',
        fileName: `${base}-coco.json`,
        body: cocoExport(db, project, media),
      };
    case 'yolo':
      return {
        contentType: 'application/x-tar',
        fileName: `${base}-yolo.tar`,
        body: yoloExport(db, project, media, opts.images ?? true),
      };
    case 'voc':
      return {
        contentType: 'application/x-tar',
        fileName: `${base}-voc.tar`,
        body: vocExport(db, project, media, opts.images ?? true),
      };
    case 'mot': {
      const v = pickVideo();
      return {
        contentType: 'text/plain',
        fileName: `${base}-${v.id}-gt.txt`,
        body: motExport(db, project, v),
      };
    }
    case 'motchallenge':
      return {
        contentType: 'application/x-tar',
        fileName: `${base}-motchallenge.tar`,
        body: motChallengeExport(db, project, media, opts.images ?? true),
      };
    case 'cvat': {
      const v = pickVideo();
      return {
        contentType: 'application/xml',
        fileName: `${base}-${v.id}-cvat.xml`,
        body: cvatVideoExport(db, project, v),
      };
    }
    case 'webdataset': {
      async function* body() {
        const dir = mkdtempSync(join(tmpdir(), 'labeler-wds-'));
        try {
          const shards = await writeWebDataset(db, project, media, dir, {
            samplesPerShard: opts.samplesPerShard,
          });
          yield* tarOfFiles(shards);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      return { contentType: 'application/x-tar', fileName: `${base}-webdataset.tar`, body: body() };
    }
    default:
      throw badRequest(`unknown export format "${format}"; use one of ${EXPORT_FORMATS.join(', ')}`);
  }
}
