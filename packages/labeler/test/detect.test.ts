import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { linkDetections } from '../src/detect/link.js';
import { startTestServer, type TestServer } from './harness.js';

test('linking detections: identities follow motion through a crossing, gaps close tracks', () => {
  // Two cars moving towards each other on one row, a person standing still; analytic positions.
  const frames = Array.from({ length: 20 }, (_, f) => ({
    frame: f,
    detections: [
      { label: 'car', score: 0.9, box: { x: 10 + 12 * f, y: 50, w: 40, h: 20 } },
      { label: 'car', score: 0.8, box: { x: 300 - 12 * f, y: 56, w: 40, h: 20 } },
      ...(f < 8 || f > 15 ? [{ label: 'person', score: 0.7, box: { x: 400, y: 200, w: 20, h: 50 } }] : []),
    ],
  }));
  const tracks = linkDetections(frames, 0.2, 3);
  const cars = tracks.filter((t) => t.label === 'car');
  assert.equal(cars.length, 2);
  for (const c of cars) {
    assert.equal(c.boxes.length, 20);
    const dir = Math.sign(c.boxes[19].box.x - c.boxes[0].box.x);
    // each identity keeps moving the same way through the crossing (no swap)
    assert.ok(c.boxes.every((b, i) => i === 0 || Math.sign(b.box.x - c.boxes[i - 1].box.x) === dir));
  }
  const people = tracks.filter((t) => t.label === 'person');
  assert.deepEqual(
    people.map((p) => p.boxes.length),
    [8, 4],
    'a gap of 8 frames (> maxGap 3) splits the track',
  );
});

let ts: TestServer;
before(async () => {
  ts = await startTestServer();
});
after(async () => ts?.close());

test('COCO detector (Human CenterNet, wasm, offline) proposes people on a photo; accept/reject/review', async () => {
  const human = dirname(dirname(createRequire(import.meta.url).resolve('@vladmandic/human')));
  const photo = readFileSync(join(human, 'assets', 'samples.jpg'));
  const ann = await ts.login('det', 'annotator');
  const p = await ann.ok('POST', '/api/projects', {
    name: 'Det',
    labelSchema: { classes: [{ name: 'person', color: '#00ff00' }] },
  });
  const m = await ann.ok('POST', `/api/projects/${p.id}/media?name=samples.jpg`, undefined, photo);
  assert.equal(m.kind, 'image');
  const f = await ann.ok('GET', `/api/media/${m.id}/frames/0`);
  const r = await ann.ok('POST', `/api/media/${m.id}/frames/0/detect`, {
    version: f.version,
    minScore: 0.2,
    reviewBelow: 0.5,
  });
  assert.ok(r.proposals >= 2, `expected people in the sample photo, got ${JSON.stringify(r)}`);
  for (const d of r.detections) {
    assert.equal(d.label, 'person');
    assert.ok(d.score > 0 && d.score <= 1);
    assert.ok(
      d.box.x >= -1 && d.box.y >= -1 && d.box.x + d.box.w <= m.width + 1 && d.box.y + d.box.h <= m.height + 1,
    );
  }
  const frame = await ann.ok('GET', `/api/media/${m.id}/frames/0`);
  const high = frame.annotations.filter((a: { status: string }) => a.status === 'proposal');
  const low = frame.annotations.filter((a: { status: string }) => a.status === 'review');
  assert.equal(high.length + low.length, r.proposals);
  assert.ok(high.every((a: { confidence: number }) => a.confidence >= 0.5));
  assert.ok(low.every((a: { confidence: number }) => a.confidence < 0.5));
  const queue = await ann.ok('GET', `/api/projects/${p.id}/review-queue?status=review`);
  assert.equal(queue.length, low.length);
  if (high.length) {
    const acc = await ann.ok('POST', `/api/annotations/${high[0].id}/review`, { decision: 'accept' });
    assert.equal(acc.status, 'pending');
  }
});
