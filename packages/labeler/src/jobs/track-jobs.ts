import { badRequest, conflict } from '../errors/http-error.js';
import { originalFile } from '../media/ingest.js';
import type { Db } from '../storage/db.js';
import {
  createJob,
  getJob,
  type Job,
  type UnfinishedJob,
  unfinishedJobs,
  updateJob,
} from '../storage/jobs.js';
import { getMedia, type Media } from '../storage/media.js';
import {
  clearTrackerBoxes,
  getTrack,
  keyframeAt,
  keyframesInView,
  neighbourKeyframe,
  trackBoxesAt,
  writeTrackerSteps,
} from '../storage/tracks.js';
import type { Box } from '../tracking/contract.js';
import { type PooledRun, TrackWorkerPool } from './track-pool.js';
import type { TrackWorkerInput } from './track-worker.js';

interface Running {
  trackId: number;
  runs: PooledRun[];
  stopped: boolean;
  /** The server is closing: the job is left running in storage, to be resumed on the next start. */
  suspended: boolean;
  /** Storage writes, chained so steps land in order and the final status follows the last write. */
  writes: Promise<unknown>;
}

interface AdoptedJob {
  stop(): void;
  /** Resolves once the job has left off. */
  suspend(): Promise<void>;
}

/** A worker's request without where the video is: what a job stores to be resumed. */
type TrackPlan = Omit<TrackWorkerInput, 'videoPath' | 'width' | 'height' | 'frameCount' | 'writeAfter'>;

/**
 * Starts tracker runs in worker threads and writes their steps to storage as they arrive. A run goes from the
 * given frame up to (not over) the next keyframe a person set in that direction, so re-tracking after a
 * correction never undoes another correction.
 */
export class TrackJobs {
  private readonly running = new Map<number, Running>();
  /** Tracks a request is changing right now (a job being set up, an interpolation clearing boxes). */
  private readonly claimed = new Set<number>();
  /** Jobs run elsewhere (detection over a frame range) that the stop request and the server's close reach. */
  private readonly adopted = new Map<number, AdoptedJob>();

