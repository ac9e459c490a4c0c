import type { Frame } from './contract.js';

/** An object's centre, its own size and its angle (radians) in a frame. */
export interface ObjectPose {
  cx: number;
  cy: number;
  w: number;
  h: number;
  angle: number;
}

/** A pose aligned on a frame, with how well the first frame's view of the object fits there. */
export interface AlignedPose extends ObjectPose {
  /** Robust spread of the residual against the template's own spread (0: a perfect fit). */
  misfit: number;
}

/** Grid points across the object's width (height): about one every 3 px, within these bounds. */
const GRID_MAX = 16;
const GRID_MIN = 8;
const GRID_PITCH = 3;
/** Share of the object's rectangle (centred) the grid covers: its outline is left to the scene behind it. */
const GRID_SPAN = 0.9;
/**
 * Templates blurred by a double box of radius 0..BLUR_LEVELS (frame-0 pixels), the blur the camera adds
 * later (the synthetic set's reaches radius 4, more in frame-0 pixels on an object that has shrunk).
 */
const BLUR_LEVELS = 6;
const MAX_ITERATIONS = 10;
/** Cells of the first, coarse iterations (times the grid's pitch) and how many of them at most. */
const COARSE = 2;
const COARSE_ITERATIONS = 3;
/**
 * Radius of the frame region read (share of the object's diagonal): the grid's corners are at 0.45 of it,
 * and the pose may move a little while aligning.
 */
const REGION_REACH = 0.55;
/** A step this small (pixels; scale-and-turn units) ends the iterations. */
const DONE_SHIFT = 0.05;
const DONE_TURN = 5e-4;
/** Iterations after a change of blur level, from the pose already found. */
const RELEVEL_ITERATIONS = 4;
/** Tukey's biweight cut-off, in robust standard deviations of the residual. */
const TUKEY = 3;

/**
 * Aligns the first frame's view of an object to later frames: Gauss-Newton in the inverse compositional form
 * (Baker and Matthews) on centre, scale and angle, with the object's brightness gain and offset fitted at each
 * step and residuals weighted by Tukey's biweight, so that a plank over part of the object or the scene seen
 * through its edge drop out. Samples are box means over cells the grid's pitch, read from a summed-area table
 * of the region around the object, so that an object is compared at the same detail at any size. A blurred
 * frame is compared with the template blurred as much: the level whose residual is least at the aligned pose
 * is kept for the next frame.
 */
export class PoseAligner {
  /** Template points: offsets from the first centre, in frame-0 pixels. */
  private readonly X: Float64Array;
  private readonly Y: Float64Array;
  /** Per blur level: template samples, steepest-descent images (4 per point), spread of the samples. */
  private readonly levels: Template[] = [];
  /** The unblurred template over cells COARSE times as wide: a smoother fit that a start further off reaches. */
  private readonly coarse: Template;
  private readonly cell0: number;
  private readonly n: number;
  private readonly region = new RegionIntegral();
  /** Samples of the frame at the warped points, whether each is in the frame, and its weight. */
  private readonly sampled: Float64Array;
  private readonly inFrame: Uint8Array;
  private readonly weight: Float64Array;
  private readonly residual: Float64Array;
  private readonly sorted: Float64Array;
  private level = 0;
  /** Normal equations and step of one iteration. */
  private readonly normal = { H: new Float64Array(16), g: new Float64Array(4), dp: new Float64Array(4) };

