import type { Box, Keyframe } from './contract.js';

/**
 * The box of a track at any frame from its keyframes, as CVAT does: linear in x, y, w, h between two
 * keyframes; held after the last keyframe; nothing before the first. A keyframe marked outside hides the
 * object until the next keyframe (it is not faded in or out).
 */
export function interpolate(keyframes: Keyframe[], frame: number): { box: Box; outside: boolean } | null {
  if (!Number.isFinite(frame)) throw new Error(`interpolate: frame must be a finite number, got ${frame}`);
  if (keyframes.length === 0) return null;
  for (const k of keyframes) {
    if (
      !Number.isInteger(k.frame) ||
      !k.box ||
      ![k.box.x, k.box.y, k.box.w, k.box.h].every(Number.isFinite)
    ) {
      throw new Error(
        `interpolate: keyframe must have an integer frame and a finite box, got ${JSON.stringify(k)}`,
      );
    }
  }
  const sorted = [...keyframes].sort((a, b) => a.frame - b.frame);
  if (frame < sorted[0].frame) return null;
  let lo = 0;
  let hi = sorted.length - 1;
  // Last keyframe at or before `frame`.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid].frame <= frame) lo = mid;
    else hi = mid - 1;
  }
  const a = sorted[lo];
  const b = sorted[lo + 1];
  if (a.frame === frame || !b || a.outside) return { box: { ...a.box }, outside: a.outside };
  return { box: lerpBox(a.box, b.box, (frame - a.frame) / (b.frame - a.frame)), outside: false };
}

/** The box a share `t` of the way from `a` to `b`, linear in x, y, w and h. */
export function lerpBox(a: Box, b: Box, t: number): Box {
  return {
    x: a.x + (b.x - a.x) * t,
    y: a.y + (b.y - a.y) * t,
    w: a.w + (b.w - a.w) * t,
    h: a.h + (b.h - a.h) * t,
  };
}
