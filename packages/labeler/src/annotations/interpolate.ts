import type { Box } from '../tracking/contract.js';
import { lerpBox } from '../tracking/interpolate.js';

export interface KeyBox {
  frame: number;
  box: Box;
  outside: boolean;
}

/**
 * The box of a track at `frame` from its keyframes (sorted by frame): linear between the neighbouring
 * keyframes, held after the last one (as CVAT does), absent before the first or after an `outside` keyframe.
 */
export function boxBetweenKeyframes(keys: KeyBox[], frame: number): Box | null {
  let prev: KeyBox | undefined;
  let next: KeyBox | undefined;
  for (const k of keys) {
    if (k.frame <= frame) prev = k;
    else {
      next = k;
      break;
    }
  }
  if (!prev || prev.outside) return null;
  if (prev.frame === frame || !next || next.outside) return { ...prev.box };
  return lerpBox(prev.box, next.box, (frame - prev.frame) / (next.frame - prev.frame));
}
