/** Starts the real server (real database, real ffmpeg) on a loopback port and talks to it like the browser does. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '../src/server.js';
import { createUser, type Role } from '../src/storage/users.js';

export class Client {
  cookie = '';
  constructor(readonly base: string) {}
  async req(
    method: string,
    path: string,
    body?: unknown,
    raw?: Buffer,
  ): Promise<{ status: number; data: any; text: string; headers: Headers }> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...(raw ? { 'content-type': 'application/octet-stream' } : { 'content-type': 'application/json' }),
        cookie: this.cookie,
      },
      body: raw ? new Uint8Array(raw) : body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    const buf = Buffer.from(await res.arrayBuffer());
    const text = buf.toString('utf8');
    let data: any = text;
    try {
      data = JSON.parse(text);
    } catch {}
    return { status: res.status, data, text, headers: res.headers };
  }
  async ok(method: string, path: string, body?: unknown, raw?: Buffer) {
    const r = await this.req(method, path, body, raw);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status}: ${r.text}`);
    return r.data;
  }
}

export interface TestServer {
  srv: RunningServer;
  dir: string;
  login(username: string, role: Role): Promise<Client>;
  close(): Promise<void>;
}

export async function startTestServer(databaseUrl?: string, maxUploadBytes?: number): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'labeler-api-'));
  const srv = await startServer({ dataDir: dir, databaseUrl, port: 0, sample: false, maxUploadBytes });
  return {
    srv,
    dir,
    async login(username, role) {
      await createUser(srv.db, username, 'password-123', role);
      const c = new Client(srv.url);
      await c.ok('POST', '/api/auth/login', { username, password: 'password-123' });
      return c;
    },
    async close() {
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A small variable-frame-rate H.264 mp4 whose frame i is a flat grey of level 8*i (so the index of any decoded
 * frame can be read back from its pixels), with timestamps 40 ms apart for 10 frames, then 100 ms apart.
 */
export function makeVfrVideo(
  dir: string,
  frames = 24,
  codec: 'libx264' | 'libvpx-vp9' = 'libx264',
  ext = 'mp4',
): string {
  const w = 64;
  const h = 48;
  const raw = Buffer.alloc(w * h * frames);
  for (let i = 0; i < frames; i++) raw.fill(8 * i + 16, i * w * h, (i + 1) * w * h);
  const out = join(dir, `vfr.${ext}`);
  const r = spawnSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      '-s',
      `${w}x${h}`,
      '-r',
      '25',
      '-i',
      'pipe:0',
      '-vf',
      'setpts=(if(lt(N\\,10)\\,N*0.04\\,0.4+(N-10)*0.1))/TB,format=yuv420p',
      '-fps_mode',
      'passthrough',
      '-c:v',
      codec,
      ...(codec === 'libx264' ? ['-crf', '1', '-preset', 'ultrafast'] : ['-lossless', '1']),
      out,
    ],
    { input: raw },
  );
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  return out;
}

/** Mean grey level of a JPEG, decoded by ffmpeg (independent of the server's decoding path). */
export function jpegMean(jpeg: Buffer): number {
  const r = spawnSync(
    'ffmpeg',
    ['-v', 'error', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'],
    { input: jpeg, maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`ffmpeg could not decode the frame: ${r.stderr}`);
  let s = 0;
  for (const b of r.stdout) s += b;
  return s / r.stdout.length;
}

/** Frame timestamps as ffprobe reports them. */
export function ffprobePts(path: string): number[] {
  const r = spawnSync(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', path],
    { encoding: 'utf8' },
  );
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => Number(l.split(',')[0]));
}

/** An H.264 mp4 of ffmpeg's moving test pattern (`testsrc2`, 320x240) at 25 fps. */
export function makeTestPatternVideo(path: string, seconds: number): string {
  const r = spawnSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=320x240:rate=25:duration=${seconds}`,
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
  if (r.status !== 0) throw new Error(`ffmpeg could not make ${path}: ${r.stderr}`);
  return path;
}
