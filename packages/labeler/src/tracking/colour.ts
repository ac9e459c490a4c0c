import type { Frame } from './contract.js';

/** Chromaticity bins per axis (r = R/sum, g = G/sum); plus one bin for pixels too dark to have a hue. */
const SIDE = 12;
const DARK_BIN = SIDE * SIDE;
const BINS = DARK_BIN + 1;
/** Below this R+G+B the chromaticity of a pixel is mostly sensor noise. */
const DARK_SUM = 45;

/** The object's pose in a frame: centre, size at that scale (before turning) and in-plane angle. */
export interface Pose {
  cx: number;
  cy: number;
  w: number;
  h: number;
  angle: number;
}

/**
 * Colour model of the object against the scene: two chromaticity histograms (object pixels, scene
 * pixels) and from them the probability that a pixel of a given colour belongs to the object.
 * Chromaticity does not change with a global or per-object gain (lighting), nor with rotation, scale or
 * blur, which is what the grey correlation filter is sensitive to; so it tells the object from an
 * occluder or the background when the filter cannot, and finds the object again anywhere in the frame
 * whatever its pose (as the colour half of Staple and DAT trackers does).
 */
export class ColourModel {
  private readonly object = new Float64Array(BINS);
  private readonly scene = new Float64Array(BINS);
  /** P(object | bin), from the two histograms. */
  readonly likelihood = new Float32Array(BINS);
  /** The same by 5-bit-per-channel RGB, so a pixel costs one table look-up in the whole-frame map. */
  private readonly rgbTable = new Float32Array(1 << 15);
  private learned = false;

