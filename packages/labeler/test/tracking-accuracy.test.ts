import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Challenge } from '../src/synthetic/index.js';
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
