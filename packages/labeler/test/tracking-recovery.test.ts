import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHALLENGES, type Challenge, generateSyntheticVideo } from '../src/synthetic/index.js';
import { frameScore, trackObject } from '../src/tracking/index.js';
import { collectSteps, trackFrameByFrame, trackSynthetic } from './track-synthetic.js';

/**
 * The difficulties of the hard synthetic class that broke the tracker, each on generated videos with
 * known boxes. Every bound here failed with the tracker before re-detection searched all poses and
 * drift was checked by colour (its score is in each comment), and holds with a margin now.
 */
async function meanIou(challenges: Challenge[], seed: number): Promise<number> {
  return (await trackSynthetic(challenges, seed)).meanIou;
}

// Out of view the object keeps changing: it comes back smaller or larger and turned the other way, so
// re-detection that looks only near its pose at loss never finds it (old: 0.40 and 0.44).
for (const seed of [22, 103]) {
  test(`an object that leaves the frame and comes back rescaled and turned is found again (seed ${seed}): mean IoU > 0.8`, async () => {
    const iou = await meanIou(['exit', 'scale', 'rotation'], seed);
    assert.ok(iou > 0.8, `mean IoU ${iou.toFixed(3)} <= 0.8`);
  });
}

// A plank sliding over the object gave a clear correlation peak on itself; the filter followed the
// plank for the rest of the video (old: 0.30). The plank is not the object's colour.
test('the tracker does not stay on an occluder that slid over the object (seed 103): mean IoU > 0.75', async () => {
  const iou = await meanIou(['occlusion'], 103);
  assert.ok(iou > 0.75, `mean IoU ${iou.toFixed(3)} <= 0.75`);
});

// Everything at once, averaged over four videos (two trackers back: 0.51, 0.23, 0.55, 0.35, mean 0.41;
// before the first box's filter had to confirm re-detections: 0.60, 0.82, 0.77, 0.57, mean 0.69).
test('all challenges at once (hard class), seeds 21-24: mean IoU > 0.72', async () => {
  const ious: number[] = [];
  for (const seed of [21, 22, 23, 24]) ious.push(await meanIou([...CHALLENGES], seed));
  const mean = ious.reduce((a, b) => a + b, 0) / ious.length;
  assert.ok(mean > 0.72, `mean IoU ${mean.toFixed(3)} <= 0.72 (${ious.map((v) => v.toFixed(3)).join(', ')})`);
});

// While the object is out of view the re-detection search scores the whole frame every frame, and a
// background patch with the object's layout and colours (here a blurred cluster of blobs) sooner or later
// passes the learned filter's bar: the learned filter has seen the object blurred, dim and half covered.
// The filter trained on the first box alone must agree (seed 115, old: a box on the look-alike on 27 of
// the frames where the object was away, mean IoU 0.419), and the object's colours must fill the box at
// 0.6 of their usual share (seed 162, old bar 0.4: a look-alike at 0.41 taken back at frame 25 and
// followed to the end, mean IoU 0.093). Seed 115 has a box on 8 such frames that are not a look-alike's: the
// run back from the object found coming in at the right edge (frame 64, a plank over its middle) follows it
// out again with low confidence (0.16-0.32) on frames 50-57, a few pixels behind it.
for (const seed of [115, 162]) {
  test(`while the object is away, a look-alike in the scene is not taken for it (hard class, seed ${seed})`, async () => {
    const score = await trackSynthetic([...CHALLENGES], seed);
    assert.ok(
      score.boxedWhileOutside <= 10,
      `a box on ${score.boxedWhileOutside} frames where the object is outside`,
    );
    assert.ok(score.meanIou > 0.65, `mean IoU ${score.meanIou.toFixed(3)} <= 0.65`);
  });
}

/**
 * Boxes from `startFrame` to `endFrame` when a labeler sets the true box on `startFrame` and tracks on (forward,
 * or back), each scored against the truth (outside flags included), in the run's order.
 */
