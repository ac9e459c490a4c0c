import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../jobs/spawn-worker.js';
import { frameFileName } from '../media/decode.js';
import { runProcess } from '../media/probe.js';
import type { Media } from '../storage/media.js';
import type { Detection } from './coco-human.js';

/** One long-lived detector worker, loaded on first use, answering requests in order. */
export class DetectorPool {
  private worker: Worker | null = null;
  private next = 0;
  private readonly waiting = new Map<number, { ok: (d: Detection[]) => void; fail: (e: Error) => void }>();

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = spawnWorker('detect-worker', import.meta.url, null);
    w.on('message', (m: { id: number; detections?: Detection[]; error?: string }) => {
      const p = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error) p?.fail(new Error(`detector: ${m.error}`));
      else p?.ok(m.detections ?? []);
    });
    w.on('error', (e) => {
      for (const p of this.waiting.values()) p.fail(e);
      this.waiting.clear();
      this.worker = null;
    });
    this.worker = w;
    return w;
  }

  detectRgb(rgb: Uint8Array, width: number, height: number): Promise<Detection[]> {
    const id = ++this.next;
    const w = this.ensure();
    return new Promise((ok, fail) => {
      this.waiting.set(id, { ok, fail });
      w.postMessage({ id, rgb, width, height });
    });
  }

  /** Detects on a stored frame (the cached JPEG, decoded by ffmpeg to RGB). */
  async detectFrame(media: Media, frame: number): Promise<Detection[]> {
    return this.detectRgb(await frameRgb(media, frame), media.width, media.height);
  }

  async close() {
    await this.worker?.terminate();
    this.worker = null;
  }
}

/** A stored frame as RGB bytes (the cached JPEG decoded by ffmpeg). */
export async function frameRgb(media: Media, frame: number): Promise<Uint8Array> {
  const r = await runProcess('ffmpeg', [
    '-v',
    'error',
    '-i',
    join(media.storageDir, 'frames', frameFileName(frame)),
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ]);
  if (r.code !== 0) throw new Error(`could not decode frame ${frame}: ${r.stderr}`);
  return new Uint8Array(r.stdout);
}
