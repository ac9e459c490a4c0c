/**
 * Tracker benchmark: our correlation tracker against opencv.js TrackerMIL, in the same run, on the
 * synthetic set (known boxes) per difficulty class. Ours runs as the app runs it (trackObject: frames where
 * the object was lost are revised by tracking back once it is found again); MIL frame by frame. Reports mean
 * IoU, share of frames with IoU >= 0.5, frames per second per object (one core, 640x360), and the labeling
 * effort: keyframes per 100 frames a person must set to keep IoU >= 0.7 — re-tracking forward from each
 * correction, with every tool per stretch (track, fill or interpolate; ours only: the search for the furthest
 * keyframe costs MIL too long), and with CVAT's linear interpolation alone. Writes docs/tracker-strip.png (truth vs tracked boxes).
 * Frames per second are given twice: by the wall clock and by this process's CPU time (the second is
 * nearly independent of other jobs on a shared machine; both are one thread). TrackerMIL costs about
 * 60 ms a frame in opencv.js, which is most of the run time (about 3 CPU-minutes per seed).
 * Run alone: node --import tsx bench/tracker.ts   (BENCH_SEEDS=3 for more videos per class; default 1;
 * BENCH_CLASSES=hard,exit for some classes only)
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { boxBetweenKeyframes } from '../src/annotations/interpolate.js';
import {
  CHALLENGES,
  type Challenge,
  drawBox,
  encodePng,
  generateSyntheticVideo,
  type SyntheticVideo,
} from '../src/synthetic/index.js';
import type { Box, Frame, FrameSource, Keyframe, TrackStep } from '../src/tracking/contract.js';
import { fillFromRuns } from '../src/tracking/fill.js';
import { frameScore, scoreSequence, trackObject } from '../src/tracking/index.js';

interface SingleTracker {
  update(frame: Frame): { box: Box | null; outside: boolean; confidence?: number };
}
type TrackerFactory = (frame: Frame, box: Box) => SingleTracker;

interface Scores {
  meanIou: number;
  successRate: number;
  /** Frames per second by the wall clock and by CPU time of this (single-threaded) process. */
  fps: number;
  cpuFps: number;
  keyframesPer100: number;
  /** The same when the labeler may also interpolate or fill between keyframes, per stretch (null where not measured). */
  keyframesPer100AllTools: number | null;
}

export interface ClassResult {
  name: string;
  ours: Scores;
  mil: Scores;
  /** Keyframes/100 with interpolation alone, each keyframe as far from the last as it holds. */
  interpolationKeyframesPer100: number;
}

const CLASSES: Array<{ name: string; challenges: Challenge[] }> = [
  { name: 'plain (moving background)', challenges: [] },
  ...CHALLENGES.map((c) => ({ name: c === 'exit' ? 'exit / re-entry' : c, challenges: [c] })),
  { name: 'hard (all at once)', challenges: [...CHALLENGES] },
];

// biome-ignore lint/suspicious/noExplicitAny: opencv.js ships loose typings for its trackers.
type Cv = any;

