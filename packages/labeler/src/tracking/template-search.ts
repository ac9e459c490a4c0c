/**
 * Finding a template variant in a grey image: masked normalised cross-correlation over the whole image
 * (coarse cells) and around a candidate (finer cells). Used by re-detection while the object is lost.
 */
import { GrayRegion, type GreyIntegral } from './gray.js';
import type { TemplateVariant } from './redetect.js';

export interface Candidate {
  cx: number;
  cy: number;
  score: number;
}

/**
 * A grey image box-averaged by k, and the range of its cells that lie wholly inside the frame (the rest
 * replicate the frame's border and must not count as evidence).
 */
export class SearchImage {
  readonly region = new GrayRegion();
  /** Cells [x0, x1) x [y0, y1) are inside the frame. */
  inFrame = { x0: 0, y0: 0, x1: 0, y1: 0 };
  /** Running sums of values and squares along each row (width + 1 per row): a run's sum in O(1). */
  readonly prefix = { sum: new Float64Array(0), sq: new Float64Array(0) };

  /** Loads the frame (plus `margin` pixels beyond each edge) at cell size k. */
  load(grey: GreyIntegral, k: number, margin: number): this {
    const region = this.region.loadFrom(grey, -margin, -margin, grey.width + margin, grey.height + margin, k);
    this.inFrame = cellsInFrame(region);
    const { width: W, height: H, data } = region;
    if (this.prefix.sum.length < (W + 1) * H) {
      this.prefix.sum = new Float64Array((W + 1) * H);
      this.prefix.sq = new Float64Array((W + 1) * H);
    }
    const { sum, sq } = this.prefix;
    for (let y = 0; y < H; y++) {
      let s = 0;
      let q = 0;
      sum[y * (W + 1)] = 0;
      sq[y * (W + 1)] = 0;
      for (let x = 0; x < W; x++) {
        const v = data[y * W + x];
        s += v;
        q += v * v;
        sum[y * (W + 1) + x + 1] = s;
        sq[y * (W + 1) + x + 1] = q;
      }
    }
    return this;
  }
}

/** The cells of a grey region that lie wholly inside the frame it was cut from. */
function cellsInFrame(region: GrayRegion): { x0: number; y0: number; x1: number; y1: number } {
  const { k, x0, y0, width, height, frameWidth, frameHeight } = region;
  return {
    x0: Math.max(0, Math.ceil(-x0 / k)),
    y0: Math.max(0, Math.ceil(-y0 / k)),
    x1: Math.min(width, Math.floor((frameWidth - x0) / k)),
    y1: Math.min(height, Math.floor((frameHeight - y0) / k)),
  };
}

/**
 * Normalised cross-correlation of a template variant with the image cells under it at (x, y), counting
 * only the cells on the turned object and inside the frame: a turned object's box corners (background)
 * and the part of an object still beyond the frame edge neither help nor hurt its score. Fewer than
 * `minShare` of the object's cells in view: -Infinity.
 */
function maskedNcc(
  src: Float32Array,
  W: number,
  x: number,
  y: number,
  t: TemplateVariant,
  view: { x0: number; y0: number; x1: number; y1: number },
  minShare: number,
  prefix?: { sum: Float64Array; sq: Float64Array },
): number {
  const { data: td, spans, width: tw, height: th } = t;
  const j0 = Math.max(0, view.y0 - y);
  const j1 = Math.min(th, view.y1 - y);
  const clipped = j0 > 0 || j1 < th || x < view.x0 || x + tw > view.x1;
  if (!clipped && prefix) return wholeNcc(src, W, x, y, t, prefix);
  let dot = 0;
  let sum = 0;
  let sumSq = 0;
  let tSum = 0;
  let tSq = 0;
  let n = 0;
  for (let j = j0; j < j1; j++) {
    const a = Math.max(spans[2 * j], view.x0 - x);
    const b = Math.min(spans[2 * j + 1], view.x1 - x);
    if (b <= a) continue;
    const rowI = (y + j) * W + x;
    const rowT = j * tw;
    n += b - a;
    if (clipped) {
      for (let i = a; i < b; i++) {
        const g = src[rowI + i];
        const v = td[rowT + i];
        dot += v * g;
        sum += g;
        sumSq += g * g;
        tSum += v;
        tSq += v * v;
      }
    } else {
      for (let i = a; i < b; i++) {
        const g = src[rowI + i];
        dot += td[rowT + i] * g;
        sum += g;
        sumSq += g * g;
      }
    }
  }
  if (n < minShare * t.cells || n < 4) return Number.NEGATIVE_INFINITY;
  const energy = Math.sqrt(Math.max(sumSq - (sum * sum) / n, 0)) + 1e-6;
  // Whole object in view: the template is zero-mean there, so the image mean drops out of the product.
  if (!clipped) return dot / (energy * t.norm);
  const tNorm = Math.sqrt(Math.max(tSq - (tSum * tSum) / n, 0)) + 1e-6;
  return (dot - (tSum * sum) / n) / (energy * tNorm);
}