  constructor(
    first: Frame,
    private readonly base: ObjectPose,
  ) {
    const gu = Math.max(GRID_MIN, Math.min(GRID_MAX, Math.round(base.w / GRID_PITCH)));
    const gv = Math.max(GRID_MIN, Math.min(GRID_MAX, Math.round(base.h / GRID_PITCH)));
    this.n = gu * gv;
    this.X = new Float64Array(this.n);
    this.Y = new Float64Array(this.n);
    this.sampled = new Float64Array(this.n);
    this.inFrame = new Uint8Array(this.n);
    this.weight = new Float64Array(this.n);
    this.residual = new Float64Array(this.n);
    this.sorted = new Float64Array(this.n);
    const c = Math.cos(base.angle);
    const s = Math.sin(base.angle);
    const su = (base.w * GRID_SPAN) / gu;
    const sv = (base.h * GRID_SPAN) / gv;
    this.cell0 = Math.max(1, Math.min(su, sv));
    for (let j = 0, k = 0; j < gv; j++) {
      for (let i = 0; i < gu; i++, k++) {
        const u = (i + 0.5) * su - (base.w * GRID_SPAN) / 2;
        const v = (j + 0.5) * sv - (base.h * GRID_SPAN) / 2;
        this.X[k] = c * u - s * v;
        this.Y[k] = s * u + c * v;
      }
    }
    const reach = Math.hypot(base.w, base.h) / 2 + 4 * BLUR_LEVELS + 4;
    const grey = GreyPatch.around(first, base.cx, base.cy, reach);
    this.region.loadGrey(grey);
    this.coarse = this.sampleTemplate(COARSE * this.cell0);
    for (let r = 0; r <= BLUR_LEVELS; r++) {
      this.region.loadGrey(r === 0 ? grey : grey.boxBlurredTwice(r));
      this.levels.push(this.sampleTemplate(this.cell0));
    }
  }

  /** The pose refined on `frame` from `start` (the same object's pose there, roughly), or null. */
  align(frame: Frame, start: ObjectPose): AlignedPose | null {
    const base = this.base;
    const s0 = start.w / base.w;
    const turn = start.angle - base.angle;
    const warp = { a: s0 * Math.cos(turn), b: s0 * Math.sin(turn), cx: start.cx, cy: start.cy };
    this.region.loadFrame(frame, start.cx, start.cy, REGION_REACH * Math.hypot(start.w, start.h) + 4);
    if (!this.iterate(frame, warp, this.coarse, COARSE_ITERATIONS)) return null;
    if (!this.iterate(frame, warp, this.levels[this.level], MAX_ITERATIONS)) return null;
    // The blur level that fits best at this pose; if another, the pose again at that level.
    this.sample(frame, warp, this.cell0);
    let best = this.level;
    let bestMisfit = Number.POSITIVE_INFINITY;
    for (let L = 0; L <= BLUR_LEVELS; L++) {
      const fit = this.fit(this.levels[L], 'score');
      if (fit && fit.misfit < bestMisfit) {
        bestMisfit = fit.misfit;
        best = L;
      }
    }
    if (best !== this.level) {
      this.level = best;
      if (!this.iterate(frame, warp, this.levels[best], RELEVEL_ITERATIONS)) return null;
      this.sample(frame, warp, this.cell0);
    }
    const fit = this.fit(this.levels[this.level], 'score');
    if (!fit) return null;
    const scale = Math.hypot(warp.a, warp.b);
    return {
      cx: warp.cx,
      cy: warp.cy,
      w: base.w * scale,
      h: base.h * scale,
      angle: base.angle + Math.atan2(warp.b, warp.a),
      misfit: fit.misfit,
    };
  }

