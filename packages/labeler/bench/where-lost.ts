/**
 * Where the tracker loses IoU, from the first box, over a range of synthetic videos: the IoU lost (1 - IoU,
 * summed over frames) split by what the generator says each frame shows (blur, a plank over the object, the
 * object cut by the frame edge and whether it is coming in or going out, its size and turn against the first
 * frame), and the frames under IoU 0.5 by kind of failure. The mean IoU says how far off the aim the tracker is;
 * this says which condition to work on. Tracks as bench/first-box.ts does (trackObject as the app runs it).
 *   CLASS=hard SEEDS=101-164 node --import tsx bench/where-lost.ts
 * About 2 s a video on one core.
 */
import { generateSyntheticVideo, type SyntheticVideo } from '../src/synthetic/index.js';
import { type Box, frameScore, type TrackStep, trackObject } from '../src/tracking/index.js';
import { collectSteps } from '../test/track-synthetic.js';
import { machine } from './machine.js';
import { syntheticRange } from './synthetic-range.js';

/** One frame's score and the conditions it was tracked under, each as a dimension and a group within it. */
interface FrameRow {
  score: number;
  groups: Array<[dimension: string, group: string]>;
  failure: string | null;
}

const FAILURE_BELOW = 0.5;
const DIMENSIONS = [
  'all',
  'view',
  'frame edge',
  'plank over it',
  'blur radius',
  'size against frame 0',
  'turned',
];
const GROUP_ORDER = [
  'in view',
  'whole in view',
  'cut, half or more in view, coming in',
  'cut, under half in view, coming in',
  'cut, half or more in view, going out',
  'cut, under half in view, going out',
  'none',
  'under 30%',
  'under 0.75x',
  '0.75-1.33x',
  'under 10 deg',
  '10-25 deg',
];

function frameRows(video: SyntheticVideo, steps: TrackStep[]): FrameRow[] {
  const firstScale = video.poses[0].scale;
  return steps.map((step) => {
    const i = step.frame;
    const truth = video.truth[i];
    const pose = video.poses[i];
    const score = frameScore(truth, step);
    const groups: FrameRow['groups'] = [['all', 'all']];
    if (truth.outside) {
      groups.push(['view', 'outside']);
    } else {
      groups.push(['view', 'in view']);
      const before = video.truth[i - 1]?.visibleFraction ?? 1;
      const way = truth.visibleFraction < before ? 'going out' : 'coming in';
      groups.push([
        'frame edge',
        truth.visibleFraction >= 1
          ? 'whole in view'
          : truth.visibleFraction >= 0.5
            ? `cut, half or more in view, ${way}`
            : `cut, under half in view, ${way}`,
      ]);
      const covered = truth.occludedFraction;
      groups.push(['plank over it', covered === 0 ? 'none' : covered < 0.3 ? 'under 30%' : '30% or more']);
      groups.push(['blur radius', String(pose.blurRadius)]);
      const size = pose.scale / firstScale;
      groups.push([
        'size against frame 0',
        size < 0.75 ? 'under 0.75x' : size <= 1.33 ? '0.75-1.33x' : 'over 1.33x',
      ]);
      const turn = Math.abs((pose.angle * 180) / Math.PI);
      groups.push(['turned', turn < 10 ? 'under 10 deg' : turn < 25 ? '10-25 deg' : '25 deg or more']);
    }
    return { score, groups, failure: score < FAILURE_BELOW ? failureKind(truth, step) : null };
  });
}

function failureKind(truth: { box: Box | null; outside: boolean }, step: TrackStep): string {
  if (truth.outside || !truth.box) return 'box while outside';
  if (step.outside || !step.box) return 'marked outside while in view';
  const area = (step.box.w * step.box.h) / (truth.box.w * truth.box.h);
  return area < 0.6
    ? 'box under 0.6x the area'
    : area > 1.6
      ? 'box over 1.6x the area'
      : 'box off the object';
}

/** Per dimension and group: frames, mean IoU, IoU lost and its share of all that is lost. */
function lossTable(rows: FrameRow[]): string[] {
  const total = rows.reduce((s, r) => s + (1 - r.score), 0);
  const cells = new Map<string, { dimension: string; group: string; frames: number; sum: number }>();
  for (const r of rows) {
    for (const [dimension, group] of r.groups) {
      const key = `${dimension}\u0000${group}`;
      const cell = cells.get(key) ?? { dimension, group, frames: 0, sum: 0 };
      cell.frames++;
      cell.sum += r.score;
      cells.set(key, cell);
    }
  }
  const lines = [
    '| condition | group | frames | mean IoU | IoU lost | share of loss |',
    '|---|---|---|---|---|---|',
  ];
  const order = (c: { dimension: string; group: string }) =>
    `${DIMENSIONS.indexOf(c.dimension)}\u0000${String(GROUP_ORDER.indexOf(c.group) + 1 || 99).padStart(2, '0')}\u0000${c.group}`;
  for (const c of [...cells.values()].sort((x, y) => (order(x) < order(y) ? -1 : 1))) {
    const lost = c.frames - c.sum;
    lines.push(
      `| ${c.dimension} | ${c.group} | ${c.frames} | ${(c.sum / c.frames).toFixed(3)} | ${lost.toFixed(0)} | ${total > 0 ? ((100 * lost) / total).toFixed(1) : '0.0'}% |`,
    );
  }
  return lines;
}

function failureTable(rows: FrameRow[]): string[] {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.failure) counts.set(r.failure, (counts.get(r.failure) ?? 0) + 1);
  const failed = [...counts.values()].reduce((s, n) => s + n, 0);
  const lines = [`frames under IoU ${FAILURE_BELOW}: ${failed} of ${rows.length}`];
  for (const [kind, n] of [...counts].sort((a, b) => b[1] - a[1])) lines.push(`  ${kind}: ${n}`);
  return lines;
}

const { name, challenges, first, last } = syntheticRange('101-116');
console.log(`where IoU is lost from the first box, ${name}, seeds ${first}-${last}; ${machine()}`);
const rows: FrameRow[] = [];
for (let seed = first; seed <= last; seed++) {
  const video = generateSyntheticVideo({ seed, challenges, frameCount: 200 });
  const steps = await collectSteps(
    trackObject({ source: video.source, startFrame: 0, startBox: video.truth[0].box!, direction: 'forward' }),
  );
  const own = frameRows(video, steps);
  rows.push(...own);
  const mean = own.reduce((s, r) => s + r.score, 0) / own.length;
  process.stderr.write(`${seed} ${mean.toFixed(4)}\n`);
}
console.log(lossTable(rows).join('\n'));
console.log(failureTable(rows).join('\n'));
