import type { TrackStep } from './contract.js';
import { clipBox, turnedRectBox } from './tracker.js';

/**
 * The object's pose behind a tracked box: centre, its own size and angle (radians) as one tracker instance
 * measures them. `run` names that instance: angle and size are relative to the box it started from, so poses
 * of different runs do not mix.
 */
export interface TrackedPose {
  cx: number;
  cy: number;
  w: number;
  h: number;
  angle: number;
  run: number;
}

/** A step that may carry the pose its box was drawn from (the box is the pose's bounding box, clipped). */
export type PosedStep = TrackStep & { pose?: TrackedPose };

/** Frames either side of a step that its smoothed centre is fitted over. */
const PLACE_HALF_WINDOW = 8;
/**
 * Frames either side of a step that its smoothed size and angle are fitted over. They change more slowly than
 * the place (the plain class's path turns within 25 frames; size and angle run over 60 or more) and their
 * errors last longer (a few percent of size for a stretch of blurred frames), so a longer window serves them.
 * From the first box, against 8 for every field (bench/first-box.ts): hard 101-164 0.8675 -> 0.8690 (size
 * alone at 12, 16 and 24: 0.8682, 0.8686 and 0.8686; angle at 12 with size at 16: 0.8688); seeds 101-108: plain
 * 0.9761 -> 0.9767, scale 0.9791 -> 0.9797, rotation 0.9751 -> 0.9754, lighting 0.9724 -> 0.9732, blur
 * 0.9757 -> 0.9767, occlusion 0.9625 -> 0.9639, exit 0.9748 -> 0.9749.
 */
const SHAPE_HALF_WINDOW = 16;
/** How many steps behind the run the smoother hands steps on: the frames after a step that its fit needs. */
export const SMOOTH_HALF_WINDOW = Math.max(PLACE_HALF_WINDOW, SHAPE_HALF_WINDOW);
/**
 * On a stretch's last this-many steps in the run's order, size and angle are fitted by a line, not a quadratic.
 * There the window is all on one side, and a quadratic through it swings with the last few measurements, which
 * are the worst of a stretch (the tracker is about to lose the object: going out of view, under a plank). From
 * the first box (bench/first-box.ts): hard 101-164 0.8690 -> 0.8697; seeds 101-108 plain 0.9766 -> 0.9768,
 * exit 0.9749 -> 0.9750, the other classes level. Over 8 steps: hard 0.8698, but a short stretch is then a line
 * nearly throughout, and the run back over an object coming into view (hard seed 102, frames 59-67, nine
 * frames) lost up to 0.1 IoU per frame where it meets the edge; over 12, 0.8695.
 */
const LINE_AT_END = 5;
/** Fewer posed frames than this in a window: the step is handed on as tracked. */
const MIN_POINTS = 5;

/**
 * Smooths a run's boxes after the fact. A tracker measures each frame on its own, so its boxes jitter by a
 * pixel or two and a few percent of size around the object's path, which costs IoU on every frame; a
 * labeling run sees the frames after each one too. Each step's pose is replaced by a quadratic fitted by
 * weighted least squares (weak matches count little, see weightOf) to the poses of the same run on the
 * frames either side of it (the centre over PLACE_HALF_WINDOW, the log of the size and the angle over
 * SHAPE_HALF_WINDOW; a line on a stretch's last LINE_AT_END steps), and its box is the fitted pose's
 * bounding box, clipped to the frame. Smoothing the pose rather than the box keeps the bounding box's corner
 * where a turning object passes upright (the box's width as a function of the angle has a kink there;
 * rotation seeds 101-108, 13 frames: 0.9751 by pose, 0.9735 by box). Only unbroken stretches of one run are
 * fitted together: a loss, a restart or a run back starts a new stretch. Steps are handed on in order,
 * SMOOTH_HALF_WINDOW steps behind (flush hands on the rest); steps without a pose are handed on as they are.
 *
 * Measured from the first box, mean IoU without -> with (bench/first-box.ts; 8 frames either side for every
 * field, see SHAPE_HALF_WINDOW for what 16 for size and angle added): hard 101-164 0.8600 -> 0.8675; seeds
 * 101-108: plain 0.973 -> 0.976, scale 0.974 -> 0.979, rotation 0.974 -> 0.975, lighting 0.968 -> 0.972,
 * blur 0.970 -> 0.976, occlusion 0.936 -> 0.963, exit 0.973 -> 0.975. A quadratic, not a mean: a window's
 * mean lags an object that turns (plain 0.973 -> 0.970 with a 5-frame mean). Eight frames either side for
 * the centre: 5 and 12 gave hard 0.8632 and 0.8633 unweighted against 0.8637, and 12 weighted loses on plain
 * (0.973) where the path turns within 25 frames (with size and angle at 16, 6 and 10 for the centre: hard
 * 0.8680 and 0.8695, plain 101-108 0.9758 at 10 against 0.9767).
 */
export class PoseSmoother {
  /** Steps not yet handed on, after up to SMOOTH_HALF_WINDOW handed-on ones kept as context. */
  private readonly steps: PosedStep[] = [];
  /** Index in `steps` of the next step to hand on. */
  private next = 0;

  constructor(private readonly frameSize: { width: number; height: number }) {}

  /** Takes the run's next step (in the run's order); returns the steps ready to hand on, in order. */
  push(step: PosedStep): TrackStep[] {
    this.steps.push(step);
    const out: TrackStep[] = [];
    while (this.steps.length - 1 - this.next >= SMOOTH_HALF_WINDOW) out.push(this.smoothed(this.next++));
    const drop = this.next - SMOOTH_HALF_WINDOW;
    if (drop > 0) {
      this.steps.splice(0, drop);
      this.next -= drop;
    }
    return out;
  }

