import type { Db } from '../storage/db.js';
import type { Media } from '../storage/media.js';
import type { Project } from '../storage/projects.js';
import { frameRecords } from './records.js';

/**
 * MOTChallenge ground truth for one video: `frame,id,left,top,width,height,conf,class,visibility`, frames
 * 1-based as the MOT tools expect; only track boxes (MOT is about identities over time).
 */
export async function* motExport(db: Db, project: Project, media: Media): AsyncGenerator<string> {
  const cls = new Map(project.labelSchema.classes.map((k, i) => [k.name, i + 1]));
  for await (const rec of frameRecords(db, media)) {
    let chunk = '';
    for (const t of rec.tracks) {
      const b = t.box;
      chunk += `${rec.frame + 1},${t.trackId},${b.x.toFixed(2)},${b.y.toFixed(2)},${b.w.toFixed(2)},${b.h.toFixed(2)},1,${cls.get(t.label) ?? -1},${t.occluded ? 0.5 : 1}\n`;
    }
    if (chunk) yield chunk;
  }
}
