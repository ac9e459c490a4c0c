import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHALLENGES, generateSyntheticVideo } from '../src/synthetic/index.js';
import {
  type Box,
  carryAcrossEdge,
  carryIntoView,
  carryOutOfView,
  fillBetweenKeyframes,
  fillFromRuns,
  frameScore,
  fuseRuns,
  type Keyframe,
  type TrackStep,
  trackObject,
} from '../src/tracking/index.js';
import { collectSteps } from './track-synthetic.js';

const box = (x: number, y = 40, w = 20, h = 20): Box => ({ x, y, w, h });
const step = (frame: number, b: Box | null, confidence = 0.8): TrackStep => ({
  frame,
  box: b,
  confidence,
  outside: b === null,
});
const key = (frame: number, b: Box, outside = false): Keyframe => ({ frame, box: b, outside });
const frame = { width: 200, height: 120 };

test('fuseRuns: agreeing runs are blended towards the nearer keyframe; where they disagree the nearer run wins', () => {
  // The object moves 10 px a frame from x = 20 (frame 0) to x = 80 (frame 6); each run is 2 px off its own way.
  const forward = [1, 2, 3, 4, 5].map((f) => step(f, box(20 + 10 * f + 2), 0.6));
  const backward = [5, 4, 3, 2, 1].map((f) => step(f, box(20 + 10 * f - 2), 0.9));
  const fused = fuseRuns({ start: key(0, box(20)), end: key(6, box(80)), forward, backward, ...frame });
  assert.deepEqual(
    fused.map((s) => s.frame),
    [1, 2, 3, 4, 5],
  );
  for (const s of fused) {
    const t = s.frame / 6;
    // (1 - t)(x + 2) + t(x - 2) = x + 2 - 4t
    assert.ok(Math.abs(s.box!.x - (20 + 10 * s.frame + 2 - 4 * t)) < 1e-9, `frame ${s.frame}: ${s.box!.x}`);
    assert.equal(s.confidence, 0.9);
    assert.equal(s.outside, false);
  }
  // Frame 2 of one run jumped onto something else (no overlap): frame 2 is nearer the start, so the forward
  // run's box stands, whichever of the two jumped.
  const jumpF = forward.map((s) => (s.frame === 2 ? step(2, box(150, 80)) : s));
  const jumpB = backward.map((s) => (s.frame === 2 ? step(2, box(150, 80)) : s));
  const a = fuseRuns({ start: key(0, box(20)), end: key(6, box(80)), forward: jumpF, backward, ...frame });
  assert.deepEqual(a[1].box, box(150, 80));
  const b = fuseRuns({ start: key(0, box(20)), end: key(6, box(80)), forward, backward: jumpB, ...frame });
  assert.deepEqual(b[1].box, forward[1].box);
});

test('fuseRuns: between a keyframe cut by the frame edge and one clear of it, the clear one weighs more', () => {
  // A 40x40 object coming in across the right edge of a 200x120 picture at 10 px a frame: x = 190 - 10f, cut to
  // 10 px on frame 0 and clear of the edge by frame 6. The run back from frame 6 is right; the run forward from the
  // sliver is in place but grows 12 px taller a frame (it does not know the object's size).
  const truthAt = (f: number): Box => {
    const x = 190 - 10 * f;
    return { x, y: 40, w: Math.min(40, 200 - x), h: 40 };
  };
  const forward = [1, 2, 3, 4, 5].map((f) => step(f, { ...truthAt(f), h: 40 + 12 * f }, 0.9));
  const backward = [5, 4, 3, 2, 1].map((f) => step(f, truthAt(f), 0.9));
  const fused = fuseRuns({ start: key(0, truthAt(0)), end: key(6, truthAt(6)), forward, backward, ...frame });
  const score = (b: Box | null, f: number) =>
    frameScore({ box: truthAt(f), outside: false }, { box: b, outside: false });
  for (const s of fused) {
    // The weight on the run back at share t of the way: 1 - (1 - t)^2.
    const w = 1 - (1 - s.frame / 6) ** 2;
    assert.ok(
      Math.abs(s.box!.h - ((1 - w) * (40 + 12 * s.frame) + w * 40)) < 1e-9,
      `frame ${s.frame}: ${s.box!.h}`,
    );
    assert.ok(score(s.box, s.frame) >= 0.75, `frame ${s.frame}: IoU ${score(s.box, s.frame).toFixed(3)}`);
  }
  // Weighed by distance alone, frame 3 was under 0.7.
  const even = { ...truthAt(3), h: 0.5 * (40 + 36) + 0.5 * 40 };
  assert.ok(score(even, 3) < 0.7);
  // The other way round (the object leaving, the end keyframe cut), the start's run weighs more: t^2 on the end's.
  const leaving = fuseRuns({
    start: key(0, truthAt(6)),
    end: key(6, truthAt(0)),
    forward: [1, 2, 3, 4, 5].map((f) => step(f, truthAt(6 - f), 0.9)),
    backward: [5, 4, 3, 2, 1].map((f) => step(f, { ...truthAt(6 - f), h: 40 + 12 * (6 - f) }, 0.9)),
    ...frame,
  });
  for (const s of leaving) {
    const w = (s.frame / 6) ** 2;
    assert.ok(Math.abs(s.box!.h - (w * (40 + 12 * (6 - s.frame)) + (1 - w) * 40)) < 1e-9, `frame ${s.frame}`);
  }
});

