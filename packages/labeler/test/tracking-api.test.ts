import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateSyntheticVideo } from '../src/synthetic/index.js';
import { FFT, FFT2D, RealFFT2D } from '../src/tracking/fft.js';
import {
  frameScore,
  interpolate,
  iou,
  type Keyframe,
  scoreSequence,
  type TrackStep,
  trackObject,
} from '../src/tracking/index.js';
import { SMOOTH_HALF_WINDOW } from '../src/tracking/smooth.js';
import { collectSteps } from './track-synthetic.js';

test('FFT matches a direct DFT at every size, along rows and down columns, forward and inverse', () => {
  // A direct DFT, e^{-i...} forward and e^{+i...} inverse (unscaled), as FFT.transform defines them.
  const dft = (re: number[], im: number[], inverse: boolean) => {
    const n = re.length;
    const sign = inverse ? 1 : -1;
    const out = { re: new Array<number>(n).fill(0), im: new Array<number>(n).fill(0) };
    for (let k = 0; k < n; k++) {
      for (let t = 0; t < n; t++) {
        const a = (sign * 2 * Math.PI * k * t) / n;
        out.re[k] += re[t] * Math.cos(a) - im[t] * Math.sin(a);
        out.im[k] += re[t] * Math.sin(a) + im[t] * Math.cos(a);
      }
    }
    return out;
  };
  // Odd and even numbers of stages: the transform goes two stages at a time and starts with one alone.
  for (const n of [1, 2, 4, 8, 16, 32, 64, 128]) {
    const fft = new FFT(n);
    for (const inverse of [false, true]) {
      const re = Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) + (i % 3));
      const im = Array.from({ length: n }, (_, i) => Math.cos(i * 0.7));
      const expect = dft(re, im, inverse);
      // Along a row at an offset into a longer buffer (the 2-D transforms' rows), the rest left alone.
      const offset = 3;
      const fr = new Float64Array(n + 5).fill(7);
      const fi = new Float64Array(n + 5).fill(-7);
      fr.set(re, offset);
      fi.set(im, offset);
      fft.transform(fr, fi, offset, inverse);
      const tol = 1e-9 * n;
      for (let k = 0; k < n; k++) {
        assert.ok(Math.abs(fr[offset + k] - expect.re[k]) < tol, `n ${n} re[${k}] inverse ${inverse}`);
        assert.ok(Math.abs(fi[offset + k] - expect.im[k]) < tol, `n ${n} im[${k}] inverse ${inverse}`);
      }
      for (const i of [0, 1, 2, n + 3, n + 4])
        assert.ok(fr[i] === 7 && fi[i] === -7, `n ${n}: ${i} untouched`);
      // Down three columns of a row-major buffer five wide; column x holds the signal scaled by x + 1.
      const stride = 5;
      const cr = new Float64Array(n * stride);
      const ci = new Float64Array(n * stride);
      for (let t = 0; t < n; t++) {
        for (let x = 0; x < stride; x++) {
          cr[t * stride + x] = re[t] * (x + 1);
          ci[t * stride + x] = im[t] * (x + 1);
        }
      }
      fft.transformColumns(cr, ci, stride, 3, inverse);
      for (let k = 0; k < n; k++) {
        for (let x = 0; x < stride; x++) {
          const wantRe = x < 3 ? expect.re[k] * (x + 1) : re[k] * (x + 1);
          const wantIm = x < 3 ? expect.im[k] * (x + 1) : im[k] * (x + 1);
          assert.ok(Math.abs(cr[k * stride + x] - wantRe) < 4 * tol, `n ${n} column ${x} re[${k}]`);
          assert.ok(Math.abs(ci[k * stride + x] - wantIm) < 4 * tol, `n ${n} column ${x} im[${k}]`);
        }
      }
    }
  }
  const w = 8;
  const h = 4;
  const r2 = Float64Array.from({ length: w * h }, (_, i) => Math.sin(i));
  const i2 = new Float64Array(w * h);
  const fft2 = new FFT2D(w, h);
  fft2.forward(r2, i2);
  // DC term is the plain sum.
  const sum = Float64Array.from({ length: w * h }, (_, i) => Math.sin(i)).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(r2[0] - sum) < 1e-9);
  fft2.inverse(r2, i2);
  for (let i = 0; i < w * h; i++) assert.ok(Math.abs(r2[i] - Math.sin(i)) < 1e-9 && Math.abs(i2[i]) < 1e-9);
  assert.throws(() => new FFT(12), /power of two/);
});

