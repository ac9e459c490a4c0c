import type { Worker } from 'node:worker_threads';
import { badRequest, conflict } from '../errors/http-error.js';
import { originalFile } from '../media/ingest.js';
import type { Db } from '../storage/db.js';
import { createJob, getJob, type Job, updateJob } from '../storage/jobs.js';
import { getMedia, type Media } from '../storage/media.js';
import {
  clearTrackerBoxes,
  getTrack,
  keyframeAt,
  neighbourKeyframe,
  trackBoxesAt,
  writeTrackerSteps,
} from '../storage/tracks.js';
import { spawnWorker } from './spawn-worker.js';
import type { TrackWorkerInput, TrackWorkerMessage } from './track-worker.js';

interface Running {
  trackId: number;
  workers: Worker[];
  stopped: boolean;
}

/**
 * Starts tracker runs in worker threads and writes their steps to storage as they arrive. A run goes from the
 * given frame up to (not over) the next keyframe a person set in that direction, so re-tracking after a
 * correction never undoes another correction.
 */
export class TrackJobs {
  private readonly running = new Map<number, Running>();
  /** Tracks a request is changing right now (a job being set up, an interpolation clearing boxes). */
  private readonly claimed = new Set<number>();

  constructor(private readonly db: Db) {}

  async start(
    trackId: number,
    fromFrame: number,
    direction: 'forward' | 'backward' | 'both',
    userId: number,
    limitFrame?: number,
  ): Promise<Job> {
    const media = await this.videoOf(trackId, 'tracking');
    if (fromFrame >= media.frameCount)
      throw badRequest(`fromFrame ${fromFrame} is past the last frame ${media.frameCount - 1}`);
    const here = (await trackBoxesAt(this.db, media.id, fromFrame)).find((b) => b.trackId === trackId);
    if (!here || here.outside)
      throw badRequest(`track ${trackId} has no box on frame ${fromFrame} to start from; draw one first`);
    const dirs = direction === 'both' ? (['forward', 'backward'] as const) : ([direction] as const);
    const plans: TrackWorkerInput[] = [];
    for (const d of dirs) {
      const next = await neighbourKeyframe(this.db, trackId, fromFrame, d);
      let end = d === 'forward' ? (next ?? media.frameCount) - 1 : (next ?? -1) + 1;
      if (limitFrame !== undefined)
        end = d === 'forward' ? Math.min(end, limitFrame) : Math.max(end, limitFrame);
      if (d === 'forward' ? end > fromFrame : end < fromFrame) {
        plans.push({
          ...videoInput(media),
          startFrame: fromFrame,
          startBox: here.box,
          direction: d,
          endFrame: end,
        });
      }
    }
    const total = plans.reduce((s, p) => s + Math.abs(p.endFrame - p.startFrame), 0);
    return this.run(plans, total, media.id, trackId, userId);
  }

  /**
   * Fills the frames between the keyframe at `fromFrame` and the next keyframe: the tracker runs forward from
   * the one and backward from the other, and the two runs are fused (see fuseRuns). Progress counts the
   * frames both runs track; the boxes are written when both are done.
   */
  async fill(trackId: number, fromFrame: number, userId: number): Promise<Job> {
    const media = await this.videoOf(trackId, 'filling');
    const start = await keyframeAt(this.db, trackId, fromFrame);
    if (!start)
      throw badRequest(
        `frame ${fromFrame} is not a keyframe of track ${trackId}; set one there first (K), then fill to the next`,
      );
    const next = await neighbourKeyframe(this.db, trackId, fromFrame, 'forward');
    if (next === null)
      throw badRequest(
        `track ${trackId} has no keyframe after frame ${fromFrame} to fill to; set one further on, or track forward (T)`,
      );
    const end = (await keyframeAt(this.db, trackId, next))!;
    const gap = next - fromFrame - 1;
    const runs = (start.outside ? 0 : 1) + (end.outside ? 0 : 1);
    const plan: TrackWorkerInput = {
      ...videoInput(media),
      startFrame: fromFrame,
      startBox: start.box,
      startOutside: start.outside,
      direction: 'forward',
      endFrame: next - 1,
      fillTo: end,
    };
    return this.run(gap > 0 ? [plan] : [], gap * runs, media.id, trackId, userId);
  }

  /**
   * Clears the tracker's boxes between the keyframe at `fromFrame` and the next keyframe, so that the frames
   * between show the interpolation of the two (CVAT's default between keyframes): for a stretch where the
   * object moves steadily and tracking does worse. Refused while a job is writing to the track.
   */
  async interpolate(
    trackId: number,
    fromFrame: number,
  ): Promise<{ fromFrame: number; toFrame: number | null; cleared: number }> {
    await this.videoOf(trackId, 'interpolating');
    if (!(await keyframeAt(this.db, trackId, fromFrame)))
      throw badRequest(
        `frame ${fromFrame} is not a keyframe of track ${trackId}; set one there first (K), then interpolate to the next`,
      );
    this.claim(trackId);
    try {
      return { fromFrame, ...(await clearTrackerBoxes(this.db, trackId, fromFrame)) };
    } finally {
      this.claimed.delete(trackId);
    }
  }