test('fuseRuns: a run is believed only up to where it first loses the object; lost by both in view, the box is interpolated', () => {
  // Forward loses the object at frame 3 and "finds" a look-alike at frame 5; backward (from frame 8) loses it
  // at frame 5. Frames 3-5: between forward's last box (frame 2, x 40) and backward's (frame 6, x 80).
  const forward = [
    step(1, box(30)),
    step(2, box(40)),
    step(3, null),
    step(4, null),
    step(5, box(150, 10)),
    step(6, box(150, 10)),
    step(7, box(150, 10)),
  ];
  const backward = [
    step(7, box(90)),
    step(6, box(80)),
    step(5, null),
    step(4, null),
    step(3, null),
    step(2, box(10, 10)),
    step(1, box(10, 10)),
  ];
  const fused = fuseRuns({ start: key(0, box(20)), end: key(8, box(100)), forward, backward, ...frame });
  assert.deepEqual(
    fused.map((s) => s.box?.x),
    [30, 40, 50, 60, 70, 80, 90],
  );
  assert.deepEqual(
    fused.map((s) => s.confidence),
    [0.8, 0.8, 0, 0, 0, 0.8, 0.8],
  );
});

test('fuseRuns: a run that lost the object at the frame edge means it is outside in between', () => {
  // Leaves across the right edge after frame 2, comes back at frame 6 (the backward run loses it there).
  const forward = [
    step(1, box(150)),
    step(2, box(182, 40, 18, 20)),
    step(3, null),
    step(4, null),
    step(5, null),
    step(6, null),
  ];
  const backward = [
    step(6, box(178, 40, 22, 20)),
    step(5, null),
    step(4, null),
    step(3, null),
    step(2, null),
    step(1, null),
  ];
  const fused = fuseRuns({ start: key(0, box(140)), end: key(7, box(170)), forward, backward, ...frame });
  assert.deepEqual(
    fused.map((s) => (s.outside ? 'out' : s.box!.x)),
    [150, 182, 'out', 'out', 'out', 178],
  );
  // An outside keyframe at the start: only the backward run, and outside before it.
  const fromOutside = fuseRuns({
    start: key(0, box(0, 0, 0, 0), true),
    end: key(7, box(170)),
    forward: [],
    backward,
    ...frame,
  });
  assert.deepEqual(
    fromOutside.map((s) => (s.outside ? 'out' : s.box!.x)),
    ['out', 'out', 'out', 'out', 'out', 178],
  );
});

test('fuseRuns: towards a keyframe marking the object outside, the forward run is believed throughout', () => {
  // Forward loses the object at frame 2 (it left) and finds it again at 4 (it came back); the end keyframe marks
  // it outside, so there is no run from there to take over: what forward found again stands.
  const forward = [step(1, box(150)), step(2, null), step(3, null), step(4, box(170)), step(5, box(180))];
  const fused = fuseRuns({
    start: key(0, box(140)),
    end: key(6, box(0, 0, 0, 0), true),
    forward,
    backward: [],
    ...frame,
  });
  assert.deepEqual(
    fused.map((s) => (s.outside ? 'out' : s.box!.x)),
    [150, 'out', 'out', 170, 180],
  );
  // Not backward, from a keyframe after an outside one: believed up to its first loss, outside before that.
  const backward = [step(5, box(30)), step(4, box(20)), step(3, null), step(2, null), step(1, box(10))];
  const fromOutside = fuseRuns({
    start: key(0, box(0, 0, 0, 0), true),
    end: key(6, box(40)),
    forward: [],
    backward,
    ...frame,
  });
  assert.deepEqual(
    fromOutside.map((s) => (s.outside ? 'out' : s.box!.x)),
    ['out', 'out', 'out', 20, 30],
  );
});

test('fuseRuns and fillBetweenKeyframes: bad input is named', async () => {
  assert.throws(
    () => fuseRuns({ start: key(5, box(20)), end: key(3, box(20)), forward: [], backward: [], ...frame }),
    /end keyframe \(frame 3\) must come after the start keyframe \(frame 5\)/,
  );
  assert.throws(
    () =>
      fuseRuns({
        start: key(0, box(20)),
        end: key(4, box(20)),
        forward: [step(1, box(20))],
        backward: [],
        ...frame,
      }),
    /forward run must have 3 steps/,
  );
  const video = generateSyntheticVideo({ seed: 1, frameCount: 10 });
  await assert.rejects(
    fillBetweenKeyframes({ source: video.source, start: key(6, box(20)), end: key(2, box(20)) }),
    /end after the start, got 6 and 2/,
  );
});

/** A hard-set video, its truth and a keyframe from the truth on any frame (outside where the object is). */
function hardVideo(seed: number) {
  const video = generateSyntheticVideo({ seed, challenges: [...CHALLENGES] });
  const truth = video.truth;
  const keyAt = (i: number) => key(i, truth[i].box ?? box(0, 0, 0, 0), truth[i].outside);
  return { video, truth, keyAt };
}

/** The worst IoU of a run's steps against the truth, and the frame it is on. */
function worstOf(steps: TrackStep[], truth: ReturnType<typeof hardVideo>['truth']) {
  const scores = steps.map((s) => frameScore(truth[s.frame], s));
  const worst = Math.min(...scores);
  return { worst, frame: steps[scores.indexOf(worst)].frame };
}

