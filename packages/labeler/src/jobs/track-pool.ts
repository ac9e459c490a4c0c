import type { Worker } from 'node:worker_threads';
import { spawnWorker } from './spawn-worker.js';
import type { TrackWorkerInput, TrackWorkerMessage, TrackWorkerRequest } from './track-worker.js';

/** One run on a pooled worker. */
export interface PooledRun {
  /**
   * Ends the run for its caller now (onEnd is called, later steps are dropped); its worker finishes the step under
   * way in the background and is kept if it ends within STOP_GRACE_MS, else cut off.
   */
  stop(): void;
  /** Cuts the run off now (the server is closing); resolves once its thread has ended. */
  terminate(): Promise<void>;
}

/**
 * How long a stopped run's worker gets to end by itself before its thread is ended: a worker stopped in its
 * first frames, still compiling the tracker, took more than half a second and was cut off (its warmth lost).
 */
const STOP_GRACE_MS = 5000;

/**
 * Track workers kept between jobs. A worker compiles the tracker as it runs it, so a fresh one tracks its first
 * video at about half the rate of one that has tracked before (hard seed 101: 83-94 against 164-169 CPU-fps),
 * and every job started a fresh one. A worker whose run ends (done, failed, or stopped and left off in time)
 * waits for the next, up to `keepIdle` of them; one cut off or crashed is ended and never reused.
 */
export class TrackWorkerPool {
  private readonly idle: Worker[] = [];
  /** Ends of stopped runs whose workers have not left off yet. */
  private readonly leaving = new Set<() => Promise<void>>();
  private closed = false;
  private spawned = 0;

  constructor(private readonly keepIdle = 2) {}

  /**
   * Runs one tracking request: `onMessage` gets its steps and progress, then `onEnd` is called once, with the
   * error when the run failed, null when it finished or was stopped or cut off.
   */
  run(
    input: TrackWorkerInput,
    onMessage: (m: Extract<TrackWorkerMessage, { type: 'steps' | 'progress' }>) => void,
    onEnd: (failure: string | null) => void,
  ): PooledRun {
    if (this.closed) throw new Error('the track worker pool is closed');
    const worker = this.idle.pop() ?? this.spawn();
    worker.ref();
    let ended = false;
    let reported = false;
    let killTimer: NodeJS.Timeout | undefined;
    const report = (failure: string | null) => {
      if (reported) return;
      reported = true;
      onEnd(failure);
    };
    const end = (failure: string | null, reusable: boolean): Promise<void> => {
      if (ended) return Promise.resolve();
      ended = true;
      clearTimeout(killTimer);
      this.leaving.delete(cutOff);
      worker.off('message', message);
      worker.off('error', crashed);
      worker.off('exit', exited);
      let gone = Promise.resolve();
      if (reusable && !this.closed && this.idle.length < this.keepIdle) {
        worker.unref();
        this.idle.push(worker);
      } else gone = worker.terminate().then(() => {});
      report(failure);
      return gone;
    };
    const message = (m: TrackWorkerMessage) => {
      if (m.type === 'done') void end(null, true);
      else if (m.type === 'error') void end(m.message, true);
      else if (!reported) onMessage(m);
    };
    const cutOff = () => end(null, false);
    const crashed = (err: Error) => void end(err.message, false);
    const exited = (code: number) =>
      void end(`the tracking worker ended unexpectedly (exit code ${code})`, false);
    worker.on('message', message);
    worker.on('error', crashed);
    worker.on('exit', exited);
    worker.postMessage({ type: 'run', input } satisfies TrackWorkerRequest);
    return {
      stop: () => {
        if (ended || reported) return;
        worker.postMessage({ type: 'stop' } satisfies TrackWorkerRequest);
        report(null);
        this.leaving.add(cutOff);
        killTimer = setTimeout(() => void cutOff(), STOP_GRACE_MS).unref();
      },
      terminate: cutOff,
    };
  }

  /** Threads started so far. */
  get started(): number {
    return this.spawned;
  }

  /** Workers waiting for a run. */
  get waiting(): number {
    return this.idle.length;
  }

  /**
   * Ends the waiting workers and those of stopped runs still leaving off; runs under way go on until they end
   * (or are terminated).
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([
      ...this.idle.splice(0).map((w) => w.terminate().then(() => {})),
      ...[...this.leaving].map((cutOff) => cutOff()),
    ]);
  }

  private spawn(): Worker {
    this.spawned++;
    const worker = spawnWorker('track-worker', import.meta.url, null);
    // A waiting worker must not crash the server when its thread fails; a running one reports through `run`.
    worker.on('error', () => {});
    worker.on('exit', () => {
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return worker;
  }
}
