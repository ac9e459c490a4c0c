import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateSyntheticVideo } from '../src/synthetic/index.js';
import { type Box, frameScore, iou, type TrackStep, trackObject } from '../src/tracking/index.js';
import {
  type PosedStep,
  PoseSmoother,
  SMOOTH_HALF_WINDOW,
  type TrackedPose,
} from '../src/tracking/smooth.js';
import { collectSteps, trackFrameByFrame } from './track-synthetic.js';

const frame = { width: 320, height: 240 };

/** The bounding box of a w x h rectangle turned by `angle` about (cx, cy), clipped to the frame: written out here. */
function truthBox(p: Omit<TrackedPose, 'run'>): Box {
  const hx = (Math.abs(Math.cos(p.angle)) * p.w + Math.abs(Math.sin(p.angle)) * p.h) / 2;
  const hy = (Math.abs(Math.sin(p.angle)) * p.w + Math.abs(Math.cos(p.angle)) * p.h) / 2;
  const x0 = Math.max(0, p.cx - hx);
  const y0 = Math.max(0, p.cy - hy);
  return {
    x: x0,
    y: y0,
    w: Math.min(frame.width, p.cx + hx) - x0,
    h: Math.min(frame.height, p.cy + hy) - y0,
  };
}

function posed(frameIndex: number, pose: TrackedPose, confidence = 1): PosedStep {
  return { frame: frameIndex, box: truthBox(pose), confidence, outside: false, pose };
}

function smoothAll(steps: PosedStep[]): TrackStep[] {
  const smoother = new PoseSmoother(frame);
  const out = steps.flatMap((s) => smoother.push(s));
  return [...out, ...smoother.flush()];
}

function closeBox(a: Box | null, b: Box | null, tolerance: number, what: string): void {
  assert.ok(a && b, `${what}: a box on both`);
  for (const k of ['x', 'y', 'w', 'h'] as const) {
    assert.ok(Math.abs(a[k] - b[k]) <= tolerance, `${what}: ${k} ${a[k]} against ${b[k]}`);
  }
}

/** A turning, growing object on a curved path: every pose field a quadratic in the frame number. */
const quadraticPose = (f: number, run = 1): TrackedPose => ({
  cx: 60 + 3 * f + 0.05 * f * f,
  cy: 120 - 1.5 * f + 0.02 * f * f,
  w: 40 * Math.exp(0.004 * f),
  h: 25 * Math.exp(0.004 * f),
  angle: -0.3 + 0.02 * f,
  run,
});

test(`PoseSmoother: a path each pose field follows as a quadratic comes out unchanged, in order, ${SMOOTH_HALF_WINDOW} frames behind`, () => {
  const steps = Array.from({ length: 40 }, (_, f) =>
    posed(f, quadraticPose(f), 0.2 + (0.8 * ((f * 7) % 5)) / 4),
  );
  const smoother = new PoseSmoother(frame);
  const handed: TrackStep[] = [];
  for (const [i, s] of steps.entries()) {
    handed.push(...smoother.push(s));
    assert.equal(handed.length, Math.max(0, i + 1 - SMOOTH_HALF_WINDOW), `handed on after step ${i}`);
  }
  handed.push(...smoother.flush());
  assert.deepEqual(
    handed.map((s) => s.frame),
    steps.map((s) => s.frame),
  );
  // The angle crosses 0 at frame 15, where the bounding box's width has a kink: a fit of the box would round it.
  for (const s of handed) closeBox(s.box, steps[s.frame].box, 1e-6, `frame ${s.frame}`);
  assert.ok(
    handed.every((s) => !('pose' in s)),
    'the pose stays inside the engine',
  );
});

