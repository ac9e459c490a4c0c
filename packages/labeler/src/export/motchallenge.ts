import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { frameFileName } from '../media/decode.js';
import type { Db } from '../storage/db.js';
import { framePts, type Media } from '../storage/media.js';
import type { Project } from '../storage/projects.js';
import { motExport } from './mot.js';
import { TAR_END, tarEntry, tarHeader, tarPadding } from './tar.js';

/**
 * Every video of a project as a MOTChallenge sequence, in one tar laid out as MOT17/MOT20 are and as TrackEval
 * reads them: `<seq>/seqinfo.ini`, `<seq>/gt/gt.txt` (the rows of the per-video `mot` export),
 * `<seq>/img1/000001.jpg`… (unless `withImages` is false) and `seqmaps/all.txt` naming the sequences. A video's
 * gt.txt goes to a temp file first, for the size its tar header needs, so no video's rows sit in memory and
 * the file is one consistent read of the database.
 */
export async function* motChallengeExport(
  db: Db,
  project: Project,
  media: Media[],
  withImages: boolean,
): AsyncGenerator<Buffer> {
  const videos = media.filter((m) => m.kind === 'video');
  const names = sequenceNames(videos);
  yield* tarEntry('seqmaps/all.txt', `name\n${names.join('\n')}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'labeler-mot-'));
  try {
    for (const [i, v] of videos.entries()) {
      const seq = names[i];
      yield* tarEntry(
        `${seq}/seqinfo.ini`,
        [
          '[Sequence]',
          `name=${seq}`,
          'imDir=img1',
          `frameRate=${await frameRate(db, v)}`,
          `seqLength=${v.frameCount}`,
          `imWidth=${v.width}`,
          `imHeight=${v.height}`,
          'imExt=.jpg',
          '',
        ].join('\n'),
      );
      const gt = join(dir, `${i}.txt`);
      await pipeline(Readable.from(motExport(db, project, v)), createWriteStream(gt));
      const size = statSync(gt).size;
      yield tarHeader(`${seq}/gt/gt.txt`, size);
      for await (const chunk of createReadStream(gt)) yield chunk as Buffer;
      yield tarPadding(size);
      rmSync(gt);
      if (!withImages) continue;
      for (let f = 0; f < v.frameCount; f++) {
        yield* tarEntry(
          `${seq}/img1/${String(f + 1).padStart(6, '0')}.jpg`,
          readFileSync(join(v.storageDir, 'frames', frameFileName(f))),
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  yield TAR_END;
}

/**
 * Sequence names from the videos' file names (without extension, characters other than letters, digits, `-`
 * and `_` as `_`); a name taken already gets the media id after it.
 */
export function sequenceNames(videos: Media[]): string[] {
  const seen = new Set<string>();
  return videos.map((v) => {
    const stem = v.name.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '_') || 'video';
    const name = seen.has(stem) ? `${stem}-${v.id}` : stem;
    seen.add(name);
    return name;
  });
}

/**
 * Frames per second from the decoded frames' timestamps, rounded to a whole number as seqinfo.ini has it
 * (variable-rate video: its mean rate); 25 when the timestamps are missing.
 */
async function frameRate(db: Db, v: Media): Promise<number> {
  const pts = (await framePts(db, v.id)).filter((p): p is number => p !== null);
  if (pts.length < 2 || pts[pts.length - 1] <= pts[0]) return 25;
  return Math.max(1, Math.round((pts.length - 1) / (pts[pts.length - 1] - pts[0])));
}
