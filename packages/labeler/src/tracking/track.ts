import { LostStretchBackfill } from './backfill.js';
import type { Box, Frame, TrackRequest, TrackStep } from './contract.js';
import { RunRefiner } from './refine.js';
import { type PosedStep, PoseSmoother } from './smooth.js';
import { CorrelationTracker, type TrackerOptions } from './tracker.js';

/**
 * Tracks one object from a box on one frame through the following (or preceding) frames, or, for an object
 * outside on the start frame, looks for it coming back and tracks it from there (`seen`: where it was in view).
 * The first step is the start frame itself, with the given box (or outside) and confidence 1; then one step per frame
 * up to `endFrame` (inclusive). Frames where the object is lost are handed on once it is found again, revised
 * by tracking back from where it was found (see LostStretchBackfill), or once too many are waiting. Each
 * confident box of the tracker's own is refined by aligning the object's first view to the frame (see
 * RunRefiner), and each box is then smoothed over the frames around it (see PoseSmoother), so steps are
 * handed on SMOOTH_HALF_WINDOW frames behind the tracking. Aborting through `signal` ends the iteration after the current frame without an error,
 * handing on the frames already tracked but held for smoothing; `onProgress(done, total)` is called after
 * every step.
 */
export async function* trackObject(
  request: TrackRequest,
  options: Partial<TrackerOptions> = {},
): AsyncGenerator<TrackStep> {
  const { source, startFrame, direction, signal, onProgress } = request;
  validateRequest(request);
  const step = direction === 'forward' ? 1 : -1;
  const endFrame = request.endFrame ?? (direction === 'forward' ? source.frameCount - 1 : 0);
  const total = Math.abs(endFrame - startFrame) + 1;
  if (signal?.aborted) return;
  const seen = request.seen;
  const learnFrom = seen?.frame ?? startFrame;
  const first = await source.frame(learnFrom);
  checkFrame(first, source, learnFrom);
  const learnt = clip(seen?.box ?? request.startBox!, first);
  const tracker = new CorrelationTracker(first, learnt, options);
  // The object is outside on the start frame: from the next on the tracker searches for it as after a loss.
  if (seen) tracker.lose();
  const startStep: TrackStep = seen
    ? { frame: startFrame, box: null, confidence: 1, outside: true }
    : { frame: startFrame, box: learnt, confidence: 1, outside: false };
  const refiner = new RunRefiner();
  refiner.observe(first, tracker.pose, startStep);
  const backfill = new LostStretchBackfill((i) => source.frame(i), step, source, options);
  const smoother = new PoseSmoother(source);
  // Lost frames are held until the object is found again (then revised by tracking back from it), and every
  // step until the smoother has the frames after it, so progress counts frames handed on.
  let done = 0;
  const handOn = function* (steps: TrackStep[]) {
    for (const s of steps) {
      yield s;
      onProgress?.(++done, total);
    }
  };
  const smoothThenHandOn = function* (steps: PosedStep[]) {
    for (const s of steps) yield* handOn(smoother.push(refiner.apply(s)));
  };
  yield* smoothThenHandOn(await backfill.push(startStep));
  for (let i = 1; i < total; i++) {
    // Stopped: the frames tracked and waiting for the smoother are handed on; frames held lost are not.
    if (signal?.aborted) return yield* handOn(smoother.flush());
    const index = startFrame + i * step;
    const frame = await source.frame(index);
    checkFrame(frame, source, index);
    const state = tracker.update(frame);
    const tracked: PosedStep = {
      frame: index,
      box: state.box,
      confidence: state.confidence,
      outside: state.outside,
      pose: state.pose,
    };
    refiner.observe(frame, tracker.pose, tracked);
    yield* smoothThenHandOn(await backfill.push(tracked));
    const rejected = backfill.takeRejected();
    if (rejected?.box) tracker.reject(rejected.box);
  }
  yield* smoothThenHandOn(backfill.flush());
  yield* handOn(smoother.flush());
}

function validateRequest(request: TrackRequest): void {
  const { source, startFrame, direction } = request;
  const last = source.frameCount - 1;
  if (direction !== 'forward' && direction !== 'backward') {
    throw new Error(
      `trackObject: direction must be 'forward' or 'backward', got ${JSON.stringify(direction)}`,
    );
  }
  if (!Number.isInteger(startFrame) || startFrame < 0 || startFrame > last) {
    throw new RangeError(`trackObject: startFrame must be an integer in 0..${last}, got ${startFrame}`);
  }
  if (request.endFrame !== undefined) {
    const end = request.endFrame;
    const ok = Number.isInteger(end) && end >= 0 && end <= last;
    if (!ok || (direction === 'forward' ? end < startFrame : end > startFrame)) {
      throw new RangeError(
        `trackObject: endFrame must be an integer in ${direction === 'forward' ? `${startFrame}..${last}` : `0..${startFrame}`} for ${direction} tracking, got ${end}`,
      );
    }
  }
  if ((request.startBox === undefined) === (request.seen === undefined)) {
    throw new Error(
      'trackObject: give either startBox (the object on the start frame) or seen (a frame and box where it was in view, when it is outside on the start frame), not both nor neither',
    );
  }
  const seen = request.seen;
  if (seen) {
    if (!Number.isInteger(seen.frame) || seen.frame < 0 || seen.frame > last || seen.frame === startFrame) {
      throw new RangeError(
        `trackObject: seen.frame must be an integer in 0..${last} other than the start frame, got ${seen.frame}`,
      );
    }
    checkBox(seen.box, 'seen.box', source);
  } else checkBox(request.startBox, 'startBox', source);
}

function checkBox(b: Box | undefined, name: string, source: { width: number; height: number }): void {
  if (!b || ![b.x, b.y, b.w, b.h].every(Number.isFinite) || b.w < 4 || b.h < 4) {
    throw new Error(
      `trackObject: ${name} must have finite x, y and w, h of at least 4 pixels, got ${JSON.stringify(b)}`,
    );
  }
  if (b.x + b.w <= 0 || b.y + b.h <= 0 || b.x >= source.width || b.y >= source.height) {
    throw new Error(
      `trackObject: ${name} ${JSON.stringify(b)} lies outside the ${source.width}x${source.height} frame`,
    );
  }
}

function checkFrame(frame: Frame, source: { width: number; height: number }, index: number): void {
  if (
    frame.width !== source.width ||
    frame.height !== source.height ||
    frame.data.length !== frame.width * frame.height * 4
  ) {
    throw new Error(
      `trackObject: frame ${index} is ${frame.width}x${frame.height} with ${frame.data.length} bytes; expected RGBA ${source.width}x${source.height}`,
    );
  }
}

function clip(box: Box, frame: Frame): Box {
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(frame.width, box.x + box.w);
  const y1 = Math.min(frame.height, box.y + box.h);
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
