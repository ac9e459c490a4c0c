import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Db } from '../storage/db.js';
import { insertMedia, type Media } from '../storage/media.js';
import { decodeFrames } from './decode.js';
import { probeMedia } from './probe.js';

/**
 * Turns an uploaded file into stored media: probe, decode every frame into a staging folder, then one
 * transaction for the rows, then the folder moves into place. Any failure removes the staging folder and
 * leaves the database untouched.
 */
export async function ingestMedia(
  db: Db,
  mediaRoot: string,
  projectId: number,
  uploadedPath: string,
  name: string,
): Promise<Media> {
  const probe = await probeMedia(uploadedPath, name);
  const id = randomUUID();
  const staging = join(mediaRoot, `.staging-${id}`);
  const final = join(mediaRoot, id);
  mkdirSync(join(staging, 'frames'), { recursive: true });
  try {
    const original = join(
      staging,
      `original${extname(name).toLowerCase() || (probe.kind === 'image' ? '.img' : '.video')}`,
    );
    renameSync(uploadedPath, original);
    const { pts } = await decodeFrames(original, join(staging, 'frames'), name);
    const files = readdirSync(join(staging, 'frames')).length;
    if (files !== pts.length)
      throw new Error(`decoded ${files} frame files but ffmpeg reported ${pts.length} frames`);
    if (probe.kind === 'image' && pts.length !== 1)
      throw new Error(`image "${name}" decoded to ${pts.length} frames`);
    renameSync(staging, final);
    try {
      return await insertMedia(
        db,
        {
          projectId,
          name,
          kind: probe.kind,
          codec: probe.codec,
          width: probe.width,
          height: probe.height,
          frameCount: pts.length,
          storageDir: final,
        },
        probe.kind === 'image' ? [null] : pts,
      );
    } catch (err) {
      rmSync(final, { recursive: true, force: true });
      throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function originalFile(m: Media): string {
  const f = readdirSync(m.storageDir).find((n) => n.startsWith('original'));
  if (!f) throw new Error(`media ${m.id} has lost its original file in ${m.storageDir}`);
  return join(m.storageDir, f);
}