test('RealFFT2D: half spectrum equals the complex 2-D FFT of a real image, and its inverse gives the image back', () => {
  for (const [w, h] of [
    [8, 4],
    [4, 16],
    [32, 32],
  ]) {
    const image = Float64Array.from({ length: w * h }, (_, i) => Math.sin(i * 0.37) + (i % 5));
    const re = Float64Array.from(image);
    const im = new Float64Array(w * h);
    new FFT2D(w, h).forward(re, im);
    const real = new RealFFT2D(w, h);
    const hw = real.halfWidth;
    assert.equal(hw, w / 2 + 1);
    const hr = new Float64Array(h * hw);
    const hi = new Float64Array(h * hw);
    real.forward(image, hr, hi);
    for (let y = 0; y < h; y++) {
      for (let k = 0; k < hw; k++) {
        assert.ok(Math.abs(hr[y * hw + k] - re[y * w + k]) < 1e-9, `re at ${y},${k} (${w}x${h})`);
        assert.ok(Math.abs(hi[y * hw + k] - im[y * w + k]) < 1e-9, `im at ${y},${k} (${w}x${h})`);
      }
    }
    const back = new Float64Array(w * h);
    real.inverse(hr, hi, back);
    for (let i = 0; i < w * h; i++) assert.ok(Math.abs(back[i] - image[i]) < 1e-9);
  }
});

test('iou and frame scores', () => {
  assert.equal(iou({ x: 0, y: 0, w: 10, h: 10 }, { x: 0, y: 0, w: 10, h: 10 }), 1);
  assert.equal(iou({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 0, w: 10, h: 10 }), 50 / 150);
  assert.equal(iou({ x: 0, y: 0, w: 10, h: 10 }, { x: 20, y: 0, w: 10, h: 10 }), 0);
  assert.equal(frameScore({ box: null, outside: true }, { box: null, outside: true }), 1);
  assert.equal(
    frameScore({ box: null, outside: true }, { box: { x: 0, y: 0, w: 1, h: 1 }, outside: false }),
    0,
  );
  assert.deepEqual(scoreSequence([1, 0.4, 0.6]), { meanIou: 2 / 3, successRate: 2 / 3, frames: 3 });
});

test('interpolate: linear between keyframes, held after the last, none before the first, outside respected', () => {
  const keyframes: Keyframe[] = [
    { frame: 30, box: { x: 100, y: 50, w: 40, h: 20 }, outside: false },
    { frame: 10, box: { x: 0, y: 10, w: 20, h: 20 }, outside: false },
    { frame: 40, box: { x: 300, y: 300, w: 10, h: 10 }, outside: true },
    { frame: 50, box: { x: 200, y: 100, w: 30, h: 30 }, outside: false },
  ];
  assert.equal(interpolate(keyframes, 9), null);
  assert.deepEqual(interpolate(keyframes, 10), { box: { x: 0, y: 10, w: 20, h: 20 }, outside: false });
  // Frame 15 is a quarter of the way from frame 10 to frame 30.
  assert.deepEqual(interpolate(keyframes, 15), { box: { x: 25, y: 20, w: 25, h: 20 }, outside: false });
  const mid = interpolate(keyframes, 20)!;
  assert.deepEqual(mid, { box: { x: 50, y: 30, w: 30, h: 20 }, outside: false });
  assert.deepEqual(interpolate(keyframes, 35), {
    box: { x: 200, y: 175, w: 25, h: 15 },
    outside: false,
  });
  assert.equal(interpolate(keyframes, 45)?.outside, true);
  assert.deepEqual(interpolate(keyframes, 50), { box: { x: 200, y: 100, w: 30, h: 30 }, outside: false });
  assert.deepEqual(interpolate(keyframes, 500), { box: { x: 200, y: 100, w: 30, h: 30 }, outside: false });
  assert.equal(interpolate([], 3), null);
  assert.throws(() => interpolate(keyframes, Number.NaN), /frame must be a finite number/);
  assert.throws(
    () => interpolate([{ frame: 1.5, box: { x: 0, y: 0, w: 1, h: 1 }, outside: false }], 2),
    /integer frame/,
  );
  // The caller's array is not reordered.
  assert.equal(keyframes[0].frame, 30);
});