async function scoresFrom(
  challenges: Challenge[],
  seed: number,
  startFrame: number,
  endFrame: number,
  direction: 'forward' | 'backward' = 'forward',
) {
  const video = generateSyntheticVideo({ seed, challenges, frameCount: 200 });
  const scores: number[] = [];
  for await (const step of trackObject({
    source: video.source,
    startFrame,
    startBox: video.truth[startFrame].box!,
    endFrame,
    direction,
  })) {
    scores.push(frameScore(video.truth[step.frame], step));
  }
  return scores;
}

// A labeler who restarts tracking on an object coming back into view draws only its part inside the
// frame (the truth box is cut at the edge). The tracker kept that size as the object came in: on exit
// seed 102, restarted at frame 54 with 27% of the object in view, IoU fell from 0.80 to 0.26 by frame
// 64 (old: below 0.7 on 9 of the 10 frames). Now the box grows with the object's colours to the edge
// until the whole object is in view.
test('a box drawn on the part of an object in view grows as the object comes in (exit seed 102)', async () => {
  const scores = await scoresFrom(['exit'], 102, 54, 64);
  const low = scores.filter((s) => s < 0.7).length;
  assert.equal(low, 0, `IoU below 0.7 on ${low} of 11 frames: ${scores.map((s) => s.toFixed(2)).join(' ')}`);
});

// Crossing the frame edge the box coasted on the motion prior, which overshoots as the object slows
// down: on exit seed 101 it showed a box at IoU 0.64 with 35% of the object in view (frame 23). Now the
// object's inner end is found by its colours, and the box follows it out.
test('the box follows an object out of the frame (exit seed 101, frames 0-40)', async () => {
  const scores = await scoresFrom(['exit'], 101, 0, 40);
  const low = scores.map((s, i) => [i, s] as const).filter(([, s]) => s < 0.7);
  assert.ok(
    low.length <= 1,
    `IoU below 0.7 on frames ${low.map(([i, s]) => `${i}: ${s.toFixed(2)}`).join(', ')}`,
  );
});

// While a plank covered half the object the match was not trusted and the box coasted on the motion
// prior; the filter then followed the plank and the box stayed on it for more than fifteen frames after the object
// had moved on (occlusion seed 121, old: mean IoU 0.79). Now a coasting box is placed by the object's ends
// that are not covered, where its colours stop.
test('the box keeps up with an object a plank half covers (occlusion seed 121): mean IoU > 0.88', async () => {
  const iou = await meanIou(['occlusion'], 121);
  assert.ok(iou > 0.88, `mean IoU ${iou.toFixed(3)} <= 0.88`);
});

// A labeler who restarts tracking on a turned object draws the box around it; the tracker took that box
// for the upright object and grew it on both sides as the object turned back (hard seed 105, restarted at
// frame 162 with the object turned 28 degrees: IoU below 0.7 from frame 168 on, 0.36 at 178). Now the
// object's angle and size are found in the first box.
test('a box drawn on a turned object does not grow as the object turns back (hard seed 105)', async () => {
  const scores = await scoresFrom([...CHALLENGES], 105, 162, 178);
  const low = scores.map((s, i) => [162 + i, s] as const).filter(([, s]) => s < 0.7);
  assert.equal(
    low.length,
    0,
    `IoU below 0.7 on frames ${low.map(([i, s]) => `${i}: ${s.toFixed(2)}`).join(', ')}`,
  );
});

// A labeler who restarts tracking on an object a plank half covers draws the box around the object, plank
// and all. The tracker learnt the plank and went with it (occlusion seed 101, restarted at frame 114: the
// plank going left 7 px a frame, the object right 3 px a frame; IoU 0.59 at frame 116, 0.12 at 119). Now
// the plank's band is left out of what is learnt and the object is learnt whole once the plank has left it.
test('a box drawn on a half-covered object stays on the object, not the plank (occlusion seed 101)', async () => {
  const scores = await scoresFrom(['occlusion'], 101, 114, 133);
  const low = scores.map((s, i) => [114 + i, s] as const).filter(([, s]) => s < 0.7);
  assert.equal(
    low.length,
    0,
    `IoU below 0.7 on frames ${low.map(([i, s]) => `${i}: ${s.toFixed(2)}`).join(', ')}`,
  );
});

