import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { VideoFrameSource } from '../src/media/frame-source.js';
import { generateSyntheticVideo, writeMp4 } from '../src/synthetic/index.js';
import type { Frame } from '../src/tracking/contract.js';

const dir = mkdtempSync(join(tmpdir(), 'labeler-fs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const diff = (a: Frame, b: Frame) => {
  let s = 0;
  for (let i = 0; i < a.data.length; i += 16) s += Math.abs(a.data[i] - b.data[i]);
  return s / (a.data.length / 16);
};

test('the tracker sees frame i of the encoded video as the generator rendered frame i, forward and backward', async () => {
  const video = generateSyntheticVideo({
    seed: 3,
    frameCount: 40,
    width: 160,
    height: 96,
    objectWidth: 30,
    objectHeight: 20,
  });
  const path = join(dir, 'v.mp4');
  await writeMp4(video, path);
  const src = new VideoFrameSource(path, 160, 96, 40, 8, 16);
  // forward from the start, a jump ahead, then backward across block boundaries (block 8, cache 16)
  for (const i of [0, 1, 2, 20, 21, 39, 30, 29, 28, 17, 9, 8, 3]) {
    const f = await src.frame(i);
    const own = diff(f, video.renderFrame(i));
    for (const j of [i - 1, i + 1]) {
      if (j < 0 || j >= 40) continue;
      assert.ok(
        own < diff(f, video.renderFrame(j)),
        `frame ${i} looks more like rendered frame ${j} than ${i}`,
      );
    }
    assert.ok(own < 8, `frame ${i} differs from its render by ${own.toFixed(1)} grey levels`);
  }
  await assert.rejects(src.frame(40), /outside 0\.\.39/);
  src.stop();
});