/** Tracking from the true box on `from` up to `last`, as T does from a keyframe there (or backward). */
function trackedFrom(
  { video, truth }: ReturnType<typeof hardVideo>,
  from: number,
  last: number,
  direction: 'forward' | 'backward' = 'forward',
) {
  return collectSteps(
    trackObject({
      source: video.source,
      startFrame: from,
      startBox: truth[from].box!,
      direction,
      endFrame: last,
    }),
  );
}

test('fill between keyframes on the hard set: the object back in view is boxed on every frame where tracking forward fails', async () => {
  // Hard seed 103: the object leaves at frame 23 and comes back across the edge from frame 65, blurred, dimmed
  // and turning; whole in view by frame 70. Keyframes: outside at 23, and the object at 80.
  const hard = hardVideo(103);
  const { video, truth, keyAt } = hard;
  assert.equal(truth[23].outside, true);
  const back = truth.findIndex((t, i) => i > 23 && !t.outside);
  assert.ok(back >= 60 && back <= 70, `back in view at ${back}`);
  const progress: number[] = [];
  const filled = await fillBetweenKeyframes({
    source: video.source,
    start: keyAt(23),
    end: keyAt(80),
    onProgress: (done, total) => {
      assert.equal(total, 56);
      progress.push(done);
    },
  });
  assert.ok(filled);
  assert.deepEqual(
    filled.map((s) => s.frame),
    Array.from({ length: 56 }, (_, i) => 24 + i),
  );
  assert.equal(progress.at(-1), 56);
  const { worst, frame } = worstOf(filled, truth);
  assert.ok(worst >= 0.7, `worst frame ${frame}: IoU ${worst.toFixed(2)}`);
  // Tracking forward from a keyframe on the first frame back in view (a sliver at the edge) fails at once.
  const forward = await trackedFrom(hard, back, back + 5);
  assert.ok(
    worstOf(forward.slice(1), truth).worst < 0.7,
    'forward tracking alone held on the object coming back',
  );
});

test('fill from a keyframe on an object coming in across the edge to one showing it whole, on the hard set', async () => {
  // Hard seed 136: back in view from frame 52 across the right edge (a third of it in view), whole from 62. The
  // run forward from the keyframe at 52 grows 20-25 px too tall by frame 58 while the run back from 68 holds:
  // weighed by distance alone, the fill was 0.64-0.69 on frames 58-62.
  const hard = hardVideo(136);
  const { video, truth, keyAt } = hard;
  assert.ok(truth[52].visibleFraction < 0.4 && truth[51].outside && truth[68].visibleFraction === 1);
  const filled = await fillBetweenKeyframes({ source: video.source, start: keyAt(52), end: keyAt(68) });
  assert.ok(filled);
  const { worst, frame } = worstOf(filled, truth);
  assert.ok(worst >= 0.7, `worst frame ${frame}: IoU ${worst.toFixed(2)}`);
  const forward = worstOf((await trackedFrom(hard, 52, 67)).slice(1), truth);
  assert.ok(forward.worst < 0.7, 'tracking forward from the keyframe at 52 alone held');
});

test('carryOutOfView: an object slowing down as it leaves is carried out so that it is gone by the outside keyframe', () => {
  // A 40x20 object's centre at x = 100 + 10t - 0.1t^2 on a 200-px-wide picture: whole up to frame 8, crossing the
  // right edge on 9-12, under a quarter in view from frame 13 (x > 210), where the outside keyframe is.
  const pathAt = (t: number): Box => ({ x: 100 + 10 * t - 0.1 * t * t - 20, y: 50, w: 40, h: 20 });
  const clipped = (b: Box): Box => ({ ...b, w: Math.min(b.x + b.w, 200) - b.x });
  const inView = (t: number) => (200 - pathAt(t).x) / 40;
  assert.ok(inView(12) >= 0.25 && inView(13) < 0.25);
  // The tracker: right on whole frames, 8 px ahead while crossing (the object slows, its motion prior does not),
  // and gone a frame early.
  const tracked = Array.from({ length: 12 }, (_, k) => {
    const t = k + 1;
    if (t <= 8) return step(t, pathAt(t), 0.9);
    if (t === 12) return step(t, null);
    return step(t, clipped({ ...pathAt(t), x: pathAt(t).x + 8 }), 0.4);
  });
  const input = { start: key(0, pathAt(0)), end: key(13, box(0, 0, 0, 0), true), steps: tracked, ...frame };
  const carried = carryOutOfView(input);
  const iouOn = (steps: TrackStep[], t: number) => frameScore(truthAt(t), steps[t - 1]);
  const truthAt = (t: number) => ({ box: clipped(pathAt(t)), outside: false });
  for (let t = 1; t <= 8; t++) assert.deepEqual(carried[t - 1], tracked[t - 1]);
  for (let t = 9; t <= 12; t++) {
    assert.ok(iouOn(carried, t) > 0.9, `frame ${t}: IoU ${iouOn(carried, t).toFixed(3)}`);
  }
  assert.ok(
    Math.min(...[9, 10, 11, 12].map((t) => iouOn(tracked, t))) < 0.7,
    'the tracker alone was not off',
  );
  // Through fillFromRuns, as a fill towards an outside keyframe runs: the same.
  assert.deepEqual(
    fillFromRuns({ ...input, forward: tracked, backward: [] }).map((s) => s.box),
    carried.map((s) => s.box),
  );
  // Left as they were: the outside keyframe far after the tracker lost it, the object lost in view before the
  // edge, an object moving away from the edge it touches, and a fill not ending outside.
  assert.deepEqual(
    carryOutOfView({
      ...input,
      end: key(19, box(0, 0, 0, 0), true),
      steps: [...tracked, ...[13, 14, 15, 16, 17, 18].map((t) => step(t, null))],
    }),
    [...tracked, ...[13, 14, 15, 16, 17, 18].map((t) => step(t, null))],
  );
  const lostInView = tracked.map((s) => (s.frame === 9 ? step(9, null) : s));
  assert.deepEqual(carryOutOfView({ ...input, steps: lostInView }), lostInView);
  const backAt = (t: number): Box => ({ x: 170 - 5 * t, y: 50, w: 30, h: 20 });
  const turningBack = Array.from({ length: 12 }, (_, k) => step(k + 1, clipped(backAt(k + 1))));
  assert.deepEqual(carryOutOfView({ ...input, start: key(0, box(100)), steps: turningBack }), turningBack);
  assert.deepEqual(carryOutOfView({ ...input, end: key(13, pathAt(13)) }), tracked);
});