  /** The steps still waiting (the run ended or was stopped), smoothed over what there is. */
  flush(): TrackStep[] {
    const out: TrackStep[] = [];
    while (this.next < this.steps.length) out.push(this.smoothed(this.next++));
    return out;
  }

  private smoothed(i: number): TrackStep {
    const step = this.steps[i];
    const plain: TrackStep = {
      frame: step.frame,
      box: step.box,
      confidence: step.confidence,
      outside: step.outside,
    };
    const pose = step.pose;
    if (!pose || !step.box || step.outside) return plain;
    const sameRun = (j: number, towards: number) => {
      const s = this.steps[j];
      return (
        s.pose?.run === pose.run &&
        !!s.box &&
        !s.outside &&
        Math.abs(s.frame - this.steps[towards].frame) === 1 &&
        Math.abs(s.frame - step.frame) <= SMOOTH_HALF_WINDOW
      );
    };
    let lo = i;
    let hi = i;
    while (lo > 0 && sameRun(lo - 1, lo)) lo--;
    while (hi < this.steps.length - 1 && sameRun(hi + 1, hi)) hi++;
    if (hi - lo + 1 < MIN_POINTS) return plain;
    const place = this.fitter(lo, hi, i, PLACE_HALF_WINDOW, 2);
    const shape = this.fitter(lo, hi, i, SHAPE_HALF_WINDOW, hi - i < LINE_AT_END ? 1 : 2);
    if (!place || !shape) return plain;
    const box = clipBox(
      turnedRectBox(
        place((p) => p.cx),
        place((p) => p.cy),
        Math.exp(shape((p) => Math.log(p.w))),
        Math.exp(shape((p) => Math.log(p.h))),
        shape((p) => p.angle),
      ),
      this.frameSize,
    );
    if (![box.x, box.y, box.w, box.h].every(Number.isFinite) || box.w < 1 || box.h < 1) return plain;
    return { ...plain, box };
  }

  /**
   * The weighted least-squares polynomial of the given degree at step i over the steps lo..hi (one unbroken
   * stretch) that lie within halfWindow frames of it, as a function of the pose field fitted; null when they do
   * not pin it down.
   */
  private fitter(lo: number, hi: number, i: number, halfWindow: number, degree: 1 | 2) {
    const at = this.steps[i].frame;
    const window = this.steps.slice(lo, hi + 1).filter((s) => Math.abs(s.frame - at) <= halfWindow);
    // Relative weights: a window of weak matches alone is fitted as well as any (the sums stay well scaled).
    const raw = window.map((s) => weightOf(s.confidence));
    const top = Math.max(...raw);
    const fit = degree === 1 ? lineAtZeroCoefficients : quadraticAtZeroCoefficients;
    const coefficients = fit(
      window.map((s) => s.frame - at),
      raw.map((w) => w / top),
    );
    if (!coefficients) return null;
    // The fitted value at this frame is the same weighted sum of each field's values.
    return (value: (p: TrackedPose) => number) =>
      window.reduce((sum, s, k) => sum + coefficients[k] * value(s.pose!), 0);
  }
}

/**
 * How much a frame counts in the fit: a weak match (a plank over the object, heavy blur, the tracker coasting
 * on its motion prior) is put where the frames around it say. Cubed, with a floor so a stretch of weak frames
 * is still fitted to itself. Hard 101-164 from the first box: 0.8637 unweighted, 0.8661 with 0.05 + c, 0.8671
 * squared, 0.8675 cubed.
 */
function weightOf(confidence: number): number {
  return (0.02 + confidence) ** 3;
}

/**
 * The weights c_k with which the (weighted) least-squares quadratic through any values y_k at t_k takes the
 * value sum(c_k y_k) at t = 0: they depend on t and the weights only, so one set serves every pose field. Null when
 * the t do not pin a quadratic down (fewer than three distinct).
 */
function quadraticAtZeroCoefficients(t: number[], weights: number[]): number[] | null {
  // Normal equations for y = a + b t + c t^2; a by Cramer's rule, written out per y_k.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let k = 0; k < t.length; k++) {
    const g = weights[k];
    const x = t[k];
    const x2 = x * x;
    s0 += g;
    s1 += g * x;
    s2 += g * x2;
    s3 += g * x2 * x;
    s4 += g * x2 * x2;
  }
  const m0 = s2 * s4 - s3 * s3;
  const m1 = s2 * s3 - s1 * s4;
  const m2 = s1 * s3 - s2 * s2;
  const det = s0 * m0 + s1 * m1 + s2 * m2;
  if (Math.abs(det) < 1e-9) return null;
  return t.map((x, k) => (weights[k] * (m0 + m1 * x + m2 * x * x)) / det);
}

/** As quadraticAtZeroCoefficients, for the weighted least-squares line; null with fewer than two distinct t. */
function lineAtZeroCoefficients(t: number[], weights: number[]): number[] | null {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  for (let k = 0; k < t.length; k++) {
    s0 += weights[k];
    s1 += weights[k] * t[k];
    s2 += weights[k] * t[k] * t[k];
  }
  const det = s0 * s2 - s1 * s1;
  if (Math.abs(det) < 1e-9) return null;
  return t.map((x, k) => (weights[k] * (s2 - s1 * x)) / det);
}
