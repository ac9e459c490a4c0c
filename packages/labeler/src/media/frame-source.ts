import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Frame, FrameSource } from '../tracking/contract.js';

/**
 * Frames of a video as RGBA by exact index for the tracker. A decoder streams frames in order starting at an
 * index chosen with ffmpeg's select filter on the decoded frame counter `n` (never a timestamp), so index i is
 * always the i-th decoded frame, the same numbering as the JPEG cache. Backward access decodes a block ending at
 * the requested frame and serves it from a cache.
 */
export class VideoFrameSource implements FrameSource {
  private readonly cache = new Map<number, Frame>();
  private proc: ChildProcessByStdio<null, Readable, Readable> | null = null;
  private nextIndex = -1;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private ended = false;
  /** Why the decoder stopped short, when it failed (its exit code and the end of what it printed). */
  private failure: string | null = null;
  private waiter: (() => void) | null = null;

  constructor(
    private readonly path: string,
    readonly width: number,
    readonly height: number,
    readonly frameCount: number,
    private readonly block = 48,
    private readonly cacheLimit = 160,
  ) {}

  private get frameBytes() {
    return this.width * this.height * 4;
  }

  private start(from: number) {
    this.stop();
    const args = [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-i',
      this.path,
      '-map',
      '0:v:0',
      '-fps_mode',
      'passthrough',
    ];
    if (from > 0) args.push('-vf', `select=gte(n\\,${from})`);
    args.push('-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1');
    const p = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = p;
    this.nextIndex = from;
    this.pending = [];
    this.pendingBytes = 0;
    this.ended = false;
    this.failure = null;
    let said = '';
    p.stderr.on('data', (c: Buffer) => {
      said = (said + c.toString()).slice(-400);
    });
    p.stdout.on('data', (c: Buffer) => {
      this.pending.push(c);
      this.pendingBytes += c.length;
      if (this.pendingBytes > this.frameBytes * 4) p.stdout.pause();
      this.waiter?.();
    });
    const finished = (failure: string | null) => {
      if (this.proc !== p) return;
      this.ended = true;
      this.failure = failure;
      this.waiter?.();
    };
    p.on('error', (err) => finished(`ffmpeg could not be run: ${err.message}`));
    p.on('close', (code) =>
      finished(code === 0 ? null : `ffmpeg exited with code ${code}: ${said.trim() || '(nothing printed)'}`),
    );
  }

  private async readOne(): Promise<Frame | null> {
    const need = this.frameBytes;
    while (this.pendingBytes < need) {
      if (this.ended) return null;
      this.proc?.stdout.resume();
      await new Promise<void>((r) => {
        this.waiter = r;
      });
      this.waiter = null;
    }
    // Copied chunk by chunk straight into the frame: joining the pending chunks first copied up to the four
    // frames read ahead, every frame.
    const data = new Uint8ClampedArray(need);
    let at = 0;
    while (at < need) {
      const chunk = this.pending[0];
      const take = Math.min(chunk.length, need - at);
      data.set(take === chunk.length ? chunk : chunk.subarray(0, take), at);
      at += take;
      if (take === chunk.length) this.pending.shift();
      else this.pending[0] = chunk.subarray(take);
    }
    this.pendingBytes -= need;
    if (this.pendingBytes <= this.frameBytes * 4) this.proc?.stdout.resume();
    return { width: this.width, height: this.height, data };
  }

  private remember(i: number, f: Frame) {
    this.cache.set(i, f);
    while (this.cache.size > this.cacheLimit) this.cache.delete(this.cache.keys().next().value as number);
  }

  async frame(index: number): Promise<Frame> {
    if (!Number.isInteger(index) || index < 0 || index >= this.frameCount) {
      throw new RangeError(`frame ${index} is outside 0..${this.frameCount - 1}`);
    }
    const hit = this.cache.get(index);
    if (hit) return hit;
    const ahead = this.proc && index >= this.nextIndex && index - this.nextIndex < this.block;
    if (!ahead)
      this.start(index < this.nextIndex || !this.proc ? Math.max(0, index - this.block + 1) : index);
    // Backward requests start a block early so the following frames (index-1, index-2, ...) are cached.
    for (;;) {
      const f = await this.readOne();
      if (!f && this.failure) throw new Error(`could not decode ${this.path}: ${this.failure}`);
      if (!f) throw new Error(`video ended before frame ${index} (decoded up to ${this.nextIndex - 1})`);
      const i = this.nextIndex++;
      this.remember(i, f);
      if (i === index) return f;
    }
  }

  stop() {
    if (this.proc) {
      this.proc.stdout.destroy();
      this.proc.kill('SIGKILL');
    }
    this.proc = null;
  }

  /** Stops decoding and lets go of the cached frames (a later frame() decodes again). */
  close() {
    this.stop();
    this.cache.clear();
  }
}