test('carryOutOfView: from a keyframe on the last frame the object is whole it leaves at the steady pace the keyframes give', () => {
  // A 40x20 object at x = 158 + 5t on a 200-px-wide picture: whole on frame 0 (the keyframe), crossing the right
  // edge from frame 1, under a quarter in view from frame 7, where the outside keyframe is. No whole frame but the
  // keyframe to read a motion from.
  const pathAt = (t: number): Box => ({ x: 158 + 5 * t, y: 50, w: 40, h: 20 });
  const clipped = (b: Box): Box => ({ ...b, w: Math.min(b.x + b.w, 200) - b.x });
  const inView = (t: number) => (200 - pathAt(t).x) / 40;
  assert.ok(inView(6) >= 0.25 && inView(7) < 0.25);
  // The tracker 8 px ahead while crossing, and gone a frame early.
  const tracked = Array.from({ length: 6 }, (_, k) => {
    const t = k + 1;
    return t === 6 ? step(t, null) : step(t, clipped({ ...pathAt(t), x: pathAt(t).x + 8 }), 0.4);
  });
  const input = { start: key(0, pathAt(0)), end: key(7, box(0, 0, 0, 0), true), steps: tracked, ...frame };
  const carried = carryOutOfView(input);
  const truthAt = (t: number) => ({ box: clipped(pathAt(t)), outside: false });
  const iouOn = (steps: TrackStep[], t: number) => frameScore(truthAt(t), steps[t - 1]);
  for (let t = 1; t <= 6; t++)
    assert.ok(iouOn(carried, t) > 0.9, `frame ${t}: IoU ${iouOn(carried, t).toFixed(3)}`);
  assert.ok(
    Math.min(...[1, 2, 3, 4, 5, 6].map((t) => iouOn(tracked, t))) < 0.7,
    'the tracker alone was not off',
  );
});

test('carryOutOfView: the last stretch in view is carried out at the size the tracker sees along the edge, and on after it loses the object', () => {
  // A 40x24 object moving right 5 px and down 1.5 px a frame on a 200x120 picture, shrinking by 5% a frame from
  // frame 16 as it crosses the right edge; the outside keyframe is on its first frame under a quarter in view.
  const sizeAt = (t: number) => (t <= 16 ? 1 : 1 - 0.05 * (t - 16));
  const pathAt = (t: number): Box => {
    const s = sizeAt(t);
    return { x: 100 + 5 * t - 20 * s, y: 40 + 1.5 * t - 12 * s, w: 40 * s, h: 24 * s };
  };
  const clipped = (b: Box): Box => ({ ...b, w: Math.min(b.x + b.w, 200) - b.x });
  const inView = (t: number) => clipped(pathAt(t)).w / pathAt(t).w;
  let out = 1;
  while (inView(out) >= 0.25) out++;
  const crossing = Array.from({ length: out }, (_, t) => t).filter((t) => pathAt(t).x + pathAt(t).w > 199);
  assert.ok(crossing.length >= 5, `crossing on ${crossing.length} frames`);
  // The tracker lost the object in view on frames 1-3 and found it again on 4 (its earlier exits and returns
  // look the same); right on whole frames and along the edge while crossing, its box cut there; it lost the
  // object again three frames before the outside keyframe, a third of it still in view.
  const lostAt = out - 3;
  assert.ok(inView(lostAt) > 0.3);
  const tracked = Array.from({ length: out - 1 }, (_, k) => {
    const t = k + 1;
    return t <= 3 || t >= lostAt ? step(t, null) : step(t, clipped(pathAt(t)), 0.9);
  });
  const carried = carryOutOfView({
    start: key(0, pathAt(0)),
    end: key(out, box(0, 0, 0, 0), true),
    steps: tracked,
    ...frame,
  });
  const iouOn = (t: number) => frameScore({ box: clipped(pathAt(t)), outside: false }, carried[t - 1]);
  for (let t = 1; t < crossing[0]; t++) assert.deepEqual(carried[t - 1], tracked[t - 1]);
  // While the tracker sees it, the carried box is the object's, shrunk; after, it goes on at the size it last had.
  for (let t = crossing[0]; t < lostAt; t++)
    assert.ok(iouOn(t) >= 0.9, `frame ${t}: IoU ${iouOn(t).toFixed(3)}`);
  for (let t = lostAt; t < out; t++) assert.ok(iouOn(t) >= 0.6, `frame ${t}: IoU ${iouOn(t).toFixed(3)}`);
  // Its height on the last frame the tracker saw it is the object's, shrunk (at the size it had, 24 px).
  const seenLast = carried[lostAt - 2].box!;
  assert.ok(Math.abs(seenLast.h - pathAt(lostAt - 1).h) < 0.5, `height ${seenLast.h.toFixed(1)}`);
});

