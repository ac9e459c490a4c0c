/**
 * Runs the tracker off the main thread, one request after another (the thread is kept warm between jobs, see
 * TrackWorkerPool). Streams a run's steps back in batches and stops it when told; ends each run with `done`
 * or `error`. A fill request (`fillTo`) tracks from both keyframes and sends the fused steps at the end, with
 * progress on the way. The tracker module is loaded by URL so the app builds and reports a clear error when it
 * is absent.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { VideoFrameSource } from '../media/frame-source.js';
import type { Box, Keyframe, TrackRequest, TrackStep } from '../tracking/contract.js';
import type { FillRequest } from '../tracking/fill.js';

export interface TrackWorkerInput {
  videoPath: string;
  width: number;
  height: number;
  frameCount: number;
  startFrame: number;
  /** The object's box on the start frame; absent when it is outside there and `seen` is given. */
  startBox?: Box;
  /**
   * For an object outside on the start frame: a keyframe where it was in view (see TrackRequest.seen). In fill
   * mode, given when both keyframes mark the object outside: the fill looks for it coming back in between.
   */
  seen?: { frame: number; box: Box };
  direction: 'forward' | 'backward';
  endFrame: number;
  /** Fill mode: the start box is a keyframe, and this is the next one (direction forward, endFrame before it). */
  fillTo?: Keyframe;
  /** Fill mode: the start keyframe marks the object outside. */
  startOutside?: boolean;
  /**
   * A resumed run: steps up to this frame (in the run's direction) are stored already. The run still tracks
   * them, from the start box, so that the boxes it goes on to write are those an unbroken run would have.
   */
  writeAfter?: number;
}
export type TrackWorkerRequest = { type: 'run'; input: TrackWorkerInput } | { type: 'stop' };
export type TrackWorkerMessage =
  | { type: 'steps'; steps: TrackStep[]; done: number; total: number }
  | { type: 'progress'; done: number; total: number }
  | { type: 'done' }
  | { type: 'error'; message: string };

interface Tracker {
  trackObject: (r: TrackRequest) => AsyncIterable<TrackStep>;
  fillBetweenKeyframes: (r: FillRequest) => Promise<TrackStep[] | null>;
}

const port = parentPort!;
/**
 * A full collection, run once a request has ended: a thread waiting for the next job allocates nothing, so nothing
 * else collects what the run left (its frame cache: up to 160 frames of RGBA). A server with a kept worker held
 * 120 MB more than one whose workers ended, after three jobs on the sample video; with the cache let go and this
 * collection, 60 MB more after eight (what the allocator keeps). The flag makes `gc` exist in a new context, the
 * way jest's leak detector gets it.
 */
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
/** The run under way; a request comes only after the one before has ended. */
let current: AbortController | null = null;
let loaded: Promise<Tracker> | null = null;

port.on('message', (m: TrackWorkerRequest) => {
  if (m.type === 'stop') {
    current?.abort();
    return;
  }
  const abort = new AbortController();
  current = abort;
  run(m.input, abort.signal)
    .then(
      () => ({ type: 'done' }) as const,
      (err) => ({ type: 'error', message: (err as Error).message }) as const,
    )
    .then((end: TrackWorkerMessage) => {
      // The run's signal (its listeners hold the run's state) is not needed any more.
      current = null;
      collect();
      port.postMessage(end);
    });
});

async function loadTracker(): Promise<Tracker> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  try {
    return await import(new URL(`../tracking/index${ext}`, import.meta.url).href);
  } catch (err) {
    throw new Error(
      `the tracking engine (src/tracking/index) could not be loaded: ${(err as Error).message}`,
    );
  }
}

async function run(input: TrackWorkerInput, signal: AbortSignal) {
  loaded ??= loadTracker();
  const tracker = await loaded.catch((err) => {
    loaded = null;
    throw err;
  });
  const source = new VideoFrameSource(input.videoPath, input.width, input.height, input.frameCount);
  if (input.fillTo) {
    try {
      await fill(tracker.fillBetweenKeyframes, source, input, input.fillTo, signal);
    } finally {
      source.close();
    }
    return;
  }
  const total = Math.abs(input.endFrame - input.startFrame);
  let batch: TrackStep[] = [];
  let done = 0;
  let last = Date.now();
  try {
    for await (const step of tracker.trackObject({
      source,
      startFrame: input.startFrame,
      ...(input.seen ? { seen: input.seen } : { startBox: input.startBox }),
      direction: input.direction,
      endFrame: input.endFrame,
      signal,
    })) {
      if (signal.aborted) break;
      if (step.frame === input.startFrame) continue; // the start frame is the person's keyframe
      done++;
      if (stored(input, step.frame)) continue;
      batch.push(step);
      if (batch.length >= 25 || Date.now() - last > 250) {
        port.postMessage({ type: 'steps', steps: batch, done, total } satisfies TrackWorkerMessage);
        batch = [];
        last = Date.now();
      }
    }
    if (batch.length)
      port.postMessage({ type: 'steps', steps: batch, done, total } satisfies TrackWorkerMessage);
  } finally {
    source.close();
  }
}

function stored(input: TrackWorkerInput, frame: number): boolean {
  const after = input.writeAfter;
  if (after === undefined) return false;
  return input.direction === 'forward' ? frame <= after : frame >= after;
}

async function fill(
  fillBetweenKeyframes: (r: FillRequest) => Promise<TrackStep[] | null>,
  source: VideoFrameSource,
  input: TrackWorkerInput,
  end: Keyframe,
  signal: AbortSignal,
) {
  let last = 0;
  // Progress counts the frames both runs tracked; the fused steps come after, all tracked by then.
  const progress = { done: 0, total: 0 };
  if (!input.startBox) throw new Error("a fill needs the start keyframe's box (startBox)");
  const steps = await fillBetweenKeyframes({
    source,
    start: { frame: input.startFrame, box: input.startBox, outside: input.startOutside ?? false },
    end,
    ...(input.seen ? { seen: input.seen } : {}),
    signal,
    onProgress: (done, total) => {
      Object.assign(progress, { done, total });
      if (Date.now() - last < 250 && done < total) return;
      last = Date.now();
      port.postMessage({ type: 'progress', ...progress } satisfies TrackWorkerMessage);
    },
  });
  if (!steps || signal.aborted) return;
  for (let i = 0; i < steps.length; i += 100)
    port.postMessage({
      type: 'steps',
      steps: steps.slice(i, i + 100),
      ...progress,
    } satisfies TrackWorkerMessage);
}