  /** Gauss-Newton steps on `warp` against one template; false when the frame says too little (or it diverges). */
  private iterate(
    frame: Frame,
    warp: { a: number; b: number; cx: number; cy: number },
    template: Template,
    iterations: number,
  ): boolean {
    const { SD } = template;
    const n = this.n;
    const { H, g, dp } = this.normal;
    for (let it = 0; it < iterations; it++) {
      if (!this.sample(frame, warp, template.cell)) return false;
      if (!this.fit(template, it === 0 ? 'first' : 'iterate')) return false;
      H.fill(0);
      g.fill(0);
      for (let p = 0; p < n; p++) {
        const w = this.weight[p];
        if (w === 0) continue;
        const e = this.residual[p];
        const o = p * 4;
        for (let r = 0; r < 4; r++) {
          const sr = SD[o + r] * w;
          g[r] += sr * e;
          for (let q = r; q < 4; q++) H[r * 4 + q] += sr * SD[o + q];
        }
      }
      for (let r = 1; r < 4; r++) for (let q = 0; q < r; q++) H[r * 4 + q] = H[q * 4 + r];
      if (!solve4(H, g, dp)) return false;
      // Compose with the inverse of the step: A' = A (I + dA)^-1, c' = c - A' dc.
      const da = 1 + dp[2];
      const db = dp[3];
      const det = da * da + db * db;
      const a = (warp.a * da + warp.b * db) / det;
      const b = (warp.b * da - warp.a * db) / det;
      warp.cx -= a * dp[0] - b * dp[1];
      warp.cy -= b * dp[0] + a * dp[1];
      warp.a = a;
      warp.b = b;
      if (!Number.isFinite(a + b + warp.cx + warp.cy) || Math.hypot(a, b) < 0.05) return false;
      if (Math.hypot(dp[0], dp[1]) < DONE_SHIFT && Math.hypot(dp[2], dp[3]) < DONE_TURN) break;
    }
    return true;
  }

  /** Samples the frame at the warped grid; false when under half of the grid is in the frame. */
  private sample(
    frame: Frame,
    warp: { a: number; b: number; cx: number; cy: number },
    cell: number,
  ): boolean {
    const { a, b, cx, cy } = warp;
    const half = (cell * Math.hypot(a, b)) / 2;
    let inside = 0;
    for (let p = 0; p < this.n; p++) {
      const x = cx + a * this.X[p] - b * this.Y[p];
      const y = cy + b * this.X[p] + a * this.Y[p];
      const ok = x - half >= 0 && y - half >= 0 && x + half <= frame.width && y + half <= frame.height;
      this.inFrame[p] = ok ? 1 : 0;
      if (ok) {
        this.sampled[p] = this.region.boxMean(x, y, half);
        inside++;
      }
    }
    return inside >= this.n / 2;
  }

  /**
   * Fits gain and offset of the samples on a level's template (weighted as the last fit left the samples,
   * or all alike on a frame's `first` fit), then the residuals (template units) and, unless only to `score`
   * the fit, new weights from them.
   */
  private fit(template: Template, mode: 'first' | 'iterate' | 'score'): { misfit: number } | null {
    const { T, spread } = template;
    const n = this.n;
    let sw = 0;
    let st = 0;
    let si = 0;
    let stt = 0;
    let sti = 0;
    for (let p = 0; p < n; p++) {
      if (!this.inFrame[p]) continue;
      const w = mode === 'first' ? 1 : this.weight[p];
      const t = T[p];
      const v = this.sampled[p];
      sw += w;
      st += w * t;
      si += w * v;
      stt += w * t * t;
      sti += w * t * v;
    }
    if (sw <= 0) return null;
    const vt = stt - (st * st) / sw;
    if (vt <= 0) return null;
    const gain = (sti - (st * si) / sw) / vt;
    if (!(gain > 0.05)) return null;
    const offset = (si - gain * st) / sw;
    let m = 0;
    for (let p = 0; p < n; p++) {
      if (!this.inFrame[p]) continue;
      const e = (this.sampled[p] - offset) / gain - T[p];
      this.residual[p] = e;
      this.sorted[m++] = Math.abs(e);
    }
    const sigma = Math.max(1e-6, 1.4826 * median(this.sorted, m));
    const cut = TUKEY * sigma;
    if (mode !== 'score') {
      for (let p = 0; p < n; p++) {
        const u = Math.abs(this.residual[p]) / cut;
        this.weight[p] = this.inFrame[p] && u < 1 ? (1 - u * u) ** 2 : 0;
      }
    }
    return { misfit: sigma / spread };
  }