test('PoseSmoother: jittery poses come out nearer the true path, and a weak match is put where its neighbours say', () => {
  // A seeded generator (Park-Miller), so the test is the same on every run.
  let seed = 12345;
  const noise = () => {
    seed = (seed * 16807) % 2147483647;
    return (seed / 2147483647) * 2 - 1;
  };
  const truth = (f: number): TrackedPose => ({
    cx: 160 + 90 * Math.sin(f / 14),
    cy: 120 + 50 * Math.sin(f / 9),
    w: 50 * Math.exp(0.25 * Math.sin(f / 20)),
    h: 32 * Math.exp(0.25 * Math.sin(f / 20)),
    angle: 0.5 * Math.sin(f / 16),
    run: 7,
  });
  const n = 120;
  const weak = 60;
  const steps = Array.from({ length: n }, (_, f) => {
    const t = truth(f);
    const jitter = f === weak ? 15 : 1.5;
    return posed(
      f,
      {
        ...t,
        cx: t.cx + jitter * noise(),
        cy: t.cy + jitter * noise(),
        w: t.w * Math.exp(0.04 * noise()),
        h: t.h * Math.exp(0.04 * noise()),
        angle: t.angle + 0.03 * noise(),
      },
      f === weak ? 0 : 0.9,
    );
  });
  const smoothed = smoothAll(steps);
  const meanIou = (boxes: Array<Box | null>) =>
    boxes.reduce((sum, b, f) => sum + iou(truthBox(truth(f)), b as Box), 0) / n;
  const raw = meanIou(steps.map((s) => s.box));
  const fitted = meanIou(smoothed.map((s) => s.box));
  assert.ok(fitted > raw + 0.01, `mean IoU ${raw.toFixed(4)} raw, ${fitted.toFixed(4)} smoothed`);
  const centreError = (b: Box, f: number) => {
    const t = truth(f);
    return Math.hypot(b.x + b.w / 2 - t.cx, b.y + b.h / 2 - t.cy);
  };
  const rawError = steps.reduce((s, st) => s + centreError(st.box!, st.frame), 0) / n;
  const fittedError = smoothed.reduce((s, st) => s + centreError(st.box!, st.frame), 0) / n;
  assert.ok(
    fittedError < 0.7 * rawError,
    `centre error ${rawError.toFixed(2)} px raw, ${fittedError.toFixed(2)} smoothed`,
  );
  assert.ok(centreError(steps[weak].box!, weak) > 5, 'the weak match is off');
  assert.ok(
    centreError(smoothed[weak].box!, weak) < 1.5,
    `weak frame ${centreError(smoothed[weak].box!, weak)} px off`,
  );
});

test('PoseSmoother: a size misread over a stretch of frames is fitted over the longer window of size and angle', () => {
  // Seven frames in a row (heavy blur) measured 12% small and turned 4 degrees too far, with a middling match;
  // the rest exact. The place is measured right throughout.
  const path = (f: number): TrackedPose => ({
    cx: 60 + 4 * f,
    cy: 120,
    w: 60 * Math.exp(0.005 * f),
    h: 40 * Math.exp(0.005 * f),
    angle: 0.2,
    run: 5,
  });
  const misread = (f: number) => f >= 27 && f <= 33;
  const steps = Array.from({ length: 60 }, (_, f) => {
    const t = path(f);
    return misread(f)
      ? posed(f, { ...t, w: t.w * 0.88, h: t.h * 0.88, angle: t.angle + 0.07 }, 0.4)
      : posed(f, t, 0.9);
  });
  const smoothed = smoothAll(steps);
  const worst = Math.min(
    ...smoothed.filter((s) => misread(s.frame)).map((s) => iou(s.box!, truthBox(path(s.frame)))),
  );
  const rawWorst = Math.min(
    ...steps.filter((s) => misread(s.frame)).map((s) => iou(s.box!, truthBox(path(s.frame)))),
  );
  // Fitted over 8 frames either side like the place, the worst is 0.958.
  assert.ok(
    worst > 0.975,
    `worst IoU on the misread frames ${worst.toFixed(4)} (as tracked ${rawWorst.toFixed(4)})`,
  );
});

test('PoseSmoother: a size misread on the last frames before the tracker loses the object is fitted by a line', () => {
  // A growing object with a size jittering by 3% either way; on its last three frames before the loss (a
  // plank coming over it) the size is read 8%, 16% and 24% large with weakening matches.
  const path = (f: number): TrackedPose => ({
    cx: 80 + 3 * f,
    cy: 110,
    w: 50 * Math.exp(0.006 * f),
    h: 36 * Math.exp(0.006 * f),
    angle: -0.1,
    run: 6,
  });
  const n = 40;
  const steps = Array.from({ length: n }, (_, f) => {
    const t = path(f);
    const late = f - (n - 4);
    const scale = late > 0 ? 1 + 0.08 * late : f % 2 === 0 ? 1.03 : 0.97;
    return posed(f, { ...t, w: t.w * scale, h: t.h * scale }, late > 0 ? 0.6 - 0.15 * late : 0.9);
  });
  steps.push({ frame: n, box: null, confidence: 0, outside: true });
  const smoothed = smoothAll(steps);
  const last = smoothed.filter((s) => s.frame >= n - 5 && s.frame < n);
  const worst = Math.min(...last.map((s) => iou(s.box!, truthBox(path(s.frame)))));
  // With a quadratic to the end, the worst is 0.935 (the curve bends up to follow the misreads).
  assert.ok(worst > 0.96, `worst IoU on the last five frames ${worst.toFixed(4)}`);
});

test('PoseSmoother: a short stretch of weak matches alone is still fitted to itself', () => {
  // Nine frames, all coasting (confidence 0), the middle one 6 px off the straight path.
  const path = (f: number): TrackedPose => ({ cx: 100 + 5 * f, cy: 80, w: 40, h: 30, angle: 0, run: 4 });
  const steps = Array.from({ length: 9 }, (_, f) =>
    posed(f, { ...path(f), cx: path(f).cx + (f === 4 ? 6 : 0) }, 0),
  );
  const smoothed = smoothAll(steps);
  const off = (b: Box | null) => Math.abs(b!.x + b!.w / 2 - path(4).cx);
  assert.ok(
    off(smoothed[4].box) < 2,
    `middle frame ${off(smoothed[4].box).toFixed(2)} px off (6 as tracked)`,
  );
});

