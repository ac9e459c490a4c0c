import { z } from 'zod';
import { boxSchema } from '../annotations/types.js';
import { badRequest } from '../errors/http-error.js';
import { getAnnotation, setAnnotationStatus } from '../storage/annotations.js';
import { getJob, runningJobsOf } from '../storage/jobs.js';
import { getMedia } from '../storage/media.js';
import {
  createTrack,
  deleteTrack,
  getTrack,
  listTracks,
  removeKeyframe,
  setKeyframe,
  setTrackStatus,
  trackBoxes,
  updateTrack,
} from '../storage/tracks.js';
import { type AppConfig, checkFrame, mediaAccess } from './context.js';
import { type ApiRegistry, intParam } from './registry.js';

const decision = z.object({ decision: z.enum(['accept', 'reject']) });

export function trackRoutes(api: ApiRegistry, cfg: AppConfig) {
  const trackAccess = async (c: Parameters<typeof intParam>[0], need: 'read' | 'edit' | 'review') => {
    const track = await getTrack(cfg.db, intParam(c, 'id'));
    return { track, ...(await mediaAccess(cfg, c, track.mediaId, need)) };
  };

  api.route(
    { method: 'get', path: '/api/media/:id/tracks', tag: 'tracks', summary: 'Tracks of a video' },
    async (c) => {
      const { media } = await mediaAccess(cfg, c, intParam(c, 'id'), 'read');
      return c.json(await listTracks(cfg.db, media.id));
    },
  );
  api.route(
    {
      method: 'post',
      path: '/api/media/:id/tracks',
      tag: 'tracks',
      summary: 'Start a track with a keyframe box on one frame',
      body: z.object({
        frame: z.number().int().nonnegative(),
        version: z.number().int().nonnegative(),
        label: z.string(),
        box: boxSchema,
      }),
      responses: { '201': 'created', '409': 'frame changed since version' },
    },
    async (c, body) => {
      const { media, project, user } = await mediaAccess(cfg, c, intParam(c, 'id'), 'edit');
      checkFrame(media, body.frame);
      if (!project.labelSchema.classes.some((k) => k.name === body.label)) {
        throw badRequest(`field "label": "${body.label}" is not a class of this project`);
      }
      return c.json(
        await createTrack(cfg.db, media.id, body.frame, body.version, body.label, body.box, user.id),
        201,
      );
    },
  );
  api.route(
    { method: 'get', path: '/api/tracks/:id', tag: 'tracks', summary: 'A track with every stored box' },
    async (c) => {
      const { track } = await trackAccess(c, 'read');
      return c.json({ ...track, boxes: await trackBoxes(cfg.db, track.id) });
    },
  );
  api.route(
    {
      method: 'put',
      path: '/api/tracks/:id',
      tag: 'tracks',
      summary: "Change a track's class or attributes (same on every frame)",
      body: z.object({
        label: z.string().min(1).optional(),
        attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      }),
    },
    async (c, body) => {
      const { track, project } = await trackAccess(c, 'edit');
      if (body.label && !project.labelSchema.classes.some((k) => k.name === body.label)) {
        throw badRequest(`field "label": "${body.label}" is not a class of this project`);
      }
      return c.json(await updateTrack(cfg.db, track.id, body));
    },
  );
  api.route(
    { method: 'delete', path: '/api/tracks/:id', tag: 'tracks', summary: 'Delete a track' },
    async (c) => {
      const { track } = await trackAccess(c, 'edit');
      await deleteTrack(cfg.db, track.id);
      return c.json({ ok: true });
    },
  );
  api.route(
    {
      method: 'put',
      path: '/api/tracks/:id/frames/:n',
      tag: 'tracks',
      summary: "Set or correct the track's box on a frame (a keyframe), with outside/occluded flags",
      body: z.object({
        version: z.number().int().nonnegative(),
        box: boxSchema,
        outside: z.boolean().default(false),
        occluded: z.boolean().default(false),
      }),
      responses: { '409': 'frame changed since version' },
    },
    async (c, body) => {
      const { track, media } = await trackAccess(c, 'edit');
      const n = intParam(c, 'n');
      checkFrame(media, n);
      return c.json({ version: await setKeyframe(cfg.db, track.id, n, body.version, body) });
    },
  );
  api.route(
    {
      method: 'delete',
      path: '/api/tracks/:id/frames/:n',
      tag: 'tracks',
      summary: 'Remove the stored box on a frame (keyframe or tracker output)',
      query: { version: 'the frame version the edit is based on' },
    },
    async (c) => {
      const { track, media } = await trackAccess(c, 'edit');
      const n = intParam(c, 'n');
      checkFrame(media, n);
      const v = Number(c.req.query('version'));
      if (!Number.isInteger(v) || v < 0)
        throw badRequest('query parameter "version" must be the frame version');
      return c.json({ version: await removeKeyframe(cfg.db, track.id, n, v) });
    },
  );
  api.route(
    {
      method: 'post',
      path: '/api/tracks/:id/track',
      tag: 'tracks',
      summary:
        "Run the tracker from a frame in a background worker; returns the job. From a frame where the track is outside, the run looks for the object coming back (known from the track's nearest keyframe showing it)",
      body: z.object({
        fromFrame: z.number().int().nonnegative(),
        direction: z.enum(['forward', 'backward', 'both']).default('forward'),
        toFrame: z.number().int().nonnegative().optional(),
      }),
      responses: { '202': 'job started', '409': 'another job is writing to the track' },
    },
    async (c, body) => {
      const { track, user } = await trackAccess(c, 'edit');
      return c.json(
        await cfg.jobs.start(track.id, body.fromFrame, body.direction, user.id, body.toFrame),
        202,
      );
    },
  );
  api.route(
    {
      method: 'post',
      path: '/api/tracks/:id/fill',
      tag: 'tracks',
      summary:
        'Fill the frames between a keyframe and the next one: the tracker runs forward from the one and backward from the other, and the runs are fused; returns the job',
      body: z.object({ fromFrame: z.number().int().nonnegative() }),
      responses: { '202': 'job started', '409': 'another job is writing to the track' },
    },
    async (c, body) => {
      const { track, user } = await trackAccess(c, 'edit');
      return c.json(await cfg.jobs.fill(track.id, body.fromFrame, user.id), 202);
    },
  );
  api.route(
    {
      method: 'post',
      path: '/api/tracks/:id/interpolate',
      tag: 'tracks',
      summary:
        "Clear the tracker's boxes between a keyframe and the next one, so the frames between are interpolated",
      body: z.object({ fromFrame: z.number().int().nonnegative() }),
      responses: { '409': 'a job is writing to the track' },
    },
    async (c, body) => {
      const { track, media } = await trackAccess(c, 'edit');
      checkFrame(media, body.fromFrame);
      return c.json(await cfg.jobs.interpolate(track.id, body.fromFrame));
    },
  );
  api.route(
    {
      method: 'get',
      path: '/api/media/:id/jobs',
      tag: 'tracks',
      summary: 'Jobs running on a video (track, fill, detect-tracks), oldest first',
    },
    async (c) => {
      const { media } = await mediaAccess(cfg, c, intParam(c, 'id'), 'read');
      return c.json(await runningJobsOf(cfg.db, media.id));
    },
  );
  api.route(
    { method: 'get', path: '/api/jobs/:id', tag: 'tracks', summary: 'Job progress (done/total, status)' },
    async (c) => {
      const job = await getJob(cfg.db, intParam(c, 'id'));
      await mediaAccess(cfg, c, job.mediaId, 'read');
      return c.json(job);
    },
  );
  api.route(
    { method: 'post', path: '/api/jobs/:id/stop', tag: 'tracks', summary: 'Stop a running job' },
    async (c) => {
      const job = await getJob(cfg.db, intParam(c, 'id'));
      await mediaAccess(cfg, c, job.mediaId, 'edit');
      return c.json(await cfg.jobs.stop(job.id));
    },
  );
  api.route(
    {
      method: 'post',
      path: '/api/tracks/:id/review',
      tag: 'review',
      summary: 'Accept or reject a whole track',
      body: decision,
    },
    async (c, body) => {
      // A detector-proposed track is the annotator's to accept (it then awaits review), like a proposal box.
      const t0 = await getTrack(cfg.db, intParam(c, 'id'));
      const { track, user } = await trackAccess(c, t0.status === 'proposal' ? 'edit' : 'review');
      const status =
        track.status === 'proposal' && body.decision === 'accept'
          ? 'pending'
          : body.decision === 'accept'
            ? 'accepted'
            : 'rejected';
      return c.json(await setTrackStatus(cfg.db, track.id, status, user.id));
    },
  );
  api.route(
    {
      method: 'post',
      path: '/api/annotations/:id/review',
      tag: 'review',
      summary: 'Accept or reject one annotation (reviewers); annotators may accept/reject detector proposals',
      body: decision,
    },
    async (c, body) => {
      const a = await getAnnotation(cfg.db, intParam(c, 'id'));
      const media = await getMedia(cfg.db, a.mediaId);
      // A proposal is the annotator's to accept (it then awaits review); anything else is a reviewer's call.
      const need = a.status === 'proposal' ? 'edit' : 'review';
      const { user } = await mediaAccess(cfg, c, media.id, need);
      const status =
        a.status === 'proposal' && body.decision === 'accept'
          ? 'pending'
          : body.decision === 'accept'
            ? 'accepted'
            : 'rejected';
      return c.json(await setAnnotationStatus(cfg.db, a.id, status, user.id));
    },
  );
}
