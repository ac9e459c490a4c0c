/**
 * Keyframes the tracker bench's labeler with every tool (keyframesAllTools in bench/tracker.ts) sets, per video,
 * on a range of seeds of one class of the synthetic set: how the labeling effort of a change is judged (the
 * tracker bench runs three seeds per class, and one keyframe on one video moves its number by 0.17 per 100).
 * One line per video as it finishes, then the total and keyframes per 100 frames.
 *   CLASS=hard SEEDS=101-136 node --import tsx bench/keyframes.ts
 * CLASS: plain, scale, rotation, lighting, blur, occlusion, exit or hard (every challenge at once; the default).
 * About 15 s a hard video on one core; two processes over halves of the range use both cores.
 */
import { generateSyntheticVideo } from '../src/synthetic/index.js';
import { machine } from './machine.js';
import { syntheticRange } from './synthetic-range.js';
import { keyframesAllTools, renderFrames } from './tracker.js';

const { name, challenges, first, last } = syntheticRange('101-112');

console.log(`keyframes with every tool, ${name}, seeds ${first}-${last}, 200 frames each; ${machine()}`);
let total = 0;
let frames = 0;
for (let seed = first; seed <= last; seed++) {
  const video = generateSyntheticVideo({ seed, challenges });
  const keyframes = await keyframesAllTools(video, renderFrames(video));
  total += keyframes;
  frames += video.truth.length;
  console.log(`${seed} ${keyframes}`);
}
console.log(
  `${total} keyframes over ${last - first + 1} videos, ${((100 * total) / frames).toFixed(2)} per 100 frames`,
);
