import type { Box, Frame } from './contract.js';
import { cosineWindow, extractFeatures, FEATURE_CHANNELS } from './features.js';
import { GrayRegion } from './gray.js';
import { ConstantVelocityKalman } from './kalman.js';
import { KernelizedCorrelationFilter } from './kcf.js';
import {
  AppearanceTemplate,
  type Candidate,
  SearchImage,
  searchTemplate,
  type TemplateVariant,
} from './redetect.js';

export interface TrackerOptions {
  /** Search window = object size x (1 + padding). */
  padding: number;
  /** Feature grid side (power of two). */
  grid: number;
  /** Ratio between the scales searched each frame (1/step, 1, step). */
  scaleStep: number;
  /** Model learning rate on confident frames. */
  learningRate: number;
  /** Below this peak-to-sidelobe ratio the match is not trusted and the box coasts on the Kalman prior. */
  psrTrack: number;
  /** At or above this PSR the appearance model learns from the frame (occlusion must not corrupt it). */
  psrUpdate: number;
  /** PSR a re-detected candidate must reach to resume tracking. */
  psrReacquire: number;
  /** Frames of coasting before the object is declared lost (outside). */
  maxCoastFrames: number;
  /** A match below this share of the running typical PSR is trusted only if it agrees with the motion prior. */
  relativeTrack: number;
  /** The model learns only from frames at or above this share of the typical PSR. */
  relativeUpdate: number;
  /** A re-detected candidate needs this share of the typical PSR seen before the object was lost. */
  relativeReacquire: number;
  /** Normalised cross-correlation a template-search candidate needs to be verified at all. */
  minTemplateScore: number;
  kernelSigma: number;
  lambda: number;
  /** Angle step (radians) of the in-plane rotation search; 0 turns rotation estimation off. */
  angleStep: number;
  /** Re-detection hypotheses: scale factors around the scale at loss, and angle offsets (radians). */
  redetectScales: number[];
  redetectAngles: number[];
  /** Hypotheses searched per frame while lost (they are cycled through, nearest to the last pose first). */
  redetectPerFrame: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  padding: 1.5,
  grid: 64,
  scaleStep: 1.04,
  learningRate: 0.04,
  psrTrack: 5,
  psrUpdate: 8,
  psrReacquire: 9,
  maxCoastFrames: 12,
  relativeTrack: 0.35,
  relativeUpdate: 0.5,
  relativeReacquire: 0.35,
  minTemplateScore: 0.45,
  kernelSigma: 0.5,
  lambda: 1e-4,
  angleStep: (4 * Math.PI) / 180,
  redetectScales: [1, 0.8, 1.25, 0.64, 1.56],
  redetectAngles: [0, -15, 15, -30, 30].map((d) => (d * Math.PI) / 180),
  redetectPerFrame: 3,
};

export interface TrackerState {
  /** Box clipped to the frame; null when outside. */
  box: Box | null;
  confidence: number;
  outside: boolean;
  /** Peak-to-sidelobe ratio of the match this frame (0 when no match was tried). */
  psr: number;
}

/** Below this share of the box inside the frame the object counts as outside (as in the synthetic truth). */
const OUTSIDE_BELOW_VISIBLE = 0.25;

/**
 * Single-object tracker: a kernelised correlation filter on grey + gradient features with a
 * three-scale search, PSR-gated model updates, a constant-velocity Kalman prior, and template
 * re-detection over the whole frame once the object is lost.
 */
export class CorrelationTracker {
  private readonly options: TrackerOptions;
  private readonly kcf: KernelizedCorrelationFilter;
  private readonly cosine: Float64Array;
  private readonly features: Float64Array[];
  private readonly patch: Float64Array;
  private readonly region = new GrayRegion();
  private readonly searchImages: SearchImage[] = [];
  private variants: TemplateVariant[] = [];
  private variantCursor = 0;
  private readonly kx: ConstantVelocityKalman;
  private readonly ky: ConstantVelocityKalman;
  private template: AppearanceTemplate;
  private readonly baseW: number;
  private readonly baseH: number;
  private cx: number;
  private cy: number;
  private scale = 1;
  private lost = false;
  private coasting = 0;
  private sinceTemplate = 0;
  private typicalPsr: number | null = null;
  /** Recent change of log-scale per frame. */
  private scaleVelocity = 0;
  /** In-plane rotation relative to the first frame, and its recent change per frame. */
  private angle = 0;
  private angleVelocity = 0;

