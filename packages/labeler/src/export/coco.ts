import type { Db } from '../storage/db.js';
import type { Media } from '../storage/media.js';
import type { Project } from '../storage/projects.js';
import { annotationBounds, frameRecords, frameStem } from './records.js';

/**
 * COCO detection JSON, written as a stream in two passes over storage (images, then annotations) so no list
 * is held in memory. Video frames are images named `<stem>.jpg`; track boxes carry attributes.track_id.
 */
export async function* cocoExport(db: Db, project: Project, media: Media[]): AsyncGenerator<string> {
  const cats = project.labelSchema.classes.map((k, i) => ({ id: i + 1, name: k.name, supercategory: '' }));
  const catId = new Map(cats.map((k) => [k.name, k.id]));
  const offsets = new Map<number, number>();
  let offset = 0;
  for (const m of media) {
    offsets.set(m.id, offset);
    offset += m.frameCount;
  }
  yield `{"info":${JSON.stringify({ description: project.name, version: '1.0', date_created: new Date().toISOString() })},"licenses":[],"categories":${JSON.stringify(cats)},"images":[`;
  let first = true;
  for (const m of media) {
    let chunk = '';
    for (let f = 0; f < m.frameCount; f++) {
      const img = {
        id: offsets.get(m.id)! + f + 1,
        file_name: `${frameStem(m, f)}.jpg`,
        width: m.width,
        height: m.height,
        frame_id: f,
        video: m.kind === 'video' ? m.name : undefined,
      };
      chunk += (first ? '' : ',') + JSON.stringify(img);
      first = false;
      if (chunk.length > 65536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  yield '],"annotations":[';
  let id = 0;
  first = true;
  for (const m of media) {
    let chunk = '';
    for await (const rec of frameRecords(db, m)) {
      const imageId = offsets.get(m.id)! + rec.frame + 1;
      for (const a of rec.annotations) {
        const bb = annotationBounds(a);
        if (!bb) continue;
        // Built as text rather than through JSON.stringify of an object: this loop runs once per box.
        const attrs = JSON.stringify({
          ...a.attributes,
          status: a.status,
          ...(a.confidence != null ? { score: a.confidence } : {}),
        });
        const seg =
          a.kind === 'polygon' ? `[[${(a.data as { points: number[][] }).points.flat().join(',')}]]` : '[]';
        let extra = '';
        if (a.kind === 'keypoints') {
          const pts = (a.data as { points: number[][] }).points;
          extra = `,"keypoints":[${pts.flat().join(',')}],"num_keypoints":${pts.filter((p) => p[2] > 0).length}`;
        }
        const out = `{"id":${++id},"image_id":${imageId},"category_id":${catId.get(a.label) ?? 0},"bbox":[${bb.x},${bb.y},${bb.w},${bb.h}],"area":${bb.w * bb.h},"iscrowd":0,"segmentation":${seg},"attributes":${attrs}${extra}}`;
        chunk += (first ? '' : ',') + out;
        first = false;
      }
      for (const t of rec.tracks) {
        const out = {
          id: ++id,
          image_id: imageId,
          category_id: catId.get(t.label) ?? 0,
          bbox: [t.box.x, t.box.y, t.box.w, t.box.h],
          area: t.box.w * t.box.h,
          iscrowd: 0,
          segmentation: [],
          attributes: { track_id: t.trackId, keyframe: t.keyframe, occluded: t.occluded, source: t.source },
        };
        chunk += (first ? '' : ',') + JSON.stringify(out);
        first = false;
      }
      if (chunk.length > 65536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  yield ']}\n';
}
