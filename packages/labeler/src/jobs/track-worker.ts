/**
 * Runs the tracker off the main thread. Receives one request, streams steps back in batches, stops when told.
 * The tracker module is loaded by URL so the app builds and reports a clear error when it is absent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { VideoFrameSource } from '../media/frame-source.js';
import type { Box, TrackRequest, TrackStep } from '../tracking/contract.js';

export interface TrackWorkerInput {
  videoPath: string;
  width: number;
  height: number;
  frameCount: number;
  startFrame: number;
  startBox: Box;
  direction: 'forward' | 'backward';
  endFrame: number;
}
export type TrackWorkerMessage =
  | { type: 'steps'; steps: TrackStep[]; done: number; total: number }
  | { type: 'done' }
  | { type: 'error'; message: string };

const input = workerData as TrackWorkerInput;
const port = parentPort!;
const abort = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m.type === 'stop') abort.abort();
});

async function main() {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  let tracker: { trackObject: (r: TrackRequest) => AsyncIterable<TrackStep> };
  try {
    tracker = await import(new URL(`../tracking/index${ext}`, import.meta.url).href);
  } catch (err) {
    throw new Error(
      `the tracking engine (src/tracking/index) could not be loaded: ${(err as Error).message}`,
    );
  }
  const source = new VideoFrameSource(input.videoPath, input.width, input.height, input.frameCount);
  const total = Math.abs(input.endFrame - input.startFrame);
  let batch: TrackStep[] = [];
  let done = 0;
  let last = Date.now();
  try {
    for await (const step of tracker.trackObject({
      source,
      startFrame: input.startFrame,
      startBox: input.startBox,
      direction: input.direction,
      endFrame: input.endFrame,
      signal: abort.signal,
    })) {
      if (abort.signal.aborted) break;
      if (step.frame === input.startFrame) continue; // the start frame is the person's keyframe
      batch.push(step);
      done++;
      if (batch.length >= 25 || Date.now() - last > 250) {
        port.postMessage({ type: 'steps', steps: batch, done, total } satisfies TrackWorkerMessage);
        batch = [];
        last = Date.now();
      }
    }
    if (batch.length)
      port.postMessage({ type: 'steps', steps: batch, done, total } satisfies TrackWorkerMessage);
  } finally {
    source.stop();
  }
  port.postMessage({ type: 'done' } satisfies TrackWorkerMessage);
}

main().catch((err) =>
  port.postMessage({ type: 'error', message: (err as Error).message } satisfies TrackWorkerMessage),
);
