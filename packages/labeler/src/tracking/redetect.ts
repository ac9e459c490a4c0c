import type { Frame } from './contract.js';
import { GrayRegion } from './gray.js';

/** Target cells along the longer side of the appearance template used for re-detection. */
const TEMPLATE_CELLS = 12;

/**
 * The object's last well-tracked appearance in its own upright frame (rotation and scale undone), grey,
 * about 12 cells on its long side. Re-detection turns and scales it to each hypothesis it searches.
 */
export class AppearanceTemplate {
  readonly cols: number;
  readonly rows: number;
  readonly data: Float32Array;
  private readonly scratch = new GrayRegion();

  /** baseWidth x baseHeight: the object's size at scale 1 (the first box). */
  constructor(
    readonly baseWidth: number,
    readonly baseHeight: number,
  ) {
    const long = Math.max(baseWidth, baseHeight);
    this.cols = Math.max(4, Math.round((TEMPLATE_CELLS * baseWidth) / long));
    this.rows = Math.max(4, Math.round((TEMPLATE_CELLS * baseHeight) / long));
    this.data = new Float32Array(this.cols * this.rows);
  }

  /** Samples the object centred at (cx, cy), scaled by `scale` and turned by `angle` radians. */
  capture(frame: Frame, cx: number, cy: number, scale: number, angle: number): void {
    const w = this.baseWidth * scale;
    const h = this.baseHeight * scale;
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const hx = (Math.abs(c) * w + Math.abs(s) * h) / 2 + 2;
    const hy = (Math.abs(s) * w + Math.abs(c) * h) / 2 + 2;
    const k = Math.max(1, Math.floor(w / this.cols));
    const region = this.scratch.load(frame, cx - hx, cy - hy, cx + hx, cy + hy, k);
    for (let j = 0; j < this.rows; j++) {
      const v = ((j + 0.5) / this.rows - 0.5) * h;
      for (let i = 0; i < this.cols; i++) {
        const u = ((i + 0.5) / this.cols - 0.5) * w;
        this.data[j * this.cols + i] = region.sample(cx + c * u - s * v, cy + s * u + c * v);
      }
    }
  }

  /** Bilinear sample of the upright template at continuous cell coordinates. */
  private at(fu: number, fv: number): number {
    const maxU = this.cols - 1;
    const maxV = this.rows - 1;
    const u = fu < 0 ? 0 : fu > maxU ? maxU : fu;
    const v = fv < 0 ? 0 : fv > maxV ? maxV : fv;
    const u0 = u | 0;
    const v0 = v | 0;
    const u1 = u0 < maxU ? u0 + 1 : u0;
    const v1 = v0 < maxV ? v0 + 1 : v0;
    const d = this.data;
    const top = d[v0 * this.cols + u0] + (d[v0 * this.cols + u1] - d[v0 * this.cols + u0]) * (u - u0);
    const bottom = d[v1 * this.cols + u0] + (d[v1 * this.cols + u1] - d[v1 * this.cols + u0]) * (u - u0);
    return top + (bottom - top) * (v - v0);
  }