  /**
   * Learns from the object at `pose` and the rest of the frame; `rate` 1 replaces, smaller blends. Pixels
   * inside the pose that `hidden` says are not the object (an occluder over it) count for neither.
   */
  learn(frame: Frame, pose: Pose, rate: number, hidden?: (x: number, y: number) => boolean): void {
    const obj = new Float64Array(BINS);
    const scene = new Float64Array(BINS);
    const c = Math.cos(pose.angle);
    const s = Math.sin(pose.angle);
    // Object pixels: inside the turned rectangle, less a margin (the edges blend with the background).
    const hw = pose.w * 0.45;
    const hh = pose.h * 0.45;
    const ex = Math.abs(c) * hw + Math.abs(s) * hh;
    const ey = Math.abs(s) * hw + Math.abs(c) * hh;
    const { width: W, height: H, data } = frame;
    const x0 = Math.max(0, Math.floor(pose.cx - ex));
    const x1 = Math.min(W - 1, Math.ceil(pose.cx + ex));
    const y0 = Math.max(0, Math.floor(pose.cy - ey));
    const y1 = Math.min(H - 1, Math.ceil(pose.cy + ey));
    const rw = x1 - x0 + 1;
    const rh = y1 - y0 + 1;
    if (rw > 0 && rh > 0) {
      const rgb = new Float32Array(rw * rh * 3);
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const p = (y * W + x) * 4;
          const q = ((y - y0) * rw + x - x0) * 3;
          rgb[q] = data[p];
          rgb[q + 1] = data[p + 1];
          rgb[q + 2] = data[p + 2];
        }
      }
      // The object as it is and as it would look defocused: blur mixes neighbouring colours into new
      // chromaticities (stripes and base into their average), which the model must know to find it blurred.
      const scale = Math.sqrt(pose.w * pose.h) / 60;
      for (const radius of [0, 2, 4].map((r) => Math.round(r * scale))) {
        const view = radius > 0 ? boxBlurRgb(rgb, rw, rh, radius) : rgb;
        for (let y = y0; y <= y1; y++) {
          for (let x = x0; x <= x1; x++) {
            const dx = x + 0.5 - pose.cx;
            const dy = y + 0.5 - pose.cy;
            if (Math.abs(c * dx + s * dy) > hw || Math.abs(-s * dx + c * dy) > hh) continue;
            if (hidden?.(x, y)) continue;
            const q = ((y - y0) * rw + x - x0) * 3;
            obj[binOfRgb(view[q], view[q + 1], view[q + 2])]++;
          }
        }
      }
    }
    // Scene pixels: a sparse grid over the whole frame outside the object's box (where it is searched for).
    const ox = Math.abs(c) * pose.w * 0.6 + Math.abs(s) * pose.h * 0.6;
    const oy = Math.abs(s) * pose.w * 0.6 + Math.abs(c) * pose.h * 0.6;
    for (let y = 1; y < H; y += 3) {
      for (let x = 1; x < W; x += 3) {
        if (Math.abs(x - pose.cx) < ox && Math.abs(y - pose.cy) < oy) continue;
        scene[binOf(data, (y * W + x) * 4)]++;
      }
    }
    normalise(obj);
    normalise(scene);
    const r = this.learned ? rate : 1;
    for (let b = 0; b < BINS; b++) {
      this.object[b] += (obj[b] - this.object[b]) * r;
      this.scene[b] += (scene[b] - this.scene[b]) * r;
    }
    this.learned = true;
    this.refresh();
  }

  /**
   * Mean object probability of the pixels inside `pose` (0..1), sampled on a grid of about 12 x 12 points.
   * Pixels outside the frame are skipped; NaN when none is inside.
   */
  scoreInside(frame: Frame, pose: Pose, shrink = 0.8): number {
    const c = Math.cos(pose.angle);
    const s = Math.sin(pose.angle);
    const { width: W, height: H, data } = frame;
    let sum = 0;
    let count = 0;
    const n = 12;
    for (let j = 0; j < n; j++) {
      const v = ((j + 0.5) / n - 0.5) * pose.h * shrink;
      for (let i = 0; i < n; i++) {
        const u = ((i + 0.5) / n - 0.5) * pose.w * shrink;
        const x = Math.floor(pose.cx + c * u - s * v);
        const y = Math.floor(pose.cy + s * u + c * v);
        if (x < 0 || y < 0 || x >= W || y >= H) continue;
        sum += this.likelihood[binOf(data, (y * W + x) * 4)];
        count++;
      }
    }
    return count > 0 ? sum / count : Number.NaN;
  }

  /**
   * Object probability on a grid of cells of k x k pixels covering the frame (row-major, `cols` x `rows`),
   * from one pixel per cell (the map only gates where the template search is worth running).
   */
  probabilityMap(frame: Frame, k: number, out: ProbabilityMap): ProbabilityMap {
    const { width: W, height: H, data } = frame;
    const cols = Math.ceil(W / k);
    const rows = Math.ceil(H / k);
    if (out.data.length < cols * rows) out.data = new Float32Array(cols * rows);
    const map = out.data;
    const table = this.rgbTable;
    const half = k >> 1;
    for (let r = 0; r < rows; r++) {
      const y = Math.min(H - 1, r * k + half);
      for (let c = 0; c < cols; c++) {
        const p = (y * W + Math.min(W - 1, c * k + half)) * 4;
        map[r * cols + c] = table[rgb15(data, p)];
      }
    }
    out.cols = cols;
    out.rows = rows;
    out.k = k;
    return out;
  }

  /**
   * Mean object probability per column (axis 'x': columns x0..x1-1 over rows a0..a1-1) or per row (axis 'y':
   * rows x0..x1-1 over columns a0..a1-1), every second pixel across; the frame edges clamp the ranges.
   */
  lineProfile(frame: Frame, axis: 'x' | 'y', x0: number, x1: number, a0: number, a1: number): Float32Array {
    const { width: W, height: H, data } = frame;
    const along = axis === 'x' ? W : H;
    const across = axis === 'x' ? H : W;
    const from = Math.max(0, Math.floor(x0));
    const to = Math.min(along, Math.ceil(x1));
    const b0 = Math.max(0, Math.floor(a0));
    const b1 = Math.min(across, Math.ceil(a1));
    const out = new Float32Array(Math.max(0, to - from));
    const table = this.rgbTable;
    for (let i = from; i < to; i++) {
      let sum = 0;
      let count = 0;
      for (let j = b0; j < b1; j += 2) {
        const p = (axis === 'x' ? j * W + i : i * W + j) * 4;
        sum += table[rgb15(data, p)];
        count++;
      }
      out[i - from] = count > 0 ? sum / count : 0;
    }
    return out;
  }

  /** Mean object probability of the scene's colours (what a place without the object scores). */
  get sceneLevel(): number {
    let d = 0;
    for (let b = 0; b < BINS; b++) d += this.scene[b] * this.likelihood[b];
    return d;
  }

  /** How much more the object's colours belong to it than to the scene: 0 (none) .. 1 (all its own). */
  get distinctiveness(): number {
    let d = 0;
    for (let b = 0; b < BINS; b++) d += this.object[b] * this.likelihood[b];
    return d;
  }

  private refresh(): void {
    // Neighbouring bins share evidence: a colour seen once under one light is likely under another.
    const o = blur(this.object);
    const sc = blur(this.scene);
    for (let b = 0; b < BINS; b++) this.likelihood[b] = o[b] / (o[b] + sc[b] + 1e-3);
    for (let i = 0; i < this.rgbTable.length; i++) {
      this.rgbTable[i] =
        this.likelihood[binOfRgb(((i >> 10) << 3) + 4, (((i >> 5) & 31) << 3) + 4, ((i & 31) << 3) + 4)];
    }
  }
}

export interface ProbabilityMap {
  data: Float32Array;
  cols: number;
  rows: number;
  /** Cell size in pixels. */
  k: number;
}

export function emptyProbabilityMap(): ProbabilityMap {
  return { data: new Float32Array(0), cols: 0, rows: 0, k: 1 };
}

