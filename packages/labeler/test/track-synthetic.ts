import assert from 'node:assert/strict';
import { type Challenge, generateSyntheticVideo } from '../src/synthetic/index.js';
import { frameScore, type SequenceScore, scoreSequence, trackObject } from '../src/tracking/index.js';

export interface SyntheticTrackScore extends SequenceScore {
  /** Frames where the object is out of view and the tracker still gives a box (on something else). */
  boxedWhileOutside: number;
}

/**
 * Tracks the object of a generated 200-frame video forward from its true first box and scores every frame
 * against the generator's truth (outside flags included): the tracker tests' common measurement.
 */
export async function trackSynthetic(challenges: Challenge[], seed: number): Promise<SyntheticTrackScore> {
  const video = generateSyntheticVideo({ seed, challenges, frameCount: 200 });
  const scores: number[] = [];
  let boxedWhileOutside = 0;
  for await (const step of trackObject({
    source: video.source,
    startFrame: 0,
    startBox: video.truth[0].box!,
    direction: 'forward',
  })) {
    const truth = video.truth[step.frame];
    scores.push(frameScore(truth, step));
    if (truth.outside && !step.outside && step.box) boxedWhileOutside++;
  }
  assert.equal(scores.length, 200);
  return { ...scoreSequence(scores), boxedWhileOutside };
}