  constructor(
    private readonly db: Db,
    private readonly pool = new TrackWorkerPool(),
  ) {}

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
    const here = (await trackBoxesAt(this.db, media, fromFrame)).find((b) => b.trackId === trackId);
    // Outside here, the run looks for the object coming back, knowing it from a keyframe where it was seen.
    const start =
      here && !here.outside
        ? { startBox: here.box }
        : { seen: await this.seenFor(trackId, fromFrame, media) };
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
          ...start,
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
   * the one and backward from the other, and the two runs are joined (see fillFromRuns); between two outside
   * keyframes it runs forward once, looking for the object coming back. Progress counts the frames the runs
   * track; the boxes are written when the runs are done.
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
    // From a keyframe marking the object outside, the fill looks for it coming back, knowing it from a keyframe
    // where it was seen (see fillBetweenKeyframes); between two such keyframes with none, there is nothing to
    // look for and every frame stays outside.
    const seen = start.outside ? await this.seenIfAny(trackId, fromFrame, media) : null;
    const runs = (start.outside && !seen ? 0 : 1) + (end.outside ? 0 : 1);
    const plan: TrackWorkerInput = {
      ...videoInput(media),
      startFrame: fromFrame,
      startBox: start.box,
      startOutside: start.outside,
      ...(seen ? { seen } : {}),
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

  /**
   * The keyframe to learn an object outside on `frame` from: the first whose box is clear of the frame edge (a
   * box cut by the edge shows only part of the object), else the nearest with a box. The first is the box the
   * track was usually started from, drawn where the object is seen well; later keyframes are corrections, set
   * where tracking failed (blurred, covered). Learnt from the nearest clear keyframe, hard seeds 102 and 103 had
   * a keyframe on a small object blurred at radius 4 (frame 107 of 102), from which the search took a patch of
   * background on the next frame every time, and a simulated labeler needed 50 keyframes on each (bench's
   * correct-and-re-track labeler, hard 101-108: 12.8 keyframes/100 against 9.0 with no search; 8.4 from the first).
   */
  private async seenFor(trackId: number, frame: number, media: Media): Promise<{ frame: number; box: Box }> {
    const seen = await this.seenIfAny(trackId, frame, media);
    if (!seen)
      throw badRequest(
        `track ${trackId} has no box on frame ${frame} and no keyframe showing the object to look for it by; draw its box on a frame where it is in view first`,
      );
    return seen;
  }

  /** See seenFor; null when no keyframe of the track shows the object. */
  private async seenIfAny(
    trackId: number,
    frame: number,
    media: Media,
  ): Promise<{ frame: number; box: Box } | null> {
    const keys = await keyframesInView(this.db, trackId);
    if (keys.length === 0) return null;
    const clear = keys.filter(
      ({ box: b }) => b.x >= 2 && b.y >= 2 && b.x + b.w <= media.width - 2 && b.y + b.h <= media.height - 2,
    );
    if (clear.length > 0) return clear[0];
    return keys.reduce((a, b) => (Math.abs(b.frame - frame) < Math.abs(a.frame - frame) ? b : a));
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
    try {
      job = await createJob(this.db, 'track', mediaId, trackId, total, userId, plans.map(planOf));
    } finally {
      this.claimed.delete(trackId);
    }
    if (plans.length === 0) {
      await updateJob(this.db, job.id, { status: 'done' });
      return getJob(this.db, job.id);
    }
    this.launch(
      job.id,
      trackId,
      mediaId,
      plans,
      plans.map(() => 0),
    );
    return job;
  }

  /**
   * Runs each plan in a worker and writes its steps as they come; `written[k]` frames of plan k are stored
   * already (a resumed job). Progress is the frames the workers have got through, summed.
   */
  private launch(
    jobId: number,
    trackId: number,
    mediaId: number,
    plans: TrackWorkerInput[],
    written: number[],
  ) {
    const run: Running = {
      trackId,
      runs: [],
      stopped: false,
      suspended: false,
      writes: Promise.resolve(),
    };
    this.running.set(jobId, run);
    const doneBy = [...written];
    const doneTotal = () => doneBy.reduce((a, b) => a + b, 0);
    const write = (work: () => Promise<unknown>) => {
      run.writes = run.writes.then(() => (run.stopped || run.suspended ? undefined : work()));
    };
    let finished = 0;
    let failure: string | null = null;
    const finish = () => {
      run.writes = run.writes.then(async () => {
        this.running.delete(jobId);
        if (run.suspended) return;
        await updateJob(this.db, jobId, {
          status: failure ? 'failed' : run.stopped ? 'stopped' : 'done',
          error: failure,
          done: doneTotal(),
        });
      });
    };
    const live = plans.filter((p, k) => p.fillTo || written[k] < Math.abs(p.endFrame - p.startFrame));
    if (live.length === 0) {
      finish();
      return;
    }
    for (const [k, plan] of plans.entries()) {
      if (!live.includes(plan)) continue;
      const pooled = this.pool.run(
        plan,
        (m) => {
          if (m.type === 'steps') {
            write(async () => {
              await writeTrackerSteps(this.db, trackId, mediaId, m.steps);
              doneBy[k] = Math.max(doneBy[k], m.done);
              // A fill's steps come all at the end, once it is done: a resumed fill runs again from the start.
              const lastStep = m.steps.at(-1);
              if (lastStep && !plan.fillTo) written[k] = Math.abs(lastStep.frame - plan.startFrame);
              await updateJob(this.db, jobId, { done: doneTotal(), written });
            });
          } else {
            write(async () => {
              doneBy[k] = Math.max(doneBy[k], m.done);
              await updateJob(this.db, jobId, { done: doneTotal() });
            });
          }
        },
        (error) => {
          if (error) failure = error;
          if (++finished === live.length) finish();
        },
      );
      run.runs.push(pooled);
    }
  }

  /**
   * Takes up the track jobs a server that ended (stopped, crashed, restarted) left running, each from where
   * its stored boxes end: a tracker's run goes again from its start box up to there without writing, so the
   * boxes it writes after are the ones an unbroken run gives (the tracker learns as it goes; started afresh
   * on its own last box it would not). A job whose track or video is gone is marked failed, naming why.
   */
  async resumeUnfinished(log: (s: string) => void = () => {}): Promise<number[]> {
    const resumed: number[] = [];
    for (const job of await unfinishedJobs(this.db)) {
      if (job.kind !== 'track' || job.trackId === null || !job.plans || !job.written) continue;
      try {
        const media = await this.videoOf(job.trackId, 'tracking');
        const plans = job.plans.map((p, k) => resumedInput(media, p, job.written![k] ?? 0));
        this.launch(job.id, job.trackId, media.id, plans, job.written);
        resumed.push(job.id);
        log(`resumed track job ${job.id} (track ${job.trackId}, ${remainingOf(job)} frames left)`);
      } catch (err) {
        await updateJob(this.db, job.id, {
          status: 'failed',
          error: `could not be resumed after a restart: ${(err as Error).message}`,
        });
      }
    }
    return resumed;
  }

  /**
   * A job run outside this class (the detector's over a frame range): `POST /api/jobs/{id}/stop` calls its
   * `stop`, and the server's close its `suspend`, until `release`. The job itself stores what it has and marks
   * itself stopped; suspended, it leaves off for the next start to resume.
   */
  adopt(jobId: number, job: AdoptedJob): { release: () => void } {
    this.adopted.set(jobId, job);
    return { release: () => this.adopted.delete(jobId) };
  }

  /** Stops a running job; steps already written stay (they are real tracker output). */
  async stop(jobId: number): Promise<Job> {
    this.adopted.get(jobId)?.stop();
    const run = this.running.get(jobId);
    if (run) {
      run.stopped = true;
      for (const r of run.runs) r.stop();
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

  /**
   * Ends every worker, running or waiting (the server is closing), and waits for the writes under way, leaving
   * the jobs running in storage: the next start resumes them (resumeUnfinished).
   */
  async suspendAll(): Promise<void> {
    const runs = [...this.running.values()];
    for (const run of runs) {
      run.suspended = true;
      await Promise.all(run.runs.map((r) => r.terminate()));
    }
    await this.pool.close();
    await Promise.all(runs.map((r) => r.writes));
    await Promise.all([...this.adopted.values()].map((job) => job.suspend()));
  }
}

function planOf(input: TrackWorkerInput): TrackPlan {
  const { videoPath: _p, width: _w, height: _h, frameCount: _n, writeAfter: _a, ...plan } = input;
  return plan;
}

/** A stored plan (JSON from storage) as a worker request that writes only past its first `written` frames. */
function resumedInput(media: Media, stored: unknown, written: number): TrackWorkerInput {
  const p = stored as TrackPlan;
  const ok =
    typeof p === 'object' &&
    p !== null &&
    Number.isInteger(p.startFrame) &&
    Number.isInteger(p.endFrame) &&
    (p.direction === 'forward' || p.direction === 'backward') &&
    (typeof p.startBox === 'object' || typeof p.seen === 'object');
  if (!ok) throw new Error(`its stored plan is not one this version reads: ${JSON.stringify(stored)}`);
  const sign = p.direction === 'forward' ? 1 : -1;
  return {
    ...videoInput(media),
    ...p,
    writeAfter: p.fillTo || written === 0 ? undefined : p.startFrame + sign * written,
  };
}

function remainingOf(job: UnfinishedJob): number {
  return (job.plans as TrackPlan[]).reduce(
    (sum, p, k) =>
      sum + Math.max(0, Math.abs(p.endFrame - p.startFrame) - (p.fillTo ? 0 : (job.written?.[k] ?? 0))),
    0,
  );
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
