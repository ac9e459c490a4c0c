import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHALLENGES, type Challenge } from '../src/synthetic/index.js';
import { trackSynthetic } from './track-synthetic.js';

/**
 * The difficulties of the hard synthetic class that broke the tracker, each on generated videos with
 * known boxes. Every bound here failed with the tracker before re-detection searched all poses and
 * drift was checked by colour (its score is in each comment), and holds with a margin now.
 */
async function meanIou(challenges: Challenge[], seed: number): Promise<number> {
  return (await trackSynthetic(challenges, seed)).meanIou;
}

// Out of view the object keeps changing: it comes back smaller or larger and turned the other way, so
// re-detection that looks only near its pose at loss never finds it (old: 0.40 and 0.44).
for (const seed of [22, 103]) {
  test(`an object that leaves the frame and comes back rescaled and turned is found again (seed ${seed}): mean IoU > 0.8`, async () => {
    const iou = await meanIou(['exit', 'scale', 'rotation'], seed);
    assert.ok(iou > 0.8, `mean IoU ${iou.toFixed(3)} <= 0.8`);
  });
}

// A plank sliding over the object gave a clear correlation peak on itself; the filter followed the
// plank for the rest of the video (old: 0.30). The plank is not the object's colour.
test('the tracker does not stay on an occluder that slid over the object (seed 103): mean IoU > 0.75', async () => {
  const iou = await meanIou(['occlusion'], 103);
  assert.ok(iou > 0.75, `mean IoU ${iou.toFixed(3)} <= 0.75`);
});

// Everything at once, averaged over four videos (two trackers back: 0.51, 0.23, 0.55, 0.35, mean 0.41;
// before the first box's filter had to confirm re-detections: 0.60, 0.82, 0.77, 0.57, mean 0.69).
test('all challenges at once (hard class), seeds 21-24: mean IoU > 0.72', async () => {
  const ious: number[] = [];
  for (const seed of [21, 22, 23, 24]) ious.push(await meanIou([...CHALLENGES], seed));
  const mean = ious.reduce((a, b) => a + b, 0) / ious.length;
  assert.ok(mean > 0.72, `mean IoU ${mean.toFixed(3)} <= 0.72 (${ious.map((v) => v.toFixed(3)).join(', ')})`);
});

// While the object is out of view the re-detection search scores the whole frame every frame, and a
// background patch with the object's layout and colours (here a blurred cluster of blobs) sooner or later
// passes the learned filter's bar: the learned filter has seen the object blurred, dim and half covered.
// The filter trained on the first box alone must agree. Old: a box on the look-alike on 27 of the
// frames where the object was away, mean IoU 0.419.
test('while the object is away, a look-alike in the scene is not taken for it (hard class, seed 115)', async () => {
  const score = await trackSynthetic([...CHALLENGES], 115);
  assert.ok(
    score.boxedWhileOutside <= 5,
    `a box on ${score.boxedWhileOutside} frames where the object is outside`,
  );
  assert.ok(score.meanIou > 0.65, `mean IoU ${score.meanIou.toFixed(3)} <= 0.65`);
});