// A look-alike in the scene matched the re-detection template at several poses and took every candidate
// slot, while the object itself matched best at a pose a grid step or two off (found at 0.37x turned -30
// degrees, the object at 0.64x turned -26: PSR 33 but a peak of 0.53, below the bar). Now candidates are
// one per place and a clear one is polished on the filter's peak before it is judged. Hard seed 103: the
// object is whole in view again from frame 70; the tracker had it back only at frame 79 (old: IoU 0 on
// frames 70-78).
test('an object back in view is found again though a look-alike matches better at first (hard seed 103)', async () => {
  const scores = await scoresFrom([...CHALLENGES], 103, 0, 80);
  const back = scores.slice(70, 80);
  const found = back.filter((s) => s >= 0.5).length;
  assert.ok(found >= 8, `IoU >= 0.5 on ${found} of frames 70-79: ${back.map((s) => s.toFixed(2)).join(' ')}`);
});

// Small, blurred at radius 3-4 and under changed lighting, the object filled only 0.41-0.56 of its usual colour
// share while both filters matched it at once (peak 0.97-1.05, first box 0.74-0.90), and was refused on colour
// from frame 170 to 188 (whole in view from 156). A match that strong needs less of the colour. The tracker
// alone (no run back), hard seed 129: before, nothing on frames 170-185; now boxed from 170.
test('an object matched very strongly is taken back though blur and lighting dim its colours (hard seed 129)', () => {
  const video = generateSyntheticVideo({ seed: 129, challenges: [...CHALLENGES], frameCount: 200 });
  const steps = trackFrameByFrame(video, 185);
  const scores = steps.slice(170).map((s) => frameScore(video.truth[s.frame], s));
  const held = scores.filter((s) => s >= 0.7).length;
  assert.ok(
    held >= 12,
    `IoU >= 0.7 on ${held} of frames 170-185: ${scores.map((s) => s.toFixed(2)).join(' ')}`,
  );
});

// An object leaving sideways also moves up or down, and while it crossed the edge nothing measured that:
// the box kept its height while the object went on (exit seed 103, frames 21-26: IoU 0.89, 0.82, 0.73,
// 0.63, 0.52, then lost with a quarter of the object still in view). Along the edge the filter is trusted.
test('a box leaving across the side edge keeps up with the object moving up or down (exit seed 103)', async () => {
  const scores = await scoresFrom(['exit'], 103, 0, 27);
  const leaving = scores.slice(21, 27);
  assert.ok(
    leaving.every((s) => s >= 0.85),
    `IoU on frames 21-26: ${leaving.map((s) => s.toFixed(2)).join(' ')}`,
  );
});

// Along the edge only a match near the motion prior is taken, as every centre measured at the edge is: a
// filter matching a plank or the scene beside the object's part in view sent the box off along the edge
// (exit seed 111, frames 116-118: IoU 0.80, 0.68, 0.50; exit seed 104, frame 113: 0.66).
test('a box leaving across the side edge is not pulled off along it by a match far from the prior (exit seeds 104, 111)', async () => {
  for (const seed of [104, 111]) {
    const scores = await scoresFrom(['exit'], seed, 0, 199);
    const worst = Math.min(...scores);
    assert.ok(worst >= 0.85, `exit seed ${seed}: IoU ${worst.toFixed(2)} on frame ${scores.indexOf(worst)}`);
  }
});

// The whole-frame search found a large, blurred, half-covered object only at a much smaller scale (the
// template at 0.37-0.73x matched a part of it better than the whole object at 1.75x), where the learned
// filter does not match it: hard seed 102 stayed lost from frame 160 to the end with the object in view.
// A candidate is now also tried at larger scales while the object's colours fill its core.
test('an object back in view much larger than a part the search matched is found again (hard seed 102)', async () => {
  const scores = await scoresFrom([...CHALLENGES], 102, 0, 199);
  const back = scores.slice(180, 200);
  const found = back.filter((s) => s >= 0.5).length;
  assert.ok(
    found >= 18,
    `IoU >= 0.5 on ${found} of frames 180-199: ${back.map((s) => s.toFixed(2)).join(' ')}`,
  );
});