  constructor(frame: Frame, box: Box, options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options };
    const o = this.options;
    const n = o.grid;
    this.baseW = box.w;
    this.baseH = box.h;
    this.cx = box.x + box.w / 2;
    this.cy = box.y + box.h / 2;
    const labelSigma = (0.1 * n) / (1 + o.padding);
    this.kcf = new KernelizedCorrelationFilter(n, FEATURE_CHANNELS, {
      kernelSigma: o.kernelSigma,
      lambda: o.lambda,
      labelSigma,
    });
    this.cosine = cosineWindow(n);
    this.features = Array.from({ length: FEATURE_CHANNELS }, () => new Float64Array(n * n));
    this.patch = new Float64Array(n * n);
    const noise = Math.max(1, Math.sqrt(box.w * box.h) * 0.02);
    this.kx = new ConstantVelocityKalman(this.cx, noise, noise * 2);
    this.ky = new ConstantVelocityKalman(this.cy, noise, noise * 2);
    this.sample(frame, this.cx, this.cy, 1);
    this.kcf.train(this.features, 1);
    this.template = new AppearanceTemplate(box.w, box.h);
    this.template.capture(frame, this.cx, this.cy, 1, 0);
  }

  /** Axis-aligned box around the object: its first-frame box, scaled and turned by the tracked amounts. */
  get currentBox(): Box {
    const c = Math.abs(Math.cos(this.angle));
    const s = Math.abs(Math.sin(this.angle));
    const bw = this.baseW * this.scale;
    const bh = this.baseH * this.scale;
    const w = c * bw + s * bh;
    const h = s * bw + c * bh;
    return { x: this.cx - w / 2, y: this.cy - h / 2, w, h };
  }

  update(frame: Frame): TrackerState {
    if (this.lost) return this.searchLost(frame);
    const o = this.options;
    const n = o.grid;
    const pcx = this.kx.predict();
    const pcy = this.ky.predict();
    // Scale moves smoothly too: search around where its recent trend points, not where it last was.
    const previousScale = this.scale;
    this.scale *= Math.exp(this.scaleVelocity);
    const steps = [1 / o.scaleStep, 1, o.scaleStep];
    this.loadRegion(frame, pcx, pcy, o.scaleStep);
    const previousAngle = this.angle;
    this.angle += this.angleVelocity;
    const peaks = [0, 0, 0];
    const detections = [];
    let bestIndex = 1;
    for (let s = 0; s < 3; s++) {
      this.extract(pcx, pcy, steps[s]);
      const det = this.kcf.detect(this.features);
      detections.push(det);
      peaks[s] = det.peak;
    }
    // A slight preference for the current scale keeps the size from wandering on flat responses.
    if (peaks[0] * 0.995 > peaks[bestIndex]) bestIndex = 0;
    if (peaks[2] * 0.995 > peaks[bestIndex]) bestIndex = 2;
    let best = detections[bestIndex];
    let angleChange = 0;
    if (o.angleStep > 0) {
      // Then the rotation, at the chosen scale: two more windows, turned either way.
      const base = this.angle;
      const turned = [0, best.peak, 0];
      const turnedDet = [best, best, best];
      for (const k of [0, 2]) {
        this.angle = base + (k - 1) * o.angleStep;
        this.extract(pcx, pcy, steps[bestIndex]);
        turnedDet[k] = this.kcf.detect(this.features);
        turned[k] = turnedDet[k].peak;
      }
      this.angle = base;
      let angleIndex = 1;
      if (turned[0] * 0.99 > turned[angleIndex]) angleIndex = 0;
      if (turned[2] * 0.99 > turned[angleIndex]) angleIndex = 2;
      angleChange = Math.log(refineScale(turned, Math.E)) * o.angleStep;
      if (angleIndex === 1 && Math.abs(angleChange) < o.angleStep * 0.15) angleChange = 0;
      best = turnedDet[angleIndex];
      if (angleIndex !== 1) angleChange = (angleIndex - 1) * o.angleStep;
    }
    const win = this.windowSize(steps[bestIndex]);
    const mcx = pcx + best.dx * (win.w / n);
    const mcy = pcy + best.dy * (win.h / n);
    // A match is trusted when its PSR is high both absolutely and against the recent norm (an occluder
    // sliding over the object gives a clear but wrong peak, much weaker than usual), or when it agrees
    // with the motion prior anyway.
    const size = Math.sqrt(this.baseW * this.baseH) * this.scale;
    const innovation = Math.hypot(mcx - pcx, mcy - pcy);
    const typical = this.typicalPsr ?? best.psr;
    const trusted =
      best.psr >= o.psrTrack && (best.psr >= o.relativeTrack * typical || innovation < 0.12 * size);
    if (trusted) {
      this.typicalPsr = typical + (best.psr - typical) * 0.1;
      this.coasting = 0;
      this.kx.update(mcx);
      this.ky.update(mcy);
      this.cx = mcx;
      this.cy = mcy;
      this.scale *= refineScale(peaks, o.scaleStep);
      this.scaleVelocity = 0.6 * this.scaleVelocity + 0.4 * Math.log(this.scale / previousScale);
      this.angle = clampAngle(this.angle + angleChange);
      this.angleVelocity = 0.6 * this.angleVelocity + 0.4 * (this.angle - previousAngle);
      // Learning from a box partly off the picture would teach the model the frame edge.
      const inFrame = visibleFraction(this.currentBox, frame) > 0.95;
      if (inFrame && best.psr >= o.psrUpdate && best.psr >= o.relativeUpdate * typical) {
        this.sample(frame, this.cx, this.cy, 1);
        this.kcf.train(this.features, o.learningRate);
        this.sinceTemplate++;
        if (best.psr >= o.psrReacquire && this.sinceTemplate >= 5) {
          this.template.capture(frame, this.cx, this.cy, this.scale, this.angle);
          this.sinceTemplate = 0;
        }
      }
    } else {
      this.coasting++;
      this.scale = previousScale;
      this.scaleVelocity *= 0.5;
      this.angle = previousAngle;
      this.angleVelocity *= 0.5;
      this.cx = pcx;
      this.cy = pcy;
      this.kx.damp(0.85);
      this.ky.damp(0.85);
    }
    const box = this.currentBox;
    if (visibleFraction(box, frame) < OUTSIDE_BELOW_VISIBLE || this.coasting > o.maxCoastFrames) {
      this.lost = true;
      this.prepareRedetection();
      return { box: null, confidence: 0, outside: true, psr: best.psr };
    }
    return { box: clipBox(box, frame), confidence: confidenceOf(best.psr), outside: false, psr: best.psr };
  }

  /** Turned and scaled copies of the template to look for, nearest to the pose at loss first. */
  private prepareRedetection(): void {
    const o = this.options;
    const poses: Array<{ scale: number; angle: number; cost: number }> = [];
    for (const f of o.redetectScales) {
      for (const a of o.redetectAngles) {
        const scale = Math.max(0.2, Math.min(5, this.scale * f));
        const angle = clampAngle(this.angle + a);
        if (poses.some((p) => Math.abs(p.scale - scale) < 1e-6 && Math.abs(p.angle - angle) < 1e-6)) continue;
        poses.push({
          scale,
          angle,
          cost: Math.abs(Math.log(f)) / Math.log(1.25) + Math.abs(a) / (Math.PI / 12),
        });
      }
    }
    poses.sort((p, q) => p.cost - q.cost);
    this.variants = poses.map((p) => this.template.variant(p.scale, p.angle));
    this.variantCursor = 0;
  }

  private searchLost(frame: Frame): TrackerState {
    const o = this.options;
    if (this.variants.length === 0) this.prepareRedetection();
    // A few hypotheses per frame, cycling: an object back in view is found within a few frames.
    // The pose at loss every frame, and a few of the other hypotheses in turn.
    const picks = [0];
    const others = this.variants.length - 1;
    for (let m = 0; m < Math.min(o.redetectPerFrame - 1, others); m++) {
      picks.push(1 + this.variantCursor);
      this.variantCursor = (this.variantCursor + 1) % others;
    }
    const found: Array<{ c: Candidate; v: TemplateVariant }> = [];
    const loaded = new Map<number, SearchImage>();
    for (const index of picks) {
      const v = this.variants[index];
      let image = loaded.get(v.k);
      if (!image) {
        image = this.searchImages[loaded.size] ?? new SearchImage();
        this.searchImages[loaded.size] = image;
        // Far enough past the edges to find an object that is coming back in.
        image.load(frame, v.k, 0.45 * Math.max(v.width, v.height) * v.k);
        loaded.set(v.k, image);
      }
      for (const c of searchTemplate(image, v, 2)) if (c.score >= o.minTemplateScore) found.push({ c, v });
    }
    found.sort((a, b) => b.c.score - a.c.score);
    const previous = { cx: this.cx, cy: this.cy, scale: this.scale, angle: this.angle };
    const restore = () => {
      this.cx = previous.cx;
      this.cy = previous.cy;
      this.scale = previous.scale;
      this.angle = previous.angle;
    };
    for (const { c, v } of found.slice(0, 4)) {
      this.scale = v.scale;
      this.angle = v.angle;
      this.loadRegion(frame, c.cx, c.cy, 1);
      this.extract(c.cx, c.cy, 1);
      const det = this.kcf.detect(this.features);
      // The candidate must look like the object did when it was tracked well, not merely stand out.
      if (det.psr < Math.max(o.psrReacquire, o.relativeReacquire * (this.typicalPsr ?? 0))) {
        restore();
        continue;
      }
      const win = this.windowSize(1);
      // The response is laid out in the object's turned frame: turn the shift back into the picture.
      const ux = det.dx * (win.w / o.grid);
      const uy = det.dy * (win.h / o.grid);
      const cs = Math.cos(this.angle);
      const sn = Math.sin(this.angle);
      const cx = c.cx + cs * ux - sn * uy;
      const cy = c.cy + sn * ux + cs * uy;
      this.cx = cx;
      this.cy = cy;
      const box = this.currentBox;
      if (visibleFraction(box, frame) < OUTSIDE_BELOW_VISIBLE) {
        restore();
        continue;
      }
      this.kx.reset(cx);
      this.ky.reset(cy);
      this.lost = false;
      this.variants = [];
      this.coasting = 0;
      this.scaleVelocity = 0;
      this.angleVelocity = 0;
      this.typicalPsr = Math.max(det.psr, (this.typicalPsr ?? det.psr) * 0.7);
      return { box: clipBox(box, frame), confidence: confidenceOf(det.psr), outside: false, psr: det.psr };
    }
    return { box: null, confidence: 0, outside: true, psr: 0 };
  }

  private windowSize(scaleFactor: number): { w: number; h: number } {
    const f = this.scale * scaleFactor * (1 + this.options.padding);
    return { w: this.baseW * f, h: this.baseH * f };
  }

  /** Loads the grey region covering the search window at the largest scale tried. */
  private loadRegion(frame: Frame, cx: number, cy: number, maxFactor: number): void {
    const win = this.windowSize(maxFactor);
    const cell = Math.min(win.w, win.h) / maxFactor / this.options.grid;
    const k = Math.max(1, Math.floor(cell));
    // Cover the window turned by the current angle plus one search step either way.
    const turn = Math.min(Math.PI / 2, Math.abs(this.angle) + this.options.angleStep);
    const c = Math.cos(turn);
    const s = Math.sin(turn);
    const hx = (c * win.w + s * win.h) / 2 + k;
    const hy = (s * win.w + c * win.h) / 2 + k;
    this.region.load(frame, cx - hx, cy - hy, cx + hx, cy + hy, k);
  }

  private extract(cx: number, cy: number, scaleFactor: number): void {
    const win = this.windowSize(scaleFactor);
    extractFeatures(
      this.region,
      cx,
      cy,
      win.w,
      win.h,
      this.options.grid,
      this.cosine,
      this.features,
      this.patch,
      this.angle,
    );
  }

  private sample(frame: Frame, cx: number, cy: number, scaleFactor: number): void {
    this.loadRegion(frame, cx, cy, scaleFactor);
    this.extract(cx, cy, scaleFactor);
  }
}