test('carryOutOfView: an object turning as it leaves is followed along the edge where the tracker sees it', () => {
  // A 40x24 object moving right 5 px a frame on a 200x120 picture, level while whole (up to frame 16), then
  // falling by 0.5 (t - 16)^2 px while it crosses the right edge on 17-22; under a quarter in view from 23, where
  // the outside keyframe is. The tracker sees the part in view right; the path read on the whole frames is level.
  const pathAt = (t: number): Box => ({
    x: 80 + 5 * t,
    y: 48 + (t > 16 ? 0.5 * (t - 16) ** 2 : 0),
    w: 40,
    h: 24,
  });
  const clipped = (b: Box): Box => ({ ...b, w: Math.min(b.x + b.w, 200) - b.x });
  const inView = (t: number) => clipped(pathAt(t)).w / 40;
  assert.ok(inView(16) === 1 && inView(17) < 1 && inView(22) >= 0.25 && inView(23) < 0.25);
  const tracked = Array.from({ length: 22 }, (_, k) => step(k + 1, clipped(pathAt(k + 1)), 0.9));
  const carried = carryOutOfView({
    start: key(0, pathAt(0)),
    end: key(23, box(0, 0, 0, 0), true),
    steps: tracked,
    ...frame,
  });
  const truthAt = (t: number) => ({ box: clipped(pathAt(t)), outside: false });
  for (let t = 17; t <= 22; t++) {
    const iou = frameScore(truthAt(t), carried[t - 1]);
    assert.ok(iou >= 0.8, `frame ${t}: IoU ${iou.toFixed(3)}`);
  }
  // The level path is 18 px off by frame 22, three quarters of the object's height.
  const level = clipped({ ...pathAt(22), y: 48 });
  assert.ok(frameScore(truthAt(22), { box: level, outside: false }) < 0.5);
});

test('carryIntoView: an object coming in is carried in backwards from the keyframe showing it, as an exit is carried out', () => {
  // The exit above played backwards: a 40x20 object whose centre is at x = 100 + 10t - 0.1t^2 at t = 19 - frame
  // comes in across the right edge of a 200-px-wide picture, quickening. Under a quarter in view up to frame 6
  // (t = 13), crossing the edge on frames 7-10, whole from 11; the keyframe showing it is on frame 19.
  const pathAt = (f: number): Box => {
    const t = 19 - f;
    return { x: 100 + 10 * t - 0.1 * t * t - 20, y: 50, w: 40, h: 20 };
  };
  const clipped = (b: Box): Box => ({ ...b, w: Math.min(b.x + b.w, 200) - b.x });
  const inView = (f: number) => (200 - pathAt(f).x) / 40;
  assert.ok(inView(6) < 0.25 && inView(7) >= 0.25 && inView(10) < 1 && inView(11) >= 1);
  const truthAt = (f: number) => ({ box: clipped(pathAt(f)), outside: inView(f) < 0.25 });
  // The run back from 19, joined (frames in order): right on whole frames, 8 px ahead (further out) on 9-10,
  // where the object is slower than its motion prior, and lost from frame 8, with half of it still in view.
  const runBack = (first: number) =>
    Array.from({ length: 18 - first + 1 }, (_, k) => {
      const f = first + k;
      if (f >= 11) return step(f, pathAt(f), 0.9);
      if (f >= 9) return step(f, clipped({ ...pathAt(f), x: pathAt(f).x + 8 }), 0.4);
      return step(f, null);
    });
  const iouOn = (steps: TrackStep[], f: number) => frameScore(truthAt(f), steps.find((s) => s.frame === f)!);
  const crossing = [7, 8, 9, 10];
  // The outside keyframe just before the object comes in (frame 6): it is where the object comes in.
  const near = {
    start: key(6, box(0, 0, 0, 0), true),
    end: key(19, pathAt(19)),
    steps: runBack(7),
    ...frame,
  };
  const carried = carryIntoView(near);
  for (const f of crossing)
    assert.ok(iouOn(carried, f) > 0.9, `frame ${f}: IoU ${iouOn(carried, f).toFixed(3)}`);
  for (let f = 11; f <= 18; f++) assert.deepEqual(carried[f - 7], near.steps[f - 7]);
  assert.ok(Math.min(...crossing.map((f) => iouOn(near.steps, f))) < 0.7, 'the run back alone was not off');
  // Through fillFromRuns, as a fill from an outside keyframe runs (the run back in its own order): the same.
  assert.deepEqual(
    fillFromRuns({ ...near, forward: [], backward: near.steps.slice().reverse() }).map((s) => s.box),
    carried.map((s) => s.box),
  );
  // An outside keyframe long before (frame 0): the run back lost the object on 8, and the search for it from
  // the outside keyframe first found it on 7, the earlier of the two, where it came in. Without the search,
  // the object is taken to come in where the run back lost it, a frame late.
  const far = { ...near, start: key(0, box(0, 0, 0, 0), true), steps: runBack(1) };
  const search = Array.from({ length: 18 }, (_, k) => {
    const f = k + 1;
    return f < 7 ? step(f, null) : step(f, clipped(pathAt(f)), 0.6);
  });
  const found = carryIntoView({ ...far, search });
  for (const f of crossing) assert.ok(iouOn(found, f) > 0.9, `frame ${f}: IoU ${iouOn(found, f).toFixed(3)}`);
  for (let f = 1; f <= 6; f++) assert.equal(found[f - 1].outside, true);
  assert.equal(iouOn(carryIntoView(far), 7), 0);
  // Left as they were: a fill from a keyframe showing the object, and one whose run back never saw it.
  assert.deepEqual(carryIntoView({ ...near, start: key(6, pathAt(11)) }), near.steps);
  const blind = near.steps.map((s) => step(s.frame, null));
  assert.deepEqual(carryIntoView({ ...near, steps: blind }), blind);
});