// Coming back into the frame with a plank over half of it, the object was found by a part of it, at half its size
// and turned 30 degrees off, and the box stayed on that part (mean IoU 0.15 on frames 57-100) until it drifted off
// and lost the object at 102 while it was whole in view. The first box's filter is now asked at larger sizes for
// a while after a re-detection, and the box grows to the whole object at frame 57.
test('an object found again by a part of it is then boxed whole (hard seed 161, frames 57-100)', async () => {
  const scores = (await scoresFrom([...CHALLENGES], 161, 0, 100)).slice(57, 101);
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const worst = Math.min(...scores);
  assert.ok(
    mean >= 0.8 && worst >= 0.6,
    `mean IoU ${mean.toFixed(2)}, worst ${worst.toFixed(2)} on frame ${57 + scores.indexOf(worst)}`,
  );
});

// Coasting under a plank that covered half of a growing object, the box fell behind it (the matches on the
// object were refused: PSR 6-9 against a usual 33, and 25-60 px from where the coasting prior put it) and
// was lost at frame 96 (IoU 0.36-0.19 on frames 91-95). Three clear matches in a row that move on
// as the object moved are now taken: caught up at frame 89, 0.68 at 91, 0.76 at 92 and 0.85-0.99 after.
// Hard seed 101 tracked from its first box to frame 119, once for the two tests below.
let hard101: Promise<number[]> | undefined;
const hard101Scores = () => (hard101 ??= scoresFrom([...CHALLENGES], 101, 0, 119));

test('a coasting box catches up with an object coming out from under a plank (hard seed 101, frames 91-100)', async () => {
  const scores = (await hard101Scores()).slice(0, 101);
  const low = scores
    .map((s, i) => ({ frame: i, s }))
    .filter(({ frame, s }) => frame >= 91 && s < 0.6)
    .map(({ frame, s }) => `${frame}: ${s.toFixed(2)}`);
  assert.deepEqual(low, []);
});

// Near the frame edge the filter's window reaches past it and its matches run ahead of the object: hard seed
// 101's box was measured 10-16 px ahead at frames 112-113 as a plank half covered the object, coasted out on
// the faster motion, and was lost at 119 with 57% of the object in view (IoU 0.70 0.65 0.60 0.55 0.45 on
// 114-118). The motion across the edge is now checked against the frames where the box was clear of it.
test('a box leaving the frame is not carried out ahead of the object (hard seed 101, frames 114-119)', async () => {
  const leaving = (await hard101Scores()).slice(114, 120);
  const mean = leaving.reduce((a, b) => a + b, 0) / leaving.length;
  assert.ok(
    leaving.every((s) => s > 0) && mean >= 0.6,
    `IoU on frames 114-119 (mean ${mean.toFixed(2)}): ${leaving.map((s) => s.toFixed(2)).join(' ')}`,
  );
});

// Tracked back from frame 166, hard seed 123's object crosses the frame edge as it goes, and on frame 155 a third
// of it (33%) is still in view. The edge template matched that part at 0.73. Matches under 0.8 were not taken
// then, so the box coasted on the motion prior, which ran ahead of the object as it slowed down: only 17% of
// that box was in view, and the object was reported outside on 155 (IoU 0.00). A fill from an outside keyframe
// carries the object in from where a run back like this one loses it, so it missed that frame as well. Matches
// from 0.7 are taken now.
test('a run back over an object coming in holds it while a quarter is in view (hard seed 123, frames 154-165)', async () => {
  const { truth } = generateSyntheticVideo({ seed: 123, challenges: [...CHALLENGES], frameCount: 200 });
  assert.equal(truth[154].outside, true);
  assert.ok(truth[155].visibleFraction < 0.35);
  const scores = await scoresFrom([...CHALLENGES], 123, 166, 150, 'backward');
  const scoreAt = (frame: number) => scores[166 - frame];
  const crossing = Array.from({ length: 11 }, (_, k) => 155 + k).map((f) => ({ f, score: scoreAt(f) }));
  assert.ok(
    crossing.every(({ score }) => score >= 0.65),
    crossing.map(({ f, score }) => `${f}: ${score.toFixed(2)}`).join(' '),
  );
  // The truth has the object outside on 154: only a run that reports it outside there scores 1.
  assert.equal(scoreAt(154), 1);
});