/** Parabola through the three scale peaks (in log-scale) gives a continuous scale change. */
function refineScale(peaks: number[], step: number): number {
  const [a, b, c] = peaks;
  if (b >= a && b >= c) {
    const den = a - 2 * b + c;
    const offset = den < 0 ? (0.5 * (a - c)) / den : 0;
    return step ** Math.max(-1, Math.min(1, offset));
  }
  return a > c ? 1 / step : step;
}

/** Beyond a quarter turn the box of a turned object is ambiguous (width and height swap roles). */
function clampAngle(angle: number): number {
  const limit = Math.PI / 4;
  return Math.max(-limit, Math.min(limit, angle));
}

function confidenceOf(psr: number): number {
  return Math.max(0, Math.min(1, (psr - 3) / 12));
}

export function visibleFraction(box: Box, frame: { width: number; height: number }): number {
  const w = Math.max(0, Math.min(frame.width, box.x + box.w) - Math.max(0, box.x));
  const h = Math.max(0, Math.min(frame.height, box.y + box.h) - Math.max(0, box.y));
  return (w * h) / (box.w * box.h);
}

export function clipBox(box: Box, frame: { width: number; height: number }): Box {
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(frame.width, box.x + box.w);
  const y1 = Math.min(frame.height, box.y + box.h);
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}
