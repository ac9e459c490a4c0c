import { z } from 'zod';
import { frameRgb } from '../detect/detector-pool.js';
import {
  type DetectOn,
  type DetectTracksPlan,
  runDetectTracks,
  toProjectClasses,
} from '../jobs/detect-tracks-job.js';
import { badRequest } from '../errors/http-error.js';
import { insertAnnotations } from '../storage/annotations.js';
import { bumpFrameVersion } from '../storage/frames.js';
import { createJob } from '../storage/jobs.js';
import { type AppConfig, checkFrame, mediaAccess } from './context.js';
import { type ApiRegistry, intParam } from './registry.js';

const detectorChoice = z.enum(['coco', 'onnx']).default('coco');

/** The server's detectors: the COCO one, or the user's ONNX one when asked for and loaded. */
export function detectOnFor(cfg: AppConfig): DetectOn {
  return async (which, media, frame) => {
    if (which === 'coco') return cfg.detector.detectFrame(media, frame);
    if (!cfg.onnx)
      throw badRequest(
        'no ONNX detector is loaded; start the server with --onnx model.onnx [--onnx-labels names.txt]',
      );
    return cfg.onnx.detect(await frameRgb(media, frame), media.width, media.height);
  };
}

export function detectRoutes(api: ApiRegistry, cfg: AppConfig) {
  const run = detectOnFor(cfg);

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
      const { media, user } = await mediaAccess(cfg, c, intParam(c, 'id'), 'edit');
      if (body.toFrame < body.fromFrame || body.toFrame >= media.frameCount) {
        throw badRequest(`toFrame must be in ${body.fromFrame}..${media.frameCount - 1}`);
      }
      const total = body.toFrame - body.fromFrame + 1;
      const plan: DetectTracksPlan = {
        fromFrame: body.fromFrame,
        toFrame: body.toFrame,
        minScore: body.minScore,
        minIou: body.minIou,
        detector: body.detector,
      };
      const job = await createJob(cfg.db, 'detect-tracks', media.id, null, total, user.id, [plan]);
      void runDetectTracks(
        { db: cfg.db, jobs: cfg.jobs, detectOn: run },
        { id: job.id, mediaId: media.id, userId: user.id },
        plan,
      );
      return c.json(job, 202);
    },
  );
}