  /**
   * The template as it would look at `scale` and `angle`, on an axis-aligned grid of cells of k pixels
   * (k chosen so that the long side has about 12 cells, unless given). Cells outside the turned object are 0 after
   * the mean is removed, so they do not vote.
   */
  variant(scale: number, angle: number, cell?: number): TemplateVariant {
    const w = this.baseWidth * scale;
    const h = this.baseHeight * scale;
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const bw = Math.abs(c) * w + Math.abs(s) * h;
    const bh = Math.abs(s) * w + Math.abs(c) * h;
    const k = cell ?? templateCell(scale, this.baseWidth, this.baseHeight);
    const width = Math.max(2, Math.round(bw / k));
    const height = Math.max(2, Math.round(bh / k));
    const data = new Float32Array(width * height);
    const inside = new Uint8Array(width * height);
    let sum = 0;
    let count = 0;
    for (let j = 0; j < height; j++) {
      const py = (j + 0.5 - height / 2) * k;
      for (let i = 0; i < width; i++) {
        const px = (i + 0.5 - width / 2) * k;
        // Back into the object's own frame.
        const u = c * px + s * py;
        const v = -s * px + c * py;
        if (Math.abs(u) > w / 2 || Math.abs(v) > h / 2) continue;
        const g = this.at((u / w + 0.5) * this.cols - 0.5, (v / h + 0.5) * this.rows - 0.5);
        data[j * width + i] = g;
        inside[j * width + i] = 1;
        sum += g;
        count++;
      }
    }
    const mean = count > 0 ? sum / count : 0;
    let sq = 0;
    for (let p = 0; p < data.length; p++) {
      data[p] = inside[p] ? data[p] - mean : 0;
      sq += data[p] * data[p];
    }
    return { data, inside, width, height, k, norm: Math.sqrt(sq) + 1e-6, scale, angle };
  }
}

/** Cell size (pixels) for the template at `scale`: about `cells` cells along the object's long side. */
export function templateCell(
  scale: number,
  baseWidth: number,
  baseHeight: number,
  cells = TEMPLATE_CELLS,
): number {
  return Math.max(1, Math.round((Math.max(baseWidth, baseHeight) * scale) / cells));
}

/** A turned and scaled copy of the template, ready for normalised cross-correlation. */
export interface TemplateVariant {
  data: Float32Array;
  /** 1 where the cell lies on the turned object, 0 in the corners of its axis-aligned box. */
  inside: Uint8Array;
  width: number;
  height: number;
  /** Cell size in frame pixels. */
  k: number;
  norm: number;
  scale: number;
  angle: number;
}

export interface Candidate {
  cx: number;
  cy: number;
  score: number;
}

/** A frame box-averaged by k with integral images of its values and squares, for template search. */
export class SearchImage {
  readonly region = new GrayRegion();
  integral = new Float64Array(0);
  integralSq = new Float64Array(0);

  /** Loads the frame (plus `margin` pixels beyond each edge, border replicated) at cell size k. */
  load(frame: Frame, k: number, margin: number): this {
    const image = this.region.load(frame, -margin, -margin, frame.width + margin, frame.height + margin, k);
    const W = image.width;
    const H = image.height;
    const size = (W + 1) * (H + 1);
    if (this.integral.length < size) {
      this.integral = new Float64Array(size);
      this.integralSq = new Float64Array(size);
    }
    const { integral, integralSq } = this;
    const src = image.data;
    for (let x = 0; x <= W; x++) {
      integral[x] = 0;
      integralSq[x] = 0;
    }
    for (let y = 0; y < H; y++) {
      let row = 0;
      let rowSq = 0;
      integral[(y + 1) * (W + 1)] = 0;
      integralSq[(y + 1) * (W + 1)] = 0;
      for (let x = 0; x < W; x++) {
        const v = src[y * W + x];
        row += v;
        rowSq += v * v;
        integral[(y + 1) * (W + 1) + x + 1] = integral[y * (W + 1) + x + 1] + row;
        integralSq[(y + 1) * (W + 1) + x + 1] = integralSq[y * (W + 1) + x + 1] + rowSq;
      }
    }
    return this;
  }
}

/**
 * Normalised cross-correlation of a template variant over a search image loaded at the variant's cell
 * size, using the integral images for the local mean and energy. Returns the best few non-overlapping
 * positions as object centres in frame coordinates.
 */
