import { iterateAnnotations } from '../storage/annotations.js';
import type { Db } from '../storage/db.js';
import type { Media } from '../storage/media.js';
import type { Project } from '../storage/projects.js';
import { listTracks, trackBoxes } from '../storage/tracks.js';
import { annotationBounds } from './records.js';
import { xmlEscape } from './voc.js';

const f2 = (v: number) => v.toFixed(2);

/**
 * CVAT "for video" XML 1.1 for one video: every track with its stored boxes (keyframes and tracker output as
 * keyframe="1" shapes, so CVAT shows exactly what we stored), and single-frame annotations as one-shape tracks.
 * Tracks are loaded one at a time.
 */
export async function* cvatVideoExport(db: Db, project: Project, media: Media): AsyncGenerator<string> {
  const labels = project.labelSchema.classes
    .map(
      (k) =>
        `      <label><name>${xmlEscape(k.name)}</name><color>${k.color}</color><attributes></attributes></label>`,
    )
    .join('\n');
  yield `<?xml version="1.0" encoding="utf-8"?>\n<annotations>\n  <version>1.1</version>\n  <meta>\n    <task>\n      <name>${xmlEscape(project.name)}</name>\n      <size>${media.frameCount}</size>\n      <mode>interpolation</mode>\n      <start_frame>0</start_frame>\n      <stop_frame>${media.frameCount - 1}</stop_frame>\n      <labels>\n${labels}\n      </labels>\n      <original_size><width>${media.width}</width><height>${media.height}</height></original_size>\n    </task>\n    <source>${xmlEscape(media.name)}</source>\n  </meta>\n`;
  let id = 0;
  for (const t of await listTracks(db, media.id)) {
    if (t.status === 'rejected' || t.status === 'proposal') continue;
    const boxes = await trackBoxes(db, t.id);
    let s = `  <track id="${id++}" label="${xmlEscape(t.label)}" source="${boxes.some((b) => b.source === 'tracker') ? 'semi-auto' : 'manual'}">\n`;
    for (const b of boxes) {
      s += `    <box frame="${b.frame}" keyframe="1" outside="${b.outside ? 1 : 0}" occluded="${b.occluded ? 1 : 0}" xtl="${f2(b.box.x)}" ytl="${f2(b.box.y)}" xbr="${f2(b.box.x + b.box.w)}" ybr="${f2(b.box.y + b.box.h)}" z_order="0"></box>\n`;
    }
    yield `${s}  </track>\n`;
  }
  for await (const a of iterateAnnotations(db, media.id)) {
    const next = Math.min(a.frame + 1, media.frameCount - 1);
    let shape = '';
    let end = '';
    if (a.kind === 'box') {
      const b = annotationBounds(a)!;
      const attrs = `xtl="${f2(b.x)}" ytl="${f2(b.y)}" xbr="${f2(b.x + b.w)}" ybr="${f2(b.y + b.h)}" z_order="0"`;
      shape = `    <box frame="${a.frame}" keyframe="1" outside="0" occluded="0" ${attrs}></box>\n`;
      if (next > a.frame)
        end = `    <box frame="${next}" keyframe="1" outside="1" occluded="0" ${attrs}></box>\n`;
    } else if (a.kind === 'polygon' || a.kind === 'keypoints') {
      const tag = a.kind === 'polygon' ? 'polygon' : 'points';
      const pts = (a.data as { points: number[][] }).points.map((p) => `${f2(p[0])},${f2(p[1])}`).join(';');
      shape = `    <${tag} frame="${a.frame}" keyframe="1" outside="0" occluded="0" points="${pts}" z_order="0"></${tag}>\n`;
      if (next > a.frame)
        end = `    <${tag} frame="${next}" keyframe="1" outside="1" occluded="0" points="${pts}" z_order="0"></${tag}>\n`;
    } else {
      yield `  <tag frame="${a.frame}" label="${xmlEscape(a.label)}" source="manual"></tag>\n`;
      continue;
    }
    yield `  <track id="${id++}" label="${xmlEscape(a.label)}" source="manual">\n${shape}${end}  </track>\n`;
  }
  yield '</annotations>\n';
}
