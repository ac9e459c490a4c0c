import type { Detection } from '../detect/coco-human.js';
import { linkDetections } from '../detect/link.js';
import type { Db } from '../storage/db.js';
import { touchFrames } from '../storage/frames.js';
import { jobFrames, saveJobFrame, unfinishedJobs, updateJob } from '../storage/jobs.js';
import { getMedia, type Media } from '../storage/media.js';
import { type Project, projectFor } from '../storage/projects.js';
import { getUser } from '../storage/users.js';
import type { TrackJobs } from './track-jobs.js';

/** What a detect-tracks job runs (kept with the job, so a restarted server can take it up). */
export interface DetectTracksPlan {
  fromFrame: number;
  toFrame: number;
  minScore: number;
  minIou: number;
  detector: 'coco' | 'onnx';
}

/** Runs a detector on one frame of a video. */
export type DetectOn = (which: 'coco' | 'onnx', media: Media, frame: number) => Promise<Detection[]>;

/** Longest a closing server waits for a detect-tracks job to leave off. */
const SUSPEND_WAIT_MS = 10_000;

interface Deps {
  db: Db;
  jobs: TrackJobs;
  detectOn: DetectOn;
}

/** Detector labels mapped onto the project's classes by name (case-insensitive); others are dropped. */
export function toProjectClasses(project: Project, dets: Detection[]) {
  const byName = new Map(project.labelSchema.classes.map((c) => [c.name.toLowerCase(), c.name]));
  const kept: Detection[] = [];
  let dropped = 0;
  for (const d of dets) {
    const name = byName.get(d.label.toLowerCase());
    if (name) kept.push({ ...d, label: name });
    else dropped++;
  }
  return { kept, dropped };
}

/**
 * Detects on each frame of the plan's range, keeping each frame's detections with the job as it goes, then
 * links them all into proposed tracks and stores those, the job's end and the kept frames' removal in one
 * transaction. Stopped (POST /api/jobs/{id}/stop), it links what it has; when the server closes it leaves off
 * where it is, and the next start resumes it from the frames kept (resumeDetectTracks). Runs in the
 * background: the promise settles when the job ends or is left off.
 */
export async function runDetectTracks(
  deps: Deps,
  job: { id: number; mediaId: number; userId: number },
  plan: DetectTracksPlan,
): Promise<void> {
  const { db } = deps;
  let stopped = false;
  let suspended = false;
  let ended: () => void = () => {};
  const running = new Promise<void>((ok) => {
    ended = ok;
  });
  const adopted = deps.jobs.adopt(job.id, {
    stop: () => {
      stopped = true;
    },
    suspend: () => {
      suspended = true;
      // The frame being detected ends the loop; a detector that never answers must not hold the close up.
      return Promise.race([running, new Promise<void>((ok) => setTimeout(ok, SUSPEND_WAIT_MS).unref())]);
    },
  });
  try {
    const media = await getMedia(db, job.mediaId);
    const user = await getUser(db, job.userId);
    if (!user) throw new Error(`user ${job.userId}, who started the job, no longer exists`);
    const project = await projectFor(db, media.projectId, user);
    const frames = (await jobFrames(db, job.id)).map((r) => ({
      frame: r.frame,
      detections: r.data as Detection[],
    }));
    const first = frames.length ? frames[frames.length - 1].frame + 1 : plan.fromFrame;
    for (let f = first; f <= plan.toFrame && !stopped; f++) {
      const dets = (await deps.detectOn(plan.detector, media, f)).filter((d) => d.score >= plan.minScore);
      if (suspended) return;
      const detections = toProjectClasses(project, dets).kept;
      await saveJobFrame(db, job.id, f, detections);
      frames.push({ frame: f, detections });
      await updateJob(db, job.id, { done: f - plan.fromFrame + 1 });
    }
    if (suspended) return;
    await finishDetectTracks(db, job.id, media.id, linkDetections(frames, plan.minIou), user.id, stopped);
  } catch (err) {
    if (suspended) return;
    await updateJob(db, job.id, { status: 'failed', error: (err as Error).message });
  } finally {
    adopted.release();
    ended();
  }
}

/** The linked tracks stored, the job marked ended and its kept frames dropped: all or none. */
async function finishDetectTracks(
  db: Db,
  jobId: number,
  mediaId: number,
  tracks: ReturnType<typeof linkDetections>,
  userId: number,
  stopped: boolean,
) {
  await db.tx(async (t) => {
    const touched = new Set<number>();
    for (const tr of tracks) {
      if (tr.boxes.length < 2) continue; // a single detection is a proposal, not a track
      const row = await t.get<{ id: number }>(
        `INSERT INTO tracks (media_id, label, attributes, status, created_by, created_at) VALUES (?, ?, '{}', 'proposal', ?, ?) RETURNING id`,
        [mediaId, tr.label, userId, Date.now()],
      );
      for (const [i, b] of tr.boxes.entries()) {
        await t.run(
          `INSERT INTO track_boxes (track_id, frame, x, y, w, h, outside, occluded, keyframe, source, confidence) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, 'detector', ?)`,
          [row!.id, b.frame, b.box.x, b.box.y, b.box.w, b.box.h, i === 0 ? 1 : 0, b.score],
        );
        touched.add(b.frame);
      }
      const last = tr.boxes[tr.boxes.length - 1];
      await t.run(
        `INSERT INTO track_boxes (track_id, frame, x, y, w, h, outside, occluded, keyframe, source, confidence) VALUES (?, ?, ?, ?, ?, ?, 1, 0, 1, 'detector', NULL) ON CONFLICT DO NOTHING`,
        [row!.id, last.frame + 1, last.box.x, last.box.y, last.box.w, last.box.h],
      );
    }
    await touchFrames(t, mediaId, [...touched]);
    await t.run('DELETE FROM job_frames WHERE job_id = ?', [jobId]);
    await t.run('UPDATE jobs SET status = ?, updated_at = ? WHERE id = ?', [
      stopped ? 'stopped' : 'done',
      Date.now(),
      jobId,
    ]);
  });
}

/**
 * Takes up the detect-tracks jobs a server that ended left running, each from the frames it had kept; returns
 * their ids (the others are for failOrphanJobs).
 */
export async function resumeDetectTracks(deps: Deps, log: (s: string) => void = () => {}): Promise<number[]> {
  const resumed: number[] = [];
  for (const job of await unfinishedJobs(deps.db)) {
    if (job.kind !== 'detect-tracks' || !job.plans?.length || job.createdBy === null) continue;
    const plan = job.plans[0] as DetectTracksPlan;
    void runDetectTracks(deps, { id: job.id, mediaId: job.mediaId, userId: job.createdBy }, plan);
    resumed.push(job.id);
    log(`resumed detect-tracks job ${job.id} (${job.done} of ${job.total} frames detected)`);
  }
  return resumed;
}
