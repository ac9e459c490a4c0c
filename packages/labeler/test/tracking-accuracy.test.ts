import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Challenge, generateSyntheticVideo } from '../src/synthetic/index.js';
import { CorrelationTracker } from '../src/tracking/tracker.js';
import { trackSynthetic } from './track-synthetic.js';

/**
 * Accuracy per difficulty class on synthetic videos whose true boxes are known. Floors are the values
 * measured with `node --import tsx bench/tracker.ts` on these seeds, less a margin; the benchmark reports
 * the full numbers (and the opencv.js TrackerMIL peer) over more seeds.
 */
const CLASSES: Array<{
  name: string;
  challenges: Challenge[];
  seed: number;
  meanIou: number;
  success: number;
}> = [
  { name: 'plain', challenges: [], seed: 21, meanIou: 0.85, success: 0.95 },
  { name: 'scale', challenges: ['scale'], seed: 21, meanIou: 0.85, success: 0.95 },
  { name: 'rotation', challenges: ['rotation'], seed: 21, meanIou: 0.85, success: 0.95 },
  { name: 'lighting', challenges: ['lighting'], seed: 21, meanIou: 0.85, success: 0.95 },
  { name: 'blur', challenges: ['blur'], seed: 21, meanIou: 0.85, success: 0.95 },
  { name: 'occlusion', challenges: ['occlusion'], seed: 21, meanIou: 0.8, success: 0.9 },
  { name: 'exit and re-entry', challenges: ['exit'], seed: 21, meanIou: 0.8, success: 0.85 },
  {
    name: 'all at once (hard)',
    challenges: ['scale', 'rotation', 'lighting', 'blur', 'occlusion', 'exit'],
    seed: 21,
    meanIou: 0.3,
    success: 0.3,
  },
];

for (const c of CLASSES) {
  test(`tracker keeps the object under ${c.name}: mean IoU > ${c.meanIou}, IoU>=0.5 on > ${c.success * 100}% of frames`, async () => {
    const score = await trackSynthetic(c.challenges, c.seed);
    assert.ok(score.meanIou > c.meanIou, `${c.name}: mean IoU ${score.meanIou.toFixed(3)} <= ${c.meanIou}`);
    assert.ok(
      score.successRate > c.success,
      `${c.name}: success ${score.successRate.toFixed(3)} <= ${c.success}`,
    );
  });
}

test('the box keeps the object size over 200 frames: size error over frames 150-199 within 2%', async () => {
  // The learnt filter takes in each frame's small size error; a scale chosen by it alone drifted small
  // (plain seed 103: 5.9% small over frames 150-199; scale seeds 101 and 103 about 4% and 7%).
  for (const [seed, challenges] of [
    [103, []],
    [101, ['scale']],
    [103, ['scale']],
  ] as Array<[number, Challenge[]]>) {
    const video = generateSyntheticVideo({ seed, challenges });
    const tracker = new CorrelationTracker(video.renderFrame(0), video.truth[0].box!);
    let logSum = 0;
    let frames = 0;
    for (let i = 1; i < video.spec.frameCount; i++) {
      const step = tracker.update(video.renderFrame(i));
      const truth = video.truth[i];
      if (i < 150 || truth.outside || truth.visibleFraction < 1 || !step.box || !truth.box) continue;
      logSum += 0.5 * Math.log((step.box.w * step.box.h) / (truth.box.w * truth.box.h));
      frames++;
    }
    const error = Math.exp(logSum / frames) - 1;
    assert.ok(frames >= 40, `seed ${seed} ${challenges}: only ${frames} frames in view to measure`);
    assert.ok(Math.abs(error) < 0.02, `seed ${seed} ${challenges}: size ${(error * 100).toFixed(1)}% off`);
  }
});
