import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHALLENGES, generateSyntheticVideo } from '../src/synthetic/index.js';
import { CorrelationTracker, frameScore, trackObject } from '../src/tracking/index.js';
import { PoseSmoother } from '../src/tracking/smooth.js';
import { collectSteps, trackFrameByFrame } from './track-synthetic.js';

test('frames lost while the object came back are revised once it is found, steps still one per frame in order', async () => {
  // Hard seed 102: the object leaves at frame 22 and comes back across the edge from frame 56, blurred and
  // under a plank; tracking frame by frame finds it again only at frame 68.
  const video = generateSyntheticVideo({ seed: 102, challenges: [...CHALLENGES] });
  const truth = video.truth;
  const onlineSteps = trackFrameByFrame(video, 80, true);
  const onlineScores = onlineSteps.map((s) => frameScore(truth[s.frame], s));
  const back = Array.from({ length: 9 }, (_, k) => 59 + k);
  assert.ok(
    back.every((i) => !truth[i].outside && onlineScores[i] === 0),
    `frame by frame, lost on 59-67: ${back.map((i) => onlineScores[i].toFixed(2)).join(' ')}`,
  );
  const progress: number[] = [];
  const steps = await collectSteps(
    trackObject({
      source: video.source,
      startFrame: 0,
      startBox: truth[0].box!,
      direction: 'forward',
      endFrame: 80,
      onProgress: (done) => progress.push(done),
    }),
  );
  assert.deepEqual(
    steps.map((s) => s.frame),
    Array.from({ length: 81 }, (_, i) => i),
  );
  assert.deepEqual(
    progress,
    Array.from({ length: 81 }, (_, i) => i + 1),
  );
  // From frame 60 at least half the object is in view (at 59, 43%: revised to 0.64 since the scale is
  // chosen by the first box's filter, 0.80 before).
  const scores = back.map((i) => frameScore(truth[i], steps[i]));
  assert.ok(
    scores.every((s, k) => s >= (back[k] < 60 ? 0.5 : 0.7)),
    `revised 59-67: ${scores.map((s) => s.toFixed(2)).join(' ')}`,
  );
  // Where the run was not lost it hands on the tracker's own boxes, refined and smoothed over the frames around them.
  const smoother = new PoseSmoother(video.source);
  const smoothedOnline = [...onlineSteps.flatMap((st) => smoother.push(st)), ...smoother.flush()];
  for (let i = 0; i <= 21; i++) assert.deepEqual(steps[i], smoothedOnline[i], `frame ${i}`);
});

test('a backward run holds and revises lost frames the same way, in its own order', async () => {
  const video = generateSyntheticVideo({ seed: 101, challenges: [...CHALLENGES] });
  const truth = video.truth;
  const steps = await collectSteps(
    trackObject({ source: video.source, startFrame: 199, startBox: truth[199].box!, direction: 'backward' }),
  );
  assert.deepEqual(
    steps.map((s) => s.frame),
    Array.from({ length: 200 }, (_, i) => 199 - i),
  );
  const online = new CorrelationTracker(video.renderFrame(199), truth[199].box!);
  let onlineSum = 1;
  for (let i = 198; i >= 0; i--) onlineSum += frameScore(truth[i], online.update(video.renderFrame(i)));
  const sum = steps.reduce((a, s) => a + frameScore(truth[s.frame], s), 0);
  // Measured: 0.779 against 0.721 frame by frame (hard 101-108 backward from the last frame: better on all 8, by 0.005-0.100).
  assert.ok(
    sum / 200 > onlineSum / 200 + 0.03,
    `mean IoU ${sum / 200} against ${onlineSum / 200} frame by frame`,
  );
});

test('a run back that does not join up with where the object was lost leaves the lost frames lost, and the tracker lets go', async () => {
  // Hard seed 139: the object leaves across the right edge at frame 19 and is away until 60; at 53 a patch of
  // background with two blobs is taken for it, and the run back from there stayed on the patch down to frame
  // 20, 160 px from where the object had left, putting a box on every frame it was away; the tracker then
  // followed the patch on to frame 75.
  const video = generateSyntheticVideo({ seed: 139, challenges: [...CHALLENGES] });
  const steps = await collectSteps(
    trackObject({
      source: video.source,
      startFrame: 0,
      startBox: video.truth[0].box!,
      direction: 'forward',
      endFrame: 60,
    }),
  );
  // The patch as found is handed on as the run found it, and no other frame while the object is away. It is found
  // at frame 37 now (53 before): the part in view is matched as the object leaves, which is boxed at IoU 0.85,
  // 0.83, 0.80 on frames 17-19 (0.66, 0.49 and lost at 19 before) and lost at 20, and the search runs later.
  const away = steps.filter((s) => video.truth[s.frame].outside);
  assert.ok(away.length >= 36, `the object is away on ${away.length} frames`);
  const boxed = away.filter((s) => !s.outside).map((s) => s.frame);
  assert.ok(boxed.length <= 1, `boxes while the object was away: ${boxed.join(',')}`);
});

test('an object coming back is boxed by the run back from a third in view (hard seed 103 from frame 135 marked outside)', async () => {
  // The object leaves at 135 and comes back across the left edge, blurred, from frame 175 (32% in view; 46% on
  // 176). The run found it whole at 182 and went back over 181-175, where its filter only coasted and its
  // confidence fell under the bar: the frames were left without a box (IoU 0). The edge template places the box
  // there by the part in view, and the run back believes what it placed.
  const video = generateSyntheticVideo({ seed: 103, challenges: [...CHALLENGES] });
  const truth = video.truth;
  const steps = await collectSteps(
    trackObject({
      source: video.source,
      startFrame: 135,
      seen: { frame: 0, box: truth[0].box! },
      direction: 'forward',
      endFrame: 190,
    }),
  );
  const back = steps.filter((s) => s.frame >= 170);
  assert.deepEqual(back.filter((s) => !truth[s.frame].outside).map((s) => s.frame)[0], 175);
  const scores = back.map((s) => `${s.frame}: ${frameScore(truth[s.frame], s).toFixed(2)}`);
  assert.ok(
    back.every((s) => frameScore(truth[s.frame], s) >= 0.7),
    scores.join(', '),
  );
});