  /**
   * One writer per track: two runs on one track would write over each other's frames, and an interpolation
   * would clear boxes a run is writing. Synchronous, so two requests cannot both pass it.
   */
  private claim(trackId: number): void {
    for (const [jobId, run] of this.running)
      if (run.trackId === trackId && !run.stopped)
        throw conflict(`track ${trackId} has a job running (job ${jobId}); stop it or wait for it to end`);
    if (this.claimed.has(trackId))
      throw conflict(`track ${trackId} is being changed by another request; try again when it is done`);
    this.claimed.add(trackId);
  }

  /** The video a track is on; an image is refused, naming what was asked (`doing`). */
  private async videoOf(trackId: number, doing: string): Promise<Media> {
    const track = await getTrack(this.db, trackId);
    const media = await getMedia(this.db, track.mediaId);
    if (media.kind !== 'video') throw badRequest(`media ${media.id} is an image; ${doing} needs a video`);
    return media;
  }

  private async run(
    plans: TrackWorkerInput[],
    total: number,
    mediaId: number,
    trackId: number,
    userId: number,
  ): Promise<Job> {
    this.claim(trackId);
    let job: Job;
    const run: Running = { trackId, workers: [], stopped: false };
    try {
      job = await createJob(this.db, 'track', mediaId, trackId, total, userId);
      this.running.set(job.id, run);
    } finally {
      this.claimed.delete(trackId);
    }
    if (plans.length === 0) {
      await updateJob(this.db, job.id, { status: 'done' });
      this.running.delete(job.id);
      return getJob(this.db, job.id);
    }
    // Each worker reports how far it has got; the job's progress is their sum.
    const doneBy = plans.map(() => 0);
    const doneTotal = () => doneBy.reduce((a, b) => a + b, 0);
    let finished = 0;
    let failure: string | null = null;
    // Writes are chained so steps land in order and the final status follows the last write.
    let writes: Promise<unknown> = Promise.resolve();
    const finish = () => {
      writes = writes.then(async () => {
        this.running.delete(job.id);
        await updateJob(this.db, job.id, {
          status: failure ? 'failed' : run.stopped ? 'stopped' : 'done',
          error: failure,
          done: doneTotal(),
        });
      });
    };
    for (const [k, plan] of plans.entries()) {
      const worker = spawnWorker('track-worker', import.meta.url, plan);
      run.workers.push(worker);
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        if (++finished === plans.length) finish();
      };
      worker.on('message', (m: TrackWorkerMessage) => {
        if (m.type === 'steps') {
          writes = writes.then(async () => {
            if (run.stopped) return;
            await writeTrackerSteps(this.db, trackId, mediaId, m.steps);
            doneBy[k] = Math.max(doneBy[k], m.done);
            await updateJob(this.db, job.id, { done: doneTotal() });
          });
        } else if (m.type === 'progress') {
          writes = writes.then(async () => {
            if (run.stopped) return;
            doneBy[k] = Math.max(doneBy[k], m.done);
            await updateJob(this.db, job.id, { done: doneTotal() });
          });
        } else if (m.type === 'error') {
          failure = m.message;
          void worker.terminate();
          settle();
        } else {
          void worker.terminate();
          settle();
        }
      });
      worker.on('error', (err) => {
        failure = err.message;
        settle();
      });
      worker.on('exit', settle);
    }
    return job;
  }

  /** Stops a running job; steps already written stay (they are real tracker output). */
  async stop(jobId: number): Promise<Job> {
    const run = this.running.get(jobId);
    if (run) {
      run.stopped = true;
      for (const w of run.workers) {
        w.postMessage({ type: 'stop' });
        setTimeout(() => void w.terminate(), 500).unref();
      }
    }
    return getJob(this.db, jobId);
  }

  /** Resolves when the job has left the running state (for tests and the CLI). */
  async wait(jobId: number, pollMs = 50): Promise<Job> {
    for (;;) {
      const job = await getJob(this.db, jobId);
      if (job.status !== 'running') return job;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  async stopAll() {
    for (const id of [...this.running.keys()]) await this.stop(id);
  }
}

/** Where a worker finds the video and its frame geometry. */
function videoInput(media: Media) {
  return {
    videoPath: originalFile(media),
    width: media.width,
    height: media.height,
    frameCount: media.frameCount,
  };
}
