import { badRequest } from '../errors/http-error.js';
import { exportStream } from '../export/index.js';
import { listMedia } from '../storage/media.js';
import { type AppConfig, projectAccess } from './context.js';
import { type ApiRegistry, intParam } from './registry.js';

/** Turns an async iterable of chunks into a web stream that pulls only as fast as the client reads. */
export function toWebStream(body: AsyncIterable<string | Buffer>): ReadableStream<Uint8Array> {
  const it = body[Symbol.asyncIterator]();
  const enc = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      const r = await it.next();
      if (r.done) ctrl.close();
      else ctrl.enqueue(typeof r.value === 'string' ? enc.encode(r.value) : new Uint8Array(r.value));
    },
    async cancel() {
      await it.return?.(undefined);
    },
  });
}

export function exportRoutes(api: ApiRegistry, cfg: AppConfig) {
  api.route(
    {
      method: 'get',
      path: '/api/projects/:id/export/:format',
      tag: 'export',
      summary:
        'Stream an export: coco, yolo, voc, mot (one video), motchallenge (tar, every video a sequence), cvat (video XML) or webdataset (tar of shards)',
      query: {
        images: '0 to leave frame images out of yolo/voc/motchallenge (default 1)',
        media: 'video id for the per-video formats mot and cvat (default: the first video)',
        samplesPerShard: 'webdataset samples per shard (default 1000)',
      },
    },
    async (c) => {
      const { project } = await projectAccess(cfg, c, intParam(c, 'id'), 'read');
      const media = await listMedia(cfg.db, project.id);
      const q = (k: string) => c.req.query(k);
      const mediaId = q('media') !== undefined ? Number(q('media')) : undefined;
      if (mediaId !== undefined && !Number.isInteger(mediaId))
        throw badRequest('query parameter "media" must be a media id');
      const spsRaw = q('samplesPerShard');
      const sps = spsRaw !== undefined ? Number(spsRaw) : undefined;
      if (sps !== undefined && !(Number.isInteger(sps) && sps > 0))
        throw badRequest('query parameter "samplesPerShard" must be a positive integer');
      const ex = exportStream(cfg.db, project, media, c.req.param('format') ?? '', {
        images: q('images') !== '0',
        mediaId,
        samplesPerShard: sps,
      });
      return new Response(toWebStream(ex.body), {
        headers: {
          'content-type': ex.contentType,
          'content-disposition': `attachment; filename="${ex.fileName}"`,
        },
      });
    },
  );
}
