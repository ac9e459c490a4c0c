import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../server.js';

/**
 * Offline end-to-end run through the REST API, as a user would: sign in, open the sample video, draw a box,
 * track it, export MOT, and print what happened.
 */
export async function runDemo() {
  const dir = mkdtempSync(join(tmpdir(), 'labeler-demo-'));
  const t0 = Date.now();
  const srv = await startServer({ dataDir: dir, port: 0, log: (s) => console.log(s) });
  try {
    const admin = srv.credentials.find((c) => c.role === 'admin')!;
    let cookie = '';
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(srv.url + path, {
        method,
        headers: { 'content-type': 'application/json', cookie },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const set = res.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0];
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
    };
    await call('POST', '/api/auth/login', { username: admin.username, password: admin.password });
    const projects = await call<{ id: number; name: string }[]>('GET', '/api/projects');
    const project = await call<{
      id: number;
      media: { id: number; name: string; frameCount: number; width: number; height: number }[];
    }>('GET', `/api/projects/${projects[0].id}`);
    const video = project.media[0];
    console.log(
      `sample project "${projects[0].name}": ${video.name}, ${video.frameCount} frames ${video.width}×${video.height}`,
    );
    const { generateSyntheticVideo } = await import('../synthetic/index.js');
    const truth = generateSyntheticVideo({
      seed: 20261123,
      challenges: ['scale', 'rotation', 'lighting'],
      frameCount: 150,
    }).truth;
    const start = truth[0].box!;
    const f0 = await call<{ version: number }>('GET', `/api/media/${video.id}/frames/0`);
    const { track } = await call<{ track: { id: number } }>('POST', `/api/media/${video.id}/tracks`, {
      frame: 0,
      version: f0.version,
      label: 'object',
      box: start,
    });
    console.log(
      `drew box on frame 0 (${start.w.toFixed(0)}×${start.h.toFixed(0)} px) → track #${track.id}; tracking forward in a worker…`,
    );
    const t1 = Date.now();
    let job = await call<{ id: number; status: string; done: number; total: number; error: string | null }>(
      'POST',
      `/api/tracks/${track.id}/track`,
      { fromFrame: 0, direction: 'forward' },
    );
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      job = await call('GET', `/api/jobs/${job.id}`);
      process.stdout.write(`\r  progress ${job.done}/${job.total}`);
    }
    console.log(
      `\n  job ${job.status} in ${((Date.now() - t1) / 1000).toFixed(1)} s${job.error ? `: ${job.error}` : ''}`,
    );
    const t = await call<{
      boxes: { frame: number; box: { x: number; y: number; w: number; h: number }; outside: boolean }[];
    }>('GET', `/api/tracks/${track.id}`);
    let sum = 0;
    let n = 0;
    for (const b of t.boxes) {
      const g = truth[b.frame]?.box;
      if (!g || b.outside) continue;
      const ix = Math.max(0, Math.min(b.box.x + b.box.w, g.x + g.w) - Math.max(b.box.x, g.x));
      const iy = Math.max(0, Math.min(b.box.y + b.box.h, g.y + g.h) - Math.max(b.box.y, g.y));
      const inter = ix * iy;
      sum += inter / (b.box.w * b.box.h + g.w * g.h - inter);
      n++;
    }
    if (n)
      console.log(
        `  tracked ${n} frames; mean IoU against the generator's ground truth: ${(sum / n).toFixed(3)}`,
      );
    const mot = await call<string>('GET', `/api/projects/${projects[0].id}/export/mot`);
    const lines = mot.trim().split('\n');
    console.log(`MOT export: ${lines.length} lines, e.g.\n  ${lines.slice(0, 3).join('\n  ')}`);
    console.log(
      `demo finished in ${((Date.now() - t0) / 1000).toFixed(1)} s. Run "tessera-labeler serve" and open http://127.0.0.1:5170 to label by hand.`,
    );
  } finally {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
