import type { Box, Keyframe, TrackStep } from './contract.js';
import type { FuseInput } from './fuse.js';
import { clipBox, edgeSides, fitLine } from './tracker.js';

/** Whole frames of the clear keyframe's run next to the crossing: their boxes give the object's path and size. */
const HISTORY = 6;
/** Fewest such frames for a motion to be read from them. */
const HISTORY_MIN = 3;
/** Frames whose boxes give the object's size as it finishes crossing (the history's first ones). */
const SIZE_FRAMES = 3;
/** A crossing longer than this many frames is not read as one steady motion, and is left as the runs had it. */
const MAX_CROSSING = 40;

/** A fill's keyframes, picture and runs (see FuseInput), and its joined steps. */
export type AcrossEdgeInput = FuseInput & {
  /** Frames start+1 .. end-1 in order, as the fill's runs were joined (see fuseRuns). */
  steps: TrackStep[];
};

/**
 * The frames of a fill between a keyframe on which the object is cut by the frame edge (coming into the picture,
 * or, the other way round, leaving it) and one on which it is clear of the edge, over which it crosses the edge.
 * Neither run holds there: the run from the cut keyframe learnt only the part in view and keeps that size as
 * the rest comes in, and the run from the clear keyframe, tracking the object out across the edge, lags behind
 * it or loses it with half of it still in view (hard seeds 101-136, each entry filled from its first frame in
 * view to the fifth frame after it is whole: the run from the whole frame held every frame at IoU 0.7 on 35 of
 * 72). What the keyframes say is exact: the cut one places the object's inner edge (the side in the picture) and
 * its extent along the edge, and the clear one its size. Here the inner edge follows the steady acceleration
 * through the cut keyframe's that is nearest (least squares) the clear run's boxes on its first whole frames next
 * to the crossing (HISTORY; the clear keyframe among them); the extent along the edge and its centre go linearly
 * from the cut keyframe's to the line through those boxes; the size across the edge is theirs. Measured with a
 * straight line through those boxes in place of the acceleration's fit, the 72 fills held on 62; with the fit,
 * the simulated labeler (bench/keyframes.ts) sets 238 -> 227 keyframes over hard 101-136 (228 with the line).
 * With fewer than HISTORY_MIN whole frames of that run (a fill ending on the object's first whole frame, a natural
 * keyframe) the inner edge goes on the line through them nearest the cut keyframe's; where the run's boxes give no
 * path to the cut keyframe that keeps its way (the run lost the object, or took up something else, and its boxes
 * stayed clear of the edge), on the line between the two keyframes, at the clear one's size. Fills from the first
 * frame in view to the first whole one, hard 101-136: every crossing frame held on 67 of 72 (39 joined).
 * Left as they were: a keyframe cut on two sides, and a crossing longer than MAX_CROSSING.
 */