// A person marked the object outside on frame 21 (it left the frame at the right) and tracks on from there: the
// run knows it from the first frame's box and looks for it coming back. A filter that has learnt from one frame
// only had no norm for how much of the box the object's colours fill, so colour did not vet what the search
// found, and a patch of background 2.3 times the object's size was taken for it at frame 42 and kept while the
// object was away (19 frames) and after it came back. A run that starts outside also left the frames before the
// object was found whole without the run back over them (61-66 were empty, found at 67).
test('tracking from a frame where the object is outside finds it coming back (hard seed 101 from frame 21, known from frame 0)', async () => {
  const video = generateSyntheticVideo({ seed: 101, challenges: [...CHALLENGES], frameCount: 200 });
  const steps = await collectSteps(
    trackObject({
      source: video.source,
      startFrame: 21,
      seen: { frame: 0, box: video.truth[0].box! },
      direction: 'forward',
      endFrame: 80,
    }),
  );
  assert.deepEqual(
    steps.map((s) => s.frame),
    Array.from({ length: 60 }, (_, i) => 21 + i),
  );
  assert.ok(steps[0].outside && steps[0].box === null, 'the start frame is reported outside');
  // Away: under a tenth of it in the frame (on frame 60, 22% in view and counted outside by the generator, the
  // run back from where it was found may box the part in view).
  const away = steps.filter((s) => video.truth[s.frame].visibleFraction < 0.1 && s.box).map((s) => s.frame);
  assert.deepEqual(away, [], 'no box while the object is away');
  // In view from 61 (a plank over half of it up to 64), whole and clear of the plank from 67.
  const back = steps.filter((s) => s.frame >= 61).map((s) => frameScore(video.truth[s.frame], s));
  const mean = back.reduce((a, b) => a + b, 0) / back.length;
  assert.ok(
    back.every((s) => s >= 0.65) && mean > 0.9,
    `IoU on frames 61-80 (mean ${mean.toFixed(2)}): ${back.map((s) => s.toFixed(2)).join(' ')}`,
  );
});

// Lost frames are revised by a run back from where the object is found again; the run back ended at its first
// frame under the confidence bar (0.1), and one or two such frames are a plank or blur passing over the object.
// Hard seed 125 had no box on frames 152-163 with the object in view; the run back now goes on past such a dip and
// ends at three frames in a row under the bar.
test('a run back over lost frames goes on past a frame or two of low confidence (hard seed 125, frames 152-163)', async () => {
  const video = generateSyntheticVideo({ seed: 125, challenges: [...CHALLENGES], frameCount: 200 });
  const scores = new Map<number, number>();
  for await (const s of trackObject({
    source: video.source,
    startFrame: 0,
    startBox: video.truth[0].box!,
    direction: 'forward',
  }))
    scores.set(s.frame, frameScore(video.truth[s.frame], s));
  const stretch = Array.from({ length: 12 }, (_, i) => scores.get(152 + i)!);
  const mean = stretch.reduce((a, b) => a + b, 0) / stretch.length;
  assert.ok(
    stretch.every((s) => s >= 0.5) && mean >= 0.75,
    `IoU on frames 152-163 (mean ${mean.toFixed(2)}): ${stretch.map((s) => s.toFixed(2)).join(' ')}`,
  );
});

// Coming back into the frame turned 17 degrees, the object was taken back at the sweep's 40 (peak 0.98; at 20 the
// peak is 1.04). The per-frame angle search moves 4 degrees at most, the object kept turning, and the box was
// lost again at frame 181 while it was whole in view (IoU 0.66 down to 0 on 181-199). A found object's angle is
// now checked 10 and 20 degrees either way, then 5.
test('an object taken back at a pose turned well off its own is turned to it (hard seed 151, frames 168-199)', async () => {
  const back = (await scoresFrom([...CHALLENGES], 151, 0, 199)).slice(168, 200);
  const low = back
    .map((s, i) => ({ frame: 168 + i, s }))
    .filter(({ s }) => s < 0.7)
    .map(({ frame, s }) => `${frame}: ${s.toFixed(2)}`);
  assert.deepEqual(low, []);
});
