import { frameStem } from '../export/records.js';
import type { Media } from '../storage/media.js';

export interface FrameTarget {
  media: Media;
  frame: number;
}

/**
 * Names by which an import may refer to a frame: our export names (`<stem>.jpg`), and for images the
 * uploaded file name. Lookup is by basename without extension.
 */
export function frameTargets(media: Media[]): Map<string, FrameTarget> {
  const map = new Map<string, FrameTarget>();
  for (const m of media) {
    if (m.kind === 'image') {
      map.set(m.name.replace(/\.[^.]*$/, ''), { media: m, frame: 0 });
      map.set(frameStem(m, 0), { media: m, frame: 0 });
    } else for (let f = 0; f < m.frameCount; f++) map.set(frameStem(m, f), { media: m, frame: f });
  }
  return map;
}

export const stemOf = (path: string) => (path.split('/').pop() ?? path).replace(/\.[^.]*$/, '');