export function carryAcrossEdge(input: AcrossEdgeInput): TrackStep[] {
  const { start, end, steps } = input;
  const picture = { width: input.width, height: input.height };
  const sides = (k: Keyframe) => (k.outside ? null : edgeSides(k.box, picture));
  const startSides = sides(start);
  const endSides = sides(end);
  if (!startSides || !endSides) return steps;
  // `dir` is the way from the cut keyframe into the fill.
  const dir =
    startSides.length === 1 && endSides.length === 0
      ? 1
      : endSides.length === 1 && startSides.length === 0
        ? -1
        : 0;
  if (dir === 0) return steps;
  const [cut, clear] = dir === 1 ? [start, end] : [end, start];
  const clearRun = dir === 1 ? input.backward : input.forward;
  const side = (dir === 1 ? startSides : endSides)[0];
  // The clear keyframe is the surest box (on a fill ending on the object's first whole frame, the only one).
  const byFrame = new Map(clearRun.map((s) => [s.frame, s]));
  byFrame.set(clear.frame, { frame: clear.frame, box: clear.box, confidence: 1, outside: false });
  const whole = (s: TrackStep | undefined): s is TrackStep & { box: Box } =>
    s !== undefined && s.box !== null && !s.outside && edgeSides(s.box, picture).length === 0;
  const horizontal = side === 'left' || side === 'right';
  // The object's side towards the middle of the picture, the one a cut box shows where it is.
  const inner = (b: Box) =>
    horizontal ? (side === 'right' ? b.x : b.x + b.w) : side === 'bottom' ? b.y : b.y + b.h;
  const alongCentre = (b: Box) => (horizontal ? b.y + b.h / 2 : b.x + b.w / 2);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  // Going from the history's first frame to the cut keyframe the inner edge must move steadily out towards the
  // edge it is cut by.
  const outwards = side === 'right' || side === 'bottom' ? 1 : -1;
  /** The crossing as whole boxes next to it give it (the first nearest the cut keyframe); null if they cannot. */
  const crossingFrom = (history: Array<{ frame: number; box: Box }>) => {
    const first = history[0].frame;
    if (Math.abs(first - cut.frame) > MAX_CROSSING) return null;
    const t = history.map((s) => s.frame - first);
    const tau = cut.frame - first;
    const innerEdges = history.map((s) => inner(s.box));
    const path = pathThrough(t, innerEdges, tau, inner(cut.box), history.length >= HISTORY_MIN);
    const towardsCut = (velocity: number) => velocity * Math.sign(tau) * outwards > 0;
    // Velocity changes steadily along the path, so it keeps its way from the cut keyframe to the history's last
    // frame if it has it at both.
    const last = t[t.length - 1];
    if (
      !path ||
      !towardsCut(path.slope + path.acceleration * last) ||
      !towardsCut(path.slope + path.acceleration * tau)
    )
      return null;
    const sized = history.slice(0, SIZE_FRAMES);
    return {
      first,
      path,
      alongLine: fitLine(
        t,
        history.map((s) => alongCentre(s.box)),
      ),
      acrossSize: mean(sized.map((s) => (horizontal ? s.box.w : s.box.h))),
      alongSize: mean(sized.map((s) => (horizontal ? s.box.h : s.box.w))),
    };
  };
  const inFill = (frame: number) => frame !== cut.frame && frame >= start.frame && frame <= end.frame;
  let firstWhole = cut.frame + dir;
  while (inFill(firstWhole) && !whole(byFrame.get(firstWhole))) firstWhole += dir;
  const history: Array<TrackStep & { box: Box }> = [];
  for (let f = firstWhole; inFill(f) && history.length < HISTORY; f += dir) {
    const s = byFrame.get(f);
    if (whole(s)) history.push(s);
  }
  // Where the run's boxes give no steady path to the cut keyframe (the run lost the object or took up something
  // else), the two keyframes alone give it: a steady motion between them, at the clear keyframe's size.
  // The history is never empty: the clear keyframe is whole and in the fill.
  const crossing = crossingFrom(history) ?? crossingFrom([{ frame: clear.frame, box: clear.box }]);
  if (!crossing) return steps;
  const { first, path, alongLine, acrossSize, alongSize } = crossing;
  const { acceleration } = path;

  const out = steps.slice();
  const cutAlongCentre = alongCentre(cut.box);
  const cutAlongSize = horizontal ? cut.box.h : cut.box.w;
  for (let f = cut.frame + dir; f !== first; f += dir) {
    const dt = f - first;
    const q = (f - cut.frame) / (first - cut.frame);
    const edge = path.at + path.slope * dt + 0.5 * acceleration * dt * dt;
    const along = cutAlongCentre + q * (alongLine.at - cutAlongCentre);
    const alongExtent = cutAlongSize + q * (alongSize - cutAlongSize);
    const lead = side === 'right' || side === 'bottom' ? edge : edge - acrossSize;
    const box: Box = horizontal
      ? { x: lead, y: along - alongExtent / 2, w: acrossSize, h: alongExtent }
      : { x: along - alongExtent / 2, y: lead, w: alongExtent, h: acrossSize };
    // In view throughout: the cut keyframe shows the object, and from there its path only moves further in (even
    // where the size read from the history would put less than a quarter of it in view, OUTSIDE_BELOW_VISIBLE).
    const k = f - start.frame - 1;
    out[k] = {
      frame: f,
      box: clipBox(box, picture),
      confidence: steps[k].box ? steps[k].confidence : 0,
      outside: false,
    };
  }
  return out;
}

/**
 * The path y = at + slope t + acceleration t^2 / 2 through (tau, y0) nearest the points (t, y) in least squares,
 * or with `accelerating` false the line (acceleration 0); null when the points cannot tell its terms apart.
 */
function pathThrough(
  t: number[],
  y: number[],
  tau: number,
  y0: number,
  accelerating: boolean,
): { at: number; slope: number; acceleration: number } | null {
  // y - y0 = b (t - tau) + c (t^2 - tau^2)
  let uu = 0;
  let uv = 0;
  let vv = 0;
  let ur = 0;
  let vr = 0;
  for (let i = 0; i < t.length; i++) {
    const u = t[i] - tau;
    const v = t[i] * t[i] - tau * tau;
    const r = y[i] - y0;
    uu += u * u;
    uv += u * v;
    vv += v * v;
    ur += u * r;
    vr += v * r;
  }
  if (!accelerating) {
    if (uu === 0) return null;
    return { at: y0 - (ur / uu) * tau, slope: ur / uu, acceleration: 0 };
  }
  const det = uu * vv - uv * uv;
  if (Math.abs(det) < 1e-9 * uu * vv) return null;
  const b = (ur * vv - vr * uv) / det;
  const c = (vr * uu - ur * uv) / det;
  return { at: y0 - b * tau - c * tau * tau, slope: b, acceleration: 2 * c };
}