test('PoseSmoother: runs, gaps and steps without a pose are not fitted together', () => {
  // Run 1 on frames 0-14, run 2 (a run back, its own reference: 40 px away and turned) on 15-29, then a frame
  // outside, then run 2 again on another path; frames 40-44 carry boxes without poses (a blend of two runs).
  const other = (f: number): TrackedPose => ({
    ...quadraticPose(f, 2),
    cx: quadraticPose(f).cx + 40,
    angle: 0.4,
  });
  const third = (f: number): TrackedPose => ({ ...quadraticPose(f, 2), cy: 200 - 0.03 * f * f });
  const steps: PosedStep[] = [];
  for (let f = 0; f < 15; f++) steps.push(posed(f, quadraticPose(f)));
  for (let f = 15; f < 30; f++) steps.push(posed(f, other(f)));
  steps.push({ frame: 30, box: null, confidence: 0, outside: true });
  for (let f = 31; f < 40; f++) steps.push(posed(f, third(f)));
  for (let f = 40; f < 45; f++)
    steps.push({ frame: f, box: { x: f, y: 10, w: 30, h: 20 }, confidence: 0.5, outside: false });
  const smoothed = smoothAll(steps);
  assert.equal(smoothed.length, steps.length);
  for (const s of smoothed) {
    if (!s.box) {
      assert.equal(s.frame, 30);
      assert.equal(s.outside, true);
      continue;
    }
    closeBox(s.box, steps[s.frame].box, 1e-6, `frame ${s.frame}`);
  }
});

test('PoseSmoother: an object crossing the frame edge is fitted whole and clipped; too few frames are left as tracked', () => {
  // Leaving on the right: the pose runs past the edge, the box is its part in view.
  const leaving = (f: number): TrackedPose => ({
    cx: 250 + 4 * f + 0.1 * f * f,
    cy: 100,
    w: 80,
    h: 50,
    angle: 0.1,
    run: 3,
  });
  const steps = Array.from({ length: 20 }, (_, f) => posed(f, leaving(f)));
  // Frame 10 measured 6 px short of the edge, with a weak match.
  steps[10] = posed(10, { ...leaving(10), cx: leaving(10).cx - 6 }, 0.05);
  const smoothed = smoothAll(steps);
  closeBox(smoothed[10].box, truthBox(leaving(10)), 0.5, 'frame 10');
  assert.equal(smoothed[10].box!.x + smoothed[10].box!.w, frame.width);
  const short = [0, 1, 2, 3].map((f) =>
    posed(f, { ...leaving(f), cx: leaving(f).cx + (f === 2 ? 9 : 0) }, 0.9),
  );
  const unchanged = smoothAll(short);
  for (const s of unchanged) assert.deepEqual(s.box, short[s.frame].box, `frame ${s.frame}`);
});

test('trackObject hands on smoothed boxes: nearer the truth than the tracker frame by frame (occlusion seed 102)', async () => {
  // A plank sweeps over the object again and again: the tracker's matches under it are weak and jumpy.
  const video = generateSyntheticVideo({ seed: 102, challenges: ['occlusion'], frameCount: 200 });
  const truth = video.truth;
  const raw = trackFrameByFrame(video, 199);
  const run = await collectSteps(
    trackObject({ source: video.source, startFrame: 0, startBox: truth[0].box!, direction: 'forward' }),
  );
  const mean = (steps: TrackStep[]) =>
    steps.reduce((sum, s) => sum + frameScore(truth[s.frame], s), 0) / steps.length;
  // Frame-to-frame wobble: how far each centre is from midway between its neighbours'.
  const wobble = (steps: TrackStep[]) => {
    const c = steps.map((s) => (s.box ? [s.box.x + s.box.w / 2, s.box.y + s.box.h / 2] : null));
    let sum = 0;
    let n = 0;
    for (let i = 1; i + 1 < c.length; i++) {
      const [a, b, d] = [c[i - 1], c[i], c[i + 1]];
      if (!a || !b || !d) continue;
      sum += Math.hypot(b[0] - (a[0] + d[0]) / 2, b[1] - (a[1] + d[1]) / 2);
      n++;
    }
    return sum / n;
  };
  assert.ok(
    mean(run) > mean(raw) + 0.015,
    `mean IoU ${mean(raw).toFixed(4)} frame by frame, ${mean(run).toFixed(4)} run`,
  );
  assert.ok(
    wobble(run) < 0.5 * wobble(raw),
    `wobble ${wobble(raw).toFixed(2)} px frame by frame, ${wobble(run).toFixed(2)} run`,
  );
});
