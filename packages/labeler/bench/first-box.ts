/**
 * Mean IoU from the first box, per video, on a range of seeds of one class of the synthetic set: the number the
 * tracker's changes are measured by (the tracker bench runs three seeds; one video swings by ±0.1 with a change
 * that moves where the object is lost or found, so a change is judged over many). Runs `trackObject` as the app
 * does (run back over lost frames, smoothing). One line per video as it finishes, then the mean.
 *   CLASS=hard SEEDS=101-164 node --import tsx bench/first-box.ts
 * CLASS: plain, scale, rotation, lighting, blur, occlusion, exit or hard (every challenge at once; the default).
 * About 2 s a video on one core; two processes over halves of the range use both cores.
 */
import { CHALLENGES, type Challenge } from '../src/synthetic/index.js';
import { trackSynthetic } from '../test/track-synthetic.js';
import { machine } from './machine.js';

const name = process.env.CLASS ?? 'hard';
const classes = ['plain', 'hard', ...CHALLENGES];
if (!classes.includes(name)) throw new Error(`CLASS must be one of ${classes.join(', ')}; got ${name}`);
const challenges: Challenge[] =
  name === 'hard' ? [...CHALLENGES] : name === 'plain' ? [] : [name as Challenge];
const range = process.env.SEEDS ?? '101-116';
const match = /^(\d+)-(\d+)$/.exec(range);
if (!match || Number(match[1]) > Number(match[2]))
  throw new Error(`SEEDS must be a range like 101-164; got ${range}`);
const [first, last] = [Number(match[1]), Number(match[2])];

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