  /** The template from the region as loaded: samples and steepest-descent images at the base pose. */
  private sampleTemplate(cell: number): Template {
    const { cx, cy } = this.base;
    const T = new Float64Array(this.n);
    const SD = new Float64Array(this.n * 4);
    // Gradients by central differences half a cell either side.
    const half = cell / 2;
    const d = half;
    let mean = 0;
    for (let p = 0; p < this.n; p++) {
      const X = this.X[p];
      const Y = this.Y[p];
      const x = cx + X;
      const y = cy + Y;
      T[p] = this.region.boxMean(x, y, half);
      mean += T[p];
      const gx = (this.region.boxMean(x + d, y, half) - this.region.boxMean(x - d, y, half)) / (2 * d);
      const gy = (this.region.boxMean(x, y + d, half) - this.region.boxMean(x, y - d, half)) / (2 * d);
      SD[p * 4] = gx;
      SD[p * 4 + 1] = gy;
      SD[p * 4 + 2] = gx * X + gy * Y;
      SD[p * 4 + 3] = -gx * Y + gy * X;
    }
    mean /= this.n;
    let sq = 0;
    for (let p = 0; p < this.n; p++) sq += (T[p] - mean) ** 2;
    return { T, SD, spread: Math.max(1e-6, Math.sqrt(sq / this.n)), cell };
  }
}

/** Template samples at the grid points, their steepest-descent images (4 per point), spread, cell size. */
interface Template {
  T: Float64Array;
  SD: Float64Array;
  spread: number;
  cell: number;
}

/** Grey levels (0..1) of a rectangle of a frame. */
class GreyPatch {
  constructor(
    readonly x0: number,
    readonly y0: number,
    readonly width: number,
    readonly height: number,
    readonly grey: Float64Array,
  ) {}

  /** The square of half-side `reach` around (cx, cy), cut at the frame's edges; into `buffer` if it is large enough. */
  static around(frame: Frame, cx: number, cy: number, reach: number, buffer?: Float64Array): GreyPatch {
    const x0 = Math.max(0, Math.floor(cx - reach));
    const y0 = Math.max(0, Math.floor(cy - reach));
    const W = Math.max(1, Math.min(frame.width, Math.ceil(cx + reach)) - x0);
    const H = Math.max(1, Math.min(frame.height, Math.ceil(cy + reach)) - y0);
    const grey = buffer && buffer.length >= W * H ? buffer : new Float64Array(W * H);
    const data = frame.data;
    const norm = 1 / (255 * 256);
    for (let y = 0; y < H; y++) {
      let p = ((y + y0) * frame.width + x0) * 4;
      for (let x = 0; x < W; x++, p += 4) {
        grey[y * W + x] = (77 * data[p] + 150 * data[p + 1] + 29 * data[p + 2]) * norm;
      }
    }
    return new GreyPatch(x0, y0, W, H, grey);
  }

  /** A copy blurred by two passes of a (2r+1)-wide box along rows and columns, edges averaged over what is there. */
  boxBlurredTwice(r: number): GreyPatch {
    const W = this.width;
    const H = this.height;
    let a = Float64Array.from(this.grey);
    let b = new Float64Array(W * H);
    for (let pass = 0; pass < 4; pass++) {
      const rows = pass % 2 === 0;
      const len = rows ? W : H;
      const lines = rows ? H : W;
      const step = rows ? 1 : W;
      const lineStep = rows ? W : 1;
      for (let line = 0; line < lines; line++) {
        const o = line * lineStep;
        // A running sum over the window [i - r, i + r], cut at the ends of the line.
        let sum = 0;
        for (let k = 0; k < Math.min(r, len); k++) sum += a[o + k * step];
        for (let i = 0; i < len; i++) {
          if (i + r < len) sum += a[o + (i + r) * step];
          if (i - r - 1 >= 0) sum -= a[o + (i - r - 1) * step];
          b[o + i * step] = sum / (Math.min(len - 1, i + r) - Math.max(0, i - r) + 1);
        }
      }
      [a, b] = [b, a];
    }
    return new GreyPatch(this.x0, this.y0, W, H, a);
  }
}

/** Summed-area table of grey levels over a region of a frame, read at fractional points. */
class RegionIntegral {
  private table = new Float64Array(0);
  private x0 = 0;
  private y0 = 0;
  private width = 0;
  private height = 0;