test('fill from an outside keyframe to the object whole, on the hard set: the frames it comes in on are boxed', async () => {
  // Hard seed 107: back in view across the edge from frame 63, whole from 72. The run back from 72 loses it on
  // 65 with 40% of it in view; from the outside keyframe on 62 the fill carries it in from there.
  const hard = hardVideo(107);
  const { video, truth, keyAt } = hard;
  assert.ok(truth[62].outside && !truth[63].outside && truth[72].visibleFraction === 1);
  const near = await fillBetweenKeyframes({ source: video.source, start: keyAt(62), end: keyAt(72) });
  assert.ok(near);
  const nearWorst = worstOf(near, truth);
  assert.ok(
    nearWorst.worst >= 0.7,
    `62 to 72: worst frame ${nearWorst.frame}: IoU ${nearWorst.worst.toFixed(2)}`,
  );
  const back = await trackedFrom(hard, 72, 63, 'backward');
  assert.ok(worstOf(back.slice(1), truth).worst < 0.7, 'tracking back from 72 alone held');
  // Hard seed 121: outside from frame 23, back in view from 63. From the outside keyframe at 23 the fill searches
  // for the object (known from frame 0) as T does, and takes it to come in where the search first finds it; without
  // the keyframe to know it by, where the run back from 72 lost it (a frame late).
  const { video: video121, truth: truth121, keyAt: keyAt121 } = hardVideo(121);
  assert.ok(truth121[23].outside && truth121[62].outside && !truth121[63].outside);
  const request = { source: video121.source, start: keyAt121(23), end: keyAt121(72) };
  const searched = await fillBetweenKeyframes({ ...request, seen: { frame: 0, box: truth121[0].box! } });
  assert.ok(searched);
  const searchedWorst = worstOf(searched, truth121);
  assert.ok(
    searchedWorst.worst >= 0.7,
    `23 to 72: worst frame ${searchedWorst.frame}: IoU ${searchedWorst.worst.toFixed(2)}`,
  );
  const unsearched = await fillBetweenKeyframes(request);
  assert.ok(unsearched && worstOf(unsearched, truth121).worst < 0.7, 'the fill without a search held');
});

test('carryAcrossEdge: an object coming in across the edge follows the cut keyframe and the clear one, both ways in time', () => {
  // A 40x20 object coming in across the right edge of a 200x120 picture, speeding up: its left (inner) edge at
  // x = 188 - 2t - 0.3t^2, so 30% in view on frame 0 (the cut keyframe), crossing on 1-7, whole from 8; the
  // clear keyframe on 14.
  const pathAt = (t: number): Box => ({ x: 188 - 2 * t - 0.3 * t * t, y: 50, w: 40, h: 20 });
  const clipped = (b: Box): Box => ({ ...b, w: Math.min(b.x + b.w, 200) - b.x });
  const truthAt = (t: number) => ({ box: clipped(pathAt(t)), outside: false });
  // The run back from 14: right on whole frames, 8 px behind while crossing, and lost on frames 1-2. The run
  // forward from the sliver keeps the sliver's width.
  const backward = Array.from({ length: 13 }, (_, k) => {
    const t = 13 - k;
    if (t >= 8) return step(t, pathAt(t), 0.9);
    if (t <= 2) return step(t, null);
    return step(t, clipped({ ...pathAt(t), x: pathAt(t).x + 8 }), 0.4);
  });
  const forward = Array.from({ length: 13 }, (_, k) => step(k + 1, { ...pathAt(k + 1), w: 12 }, 0.7));
  const input = { start: key(0, clipped(pathAt(0))), end: key(14, pathAt(14)), forward, backward, ...frame };
  const fused = fuseRuns(input);
  const filled = fillFromRuns(input);
  const iouOn = (steps: TrackStep[], t: number) => frameScore(truthAt(t), steps[t - 1]);
  for (let t = 1; t <= 7; t++)
    assert.ok(iouOn(filled, t) > 0.9, `frame ${t}: IoU ${iouOn(filled, t).toFixed(3)}`);
  assert.ok(
    Math.min(...[1, 2, 3, 4, 5, 6, 7].map((t) => iouOn(fused, t))) < 0.7,
    'the joined runs alone were not off',
  );
  for (let t = 8; t <= 13; t++) assert.deepEqual(filled[t - 1], fused[t - 1]);
  assert.deepEqual(carryAcrossEdge({ ...input, steps: fused }), filled);

  // The same object leaving across the left edge, time and picture mirrored: the cut keyframe now ends the fill.
  const mirror = (b: Box | null): Box | null => (b ? { ...b, x: 200 - b.x - b.w } : null);
  const back = (s: TrackStep): TrackStep => ({ ...s, frame: 14 - s.frame, box: mirror(s.box) });
  const leaving = {
    start: key(0, mirror(pathAt(14))!),
    end: key(14, mirror(clipped(pathAt(0)))!),
    forward: backward.map(back),
    backward: forward.map(back),
    ...frame,
  };
  const left = fillFromRuns(leaving);
  for (let t = 1; t <= 7; t++) {
    const truth = { box: mirror(clipped(pathAt(t))), outside: false };
    const score = frameScore(truth, left[14 - t - 1]);
    assert.ok(Math.abs(score - iouOn(filled, t)) < 1e-9, `mirrored frame ${14 - t}: IoU ${score.toFixed(3)}`);
  }

  // Left as it was: a keyframe cut on two sides (a corner), where the inner edge is not one line.
  const corner = { ...input, start: key(0, { ...clipped(pathAt(0)), y: 100 }) };
  assert.deepEqual(carryAcrossEdge({ ...corner, steps: fused }), fused);
});

