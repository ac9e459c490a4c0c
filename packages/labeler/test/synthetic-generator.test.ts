import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { CHALLENGES, encodePng, generateSyntheticVideo, writeMp4 } from '../src/synthetic/index.js';

test('same seed gives identical frames and truth; another seed gives a different video', async () => {
  const a = generateSyntheticVideo({ seed: 7, challenges: [...CHALLENGES], frameCount: 20 });
  const b = generateSyntheticVideo({ seed: 7, challenges: [...CHALLENGES], frameCount: 20 });
  const c = generateSyntheticVideo({ seed: 8, challenges: [...CHALLENGES], frameCount: 20 });
  assert.deepEqual(a.truth, b.truth);
  const fa = await a.source.frame(13);
  const fb = await b.source.frame(13);
  const fc = await c.source.frame(13);
  assert.deepEqual(Buffer.from(fa.data), Buffer.from(fb.data));
  assert.notDeepEqual(Buffer.from(fa.data), Buffer.from(fc.data));
  assert.equal(fa.width, 640);
  assert.equal(fa.data.length, 640 * 360 * 4);
});

/**
 * Independent check of the truth boxes: render each frame with and without the object and find the pixels
 * that differ. They must lie inside the truth box (widened by the blur radius), and without occlusion or
 * blur they must reach out to its edges, so the box is neither too big nor too small.
 */
for (const challenges of [['rotation', 'scale'], ['exit'], ['occlusion', 'blur', 'lighting']] as const) {
  test(`truth boxes enclose exactly the rendered object (${challenges.join('+')})`, () => {
    const video = generateSyntheticVideo({ seed: 3, challenges: [...challenges], frameCount: 200 });
    let checkedTight = 0;
    for (let i = 0; i < video.spec.frameCount; i += 7) {
      const withObject = video.renderFrame(i).data;
      const without = video.renderFrame(i, { withObject: false }).data;
      const { width: W, height: H } = video.spec;
      let x0 = W;
      let y0 = H;
      let x1 = -1;
      let y1 = -1;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const p = (y * W + x) * 4;
          const d =
            Math.abs(withObject[p] - without[p]) +
            Math.abs(withObject[p + 1] - without[p + 1]) +
            Math.abs(withObject[p + 2] - without[p + 2]);
          if (d < 6) continue;
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x + 1);
          y1 = Math.max(y1, y + 1);
        }
      }
      const truth = video.truth[i];
      const pose = video.poses[i];
      const slack = 1.5 + 2 * pose.blurRadius;
      if (truth.outside) {
        // Outside means less than a quarter of the box is in the frame: any rendered pixels hug the edge.
        if (x1 > x0)
          assert.ok(Math.min(x1, W - x0) <= 0.25 * W, `frame ${i}: object marked outside is well inside`);
        continue;
      }
      const box = truth.box!;
      assert.ok(x1 > x0, `frame ${i}: object not rendered although truth says visible`);
      assert.ok(x0 >= box.x - slack && y0 >= box.y - slack, `frame ${i}: pixels left/above the truth box`);
      assert.ok(
        x1 <= box.x + box.w + slack && y1 <= box.y + box.h + slack,
        `frame ${i}: pixels right/below box`,
      );
      if (pose.occluderX === null && pose.blurRadius === 0) {
        assert.ok(
          x1 - x0 >= box.w - 3 && y1 - y0 >= box.h - 3,
          `frame ${i}: rendered object smaller than truth`,
        );
        checkedTight++;
      }
    }
    if (!(challenges as readonly string[]).includes('occlusion')) assert.ok(checkedTight > 10);
  });
}

test('each challenge changes what it says: scale, rotation, lighting, blur, occlusion, exit', () => {
  const range = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
  const poses = (c: (typeof CHALLENGES)[number]) =>
    generateSyntheticVideo({ seed: 2, challenges: [c] }).poses;
  assert.ok(range(poses('scale').map((p) => p.scale)) > 1);
  assert.ok(range(poses('rotation').map((p) => p.angle)) > 1);
  assert.ok(range(poses('lighting').map((p) => p.sceneGain)) > 0.6);
  assert.ok(Math.max(...poses('blur').map((p) => p.blurRadius)) >= 3);
  const occluded = generateSyntheticVideo({ seed: 2, challenges: ['occlusion'] }).truth;
  assert.ok(Math.max(...occluded.map((t) => t.occludedFraction)) > 0.5);
  const exit = generateSyntheticVideo({ seed: 2, challenges: ['exit'] }).truth;
  const outside = exit.map((t) => t.outside);
  assert.ok(outside.some((o) => o) && !outside[0]);
  const reentries = outside.filter((o, i) => i > 0 && outside[i - 1] && !o).length;
  assert.ok(reentries >= 1, 'the object comes back after leaving');
  const plain = generateSyntheticVideo({ seed: 2 }).poses;
  assert.equal(range(plain.map((p) => p.scale)), 0);
  assert.ok(range(plain.map((p) => p.backgroundX)) > 20, 'the background moves in every video');
});

test('bad specs are rejected with a message naming the field', () => {
  assert.throws(
    () => generateSyntheticVideo({ seed: 1, challenges: ['wobble' as never] }),
    /unknown challenge "wobble"/,
  );
  assert.throws(() => generateSyntheticVideo({ seed: 1, width: 10 }), /width and height/);
  assert.throws(() => generateSyntheticVideo({ seed: 1, frameCount: 0 }), /frameCount/);
  assert.throws(() => generateSyntheticVideo({ seed: Number.NaN }), /seed/);
  assert.throws(() => generateSyntheticVideo({ seed: 1, objectWidth: 400 }), /object/);
  const video = generateSyntheticVideo({ seed: 1, frameCount: 5 });
  assert.throws(() => video.renderFrame(5), /outside 0\.\.4/);
});

test('writeMp4 produces an H.264 file ffprobe reads back with the right size and frame count', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'labeler-synthetic-'));
  try {
    const video = generateSyntheticVideo({
      seed: 5,
      challenges: ['scale'],
      frameCount: 12,
      width: 320,
      height: 180,
      objectWidth: 40,
      objectHeight: 28,
    });
    const path = join(dir, 'clip.mp4');
    const progress: number[] = [];
    await writeMp4(video, path, { onProgress: (done) => progress.push(done) });
    assert.equal(progress.at(-1), 12);
    assert.ok(statSync(path).size > 1000);
    const probe = execFileSync('ffprobe', [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,width,height,nb_read_frames',
      '-of',
      'json',
      path,
    ]).toString();
    const stream = JSON.parse(probe).streams[0];
    assert.equal(stream.codec_name, 'h264');
    assert.equal(stream.width, 320);
    assert.equal(stream.height, 180);
    assert.equal(Number(stream.nb_read_frames), 12);
    await assert.rejects(
      writeMp4(video, join(dir, 'missing-dir', 'x.mp4')),
      /ffmpeg.*missing-dir.*No such file or directory/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('encodePng writes a valid PNG whose pixels decode back', () => {
  const width = 5;
  const height = 3;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 256;
  const png = encodePng({ width, height, data });
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.readUInt32BE(16), width);
  assert.equal(png.readUInt32BE(20), height);
  const idatLength = png.readUInt32BE(33);
  assert.equal(png.subarray(37, 41).toString('ascii'), 'IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 4 + 1)], 0);
    assert.deepEqual(
      [...raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1))],
      [...data.subarray(y * width * 4, (y + 1) * width * 4)],
    );
  }
});
