/**
 * A track job outlives the server process: the real CLI server (`serve`, SQLite, the generated sample video) is
 * killed (SIGKILL) or stopped (SIGTERM, as Ctrl+C) while a job runs, started again on the same data directory,
 * and the job goes on to the end. Its boxes are checked against a run of the same track nobody interrupted.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDb } from '../src/storage/open.js';
import { generateSyntheticVideo } from '../src/synthetic/index.js';
import { Client } from './harness.js';
import { constantYoloModel } from './onnx-model.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'labeler-restart-'));
const started: ChildProcess[] = [];
after(() => {
  // A failed check must not leave a server behind (it would hold the test run open).
  for (const proc of started) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Server {
  proc: ChildProcess;
  url: string;
  output: () => string;
}

/** `tessera-labeler serve --port 0` from the sources, resolved once it prints where it listens. */
async function serve(...extra: string[]): Promise<Server> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--data', dataDir, ...extra],
    { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  started.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 180 s:\n${out}`)), 180_000);
    const look = () => {
      const m = /Tessera labeler on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    proc.stdout!.on('data', look);
    proc.on('exit', (code) => fail(new Error(`server exited (${code}) before listening:\n${out}`)));
  });
  return { proc, url, output: () => out };
}

function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((ok) => proc.on('exit', (code) => ok(code)));
}

async function signIn(url: string): Promise<Client> {
  const creds = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as {
    username: string;
    password: string;
    role: string;
  }[];
  const annotator = creds.find((c) => c.role === 'annotator')!;
  const client = new Client(url);
  await client.ok('POST', '/api/auth/login', { username: annotator.username, password: annotator.password });
  return client;
}

/** The sample video and the object's box on its first frame (the sample's own generator gives it). */
async function sampleVideo(client: Client): Promise<{ mediaId: number; frameCount: number }> {
  const projects = await client.ok('GET', '/api/projects');
  const project = await client.ok('GET', `/api/projects/${projects[0].id}`);
  return { mediaId: project.media[0].id, frameCount: project.media[0].frameCount };
}
const firstBox = generateSyntheticVideo({
  seed: 20261123,
  challenges: ['scale', 'rotation', 'lighting'],
  frameCount: 150,
}).truth[0].box!;

async function newTrack(client: Client, mediaId: number): Promise<number> {
  const f0 = await client.ok('GET', `/api/media/${mediaId}/frames/0`);
  const { track } = await client.ok('POST', `/api/media/${mediaId}/tracks`, {
    frame: 0,
    version: f0.version,
    label: 'object',
    box: firstBox,
  });
  return track.id;
}

/** Polls the job until `until` holds for it, or 120 s pass. */
async function waitJob(client: Client, jobId: number, until: (job: any) => boolean): Promise<any> {
  const end = Date.now() + 120_000;
  for (;;) {
    const job = await client.ok('GET', `/api/jobs/${jobId}`);
    if (until(job)) return job;
    if (Date.now() > end) throw new Error(`job ${jobId} still ${JSON.stringify(job)} after 120 s`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

type StoredBox = {
  frame: number;
  x: number;
  y: number;
  w: number;
  h: number;
  outside: boolean;
  source: string;
};
const boxesOf = async (client: Client, trackId: number) =>
  (await client.ok('GET', `/api/tracks/${trackId}`)).boxes as StoredBox[];

test('a track job killed with its server, or stopped with it, goes on after a restart and ends with the boxes of an unbroken run', {
  timeout: 240_000,
}, async () => {
  let server = await serve();
  let client = await signIn(server.url);
  const { mediaId, frameCount } = await sampleVideo(client);
  const killed = await newTrack(client, mediaId);
  const stoppedWith = await newTrack(client, mediaId);
  const unbroken = await newTrack(client, mediaId);

  // Killed mid-run: the process ends at once, with the job marked running and some boxes written.
  let job = await client.ok('POST', `/api/tracks/${killed}/track`, { fromFrame: 0, direction: 'forward' });
  assert.equal(job.total, frameCount - 1);
  const atKill = await waitJob(client, job.id, (j) => j.done > 0 || j.status !== 'running');
  server.proc.kill('SIGKILL');
  await exited(server.proc);
  assert.equal(atKill.status, 'running', 'the job ended before the server could be killed mid-run');
  assert.ok(atKill.done < atKill.total);
  const db = await openDb(join(dataDir, 'labeler.sqlite'));
  const stored = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM track_boxes WHERE track_id = ?', [
    killed,
  ]);
  await db.close();
  const writtenBefore = Number(stored?.n);
  assert.ok(writtenBefore > 1 && writtenBefore < frameCount, `${writtenBefore} boxes stored at the kill`);

  server = await serve();
  assert.match(
    server.output(),
    new RegExp(`resumed track job ${job.id} \\(track ${killed}, \\d+ frames left\\)`),
  );
  client = await signIn(server.url);
  job = await waitJob(client, job.id, (j) => j.status !== 'running');
  assert.equal(job.status, 'done', job.error);
  assert.equal(job.done, job.total);

  // Stopped as Ctrl+C stops it: the server closes, the job stays to be resumed, not marked stopped.
  let second = await client.ok('POST', `/api/tracks/${stoppedWith}/track`, {
    fromFrame: 0,
    direction: 'forward',
  });
  const atStop = await waitJob(client, second.id, (j) => j.done > 0 || j.status !== 'running');
  server.proc.kill('SIGTERM');
  assert.equal(await exited(server.proc), 0);
  assert.equal(atStop.status, 'running', 'the job ended before the server could be stopped mid-run');

  server = await serve();
  client = await signIn(server.url);
  second = await waitJob(client, second.id, (j) => j.status !== 'running');
  assert.equal(second.status, 'done', second.error);

  const reference = await client.ok('POST', `/api/tracks/${unbroken}/track`, {
    fromFrame: 0,
    direction: 'forward',
  });
  assert.equal((await waitJob(client, reference.id, (j) => j.status !== 'running')).status, 'done');
  const want = await boxesOf(client, unbroken);
  assert.equal(want.length, frameCount);
  for (const trackId of [killed, stoppedWith]) {
    const got = await boxesOf(client, trackId);
    assert.equal(got.length, frameCount, `track ${trackId}: one box per frame`);
    for (const [i, b] of got.entries()) {
      const w = want[i];
      assert.deepEqual(
        [b.frame, b.x, b.y, b.w, b.h, b.outside, b.source],
        [w.frame, w.x, w.y, w.w, w.h, w.outside, w.source],
        `track ${trackId} frame ${b.frame} differs from the unbroken run`,
      );
    }
  }
  server.proc.kill('SIGTERM');
  await exited(server.proc);
});

test('a detect-tracks job killed with its server goes on from the frames it had detected, and links them as an unbroken run does', {
  timeout: 240_000,
}, async () => {
  // A user's ONNX detector (YOLOv8 layout) that finds one "object" at the same place on every frame.
  const model = join(dataDir, 'constant.onnx');
  writeFileSync(model, constantYoloModel(64, [[32], [32], [16], [12], [0.9], [0.05]]));
  const labels = join(dataDir, 'labels.txt');
  writeFileSync(labels, 'object\nperson\n');
  const onnx = ['--onnx', model, '--onnx-labels', labels];
  let server = await serve(...onnx);
  let client = await signIn(server.url);
  const { mediaId } = await sampleVideo(client);
  // 40 frames: each is decoded by ffmpeg for the detector, about 0.15 s a frame here.
  const frames = 40;
  const range = { fromFrame: 0, toFrame: frames - 1, detector: 'onnx' };
  let job = await client.ok('POST', `/api/media/${mediaId}/detect-tracks`, range);
  const atKill = await waitJob(client, job.id, (j) => j.done >= 5 || j.status !== 'running');
  server.proc.kill('SIGKILL');
  await exited(server.proc);
  assert.equal(atKill.status, 'running', 'the job ended before the server could be killed mid-run');

  server = await serve(...onnx);
  assert.match(
    server.output(),
    new RegExp(`resumed detect-tracks job ${job.id} \\(\\d+ of ${frames} frames detected\\)`),
  );
  client = await signIn(server.url);
  job = await waitJob(client, job.id, (j) => j.status !== 'running');
  assert.equal(job.status, 'done', job.error);
  assert.equal(job.done, frames);
  const linked = (await client.ok('GET', `/api/media/${mediaId}/tracks`)).filter(
    (t: { status: string }) => t.status === 'proposal',
  );
  assert.equal(linked.length, 1, 'one proposed track, linked once');

  const reference = await client.ok('POST', `/api/media/${mediaId}/detect-tracks`, range);
  assert.equal((await waitJob(client, reference.id, (j) => j.status !== 'running')).status, 'done');
  const proposals = (await client.ok('GET', `/api/media/${mediaId}/tracks`)).filter(
    (t: { status: string }) => t.status === 'proposal',
  );
  assert.equal(proposals.length, 2);
  const [got, want]: StoredBox[][] = await Promise.all(
    proposals.map((t: { id: number }) => boxesOf(client, t.id)),
  );
  const strip = (bs: StoredBox[]) => bs.map((b) => [b.frame, b.x, b.y, b.w, b.h, b.outside, b.source]);
  assert.equal(got.filter((b) => !b.outside).length, frames, 'a box on every frame');
  assert.deepEqual(strip(got), strip(want));
  server.proc.kill('SIGTERM');
  await exited(server.proc);
});
