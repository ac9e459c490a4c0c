import assert from 'node:assert/strict';
import { type Challenge, generateSyntheticVideo, type SyntheticVideo } from '../src/synthetic/index.js';
import {
  CorrelationTracker,
  frameScore,
  type SequenceScore,
  scoreSequence,
  type TrackStep,
  trackObject,
} from '../src/tracking/index.js';
import { RunRefiner } from '../src/tracking/refine.js';
import type { PosedStep } from '../src/tracking/smooth.js';

/** Every step a tracking run hands on, in order. */
export async function collectSteps(steps: AsyncIterable<TrackStep>): Promise<TrackStep[]> {
  const out: TrackStep[] = [];
  for await (const s of steps) out.push(s);
  return out;
}

/**
 * The tracker alone, frame by frame from the true box on frame 0 up to `last` (no run back over lost frames,
 * no smoothing): what `trackObject` is compared with. Step 0 is the true box; steps carry the tracker's pose,
 * `refined` as trackObject refines them (see RunRefiner).
 */
export function trackFrameByFrame(video: SyntheticVideo, last: number, refined = false): PosedStep[] {
  const first = video.renderFrame(0);
  const tracker = new CorrelationTracker(first, video.truth[0].box!);
  const refiner = refined ? new RunRefiner() : null;
  const steps: PosedStep[] = [{ frame: 0, box: video.truth[0].box, confidence: 1, outside: false }];
  refiner?.observe(first, tracker.pose, steps[0]);
  for (let i = 1; i <= last; i++) {
    const frame = video.renderFrame(i);
    const step: PosedStep = { frame: i, ...tracker.update(frame) };
    refiner?.observe(frame, tracker.pose, step);
    steps.push(refiner ? refiner.apply(step) : step);
  }
  return steps;
}

export interface SyntheticTrackScore extends SequenceScore {
  /** Frames where the object is out of view and the tracker still gives a box (on something else). */
  boxedWhileOutside: number;
}

/** A generated 200-frame video and every step of tracking its object forward from its true first box. */
export async function trackSyntheticSteps(
  challenges: Challenge[],
  seed: number,
): Promise<{ video: SyntheticVideo; steps: TrackStep[] }> {
  const video = generateSyntheticVideo({ seed, challenges, frameCount: 200 });
  const steps = await collectSteps(
    trackObject({ source: video.source, startFrame: 0, startBox: video.truth[0].box!, direction: 'forward' }),
  );
  return { video, steps };
}

/**
 * Tracks the object of a generated 200-frame video forward from its true first box and scores every frame
 * against the generator's truth (outside flags included): the tracker tests' common measurement.
 */
export async function trackSynthetic(challenges: Challenge[], seed: number): Promise<SyntheticTrackScore> {
  const { video, steps } = await trackSyntheticSteps(challenges, seed);
  const scores = steps.map((step) => frameScore(video.truth[step.frame], step));
  const boxedWhileOutside = steps.filter(
    (step) => video.truth[step.frame].outside && !step.outside && step.box,
  ).length;
  assert.equal(scores.length, 200);
  return { ...scoreSequence(scores), boxedWhileOutside };
}
