import type { Box, Frame } from './contract.js';

/**
 * A box drawn on a half-covered object holds part of the occluder too (a plank passing over it), and a
 * tracker that learns the whole box learns the plank and may follow it: restarted at frame 114 of
 * occlusion seed 101 with a plank over the object's left half, the box went left with the plank, 7 px a
 * frame, while the object went right, 3 px a frame. Something that crosses the object goes on past the
 * box on both sides: its columns (rows) look the same inside the box as just above and below it (left and
 * right of it), where the object's own columns show the object inside and the scene outside. This finds
 * such a band, so the tracker can leave it out of what it learns.
 */

/** A band across the box: columns `lo`..`hi` (axis 'x') or rows (axis 'y'), in frame pixels. */
export interface CrossingBand {
  axis: 'x' | 'y';
  lo: number;
  hi: number;
}

/**
 * Mean colour distance (0..441 in RGB) under which a column inside the box counts as the same as outside:
 * on occlusion seed 101 at frame 114 the plank's columns differ by 2-20 from above and below the box, the
 * object's by 30-200.
 */
const SAME_COLOUR = 20;
/**
 * Least breadth of a band, as a share of the box: narrower runs of such columns are the scene at the side
 * of a turned or blurred object, or a coincidence of colours (at 0.15 and 0.2, bands in boxes with nothing
 * over the object on 8 and 2 of the test's 230 frames; none at 0.3). On occlusion seeds 117-132, 0.15 gave
 * 1.75 keyframes/100 against 1.66 at 0.3.
 */
const MIN_BAND = 0.3;
/** A band covering more than this share of the box leaves too little object to tell it by. */
const MAX_BAND = 0.75;
/** Columns that differ inside a band, up to this share of the box, do not end it (a knot in the plank). */
const BAND_GAP = 0.04;
/** Depth of the strips outside the box compared (share of the box's side along the band). */
const STRIP = 0.5;
/** Fewest rows (columns) a strip outside the box needs to be compared at all. */
const MIN_STRIP = 4;

/**
 * A vertical band crossing the box (a post, a plank, a person passing in front); null when there is none,
 * or when the box is at the frame edge (a box cut there holds the scene's columns next to the object's
 * part in view). Horizontal bands are not looked for: the rows of the scene at the top and bottom of a
 * turned, blurred object's box went on past it often enough to pass for one (hard seeds 101-103, 1 frame in
 * 30), and no occluder in the synthetic set is horizontal to measure a gain against.
 */
export function findCrossingBand(frame: Frame, box: Box): CrossingBand | null {
  const edge =
    box.x <= 1 || box.y <= 1 || box.x + box.w >= frame.width - 1 || box.y + box.h >= frame.height - 1;
  return edge ? null : bandAlong(frame, box, 'x');
}

function bandAlong(frame: Frame, box: Box, axis: 'x' | 'y'): CrossingBand | null {
  const { width: W, height: H } = frame;
  const along = axis === 'x';
  // Columns (axis x) run along y: compared inside the box's middle rows and in strips above and below.
  const a0 = Math.max(0, Math.round(along ? box.x : box.y));
  const a1 = Math.min(along ? W : H, Math.round(along ? box.x + box.w : box.y + box.h));
  const start = along ? box.y : box.x;
  const span = along ? box.h : box.w;
  const limit = along ? H : W;
  const inside = [start + 0.1 * span, start + 0.9 * span];
  const before = [Math.max(0, start - STRIP * span), start - 2];
  const after = [start + span + 2, Math.min(limit, start + span + STRIP * span)];
  const hasBefore = before[1] - before[0] >= MIN_STRIP;
  const hasAfter = after[1] - after[0] >= MIN_STRIP;
  if (!hasBefore && !hasAfter) return null;
  const breadth = a1 - a0;
  if (breadth < 4) return null;
  const same = new Uint8Array(breadth);
  const mIn = [0, 0, 0];
  const mBefore = [0, 0, 0];
  const mAfter = [0, 0, 0];
  for (let a = a0; a < a1; a++) {
    meanColour(frame, axis, a, inside[0], inside[1], mIn);
    // The mean of the two differences: a knot in the plank on one side must not break the band.
    let d: number;
    if (hasBefore && hasAfter) {
      meanColour(frame, axis, a, before[0], before[1], mBefore);
      meanColour(frame, axis, a, after[0], after[1], mAfter);
      d = (distance(mIn, mBefore) + distance(mIn, mAfter)) / 2;
    } else {
      meanColour(frame, axis, a, hasBefore ? before[0] : after[0], hasBefore ? before[1] : after[1], mBefore);
      d = distance(mIn, mBefore);
    }
    same[a - a0] = d < SAME_COLOUR ? 1 : 0;
  }
  // The longest run of such columns, short gaps allowed.
  const gap = Math.max(1, Math.round(BAND_GAP * (along ? box.w : box.h)));
  let best: [number, number] | null = null;
  let runStart = -1;
  let lastSame = -1;
  for (let i = 0; i <= breadth; i++) {
    if (i < breadth && same[i]) {
      if (runStart < 0 || i - lastSame > gap) runStart = i;
      lastSame = i;
      if (!best || lastSame - runStart > best[1] - best[0]) best = [runStart, lastSame];
    }
  }
  if (!best) return null;
  const size = along ? box.w : box.h;
  const width = best[1] - best[0] + 1;
  if (width < MIN_BAND * size || width > MAX_BAND * size) return null;
  return { axis, lo: a0 + best[0], hi: a0 + best[1] + 1 };
}

/** Mean RGB of column `a` over rows `from`..`to` (axis x), or of row `a` over those columns (axis y). */
function meanColour(frame: Frame, axis: 'x' | 'y', a: number, from: number, to: number, out: number[]): void {
  const { width: W, data } = frame;
  const lo = Math.max(0, Math.round(from));
  const hi = Math.min(axis === 'x' ? frame.height : W, Math.round(to));
  let r = 0;
  let g = 0;
  let b = 0;
  for (let t = lo; t < hi; t++) {
    const p = (axis === 'x' ? t * W + a : a * W + t) * 4;
    r += data[p];
    g += data[p + 1];
    b += data[p + 2];
  }
  const n = Math.max(1, hi - lo);
  out[0] = r / n;
  out[1] = g / n;
  out[2] = b / n;
}

function distance(p: number[], q: number[]): number {
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/** Whether a frame point lies in the band (widened by `margin` pixels either side). */
export function inBand(band: CrossingBand, x: number, y: number, margin = 0): boolean {
  const v = band.axis === 'x' ? x : y;
  return v >= band.lo - margin && v < band.hi + margin;
}