/** maskedNcc for a position with the whole object in view, the image's sums taken from row prefixes. */
function wholeNcc(
  src: Float32Array,
  W: number,
  x: number,
  y: number,
  t: TemplateVariant,
  prefix: { sum: Float64Array; sq: Float64Array },
): number {
  const { data: td, spans, width: tw, height: th } = t;
  let dot = 0;
  let sum = 0;
  let sumSq = 0;
  for (let j = 0; j < th; j++) {
    const a = spans[2 * j];
    const b = spans[2 * j + 1];
    if (b <= a) continue;
    const rowI = (y + j) * W + x;
    const rowT = j * tw;
    for (let i = a; i < b; i++) dot += td[rowT + i] * src[rowI + i];
    const rowP = (y + j) * (W + 1) + x;
    sum += prefix.sum[rowP + b] - prefix.sum[rowP + a];
    sumSq += prefix.sq[rowP + b] - prefix.sq[rowP + a];
  }
  const n = t.cells;
  const energy = Math.sqrt(Math.max(sumSq - (sum * sum) / n, 0)) + 1e-6;
  return dot / (energy * t.norm);
}

/**
 * Masked normalised cross-correlation (see maskedNcc) of a template variant over a search image loaded
 * at the variant's cell size, plus `bonus` at the cell under the object's centre (other evidence, such as
 * colour; -Infinity rules the position out unscored). Returns the best few non-overlapping positions as
 * object centres in frame coordinates, with their summed score.
 */
export function searchTemplate(
  search: SearchImage,
  t: TemplateVariant,
  maxCandidates: number,
  bonus?: Float32Array,
  minShare = 1,
): Candidate[] {
  const image = search.region;
  const k = image.k;
  const W = image.width;
  const H = image.height;
  const tw = t.width;
  const th = t.height;
  if (W < tw || H < th) return [];
  const src = image.data;
  const outW = W - tw + 1;
  const outH = H - th + 1;
  if (scoreScratch.length < outW * outH) scoreScratch = new Float32Array(outW * outH);
  const scores = scoreScratch;
  const gx = tw >> 1;
  const gy = th >> 1;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const extra = bonus ? bonus[(y + gy) * W + x + gx] : 0;
      // Positions ruled out (not the object's colour) are not worth the correlation.
      scores[y * outW + x] =
        extra === Number.NEGATIVE_INFINITY
          ? extra
          : maskedNcc(src, W, x, y, t, search.inFrame, minShare, search.prefix) + extra;
    }
  }
  const suppress = Math.ceil(Math.max(tw, th) / 2);
  return pickPeaks(scores, outW, outH, suppress, maxCandidates).map(({ index, score }) => {
    const bx = index % outW;
    const by = (index / outW) | 0;
    return { cx: image.x0 + (bx + tw / 2) * k, cy: image.y0 + (by + th / 2) * k, score };
  });
}

/**
 * Greedy non-maximum suppression over a row-major grid of scores (changed in place): up to `max` times, the
 * best score (the first in raster order among equals) is taken and every score within `suppress` cells of it on
 * both axes is set to -Infinity; stops at a best of -Infinity. Returns the cells taken, in order, with their scores.
 * The best is looked for among the rows' best, and only the rows a pick suppresses are looked at again: one pass
 * over the scores instead of one per pick.
 */
export function pickPeaks(
  scores: Float32Array,
  width: number,
  height: number,
  suppress: number,
  max: number,
): Array<{ index: number; score: number }> {
  const rowBest = new Int32Array(height);
  const bestInRow = (y: number) => {
    let best = y * width;
    for (let i = best + 1; i < (y + 1) * width; i++) if (scores[i] > scores[best]) best = i;
    rowBest[y] = best;
  };
  for (let y = 0; y < height; y++) bestInRow(y);
  const picked: Array<{ index: number; score: number }> = [];
  for (let m = 0; m < max; m++) {
    let best = rowBest[0];
    for (let y = 1; y < height; y++) if (scores[rowBest[y]] > scores[best]) best = rowBest[y];
    if (scores[best] === Number.NEGATIVE_INFINITY) break;
    picked.push({ index: best, score: scores[best] });
    const bx = best % width;
    const by = (best / width) | 0;
    for (let y = Math.max(0, by - suppress); y < Math.min(height, by + suppress + 1); y++) {
      for (let x = Math.max(0, bx - suppress); x < Math.min(width, bx + suppress + 1); x++) {
        scores[y * width + x] = Number.NEGATIVE_INFINITY;
      }
      bestInRow(y);
    }
  }
  return picked;
}

/** Scratch for searchTemplate's scores, grown as needed (one search at a time). */
let scoreScratch = new Float32Array(0);

/**
 * Masked normalised cross-correlation of a template variant at the positions within `radius` cells of
 * (cx, cy) (a candidate from a coarser search, refined at the variant's finer cells); the best position,
 * or null.
 */
export function searchNear(
  grey: GreyIntegral,
  t: TemplateVariant,
  cx: number,
  cy: number,
  radius: number,
  region: GrayRegion,
  minShare = 1,
): Candidate | null {
  const { k, width: tw, height: th } = t;
  const ox = Math.round(cx - (tw / 2 + radius) * k);
  const oy = Math.round(cy - (th / 2 + radius) * k);
  region.loadFrom(grey, ox, oy, ox + (tw + 2 * radius) * k, oy + (th + 2 * radius) * k, k);
  const view = cellsInFrame(region);
  let best: Candidate | null = null;
  for (let dy = 0; dy <= 2 * radius; dy++) {
    for (let dx = 0; dx <= 2 * radius; dx++) {
      const score = maskedNcc(region.data, region.width, dx, dy, t, view, minShare);
      if (score === Number.NEGATIVE_INFINITY) continue;
      if (!best || score > best.score) {
        best = { cx: ox + (dx + tw / 2) * k, cy: oy + (dy + th / 2) * k, score };
      }
    }
  }
  return best;
}