  /** Grey levels of the frame around (cx, cy), kept between frames to spare an allocation each. */
  private grey: Float64Array = new Float64Array(0);

  loadFrame(frame: Frame, cx: number, cy: number, reach: number): void {
    const patch = GreyPatch.around(frame, cx, cy, reach, this.grey);
    this.grey = patch.grey;
    this.loadGrey(patch);
  }

  loadGrey(patch: GreyPatch): void {
    const { width: W, height: H, grey } = patch;
    const stride = W + 1;
    if (this.table.length < stride * (H + 1)) this.table = new Float64Array(stride * (H + 1));
    const t = this.table;
    t.fill(0, 0, stride);
    for (let y = 0; y < H; y++) {
      let row = 0;
      t[(y + 1) * stride] = 0;
      for (let x = 0; x < W; x++) {
        row += grey[y * W + x];
        t[(y + 1) * stride + x + 1] = t[y * stride + x + 1] + row;
      }
    }
    this.x0 = patch.x0;
    this.y0 = patch.y0;
    this.width = W;
    this.height = H;
  }

  /** Mean over the square of half-side `half` centred on (x, y), the table read bilinearly at its corners. */
  boxMean(x: number, y: number, half: number): number {
    const sum =
      this.sumAt(x + half, y + half) -
      this.sumAt(x - half, y + half) -
      this.sumAt(x + half, y - half) +
      this.sumAt(x - half, y - half);
    return sum / (4 * half * half);
  }

  /** Sum of grey above and left of a fractional point (clamped to the region). */
  private sumAt(x: number, y: number): number {
    const u = Math.max(0, Math.min(this.width, x - this.x0));
    const v = Math.max(0, Math.min(this.height, y - this.y0));
    let i = Math.floor(u);
    let j = Math.floor(v);
    if (i >= this.width) i = this.width - 1;
    if (j >= this.height) j = this.height - 1;
    const fu = u - i;
    const fv = v - j;
    const s = this.width + 1;
    const t = this.table;
    const o = j * s + i;
    const top = t[o] + (t[o + 1] - t[o]) * fu;
    const bottom = t[o + s] + (t[o + s + 1] - t[o + s]) * fu;
    return top + (bottom - top) * fv;
  }
}

/** Median (the upper one of an even count) of the first m values, by quickselect (reorders them). */
function median(values: Float64Array, m: number): number {
  const k = m >> 1;
  let lo = 0;
  let hi = m - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k];
}

/** Solves the 4x4 system H x = g by Gaussian elimination with partial pivoting, into x; false if singular. */
function solve4(H: Float64Array, g: Float64Array, x: Float64Array): boolean {
  // Augmented rows [H | g], eliminated in place.
  const m = SOLVE_SCRATCH;
  for (let r = 0; r < 4; r++) {
    for (let q = 0; q < 4; q++) m[r * 5 + q] = H[r * 4 + q];
    m[r * 5 + 4] = g[r];
  }
  const order = [0, 1, 2, 3];
  for (let c = 0; c < 4; c++) {
    let pivot = c;
    for (let r = c + 1; r < 4; r++)
      if (Math.abs(m[order[r] * 5 + c]) > Math.abs(m[order[pivot] * 5 + c])) pivot = r;
    const pr = order[pivot];
    if (Math.abs(m[pr * 5 + c]) < 1e-12) return false;
    order[pivot] = order[c];
    order[c] = pr;
    for (let r = c + 1; r < 4; r++) {
      const rr = order[r];
      const f = m[rr * 5 + c] / m[pr * 5 + c];
      for (let q = c; q < 5; q++) m[rr * 5 + q] -= f * m[pr * 5 + q];
    }
  }
  for (let r = 3; r >= 0; r--) {
    const rr = order[r];
    let v = m[rr * 5 + 4];
    for (let q = r + 1; q < 4; q++) v -= m[rr * 5 + q] * x[q];
    x[r] = v / m[rr * 5 + r];
  }
  return true;
}

const SOLVE_SCRATCH = new Float64Array(20);
