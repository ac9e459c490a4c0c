import assert from 'node:assert/strict';
import { type Challenge, generateSyntheticVideo } from '../src/synthetic/index.js';
import { frameScore, type SequenceScore, scoreSequence, trackObject } from '../src/tracking/index.js';

/**
 * Tracks the object of a generated 200-frame video forward from its true first box and scores every frame
 * against the generator's truth (outside flags included): the tracker tests' common measurement.
 */
export async function trackSynthetic(challenges: Challenge[], seed: number): Promise<SequenceScore> {
  const video = generateSyntheticVideo({ seed, challenges, frameCount: 200 });
  const scores: number[] = [];
  for await (const step of trackObject({
    source: video.source,
    startFrame: 0,
    startBox: video.truth[0].box!,
    direction: 'forward',
  })) {
    scores.push(frameScore(video.truth[step.frame], step));
  }
  assert.equal(scores.length, 200);
  return scoreSequence(scores);
}
