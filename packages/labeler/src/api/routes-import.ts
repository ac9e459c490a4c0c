import { badRequest, HttpError } from '../errors/http-error.js';
import { parseCoco } from '../import/coco.js';
import { parseYoloTar } from '../import/yolo.js';
import { insertAnnotations } from '../storage/annotations.js';
import { touchFrames } from '../storage/frames.js';
import { listMedia } from '../storage/media.js';
import { type AppConfig, projectAccess } from './context.js';
import { type ApiRegistry, intParam } from './registry.js';

const IMPORT_LIMIT = 256 * 1024 * 1024;

export function importRoutes(api: ApiRegistry, cfg: AppConfig) {
  api.route(
    {
      method: 'post',
      path: '/api/projects/:id/import/:format',
      tag: 'import',
      summary:
        'Import annotations: coco (JSON file) or yolo (tar with obj.names and labels/*.txt); all or nothing',
      rawBody: 'the COCO JSON file or the YOLO tar',
      query: { name: 'the uploaded file name, used in error messages' },
      responses: { '422': 'the file is malformed; the message names file, line or field' },
    },
    async (c) => {
      const { project, user } = await projectAccess(cfg, c, intParam(c, 'id'), 'edit');
      const format = c.req.param('format');
      const name = c.req.query('name') ?? `upload.${format === 'coco' ? 'json' : 'tar'}`;
      const buf = Buffer.from(await c.req.arrayBuffer());
      if (buf.length > IMPORT_LIMIT)
        throw new HttpError(413, `import is over ${IMPORT_LIMIT / 1024 / 1024} MB`);
      if (buf.length === 0) throw badRequest('import body is empty; send the file bytes');
      const media = await listMedia(cfg.db, project.id);
      const parsed =
        format === 'coco'
          ? parseCoco(buf.toString('utf8'), name, project, media)
          : format === 'yolo'
            ? parseYoloTar(buf, name, project, media)
            : (() => {
                throw badRequest(`unknown import format "${format}"; use coco or yolo`);
              })();
      await cfg.db.tx(async (t) => {
        for (const [mediaId, items] of parsed.byMedia) {
          await insertAnnotations(t, mediaId, items, user.id);
          await touchFrames(t, mediaId, [...new Set(items.map((i) => i.frame))]);
        }
      });
      return c.json({ imported: parsed.count });
    },
  );
}
