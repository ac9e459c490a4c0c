import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OnnxDetector } from '../src/detect/onnx-detector.js';
import { constantYoloModel } from './onnx-model.js';

const dir = mkdtempSync(join(tmpdir(), 'labeler-onnx-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a user-supplied ONNX detector (YOLOv8 layout) runs through onnxruntime-node: decode, NMS, letterbox undone', async () => {
  // 3 anchors, 2 classes; input 64×64; the image is 128×64, so scale 0.5 and 16 px of padding top and bottom.
  const model = constantYoloModel(64, [
    [16, 17, 48],
    [32, 32, 40],
    [8, 8, 16],
    [8, 8, 8],
    [0.9, 0.8, 0.05],
    [0.1, 0, 0.7],
  ]);
  const path = join(dir, 'det.onnx');
  writeFileSync(path, model);
  const det = await OnnxDetector.load(path, { inputSize: 64, labels: ['a', 'b'], minScore: 0.25 });
  const out = await det.detect(new Uint8Array(128 * 64 * 3), 128, 64);
  assert.equal(out.length, 2, 'the overlapping weaker "a" is suppressed');
  assert.deepEqual(out[0], { label: 'a', score: out[0].score, box: { x: 24, y: 24, w: 16, h: 16 } });
  assert.ok(Math.abs(out[0].score - 0.9) < 1e-6);
  assert.deepEqual(out[1].box, { x: 80, y: 40, w: 32, h: 16 });
  assert.equal(out[1].label, 'b');
  writeFileSync(join(dir, 'junk.onnx'), 'not a model');
  await assert.rejects(OnnxDetector.load(join(dir, 'junk.onnx')), /junk\.onnx: not a loadable ONNX model/);
});

test('the same ONNX detector serves pre-labels through the REST API', async () => {
  const { spawnSync } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  const { startServer } = await import('../src/server.js');
  const { Client } = await import('./harness.js');
  const { createUser } = await import('../src/storage/users.js');
  const model = join(dir, 'api.onnx');
  writeFileSync(model, constantYoloModel(64, [[16], [32], [8], [8], [0.3], [0.9]]));
  const img = join(dir, 'wide.png');
  spawnSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'color=c=gray:size=128x64',
    '-frames:v',
    '1',
    img,
  ]);
  const srv = await startServer({
    dataDir: join(dir, 'srv'),
    port: 0,
    sample: false,
    onnxModel: model,
    onnxLabels: ['person', 'car'],
  });
  try {
    await createUser(srv.db, 'o', 'password-123', 'annotator');
    const c = new Client(srv.url);
    await c.ok('POST', '/api/auth/login', { username: 'o', password: 'password-123' });
    const p = await c.ok('POST', '/api/projects', {
      name: 'O',
      labelSchema: { classes: [{ name: 'car', color: '#ff0000' }] },
    });
    const m = await c.ok('POST', `/api/projects/${p.id}/media?name=wide.png`, undefined, readFileSync(img));
    const r = await c.ok('POST', `/api/media/${m.id}/frames/0/detect`, { version: 0, detector: 'onnx' });
    assert.equal(r.proposals, 1);
    assert.deepEqual(r.detections[0].box, { x: 24, y: 24, w: 16, h: 16 });
    assert.equal(r.detections[0].label, 'car');
    // Over a video the same detector's boxes are linked into one proposed track, which the annotator accepts.
    const { makeVfrVideo } = await import('./harness.js');
    const v = await c.ok(
      'POST',
      `/api/projects/${p.id}/media?name=v.mp4`,
      undefined,
      readFileSync(makeVfrVideo(dir, 12)),
    );
    const job = await c.ok('POST', `/api/media/${v.id}/detect-tracks`, {
      fromFrame: 0,
      toFrame: 9,
      detector: 'onnx',
    });
    const done = await srv.config.jobs.wait(job.id);
    assert.equal(done.status, 'done', done.error ?? '');
    assert.equal(done.done, 10);
    const tracks = await c.ok('GET', `/api/media/${v.id}/tracks`);
    assert.equal(tracks.length, 1);
    assert.equal(tracks[0].status, 'proposal');
    const t = await c.ok('GET', `/api/tracks/${tracks[0].id}`);
    assert.deepEqual(
      t.boxes.filter((b: { outside: boolean }) => !b.outside).map((b: { frame: number }) => b.frame),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    const accepted = await c.ok('POST', `/api/tracks/${tracks[0].id}/review`, { decision: 'accept' });
    assert.equal(accepted.status, 'pending');
    // A long run stopped part way ends 'stopped', with the frames it got through linked and stored.
    const long = await c.ok(
      'POST',
      `/api/projects/${p.id}/media?name=long.mp4`,
      undefined,
      readFileSync(makeVfrVideo(dir, 120)),
    );
    const running = await c.ok('POST', `/api/media/${long.id}/detect-tracks`, {
      fromFrame: 0,
      toFrame: 119,
      detector: 'onnx',
    });
    while ((await c.ok('GET', `/api/jobs/${running.id}`)).done < 3)
      await new Promise((r) => setTimeout(r, 5));
    await c.ok('POST', `/api/jobs/${running.id}/stop`);
    const stopped = await srv.config.jobs.wait(running.id);
    assert.equal(stopped.status, 'stopped', stopped.error ?? '');
    assert.ok(stopped.done >= 3 && stopped.done < 120, `stopped after ${stopped.done} of 120 frames`);
    const partial = await c.ok('GET', `/api/media/${long.id}/tracks`);
    assert.equal(partial.length, 1);
    const boxes = (await c.ok('GET', `/api/tracks/${partial[0].id}`)).boxes as {
      frame: number;
      outside: boolean;
    }[];
    assert.deepEqual(
      boxes.filter((b) => !b.outside).map((b) => b.frame),
      Array.from({ length: stopped.done }, (_, i) => i),
    );
    assert.equal(
      (await c.req('POST', `/api/media/${v.id}/frames/0/detect`, { version: 0, detector: 'yolo' })).status,
      400,
    );
  } finally {
    await srv.close();
  }
});
