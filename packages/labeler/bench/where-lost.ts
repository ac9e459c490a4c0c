/**
 * Where the tracker loses IoU, from the first box, over a range of synthetic videos: the IoU lost (1 - IoU,
 * summed over frames) split by what the generator says each frame shows (blur, a plank over the object, the
 * object cut by the frame edge and whether it is coming in or going out, its size and turn against the first
 * frame), and the frames under IoU 0.5 by kind of failure. The mean IoU says how far off the aim the tracker is;
 * this says which condition to work on. Tracks as bench/first-box.ts does (trackObject as the app runs it).
 *   CLASS=hard SEEDS=101-164 node --import tsx bench/where-lost.ts
 * About 2 s a video on one core.
 */
import type { FramePose, TruthStep } from '../src/synthetic/index.js';
import { frameScore, type TrackStep } from '../src/tracking/index.js';
import { trackSyntheticSteps } from '../test/track-synthetic.js';
import { machine } from './machine.js';
import { syntheticRange } from './synthetic-range.js';

const FAILURE_BELOW = 0.5;

/** What the generator says of one frame. */
interface FrameFacts {
  truth: TruthStep;
  pose: FramePose;
  /** Share of the object in view on the frame before (1 on the first). */
  visibleBefore: number;
  /** The object's size against frame 0. */
  size: number;
}

/** A condition of the object in view says nothing of a frame where it is outside. */
const inView =
  (of: (f: FrameFacts) => string) =>
  (f: FrameFacts): string | null =>
    f.truth.outside ? null : of(f);

/** Each condition sorts a frame into one of its groups (in the order printed), or leaves it out (null). */
const CONDITIONS: Array<{ name: string; groups: string[]; of: (f: FrameFacts) => string | null }> = [
  { name: 'all', groups: ['all'], of: () => 'all' },
  { name: 'view', groups: ['in view', 'outside'], of: (f) => (f.truth.outside ? 'outside' : 'in view') },
  {
    name: 'frame edge',
    groups: [
      'whole in view',
      ...['coming in', 'going out'].flatMap((w) => [
        `cut, half or more in view, ${w}`,
        `cut, under half in view, ${w}`,
      ]),
    ],
    of: inView(({ truth, visibleBefore }) => {
      if (truth.visibleFraction >= 1) return 'whole in view';
      const way = truth.visibleFraction < visibleBefore ? 'going out' : 'coming in';
      return `cut, ${truth.visibleFraction >= 0.5 ? 'half or more' : 'under half'} in view, ${way}`;
    }),
  },
  {
    name: 'plank over it',
    groups: ['none', 'under 30%', '30% or more'],
    of: inView(({ truth: { occludedFraction: c } }) =>
      c === 0 ? 'none' : c < 0.3 ? 'under 30%' : '30% or more',
    ),
  },
  { name: 'blur radius', groups: ['0', '1', '2', '3', '4'], of: inView((f) => String(f.pose.blurRadius)) },
  {
    name: 'size against frame 0',
    groups: ['under 0.75x', '0.75-1.33x', 'over 1.33x'],
    of: inView(({ size }) => (size < 0.75 ? 'under 0.75x' : size <= 1.33 ? '0.75-1.33x' : 'over 1.33x')),
  },
  {
    name: 'turned',
    groups: ['under 10 deg', '10-25 deg', '25 deg or more'],
    of: inView(({ pose }) => {
      const turn = Math.abs((pose.angle * 180) / Math.PI);
      return turn < 10 ? 'under 10 deg' : turn < 25 ? '10-25 deg' : '25 deg or more';
    }),
  },
];

/** Frames and summed IoU per condition and group, and frames under FAILURE_BELOW per kind. */
class LossTally {
  private readonly cells = new Map<string, { frames: number; sum: number }>();
  private readonly failures = new Map<string, number>();
  private frames = 0;

  add(facts: FrameFacts, step: TrackStep): number {
    const score = frameScore(facts.truth, step);
    this.frames++;
    for (const condition of CONDITIONS) {
      const group = condition.of(facts);
      if (group === null) continue;
      const key = `${condition.name}: ${group}`;
      const cell = this.cells.get(key) ?? { frames: 0, sum: 0 };
      cell.frames++;
      cell.sum += score;
      this.cells.set(key, cell);
    }
    if (score < FAILURE_BELOW) {
      const kind = failureKind(facts.truth, step);
      this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1);
    }
    return score;
  }

  /** Per condition and group: frames, mean IoU, IoU lost and its share of all that is lost. */
  lossTable(): string[] {
    const all = this.cells.get('all: all');
    const total = all ? all.frames - all.sum : 0;
    const lines = [
      '| condition | group | frames | mean IoU | IoU lost | share of loss |',
      '|---|---|---|---|---|---|',
    ];
    for (const condition of CONDITIONS) {
      for (const group of condition.groups) {
        const cell = this.cells.get(`${condition.name}: ${group}`);
        if (!cell) continue;
        const lost = cell.frames - cell.sum;
        const share = total > 0 ? ((100 * lost) / total).toFixed(1) : '0.0';
        lines.push(
          `| ${condition.name} | ${group} | ${cell.frames} | ${(cell.sum / cell.frames).toFixed(3)} | ${lost.toFixed(0)} | ${share}% |`,
        );
      }
    }
    return lines;
  }

  failureTable(): string[] {
    const failed = [...this.failures.values()].reduce((s, n) => s + n, 0);
    const lines = [`frames under IoU ${FAILURE_BELOW}: ${failed} of ${this.frames}`];
    for (const [kind, n] of [...this.failures].sort((a, b) => b[1] - a[1])) lines.push(`  ${kind}: ${n}`);
    return lines;
  }
}

function failureKind(truth: TruthStep, step: TrackStep): string {
  if (truth.outside || !truth.box) return 'box while outside';
  if (step.outside || !step.box) return 'marked outside while in view';
  const area = (step.box.w * step.box.h) / (truth.box.w * truth.box.h);
  return area < 0.6
    ? 'box under 0.6x the area'
    : area > 1.6
      ? 'box over 1.6x the area'
      : 'box off the object';
}

const { name, challenges, first, last } = syntheticRange('101-116');
console.log(`where IoU is lost from the first box, ${name}, seeds ${first}-${last}; ${machine()}`);
const tally = new LossTally();
for (let seed = first; seed <= last; seed++) {
  const { video, steps } = await trackSyntheticSteps(challenges, seed);
  let sum = 0;
  for (const step of steps) {
    const i = step.frame;
    const facts: FrameFacts = {
      truth: video.truth[i],
      pose: video.poses[i],
      visibleBefore: video.truth[i - 1]?.visibleFraction ?? 1,
      size: video.poses[i].scale / video.poses[0].scale,
    };
    sum += tally.add(facts, step);
  }
  process.stderr.write(`${seed} ${(sum / steps.length).toFixed(4)}\n`);
}
console.log(tally.lossTable().join('\n'));
console.log(tally.failureTable().join('\n'));
