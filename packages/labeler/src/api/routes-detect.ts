import { z } from 'zod';
import type { Detection } from '../detect/coco-human.js';
import { frameRgb } from '../detect/detector-pool.js';
import { linkDetections } from '../detect/link.js';
import { badRequest } from '../errors/http-error.js';
import { insertAnnotations } from '../storage/annotations.js';
import type { Db } from '../storage/db.js';
import { bumpFrameVersion, touchFrames } from '../storage/frames.js';
import { createJob, updateJob } from '../storage/jobs.js';
import type { Media } from '../storage/media.js';
import type { Project } from '../storage/projects.js';
import { type AppConfig, checkFrame, mediaAccess } from './context.js';
import { type ApiRegistry, intParam } from './registry.js';

/** Detector labels mapped onto the project's classes by name (case-insensitive); others are dropped. */
function toProjectClasses(project: Project, dets: Detection[]) {
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

const detectorChoice = z.enum(['coco', 'onnx']).default('coco');

export function detectRoutes(api: ApiRegistry, cfg: AppConfig) {
  const run = async (which: 'coco' | 'onnx', media: Media, frame: number): Promise<Detection[]> => {
    if (which === 'coco') return cfg.detector.detectFrame(media, frame);
    if (!cfg.onnx)
      throw badRequest(
        'no ONNX detector is loaded; start the server with --onnx model.onnx [--onnx-labels names.txt]',
      );
    return cfg.onnx.detect(await frameRgb(media, frame), media.width, media.height);
  };

  api.route(
    {
      method: 'post',
      path: '/api/media/:id/frames/:n/detect',
      tag: 'detect',
      summary:
        'Run the COCO detector on a frame; detections become proposals with confidences (below reviewBelow they go to the review queue). Replaces earlier proposals on the frame.',
      body: z.object({
        version: z.number().int().nonnegative(),
        minScore: z.number().min(0).max(1).default(0.3),
        reviewBelow: z.number().min(0).max(1).default(0.5),
        detector: detectorChoice,
      }),
    },
    async (c, body) => {
      const { media, project, user } = await mediaAccess(cfg, c, intParam(c, 'id'), 'edit');
      const n = intParam(c, 'n');
      checkFrame(media, n);
      const dets = (await run(body.detector, media, n)).filter((d) => d.score >= body.minScore);
      const { kept, dropped } = toProjectClasses(project, dets);
      const version = await cfg.db.tx(async (t) => {
        const v = await bumpFrameVersion(t, media.id, n, body.version);
        await t.run(
          `DELETE FROM annotations WHERE media_id = ? AND frame = ? AND source = 'detector' AND status = 'proposal'`,
          [media.id, n],
        );
        await insertAnnotations(
          t,
          media.id,
          kept.map((d) => ({
            frame: n,
            kind: 'box' as const,
            label: d.label,
            data: d.box,
            source: 'detector' as const,
            confidence: d.score,
            status: d.score < body.reviewBelow ? ('review' as const) : ('proposal' as const),
          })),
          user.id,
        );
        return v;
      });
      return c.json({ version, proposals: kept.length, droppedNotInSchema: dropped, detections: kept });
    },
  );
  api.route(
    {
      method: 'post',
      path: '/api/media/:id/detect-tracks',
      tag: 'detect',
      summary:
        'Detect on a frame range in the background and link detections into tracks by IoU and motion; returns the job',
      body: z.object({
        fromFrame: z.number().int().nonnegative(),
        toFrame: z.number().int().nonnegative(),
        minScore: z.number().min(0).max(1).default(0.4),
        minIou: z.number().min(0).max(1).default(0.3),
        detector: detectorChoice,
      }),
      responses: { '202': 'job started' },
    },
    async (c, body) => {
      const { media, project, user } = await mediaAccess(cfg, c, intParam(c, 'id'), 'edit');
      if (body.toFrame < body.fromFrame || body.toFrame >= media.frameCount) {
        throw badRequest(`toFrame must be in ${body.fromFrame}..${media.frameCount - 1}`);
      }
      const total = body.toFrame - body.fromFrame + 1;
      const job = await createJob(cfg.db, 'detect-tracks', media.id, null, total, user.id);
      // Stopped, the job links and stores the frames it has detected: an hour of video is not all lost.
      let stopped = false;
      const adopted = cfg.jobs.adopt(job.id, () => {
        stopped = true;
      });
      void (async () => {
        try {
          const frames: { frame: number; detections: Detection[] }[] = [];
          for (let f = body.fromFrame; f <= body.toFrame && !stopped; f++) {
            const dets = (await run(body.detector, media, f)).filter((d) => d.score >= body.minScore);
            frames.push({ frame: f, detections: toProjectClasses(project, dets).kept });
            await updateJob(cfg.db, job.id, { done: f - body.fromFrame + 1 });
          }
          await storeLinkedTracks(cfg.db, media.id, linkDetections(frames, body.minIou), user.id);
          await updateJob(cfg.db, job.id, { status: stopped ? 'stopped' : 'done' });
        } catch (err) {
          await updateJob(cfg.db, job.id, { status: 'failed', error: (err as Error).message });
        } finally {
          adopted.release();
        }
      })();
      return c.json(job, 202);
    },
  );
}

async function storeLinkedTracks(
  db: Db,
  mediaId: number,
  tracks: ReturnType<typeof linkDetections>,
  userId: number,
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
  });
}