test('carryAcrossEdge: with no steady path in the run, the two keyframes alone give the crossing', () => {
  // The same object at a steady speed, inner edge at x = 188 - 6t: whole from frame 5 on.
  const pathAt = (t: number): Box => ({ x: 188 - 6 * t, y: 50, w: 40, h: 20 });
  const clipped = (b: Box): Box => ({ ...b, w: Math.min(b.x + b.w, 200) - b.x });
  const truthAt = (t: number) => ({ box: clipped(pathAt(t)), outside: false });
  const forward = Array.from({ length: 13 }, (_, k) => step(k + 1, { ...pathAt(k + 1), w: 12 }, 0.7));
  const worstOn = (steps: TrackStep[], frames: number[]) =>
    Math.min(...frames.map((t) => frameScore(truthAt(t), steps[t - 1])));
  const crossing = [1, 2, 3, 4];
  // Filled to the object's first whole frame, with the run back lagging 10 px: no whole frame but the keyframe.
  const lagging = (t: number) => step(t, clipped({ ...pathAt(t), x: pathAt(t).x + 10 }), 0.4);
  const toFirstWhole = {
    start: key(0, clipped(pathAt(0))),
    end: key(5, pathAt(5)),
    forward: forward.slice(0, 4),
    backward: [4, 3, 2, 1].map(lagging),
    ...frame,
  };
  assert.ok(worstOn(fuseRuns(toFirstWhole), crossing) < 0.7, 'the joined runs alone were not off');
  assert.ok(worstOn(fillFromRuns(toFirstWhole), crossing) > 0.99);

  // Filled to frame 14, the run back having taken up something else moving the other way on 5-13 (no path to
  // the cut keyframe that keeps its way): every frame follows the keyframes.
  const strayed = Array.from({ length: 13 }, (_, k) => {
    const t = 13 - k;
    return t >= 5 ? step(t, box(60 + 3 * t, 50, 40, 20), 0.9) : lagging(t);
  });
  const stray = {
    start: key(0, clipped(pathAt(0))),
    end: key(14, pathAt(14)),
    forward,
    backward: strayed,
    ...frame,
  };
  const every = Array.from({ length: 13 }, (_, k) => k + 1);
  assert.ok(worstOn(fuseRuns(stray), every) < 0.7, 'the joined runs alone were not off');
  assert.ok(worstOn(fillFromRuns(stray), every) > 0.99);
});

test('fill from an object coming in across the edge to where it is whole, on the hard set: each crossing frame boxed', async () => {
  // Hard seed 133: back in view across the right edge from frame 54 (27% of it), whole from 66. The run back from
  // the keyframe at 71 lags the object as it crosses, and the run forward from the sliver keeps its size: joined,
  // they fell to 0.59 on frame 59.
  const hard = hardVideo(133);
  const { video, truth, keyAt } = hard;
  assert.ok(truth[53].outside && truth[54].visibleFraction < 0.3 && truth[65].visibleFraction < 1);
  assert.equal(truth[66].visibleFraction, 1);
  const filled = await fillBetweenKeyframes({ source: video.source, start: keyAt(54), end: keyAt(71) });
  assert.ok(filled);
  const { worst, frame } = worstOf(filled, truth);
  assert.ok(worst >= 0.7, `worst frame ${frame}: IoU ${worst.toFixed(2)}`);
  const backward = (
    await collectSteps(
      trackObject({
        source: video.source,
        startFrame: 71,
        startBox: truth[71].box!,
        direction: 'backward',
        endFrame: 55,
      }),
    )
  ).slice(1);
  const forward = (await trackedFrom(hard, 54, 70)).slice(1);
  const joined = fuseRuns({ start: keyAt(54), end: keyAt(71), forward, backward, ...video.spec });
  assert.ok(worstOf(joined, truth).worst < 0.7, 'the runs joined alone held');
});

test('fills between a keyframe on the object at the edge and one where it is whole next to it, on the hard set', async () => {
  // Hard seed 135, back in view across the right edge from frame 61 (26% of it), whole from 69, the keyframe there:
  // joined, the runs fell to 0.47 on frame 65.
  const entering = hardVideo(135);
  assert.ok(entering.truth[61].visibleFraction < 0.3 && entering.truth[68].visibleFraction < 1);
  assert.equal(entering.truth[69].visibleFraction, 1);
  // Hard seed 119, big (139 px) and slow, leaving across the left edge after frame 115 and under a quarter in view
  // from 129: filled from 114, where the tracker's box is whole only on the keyframe. The tracker lost the object
  // on 126 with 37% of it still in view.
  const leaving = hardVideo(119);
  assert.equal(leaving.truth[115].visibleFraction, 1);
  assert.ok(leaving.truth[116].visibleFraction < 1 && leaving.truth[129].outside);
  for (const [{ video, truth, keyAt }, from, to] of [
    [entering, 61, 69],
    [leaving, 114, 129],
  ] as const) {
    const filled = await fillBetweenKeyframes({ source: video.source, start: keyAt(from), end: keyAt(to) });
    assert.ok(filled);
    const { worst, frame } = worstOf(filled, truth);
    assert.ok(worst >= 0.7, `fill ${from}-${to}, worst frame ${frame}: IoU ${worst.toFixed(2)}`);
  }
});

