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
    /** Cells along the long side (the edge template takes finer ones). */
    cells = TEMPLATE_CELLS,
  ) {
    const long = Math.max(baseWidth, baseHeight);
    this.cols = Math.max(4, Math.round((cells * baseWidth) / long));
    this.rows = Math.max(4, Math.round((cells * baseHeight) / long));
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
   * (k chosen so that the long side has about 12 cells, unless given). Only the cells on the turned object
   * take part in a match (`spans`): the corners of its axis-aligned box are whatever lies behind it.
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
    // A turned rectangle is convex: its cells in a row are one run [start, end).
    const spans = new Int32Array(2 * height);
    let sum = 0;
    let count = 0;
    for (let j = 0; j < height; j++) {
      const py = (j + 0.5 - height / 2) * k;
      let first = -1;
      let last = -1;
      for (let i = 0; i < width; i++) {
        const px = (i + 0.5 - width / 2) * k;
        // Back into the object's own frame.
        const u = c * px + s * py;
        const v = -s * px + c * py;
        if (Math.abs(u) > w / 2 || Math.abs(v) > h / 2) continue;
        const g = this.at((u / w + 0.5) * this.cols - 0.5, (v / h + 0.5) * this.rows - 0.5);
        data[j * width + i] = g;
        if (first < 0) first = i;
        last = i;
        sum += g;
        count++;
      }
      spans[2 * j] = first < 0 ? 0 : first;
      spans[2 * j + 1] = first < 0 ? 0 : last + 1;
    }
    const mean = count > 0 ? sum / count : 0;
    let sq = 0;
    for (let j = 0; j < height; j++) {
      for (let i = spans[2 * j]; i < spans[2 * j + 1]; i++) {
        data[j * width + i] -= mean;
        sq += data[j * width + i] ** 2;
      }
    }
    return { data, spans, cells: count, width, height, k, norm: Math.sqrt(sq) + 1e-6, scale, angle };
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
  /** Zero-mean over the object's cells; 0 in the corners of its axis-aligned box. */
  data: Float32Array;
  /** Per row, the run of cells on the turned object: [start, end) at 2j and 2j + 1. */
  spans: Int32Array;
  /** Number of cells on the object. */
  cells: number;
  width: number;
  height: number;
  /** Cell size in frame pixels. */
  k: number;
  norm: number;
  scale: number;
  angle: number;
}