function binOf(data: Uint8ClampedArray | Uint8Array, p: number): number {
  return binOfRgb(data[p], data[p + 1], data[p + 2]);
}

function binOfRgb(r: number, g: number, b: number): number {
  const sum = r + g + b;
  if (sum < DARK_SUM) return DARK_BIN;
  const inv = SIDE / (sum + 1e-9);
  const i = Math.min(SIDE - 1, (r * inv) | 0);
  const j = Math.min(SIDE - 1, (g * inv) | 0);
  return j * SIDE + i;
}

function normalise(h: Float64Array): void {
  let total = 0;
  for (const v of h) total += v;
  if (total > 0) for (let b = 0; b < h.length; b++) h[b] /= total;
}

/** 3 x 3 smoothing over the chromaticity plane; the dark bin is kept as it is. */
function blur(h: Float64Array): Float64Array {
  const out = new Float64Array(BINS);
  for (let j = 0; j < SIDE; j++) {
    for (let i = 0; i < SIDE; i++) {
      let sum = 0;
      let weight = 0;
      for (let dj = -1; dj <= 1; dj++) {
        for (let di = -1; di <= 1; di++) {
          const x = i + di;
          const y = j + dj;
          if (x < 0 || y < 0 || x >= SIDE || y >= SIDE) continue;
          const w = di === 0 && dj === 0 ? 4 : di === 0 || dj === 0 ? 2 : 1;
          sum += w * h[y * SIDE + x];
          weight += w;
        }
      }
      out[j * SIDE + i] = sum / weight;
    }
  }
  out[DARK_BIN] = h[DARK_BIN];
  return out;
}

/** Separable box blur (two passes, close to a Gaussian) of an RGB float image; edges replicate. */
function boxBlurRgb(src: Float32Array, w: number, h: number, radius: number): Float32Array {
  // Ping-pong between two scratch images; the source is never written.
  let a: Float32Array = src;
  let b: Float32Array = new Float32Array(src.length);
  const norm = 1 / (2 * radius + 1);
  for (let pass = 0; pass < 4; pass++) {
    const horizontal = pass % 2 === 0;
    const len = horizontal ? w : h;
    const lines = horizontal ? h : w;
    for (let line = 0; line < lines; line++) {
      for (let ch = 0; ch < 3; ch++) {
        const at = (i: number) => {
          const t = i < 0 ? 0 : i >= len ? len - 1 : i;
          return (horizontal ? line * w + t : t * w + line) * 3 + ch;
        };
        let sum = 0;
        for (let i = -radius; i <= radius; i++) sum += a[at(i)];
        for (let i = 0; i < len; i++) {
          b[at(i)] = sum * norm;
          sum += a[at(i + radius + 1)] - a[at(i - radius)];
        }
      }
    }
    [a, b] = [b, pass === 0 ? new Float32Array(src.length) : a];
  }
  return a;
}

/** Summed-area table of a probability map: the mean object probability over any box in O(1). */
export class ColourIntegral {
  private table = new Float64Array(0);
  private cols = 0;
  private rows = 0;
  private k = 1;

  load(map: ProbabilityMap): this {
    const { cols, rows, data } = map;
    const size = (cols + 1) * (rows + 1);
    if (this.table.length < size) this.table = new Float64Array(size);
    const t = this.table;
    t.fill(0, 0, cols + 1);
    for (let y = 0; y < rows; y++) {
      let row = 0;
      t[(y + 1) * (cols + 1)] = 0;
      for (let x = 0; x < cols; x++) {
        row += data[y * cols + x];
        t[(y + 1) * (cols + 1) + x + 1] = t[y * (cols + 1) + x + 1] + row;
      }
    }
    this.cols = cols;
    this.rows = rows;
    this.k = map.k;
    return this;
  }

  /** Mean over the map cells whose centres fall in the pixel box (clipped to the frame); NaN if none. */
  mean(x0: number, y0: number, x1: number, y1: number): number {
    const k = this.k;
    const a = Math.max(0, Math.round(x0 / k));
    const b = Math.max(0, Math.round(y0 / k));
    const c = Math.min(this.cols, Math.round(x1 / k));
    const d = Math.min(this.rows, Math.round(y1 / k));
    if (c <= a || d <= b) return Number.NaN;
    const w = this.cols + 1;
    const t = this.table;
    return (t[d * w + c] - t[b * w + c] - t[d * w + a] + t[b * w + a]) / ((c - a) * (d - b));
  }
}

/** Index of the RGBA pixel at byte p in the 32x32x32 colour table (5 bits per channel). */
function rgb15(data: Uint8ClampedArray | Uint8Array, p: number): number {
  return ((data[p] >> 3) << 10) | ((data[p + 1] >> 3) << 5) | (data[p + 2] >> 3);
}