test('an object leaving on the hard set is boxed on every frame, filled to the outside keyframe or tracked forward', async () => {
  // Hard seed 105: whole on frame 0, leaving across the right edge from frame 14 (small and blurred), first
  // outside on frame 18. Filled: IoU 0.78 or more on every frame. Tracking forward called the object gone on 17
  // (36% in view; IoU 0.71 on 16) until the part in view was matched against the object learnt whole (the
  // tracker's edge template): now 0.84 and 0.76 there.
  const hard = hardVideo(105);
  const { video, truth, keyAt } = hard;
  assert.equal(
    truth.findIndex((t) => t.outside),
    18,
  );
  const filled = await fillBetweenKeyframes({ source: video.source, start: keyAt(0), end: keyAt(18) });
  assert.ok(filled);
  const { worst, frame } = worstOf(filled, truth);
  assert.ok(worst >= 0.7, `filled: worst frame ${frame}: IoU ${worst.toFixed(2)}`);
  const forward = worstOf((await trackedFrom(hard, 0, 17)).slice(1), truth);
  assert.ok(
    forward.worst >= 0.7,
    `tracked forward: worst frame ${forward.frame}: IoU ${forward.worst.toFixed(2)}`,
  );
});

test('fill to an outside keyframe on the hard set: across an earlier exit and return, and with the object shrinking as it leaves', async () => {
  // Hard seed 105 from frame 0 to the keyframe marking it outside at 112: it leaves at 18 and comes back before
  // leaving again (a fill believed the run only up to its first loss, and had it outside from 18 on). Hard seed
  // 108 from 75 to 120: it turns and shrinks by a third as it leaves (at the size it had, IoU 0.38 on 118). Hard
  // seed 107 from 0 to 25: the tracker loses it on 20, half of it in view, five frames before the outside
  // keyframe (left unfilled when the two had to agree within three). There the object grows taller as it turns
  // on its way out (125 -> 133 px over frames 21-24), and the box carried out keeps the height it had when the
  // tracker lost it: 0.74 on frame 24 before poses were refined by alignment, 0.67 since (frames 15-21 gained
  // up to 0.04 each; the labeler's keyframes on hard 101-136 went 270 -> 251).
  for (const [seed, from, to, bar] of [
    [105, 0, 112, 0.7],
    [108, 75, 120, 0.7],
    [107, 0, 25, 0.65],
  ]) {
    const { video, truth, keyAt } = hardVideo(seed);
    assert.equal(truth[to].outside, true);
    assert.equal(truth[to - 1].outside, false);
    const filled = await fillBetweenKeyframes({ source: video.source, start: keyAt(from), end: keyAt(to) });
    assert.ok(filled);
    const { worst, frame } = worstOf(filled, truth);
    assert.ok(worst >= bar, `hard ${seed}, ${from} to ${to}: worst frame ${frame}: IoU ${worst.toFixed(2)}`);
  }
});

test('fill between two outside keyframes on the hard set: the object coming back in between is found and carried out again', async () => {
  // Hard seed 106: outside from frame 22, back in view from about frame 60, and gone again by frame 120. Given a
  // keyframe where it was seen (frame 0), the fill searches for it as tracking (T) from an outside keyframe does,
  // and carries it out across the edge by 120; without one there is nothing to look for, and every frame stays
  // outside (as every fill between two outside keyframes did before).
  const { video, truth, keyAt } = hardVideo(106);
  assert.equal(truth[22].outside, true);
  assert.equal(truth[120].outside, true);
  const inView = truth.filter((t, i) => i > 22 && i < 120 && !t.outside).length;
  assert.ok(inView >= 40, `in view on ${inView} frames between`);
  const progress: number[] = [];
  const filled = await fillBetweenKeyframes({
    source: video.source,
    start: keyAt(22),
    end: keyAt(120),
    seen: { frame: 0, box: truth[0].box! },
    onProgress: (done) => progress.push(done),
  });
  assert.ok(filled);
  assert.equal(filled.length, 97);
  assert.equal(progress.at(-1), 97);
  const { worst, frame: at } = worstOf(filled, truth);
  assert.ok(worst >= 0.7, `worst frame ${at}: IoU ${worst.toFixed(2)}`);
  const blind = await fillBetweenKeyframes({ source: video.source, start: keyAt(22), end: keyAt(120) });
  assert.ok(blind?.every((s) => s.outside && s.box === null));
  // A forward run from an outside keyframe is a search only towards another outside keyframe.
  assert.throws(
    () =>
      fuseRuns({
        start: key(0, box(0, 0, 0, 0), true),
        end: key(3, box(20)),
        forward: [step(1, box(20)), step(2, box(20))],
        backward: [step(2, box(20)), step(1, box(20))],
        ...frame,
      }),
    /forward run must have 0 steps/,
  );
});
