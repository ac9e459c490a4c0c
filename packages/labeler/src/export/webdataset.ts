import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { frameFileName } from '../media/decode.js';
import type { Db } from '../storage/db.js';
import type { Media } from '../storage/media.js';
import type { Project } from '../storage/projects.js';
import { frameBoxes, frameRecords, frameStem } from './records.js';
import { TAR_END, tarEntry, tarHeader, tarPadding } from './tar.js';

export interface WdsOptions {
  /** Samples per shard (WebDataset's `maxcount`). */
  samplesPerShard?: number;
  prefix?: string;
  onShard?: (path: string, samples: number) => void;
}

/**
 * WebDataset shards: numbered POSIX tars `<prefix>-000000.tar`, each sample a frame as adjacent files sharing a
 * basename without dots: `<stem>.jpg` and `<stem>.json` (boxes, labels, track ids). Every frame of every media
 * is a sample, in order, written straight to disk.
 */
export async function writeWebDataset(
  db: Db,
  project: Project,
  media: Media[],
  outDir: string,
  opts: WdsOptions = {},
) {
  const per = opts.samplesPerShard ?? 1000;
  const prefix = opts.prefix ?? project.name.replace(/[^A-Za-z0-9_-]+/g, '_');
  const shards: string[] = [];
  let out: ReturnType<typeof createWriteStream> | null = null;
  let inShard = 0;
  const write = async (b: Buffer) => {
    if (!out!.write(b)) await once(out!, 'drain');
  };
  const close = async () => {
    if (!out) return;
    await write(TAR_END);
    out.end();
    await once(out, 'close');
    opts.onShard?.(shards[shards.length - 1], inShard);
    out = null;
  };
  for (const m of media) {
    for await (const rec of frameRecords(db, m, true)) {
      if (!out || inShard >= per) {
        await close();
        const path = join(outDir, `${prefix}-${String(shards.length).padStart(6, '0')}.tar`);
        shards.push(path);
        out = createWriteStream(path);
        inShard = 0;
      }
      const stem = frameStem(m, rec.frame);
      const meta = {
        media: m.name,
        frame: rec.frame,
        width: m.width,
        height: m.height,
        boxes: frameBoxes(rec).map((b) => ({
          label: b.label,
          bbox: [b.x, b.y, b.w, b.h],
          track_id: b.trackId ?? null,
        })),
        tags: rec.annotations.filter((a) => a.kind === 'tag').map((a) => a.label),
      };
      for (const part of tarEntry(
        `${stem}.jpg`,
        readFileSync(join(m.storageDir, 'frames', frameFileName(rec.frame))),
      ))
        await write(part);
      for (const part of tarEntry(`${stem}.json`, JSON.stringify(meta))) await write(part);
      inShard++;
    }
  }
  await close();
  return shards;
}

/** Files on disk packed into one tar stream (used to send several shards in one HTTP response). */
export async function* tarOfFiles(paths: string[]): AsyncGenerator<Buffer> {
  for (const p of paths) {
    const size = statSync(p).size;
    yield tarHeader(basename(p), size);
    for await (const chunk of createReadStream(p)) yield chunk as Buffer;
    yield tarPadding(size);
  }
  yield TAR_END;
}