async function loadOpenCv(): Promise<{ cv: Cv }> {
  // The module object is a thenable that resolves to itself: it must never be awaited nor returned from
  // an async function (the promise would adopt it forever, spinning the CPU), so it travels wrapped.
  const mod = (await import('@techstark/opencv-js')).default as Cv;
  const deadline = performance.now() + 120_000;
  while (!mod.Mat || !mod.TrackerMIL) {
    if (performance.now() > deadline) throw new Error('opencv.js runtime did not initialise within 120 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { cv: mod };
}

function milFactory(cv: Cv): TrackerFactory {
  // One pair of frame buffers for all trackers, and only one tracker alive at a time: the keyframe
  // simulation starts hundreds, and the wasm heap runs out if they are not freed.
  let rgba: Cv = null;
  let rgb: Cv = null;
  let previous: Cv = null;
  return (first, box) => {
    if (!rgba) {
      rgba = new cv.Mat(first.height, first.width, cv.CV_8UC4);
      rgb = new cv.Mat();
    }
    const toRgb = (frame: Frame) => {
      rgba.data.set(frame.data);
      cv.cvtColor(rgba, rgb, cv.COLOR_RGBA2RGB);
      return rgb;
    };
    previous?.delete();
    const tracker = new cv.TrackerMIL();
    previous = tracker;
    // opencv.js throws bare numbers (C++ exception pointers), e.g. for a box at the frame edge; a
    // tracker that cannot start or update reports the object as lost.
    let failed = false;
    try {
      tracker.init(
        toRgb(first),
        new cv.Rect(Math.round(box.x), Math.round(box.y), Math.round(box.w), Math.round(box.h)),
      );
    } catch {
      failed = true;
    }
    return {
      update(frame) {
        if (failed) return { box: null, outside: true };
        let ok: boolean;
        let r: { x: number; y: number; width: number; height: number };
        try {
          [ok, r] = tracker.update(toRgb(frame));
        } catch {
          failed = true;
          return { box: null, outside: true };
        }
        if (!ok) return { box: null, outside: true };
        const x0 = Math.max(0, r.x);
        const y0 = Math.max(0, r.y);
        const x1 = Math.min(frame.width, r.x + r.width);
        const y1 = Math.min(frame.height, r.y + r.height);
        if (x1 <= x0 || y1 <= y0) return { box: null, outside: true };
        return { box: { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, outside: false };
      },
    };
  };
}

/** Frames held in memory as the engine's frame source (read by the tracker as a decoded video would be). */
function memorySource(frames: Frame[]): FrameSource {
  return {
    frameCount: frames.length,
    width: frames[0].width,
    height: frames[0].height,
    frame: async (i) => frames[i],
  };
}

/**
 * Our tracker as the app runs it (trackObject: frames where the object was lost are revised once it is found
 * again), from a keyframe up to `last` (inclusive), without the keyframe's own step.
 */
async function* ours(
  video: SyntheticVideo,
  frames: Frame[],
  from: Keyframe,
  step: 1 | -1,
  last: number,
): AsyncGenerator<TrackStep> {
  if (!from.outside && (from.box.w < 4 || from.box.h < 4)) {
    for (let i = from.frame + step; step > 0 ? i <= last : i >= last; i += step)
      yield { frame: i, box: null, outside: true, confidence: 0 };
    return;
  }
  const direction = step > 0 ? 'forward' : 'backward';
  const source = memorySource(frames);
  // From a keyframe marking the object outside, T looks for it coming back, as the app does (see seenOf).
  const start = from.outside ? { seen: seenOf(video) } : { startBox: from.box };
  for await (const s of trackObject({ source, startFrame: from.frame, ...start, direction, endFrame: last }))
    if (s.frame !== from.frame) yield s;
}

/**
 * The keyframe the app learns an object outside from (TrackJobs.seenFor): the labeler's first, on frame 0, which
 * shows the object whole on every synthetic video (it is drawn there).
 */
function seenOf(video: SyntheticVideo): Keyframe {
  return keyOf(video, 0);
}

async function collect(steps: AsyncIterable<TrackStep>): Promise<TrackStep[]> {
  const out: TrackStep[] = [];
  for await (const s of steps) out.push(s);
  return out;
}

function keyOf(video: SyntheticVideo, i: number): Keyframe {
  const t = video.truth[i];
  return { frame: i, box: t.box ?? { x: 0, y: 0, w: 0, h: 0 }, outside: t.outside };
}

/** A run from the first truth box to the end, timed by the wall clock and by this process's CPU time. */
async function timedRun(
  video: SyntheticVideo,
  track: () => Promise<Array<{ box: Box | null; outside: boolean }>>,
) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const steps = [{ box: video.truth[0].box, outside: false }, ...(await track())];
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const seconds = (performance.now() - t0) / 1000;
  const scores = steps.map((s, i) => frameScore(video.truth[i], s));
  return { steps, scores, seconds, cpuSeconds };
}

function runOurs(video: SyntheticVideo, frames: Frame[]) {
  return timedRun(video, () => collect(ours(video, frames, keyOf(video, 0), 1, frames.length - 1)));
}

/**
 * The same labeler with our tracker as the app runs it: they look at a run once it is done (lost frames may
 * be revised after the object is found), correct the first frame below IoU 0.7 and re-track from there.
 */
async function keyframesNeededOurs(video: SyntheticVideo, frames: Frame[]): Promise<number> {
  let keyframes = 1;
  let p = 0;
  for (;;) {
    let fail = -1;
    for await (const s of ours(video, frames, keyOf(video, p), 1, frames.length - 1)) {
      if (frameScore(video.truth[s.frame], s) < 0.7) {
        fail = s.frame;
        break;
      }
    }
    if (fail < 0) return keyframes;
    keyframes++;
    p = fail;
  }
}

function runTrack(video: SyntheticVideo, frames: Frame[], make: TrackerFactory) {
  return timedRun(video, async () => {
    const tracker = make(frames[0], video.truth[0].box!);
    return frames.slice(1).map((f) => tracker.update(f));
  });
}

/**
 * Simulated labeler: whenever the box falls below IoU 0.7 they set a keyframe (truth) and tracking resumes
 * from it. Up to the first correction this is exactly the plain run, so its scores are reused.
 */
function keyframesNeeded(
  video: SyntheticVideo,
  frames: Frame[],
  make: TrackerFactory,
  scores: number[],
): number {
  const first = scores.findIndex((s) => s < 0.7);
  if (first < 0) return 1;
  let keyframes = 2;
  let tracker: SingleTracker | null = video.truth[first].outside
    ? null
    : make(frames[first], video.truth[first].box!);
  for (let i = first + 1; i < frames.length; i++) {
    const step = tracker ? tracker.update(frames[i]) : { box: null, outside: true };
    if (frameScore(video.truth[i], step) >= 0.7) continue;
    keyframes++;
    const truth = video.truth[i];
    tracker = truth.outside ? null : make(frames[i], truth.box!);
  }
  return keyframes;
}

/** Candidate keyframes for a fill are tried this many frames apart, until this many fail in a row. */
const FILL_STEP = 5;
const FILL_MISSES = 3;

/**
 * Simulated labeler with every tool the editor gives, choosing per stretch as a CVAT user does: from each
 * keyframe the next one goes as far ahead as one of them keeps every frame in between at IoU 0.7 or more.
 * Tracking forward (T) reaches the first frame it fails on; interpolation (frames between keyframes without
 * tracker boxes; L clears them) is tried at every frame; a fill (I: forward from one keyframe, backward from
 * the next) is tried past both, every 5th frame where the object is whole in the picture or gone, until three
 * in a row fail, and then on the four frames after the furthest that held; and, as a person marks an object
 * outside where they see it gone, on the first frame it is outside after the furthest any tool reached. Of the
 * frames so reached (each tool's furthest, and every fill that held), the next keyframe goes on the one that
 * tracking or interpolation holds furthest from (the furthest such): a person who sees tracking fail two frames
 * after the keyframe they set (a plank coming over the object) sets it elsewhere. Taking the furthest frame
 * reached instead, a fill that holds further can cost keyframes after it (hard seed 115: the fill from a keyframe
 * on the object coming in at 58 held to 73 and to 84; tracking from 73 holds to 157, from 84, half under a
 * plank, it fails on 88).
 */
export async function keyframesAllTools(video: SyntheticVideo, frames: Frame[]): Promise<number> {
  const n = frames.length;
  const truth = video.truth;
  const key = (i: number) => keyOf(video, i);
  // A fill tracks from neither keyframe that marks the object outside (fillBetweenKeyframes); T from one looks
  // for the object coming back.
  const run = async (from: number, step: 1 | -1, last: number, fill = false): Promise<TrackStep[]> =>
    fill && truth[from].outside ? [] : collect(ours(video, frames, key(from), step, last));
  const good = (i: number, s: { box: Box | null; outside: boolean }) => frameScore(truth[i], s) >= 0.7;
  // T from a frame, run once: the next keyframe is chosen by how far it holds from each candidate.
  const forwardRuns = new Map<number, TrackStep[]>();
  const forwardFrom = async (from: number) => {
    const cached = forwardRuns.get(from);
    if (cached) return cached;
    const steps = await run(from, 1, n - 1);
    forwardRuns.set(from, steps);
    return steps;
  };
  const trackedFrom = async (from: number) => {
    const steps = await forwardFrom(from);
    let reached = from + 1;
    while (reached < n && good(reached, steps[reached - from - 1] ?? { box: null, outside: true })) reached++;
    return reached;
  };
  let keyframes = 1;
  let p = 0;
  // The keyframes set so far: the product interpolates with all of a track's keyframes in hand.
  const set: number[] = [];
  for (;;) {
    if (interpolationHolds(video, p, n, false, set)) return keyframes;
    const forward = await forwardFrom(p);
    const tracked = await trackedFrom(p);
    if (tracked >= n) return keyframes;
    const interpolated = interpolationReach(video, p, false, set);
    const fillHolds = async (g: number) => {
      // A labeler keys the object where it is whole in the picture, or gone: a keyframe on a sliver at the
      // edge is a poor start for tracking on (exit seeds 101-103: 3 keyframes each greedily, 4 each when the
      // fill's furthest frame could be one, the object about to leave).
      if (!truth[g].outside && truth[g].visibleFraction < 1) return false;
      // From an outside keyframe `forward` is a search for the object coming back, as a fill runs it
      // (fillBetweenKeyframes): the fill itself towards another outside keyframe, and towards one showing the
      // object where it came in.
      const entering = truth[p].outside && !truth[g].outside;
      const filled = fillFromRuns({
        start: key(p),
        end: key(g),
        forward: entering ? [] : forward.slice(0, g - p - 1),
        ...(entering ? { search: forward.slice(0, g - p - 1) } : {}),
        backward: await run(g, -1, p + 1, true),
        width: video.spec.width,
        height: video.spec.height,
      });
      return filled.every((s) => good(s.frame, s));
    };
    const held: number[] = [];
    let misses = 0;
    for (let g = Math.max(tracked, interpolated) + FILL_STEP; g < n && misses < FILL_MISSES; g += FILL_STEP) {
      // Frames with the object cut by the edge are not tried (see fillHolds), so they are not misses either:
      // else a fill from an outside keyframe was never tried past a crossing 10 frames long.
      if (!truth[g].outside && truth[g].visibleFraction < 1) continue;
      if (await fillHolds(g)) {
        held.push(g);
        misses = 0;
      } else misses++;
    }
    const furthest = held.at(-1) ?? -1;
    for (let g = Math.min(n - 1, furthest + FILL_STEP - 1); furthest > 0 && g > furthest; g--) {
      if (await fillHolds(g)) {
        held.push(g);
        break;
      }
    }
    const reach = Math.max(tracked, interpolated, ...held);
    let gone = reach;
    while (gone < n && !truth[gone].outside) gone++;
    if (gone < n && gone > reach && (await fillHolds(gone))) held.push(gone);
    keyframes++;
    set.push(p);
    p = await nextKeyframe([tracked, interpolated, ...held]);
  }

  /** Of the frames reached, the one tracking or interpolation holds furthest from (the furthest such). */
  async function nextKeyframe(reached: number[]): Promise<number> {
    const candidates = [...new Set(reached)].sort((a, b) => b - a);
    let best = candidates[0];
    let bestOn = -1;
    for (const c of candidates) {
      if (interpolationHolds(video, c, n, false, set)) return c;
      const on = Math.max(await trackedFrom(c), interpolationReach(video, c, false, set));
      if (on > bestOn) {
        best = c;
        bestOn = on;
      }
    }
    return best;
  }
}

/**
 * Frames after `a` up to `b` (exclusive) keep IoU >= 0.7 interpolated between truth keyframes at `a` and `b` (b = n:
 * none after a): as the product does (an object cut by the frame edge interpolated whole), or as CVAT does.
 */
function interpolationHolds(
  video: SyntheticVideo,
  a: number,
  b: number,
  cvat = false,
  earlier: number[] = [],
): boolean {
  const n = video.truth.length;
  const keys = [...earlier.filter((k) => k < a), a, ...(b < n ? [b] : [])].map((k) => keyOf(video, k));
  const picture = cvat ? undefined : video.spec;
  for (let i = a + 1; i < b; i++) {
    const box = boxBetweenKeyframes(keys, i, picture);
    if (frameScore(video.truth[i], { box, outside: !box }) < 0.7) return false;
  }
  return true;
}

/** The furthest frame a keyframe after `a` can go to with interpolation between them still holding. */
function interpolationReach(video: SyntheticVideo, a: number, cvat = false, earlier: number[] = []): number {
  let b = video.truth.length - 1;
  while (b > a + 1 && !interpolationHolds(video, a, b, cvat, earlier)) b--;
  return b;
}

/**
 * CVAT's linear interpolation alone, with a labeler who knows the truth: each keyframe as far from the last as
 * interpolating between them keeps every frame in between at IoU 0.7 or more. The fewest keyframes
 * interpolation needs, near enough: the peer workflow.
 */
function keyframesInterpolating(video: SyntheticVideo): number {
  const n = video.truth.length;
  let keyframes = 1;
  let p = 0;
  for (;;) {
    if (interpolationHolds(video, p, n, true)) return keyframes;
    keyframes++;
    p = interpolationReach(video, p, true);
  }
}

/**
 * docs/fill-strip.png: hard seed 103 coming back into view (frames 62-79), filled between a keyframe marking it
 * outside at frame 23 and one at frame 80 (magenta), against tracking forward from a keyframe on the first frame
 * it is back (yellow, dashed); green is the truth.
 */
async function writeFillStrip(): Promise<void> {
  const video = generateSyntheticVideo({ seed: 103, challenges: [...CHALLENGES] });
  const frames = renderFrames(video);
  const key = (i: number) => keyOf(video, i);
  const filled = fillFromRuns({
    start: key(23),
    end: key(80),
    forward: [],
    backward: await collect(ours(video, frames, key(80), -1, 24)),
    width: video.spec.width,
    height: video.spec.height,
  });
  const back = video.truth.findIndex((t, i) => i > 23 && !t.outside);
  const forward = await collect(ours(video, frames, key(back), 1, 79));
  const picks = [back, back + 2, back + 4, back + 6, back + 8, back + 10, back + 12, 78];
  const path = fileURLToPath(new URL('../docs/fill-strip.png', import.meta.url));
  writeStrip(path, video, frames, byFrame(frames, filled), byFrame(frames, forward), picks);
  const score = (steps: TrackStep[]) =>
    scoreSequence(steps.filter((s) => s.frame >= back).map((s) => frameScore(video.truth[s.frame], s)));
  console.log(
    `picture: docs/fill-strip.png (hard seed 103, frames ${picks.join(', ')}; back in view from ${back}: mean IoU there ${score(filled).meanIou.toFixed(3)} filled from keyframes 23 (outside) and 80, ${score(forward).meanIou.toFixed(3)} tracked forward from a keyframe at ${back})`,
  );
}

/**
 * docs/exit-fill-strip.png: hard seed 108 leaving across the left edge (frames 109-119), turning and shrinking by
 * a third, filled from a keyframe at frame 75 to one marking it outside at 120 (magenta), against tracking forward
 * from the keyframe at 75 (yellow, dashed); green is the truth.
 */
async function writeExitFillStrip(): Promise<void> {
  const video = generateSyntheticVideo({ seed: 108, challenges: [...CHALLENGES] });
  const frames = renderFrames(video);
  const key = (i: number) => keyOf(video, i);
  const forward = await collect(ours(video, frames, key(75), 1, 119));
  const filled = fillFromRuns({
    start: key(75),
    end: key(120),
    forward,
    backward: [],
    width: video.spec.width,
    height: video.spec.height,
  });
  const picks = [109, 111, 113, 115, 116, 117, 118, 119];
  const path = fileURLToPath(new URL('../docs/exit-fill-strip.png', import.meta.url));
  writeStrip(path, video, frames, byFrame(frames, filled), byFrame(frames, forward), picks);
  const leaving = (steps: TrackStep[]) =>
    scoreSequence(steps.filter((s) => s.frame >= 109).map((s) => frameScore(video.truth[s.frame], s)));
  console.log(
    `picture: docs/exit-fill-strip.png (hard seed 108, frames ${picks.join(', ')}; leaving on 109-119: mean IoU ${leaving(filled).meanIou.toFixed(3)} filled from keyframes 75 and 120 (outside), ${leaving(forward).meanIou.toFixed(3)} tracked forward from 75)`,
  );
}

/** A run's steps laid out by frame, with no box on the frames it does not cover (as writeStrip draws them). */
function byFrame(frames: Frame[], steps: TrackStep[]): Array<{ box: Box | null }> {
  const all: Array<{ box: Box | null }> = frames.map(() => ({ box: null }));
  for (const s of steps) all[s.frame] = s;
  return all;
}

export function renderFrames(video: SyntheticVideo): Frame[] {
  return Array.from({ length: video.spec.frameCount }, (_, i) => video.renderFrame(i));
}

function writeStrip(
  path: string,
  video: SyntheticVideo,
  frames: Frame[],
  ours: Array<{ box: Box | null }>,
  mil: Array<{ box: Box | null }>,
  chosen?: number[],
) {
  const cols = 4;
  const rows = 2;
  const cw = 240;
  const ch = 180;
  const out = { width: cols * cw, height: rows * ch, data: new Uint8ClampedArray(cols * cw * rows * ch * 4) };
  const picks =
    chosen ??
    Array.from({ length: cols * rows }, (_, k) => Math.round((k * (frames.length - 1)) / (cols * rows - 1)));
  let anchor = { x: video.spec.width / 2, y: video.spec.height / 2 };
  picks.forEach((index, k) => {
    const truth = video.truth[index].box;
    if (truth) anchor = { x: truth.x + truth.w / 2, y: truth.y + truth.h / 2 };
    const x0 = Math.round(Math.min(Math.max(anchor.x - cw / 2, 0), video.spec.width - cw));
    const y0 = Math.round(Math.min(Math.max(anchor.y - ch / 2, 0), video.spec.height - ch));
    const tile = { width: cw, height: ch, data: new Uint8ClampedArray(cw * ch * 4) };
    const f = frames[index];
    for (let y = 0; y < ch; y++)
      tile.data.set(
        f.data.subarray(((y0 + y) * f.width + x0) * 4, ((y0 + y) * f.width + x0 + cw) * 4),
        y * cw * 4,
      );
    const shift = (b: Box) => ({ x: b.x - x0, y: b.y - y0, w: b.w, h: b.h });
    if (truth) drawBox(tile, shift(truth), [40, 255, 40], 2);
    const m = mil[index]?.box;
    if (m) drawBox(tile, shift(m), [255, 220, 0], 1, true);
    const o = ours[index]?.box;
    if (o) drawBox(tile, shift(o), [255, 40, 200], 2);
    const ox = (k % cols) * cw;
    const oy = Math.floor(k / cols) * ch;
    for (let y = 0; y < ch; y++)
      out.data.set(tile.data.subarray(y * cw * 4, (y + 1) * cw * 4), ((oy + y) * out.width + ox) * 4);
  });
  writeFileSync(path, encodePng(out));
  return picks;
}

export async function main(): Promise<ClassResult[]> {
  const seedCount = Number(process.env.BENCH_SEEDS ?? 1);
  if (!Number.isInteger(seedCount) || seedCount < 1)
    throw new Error(`BENCH_SEEDS must be a positive integer, got ${process.env.BENCH_SEEDS}`);
  const seeds = Array.from({ length: seedCount }, (_, i) => 101 + i);
  // BENCH_CLASSES=hard,exit runs only the classes whose names start with one of these (all by default).
  const wanted = process.env.BENCH_CLASSES?.split(',').map((w) => w.trim());
  const classes = wanted ? CLASSES.filter((c) => wanted.some((w) => c.name.startsWith(w))) : CLASSES;
  if (classes.length === 0)
    throw new Error(
      `BENCH_CLASSES=${process.env.BENCH_CLASSES} names no class; the classes are ${CLASSES.map((c) => c.name).join(', ')}`,
    );
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `tracker benchmark on ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`,
  );
  console.log(
    `synthetic set: ${classes.length} classes x ${seeds.length} videos (seeds ${seeds.join(', ')}) x 200 frames, 640x360; one object, one thread`,
  );
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ');
  console.log(`load average (1/5/15 min) at start: ${load()}`);
  const { cv } = await loadOpenCv();
  const mil = milFactory(cv);
  const results: ClassResult[] = [];
  for (const c of classes) {
    const acc = {
      ours: [] as number[],
      mil: [] as number[],
      oursSec: 0,
      milSec: 0,
      oursCpu: 0,
      milCpu: 0,
      frames: 0,
      oursKf: 0,
      milKf: 0,
      oursAllKf: 0,
      interpKf: 0,
    };
    for (const seed of seeds) {
      const video = generateSyntheticVideo({ seed, challenges: c.challenges });
      const frames = renderFrames(video);
      const a = await runOurs(video, frames);
      const b = await runTrack(video, frames, mil);
      acc.ours.push(...a.scores);
      acc.mil.push(...b.scores);
      acc.oursSec += a.seconds;
      acc.milSec += b.seconds;
      acc.oursCpu += a.cpuSeconds;
      acc.milCpu += b.cpuSeconds;
      acc.frames += frames.length - 1;
      acc.oursKf += await keyframesNeededOurs(video, frames);
      acc.milKf += keyframesNeeded(video, frames, mil, b.scores);
      acc.oursAllKf += await keyframesAllTools(video, frames);
      acc.interpKf += keyframesInterpolating(video);
      console.error(
        `  ${c.name}, seed ${seed}: ours ${a.seconds.toFixed(1)} s, MIL ${b.seconds.toFixed(1)} s`,
      );
      if (c.name.startsWith('hard') && seed === seeds[0]) {
        const path = fileURLToPath(new URL('../docs/tracker-strip.png', import.meta.url));
        const picks = writeStrip(path, video, frames, a.steps, b.steps);
        console.log(
          `picture: docs/tracker-strip.png (frames ${picks.join(', ')}; green truth, magenta ours, yellow dashed MIL)`,
        );
      }
    }
    const o = scoreSequence(acc.ours);
    const m = scoreSequence(acc.mil);
    const total = acc.frames + seeds.length;
    results.push({
      name: c.name,
      ours: {
        meanIou: o.meanIou,
        successRate: o.successRate,
        fps: acc.frames / acc.oursSec,
        cpuFps: acc.frames / acc.oursCpu,
        keyframesPer100: (100 * acc.oursKf) / total,
        keyframesPer100AllTools: (100 * acc.oursAllKf) / total,
      },
      mil: {
        meanIou: m.meanIou,
        successRate: m.successRate,
        fps: acc.frames / acc.milSec,
        cpuFps: acc.frames / acc.milCpu,
        keyframesPer100: (100 * acc.milKf) / total,
        keyframesPer100AllTools: null,
      },
      interpolationKeyframesPer100: (100 * acc.interpKf) / total,
    });
    const r = results.at(-1)!;
    console.error(
      `  ${c.name}: ours ${r.ours.meanIou.toFixed(3)} @ ${r.ours.fps.toFixed(0)} fps, MIL ${r.mil.meanIou.toFixed(3)} @ ${r.mil.fps.toFixed(0)} fps`,
    );
  }
  await writeFillStrip();
  await writeExitFillStrip();
  const f = (x: number, d = 3) => x.toFixed(d);
  console.log('');
  console.log(`load average (1/5/15 min) at end: ${load()}`);
  console.log('');
  console.log(
    '| class | mean IoU ours | mean IoU MIL | IoU≥0.5 ours | IoU≥0.5 MIL | fps ours (wall / CPU) | fps MIL (wall / CPU) | keyframes/100 ours | keyframes/100 MIL | keyframes/100 ours, all tools | keyframes/100 interpolation only |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${f(r.ours.meanIou)} | ${f(r.mil.meanIou)} | ${f(r.ours.successRate, 2)} | ${f(r.mil.successRate, 2)} | ${f(r.ours.fps, 0)} / ${f(r.ours.cpuFps, 0)} | ${f(r.mil.fps, 0)} / ${f(r.mil.cpuFps, 0)} | ${f(r.ours.keyframesPer100, 1)} | ${f(r.mil.keyframesPer100, 1)} | ${f(r.ours.keyframesPer100AllTools ?? Number.NaN, 1)} | ${f(r.interpolationKeyframesPer100, 1)} |`,
    );
  }
  console.log(
    'Boxing every frame by hand = 100 keyframes per 100 frames. Aims: mean IoU ≥ 0.90 on the hard set; ≥ 100 fps; ≤ 3 keyframes/100.',
  );
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
