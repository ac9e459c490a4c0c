import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHALLENGES, type Challenge, generateSyntheticVideo } from '../src/synthetic/index.js';
import { findCrossingBand } from '../src/tracking/occluder.js';

// A box drawn on a half-covered object holds part of the plank that covers it; the plank's columns look
// the same inside the box as above and below it, the object's do not.
test('the plank over part of a first box is found (occlusion seed 101, frame 114)', () => {
  const video = generateSyntheticVideo({ seed: 101, challenges: ['occlusion'] });
  const box = video.truth[114].box!;
  const pose = video.poses[114];
  const plank0 = Math.max(box.x, pose.occluderX! - pose.occluderWidth / 2);
  const plank1 = Math.min(box.x + box.w, pose.occluderX! + pose.occluderWidth / 2);
  const band = findCrossingBand(video.renderFrame(114), box);
  assert.ok(band, 'no band found');
  assert.equal(band.axis, 'x');
  assert.ok(
    Math.abs(band.lo - plank0) <= 3 && Math.abs(band.hi - plank1) <= 3,
    `band ${band.lo}-${band.hi}, plank ${plank0.toFixed(1)}-${plank1.toFixed(1)}`,
  );
});

test('no band is found in a box with nothing over the object (every class, seeds 101-103)', () => {
  const classes: Challenge[][] = [
    [],
    ['scale'],
    ['rotation'],
    ['lighting'],
    ['blur'],
    ['occlusion'],
    ['exit'],
    [...CHALLENGES],
  ];
  const found: string[] = [];
  for (const challenges of classes) {
    for (const seed of [101, 102, 103]) {
      const video = generateSyntheticVideo({ seed, challenges: [...challenges] });
      for (let i = 0; i < 200; i += 20) {
        const truth = video.truth[i];
        if (truth.outside || !truth.box || truth.occludedFraction > 0) continue;
        const band = findCrossingBand(video.renderFrame(i), truth.box);
        if (band)
          found.push(`${challenges.join('+') || 'plain'} seed ${seed} frame ${i}: ${JSON.stringify(band)}`);
      }
    }
  }
  assert.deepEqual(found, []);
});
