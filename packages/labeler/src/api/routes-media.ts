import { createReadStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { annotationInput } from '../annotations/types.js';
import { badRequest } from '../errors/http-error.js';
import { frameFileName } from '../media/decode.js';
import { ingestMedia } from '../media/ingest.js';
import { frameAnnotations, saveFrame } from '../storage/annotations.js';
import { frameVersion } from '../storage/frames.js';
import { framePts } from '../storage/media.js';
import { listTracks, trackBoxesAt } from '../storage/tracks.js';
import { type AppConfig, checkFrame, mediaAccess, projectAccess } from './context.js';
import { type ApiRegistry, intParam } from './registry.js';
import { receiveUpload } from './upload.js';

export function mediaRoutes(api: ApiRegistry, cfg: AppConfig) {
  api.route(
    {
      method: 'post',
      path: '/api/projects/:id/media',
      tag: 'media',
      summary: 'Upload an image or video (H.264/VP9 in mp4/webm/mov); every frame is decoded and numbered',
      rawBody: 'the file bytes',
      query: { name: 'file name, e.g. clip.mp4' },
      responses: { '201': 'stored', '413': 'too large', '415': 'unsupported format', '422': 'corrupt file' },
    },
    async (c) => {
      const { project } = await projectAccess(cfg, c, intParam(c, 'id'), 'edit');
      const name = c.req.query('name');
      if (!name || /[/\\]/.test(name))
        throw badRequest('query parameter "name" must be the file name, e.g. ?name=clip.mp4');
      const tmp = await receiveUpload(c.req.raw, join(cfg.dataDir, 'uploads'), cfg.maxUploadBytes);
      try {
        return c.json(await ingestMedia(cfg.db, cfg.mediaRoot, project.id, tmp, name), 201);
      } finally {
        rmSync(tmp, { force: true });
      }
    },
  );
  api.route(
    {
      method: 'get',
      path: '/api/media/:id',
      tag: 'media',
      summary: 'Media metadata with per-frame timestamps',
    },
    async (c) => {
      const { media } = await mediaAccess(cfg, c, intParam(c, 'id'), 'read');
      return c.json({ ...media, pts: await framePts(cfg.db, media.id) });
    },
  );
  api.route(
    {
      method: 'get',
      path: '/api/media/:id/frames/:n/image',
      tag: 'media',
      summary: 'The decoded frame as JPEG',
    },
    async (c) => {
      const { media } = await mediaAccess(cfg, c, intParam(c, 'id'), 'read');
      const n = intParam(c, 'n');
      checkFrame(media, n);
      const stream = Readable.toWeb(createReadStream(join(media.storageDir, 'frames', frameFileName(n))));
      return new Response(stream as unknown as ReadableStream, {
        headers: { 'content-type': 'image/jpeg', 'cache-control': 'private, max-age=31536000, immutable' },
      });
    },
  );
  api.route(
    {
      method: 'get',
      path: '/api/media/:id/frames/:n',
      tag: 'annotations',
      summary: 'A frame: version, annotations and every track box on it (interpolated where needed)',
    },
    async (c) => {
      const { media } = await mediaAccess(cfg, c, intParam(c, 'id'), 'read');
      const n = intParam(c, 'n');
      checkFrame(media, n);
      const [version, annotations, boxes, tracks] = await Promise.all([
        frameVersion(cfg.db, media.id, n),
        frameAnnotations(cfg.db, media.id, n),
        trackBoxesAt(cfg.db, media, n),
        listTracks(cfg.db, media.id),
      ]);
      const byId = new Map(tracks.map((t) => [t.id, t]));
      return c.json({
        frame: n,
        version,
        annotations,
        tracks: boxes.map((b) => ({
          ...b,
          label: byId.get(b.trackId)?.label,
          status: byId.get(b.trackId)?.status,
          attributes: byId.get(b.trackId)?.attributes,
        })),
      });
    },
  );
  api.route(
    {
      method: 'put',
      path: '/api/media/:id/frames/:n/annotations',
      tag: 'annotations',
      summary: "Replace the frame's annotations; refused with 409 if the frame changed since `version`",
      body: z.object({ version: z.number().int().nonnegative(), annotations: z.array(annotationInput) }),
      responses: { '409': 'someone else saved this frame first' },
    },
    async (c, body) => {
      const { media, project, user } = await mediaAccess(cfg, c, intParam(c, 'id'), 'edit');
      const n = intParam(c, 'n');
      checkFrame(media, n);
      const classes = new Set(project.labelSchema.classes.map((k) => k.name));
      body.annotations.forEach((a, i) => {
        if (!classes.has(a.label)) {
          throw badRequest(
            `field "annotations.${i}.label": "${a.label}" is not a class of this project (${[...classes].join(', ')})`,
          );
        }
      });
      return c.json(await saveFrame(cfg.db, media.id, n, body.version, body.annotations, user.id));
    },
  );
}
