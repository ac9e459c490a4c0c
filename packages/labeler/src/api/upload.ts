import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { HttpError } from '../errors/http-error.js';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Streams a request body to a temp file, refusing it (and deleting the partial file) past `limit` bytes. */
export async function receiveUpload(req: Request, dir: string, limit: number): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new HttpError(
      413,
      `upload is ${mb(declared)}, over the limit of ${mb(limit)} (set --max-upload-mb to raise it)`,
    );
  }
  if (!req.body) throw new HttpError(400, 'upload has no body; send the file bytes as the request body');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `upload-${randomUUID()}`);
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > limit)
        cb(new HttpError(413, `upload is over the limit of ${mb(limit)} (set --max-upload-mb to raise it)`));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(req.body as unknown as WebReadableStream),
      counter,
      createWriteStream(path),
    );
  } catch (err) {
    rmSync(path, { force: true });
    throw err;
  }
  if (seen === 0) {
    rmSync(path, { force: true });
    throw new HttpError(400, 'upload is empty');
  }
  return path;
}
