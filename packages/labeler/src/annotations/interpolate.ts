import type { Box } from '../tracking/contract.js';

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
  const t = (frame - prev.frame) / (next.frame - prev.frame);
  const a = prev.box;
  const b = next.box;
  return {
    x: a.x + (b.x - a.x) * t,
    y: a.y + (b.y - a.y) * t,
    w: a.w + (b.w - a.w) * t,
    h: a.h + (b.h - a.h) * t,
  };
}