export function searchTemplate(
  search: SearchImage,
  t: TemplateVariant,
  maxCandidates: number,
  gate?: Uint8Array,
): Candidate[] {
  const image = search.region;
  const k = image.k;
  const W = image.width;
  const H = image.height;
  const tw = t.width;
  const th = t.height;
  if (W < tw || H < th) return [];
  const src = image.data;
  const { integral, integralSq } = search;
  const td = t.data;
  const n = tw * th;
  const outW = W - tw + 1;
  const outH = H - th + 1;
  const scores = new Float32Array(outW * outH);
  const gx = tw >> 1;
  const gy = th >> 1;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      // Positions the gate rules out (not the object's colour) are not worth the correlation.
      if (gate && !gate[(y + gy) * W + x + gx]) {
        scores[y * outW + x] = Number.NEGATIVE_INFINITY;
        continue;
      }
      let dot = 0;
      for (let j = 0; j < th; j++) {
        const rowI = (y + j) * W + x;
        const rowT = j * tw;
        for (let i = 0; i < tw; i++) dot += td[rowT + i] * src[rowI + i];
      }
      const a = y * (W + 1) + x;
      const b = a + tw;
      const c = (y + th) * (W + 1) + x;
      const d = c + tw;
      const sum = integral[d] - integral[b] - integral[c] + integral[a];
      const sumSq = integralSq[d] - integralSq[b] - integralSq[c] + integralSq[a];
      const energy = Math.sqrt(Math.max(sumSq - (sum * sum) / n, 0)) + 1e-6;
      // The template is zero-mean, so the image mean drops out of the dot product.
      scores[y * outW + x] = dot / (energy * t.norm);
    }
  }
  const found: Candidate[] = [];
  const suppress = Math.ceil(Math.max(tw, th) / 2);
  for (let m = 0; m < maxCandidates; m++) {
    let best = -1;
    for (let i = 0; i < scores.length; i++) if (best < 0 || scores[i] > scores[best]) best = i;
    if (best < 0 || scores[best] === Number.NEGATIVE_INFINITY) break;
    const bx = best % outW;
    const by = (best / outW) | 0;
    found.push({
      cx: image.x0 + (bx + tw / 2) * k,
      cy: image.y0 + (by + th / 2) * k,
      score: scores[best],
    });
    for (let y = Math.max(0, by - suppress); y < Math.min(outH, by + suppress + 1); y++) {
      for (let x = Math.max(0, bx - suppress); x < Math.min(outW, bx + suppress + 1); x++) {
        scores[y * outW + x] = Number.NEGATIVE_INFINITY;
      }
    }
  }
  return found;
}

/**
 * Normalised cross-correlation of a template variant at the positions within `radius` cells of (cx, cy)
 * (a candidate from a coarser search, refined at the variant's finer cells); the best position, or null.
 */
export function searchNear(
  frame: Frame,
  t: TemplateVariant,
  cx: number,
  cy: number,
  radius: number,
  region: GrayRegion,
): Candidate | null {
  const { k, width: tw, height: th, data: td, norm } = t;
  const ox = Math.round(cx - (tw / 2 + radius) * k);
  const oy = Math.round(cy - (th / 2 + radius) * k);
  region.load(frame, ox, oy, ox + (tw + 2 * radius) * k, oy + (th + 2 * radius) * k, k);
  const rw = region.width;
  const src = region.data;
  const n = tw * th;
  let best: Candidate | null = null;
  for (let dy = 0; dy <= 2 * radius; dy++) {
    for (let dx = 0; dx <= 2 * radius; dx++) {
      let dot = 0;
      let sum = 0;
      let sumSq = 0;
      for (let j = 0; j < th; j++) {
        const rowR = (dy + j) * rw + dx;
        const rowT = j * tw;
        for (let i = 0; i < tw; i++) {
          const g = src[rowR + i];
          dot += td[rowT + i] * g;
          sum += g;
          sumSq += g * g;
        }
      }
      // The same score as searchTemplate: zero-mean template against the window's own energy.
      const energy = Math.sqrt(Math.max(sumSq - (sum * sum) / n, 0)) + 1e-6;
      const score = dot / (energy * norm);
      if (!best || score > best.score) {
        best = { cx: ox + (dx + tw / 2) * k, cy: oy + (dy + th / 2) * k, score };
      }
    }
  }
  return best;
}