test('tracks forward and backward with one step per frame, in order, starting with the given box', async () => {
  const video = generateSyntheticVideo({ seed: 4, challenges: ['scale'], frameCount: 80 });
  const start = 79;
  const startBox = video.truth[start].box!;
  const progress: Array<[number, number]> = [];
  const backward = await collectSteps(
    trackObject({
      source: video.source,
      startFrame: start,
      startBox,
      direction: 'backward',
      endFrame: 20,
      onProgress: (done, total) => progress.push([done, total]),
    }),
  );
  assert.deepEqual(
    backward.map((s) => s.frame),
    Array.from({ length: 60 }, (_, i) => 79 - i),
  );
  assert.deepEqual(backward[0].box, startBox);
  assert.equal(backward[0].confidence, 1);
  assert.deepEqual(progress.at(-1), [60, 60]);
  assert.deepEqual(
    progress.map((p) => p[0]),
    Array.from({ length: 60 }, (_, i) => i + 1),
  );
  const score = scoreSequence(backward.map((s) => frameScore(video.truth[s.frame], s)));
  assert.ok(score.meanIou > 0.8, `backward mean IoU ${score.meanIou}`);
  for (const s of backward) assert.ok(s.confidence >= 0 && s.confidence <= 1);

  const forward = await collectSteps(
    trackObject({
      source: video.source,
      startFrame: 20,
      startBox: video.truth[20].box!,
      direction: 'forward',
    }),
  );
  assert.equal(forward.length, 60);
  assert.equal(forward.at(-1)?.frame, 79);
  const fscore = scoreSequence(forward.map((s) => frameScore(video.truth[s.frame], s)));
  assert.ok(fscore.meanIou > 0.8, `forward mean IoU ${fscore.meanIou}`);
});

test('abort through the signal stops tracking after the current frame and hands on the frames already tracked, without an error', async () => {
  const video = generateSyntheticVideo({ seed: 4, frameCount: 100 });
  const controller = new AbortController();
  const steps: TrackStep[] = [];
  for await (const step of trackObject({
    source: video.source,
    startFrame: 0,
    startBox: video.truth[0].box!,
    direction: 'forward',
    signal: controller.signal,
  })) {
    steps.push(step);
    if (step.frame === 9) controller.abort();
  }
  // Frame 9 was handed on once frame 9 + SMOOTH_HALF_WINDOW was tracked (the smoother needs the frames after it).
  assert.deepEqual(
    steps.map((s) => s.frame),
    Array.from({ length: 10 + SMOOTH_HALF_WINDOW }, (_, i) => i),
  );
  const already = new AbortController();
  already.abort();
  const none = await collectSteps(
    trackObject({
      source: video.source,
      startFrame: 0,
      startBox: video.truth[0].box!,
      direction: 'forward',
      signal: already.signal,
    }),
  );
  assert.equal(none.length, 0);
});

test('bad requests are rejected with a message naming what is wrong', async () => {
  const video = generateSyntheticVideo({ seed: 4, frameCount: 10 });
  const ok = {
    source: video.source,
    startFrame: 0,
    startBox: { x: 10, y: 10, w: 30, h: 30 },
    direction: 'forward' as const,
  };
  await assert.rejects(
    collectSteps(trackObject({ ...ok, startFrame: 10 })),
    /startFrame must be an integer in 0\.\.9, got 10/,
  );
  await assert.rejects(
    collectSteps(trackObject({ ...ok, endFrame: 12 })),
    /endFrame must be an integer in 0\.\.9/,
  );
  await assert.rejects(
    collectSteps(trackObject({ ...ok, startFrame: 5, direction: 'backward', endFrame: 7 })),
    /endFrame .* backward/,
  );
  await assert.rejects(
    collectSteps(trackObject({ ...ok, startBox: { x: 0, y: 0, w: 2, h: 30 } })),
    /at least 4 pixels/,
  );
  await assert.rejects(
    collectSteps(trackObject({ ...ok, startBox: { x: 700, y: 0, w: 20, h: 30 } })),
    /outside the 640x360 frame/,
  );
  await assert.rejects(
    collectSteps(trackObject({ ...ok, direction: 'sideways' as never })),
    /direction must be/,
  );
  // An object outside on the start frame is known from another frame: `seen`, instead of a start box.
  const seen = { frame: 3, box: { x: 10, y: 10, w: 30, h: 30 } };
  await assert.rejects(
    collectSteps(trackObject({ ...ok, seen })),
    /either startBox .* or seen .*, not both nor neither/,
  );
  const { startBox: _, ...noBox } = ok;
  await assert.rejects(collectSteps(trackObject(noBox)), /either startBox .* or seen/);
  await assert.rejects(
    collectSteps(trackObject({ ...noBox, seen: { ...seen, frame: 0 } })),
    /seen\.frame must be an integer in 0\.\.9 other than the start frame, got 0/,
  );
  await assert.rejects(
    collectSteps(trackObject({ ...noBox, seen: { frame: 3, box: { x: 0, y: 0, w: 30, h: 2 } } })),
    /seen\.box must have finite x, y and w, h of at least 4 pixels/,
  );
  const broken = {
    ...video.source,
    frameCount: 10,
    width: 640,
    height: 360,
    frame: async () => ({ width: 320, height: 180, data: new Uint8Array(320 * 180 * 4) }),
  };
  await assert.rejects(collectSteps(trackObject({ ...ok, source: broken })), /frame 0 is 320x180/);
});
