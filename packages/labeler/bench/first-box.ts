/**
 * Mean IoU from the first box, per video, on a range of seeds of one class of the synthetic set: the number the
 * tracker's changes are measured by (the tracker bench runs three seeds; one video swings by ±0.1 with a change
 * that moves where the object is lost or found, so a change is judged over many). Runs `trackObject` as the app
 * does (run back over lost frames, smoothing). One line per video as it finishes, then the mean.
 *   CLASS=hard SEEDS=101-164 node --import tsx bench/first-box.ts
 * CLASS: plain, scale, rotation, lighting, blur, occlusion, exit or hard (every challenge at once; the default).
 * About 2 s a video on one core; two processes over halves of the range use both cores.
 */
import { trackSynthetic } from '../test/track-synthetic.js';
import { machine } from './machine.js';
import { syntheticRange } from './synthetic-range.js';

const { name, challenges, first, last } = syntheticRange('101-116');

console.log(`mean IoU from the first box, ${name}, seeds ${first}-${last}, 200 frames each; ${machine()}`);
const means: number[] = [];
for (let seed = first; seed <= last; seed++) {
  const { meanIou } = await trackSynthetic(challenges, seed);
  means.push(meanIou);
  console.log(`${seed} ${meanIou.toFixed(4)}`);
}
console.log(
  `mean ${(means.reduce((s, v) => s + v, 0) / means.length).toFixed(4)} over ${means.length} videos`,
);
