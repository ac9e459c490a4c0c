import type { Keyframe, TrackStep } from './contract.js';
import { lerpBox } from './interpolate.js';
import { iou } from './metrics.js';
import { edgeSides } from './tracker.js';

/** Boxes of the two runs overlapping at least this much are the same object, and are blended. */
const SAME_OBJECT_IOU = 0.3;
/** A run's last box within this many pixels of the frame edge means the object left the picture there. */
const AT_EDGE = 2;
/**
 * A keyframe cut by the frame edge shows only the part of the object in view, and a run from it is sure of the
 * object's place near it but not of its size as more of it comes in: between such a keyframe and one clear of the
 * edge, the blend's weight on the clear keyframe's run at share t of the way from the cut one is 1 - (1 - t)^2,
 * not t (as if the cut one were farther). Hard seed 136 from a keyframe at 52 (a third of the object in view) to
 * one at 68: the run forward was 20-25 px too tall by frame 58 and the blend 0.64-0.69 on 58-62, where the run
 * back held 0.75-0.89; weighed so, 0.75 or more on every frame. Simulated labeler, keyframes: hard 101-136 246 ->
 * 244, 137-154 141 -> 137, 155-172 128 -> 130 (where a fill from a sliver holds further, tracking on from its later
 * end can fail mid-view), exit 101-112 21 both; mean IoU from the first box (the run back over lost frames fuses
 * its runs so too) unchanged on every one of hard 101-228.
 */
const CUT_KEYFRAME_WEIGHT = (t: number) => 1 - (1 - t) ** 2;

export interface FuseInput {
  /** The keyframe the forward run started from, and the one the backward run started from (later). */
  start: Keyframe;
  end: Keyframe;
  /**
   * Frames start+1 .. end-1 in order, tracked from `start`. When `start` marks the object outside: empty, or,
   * when `end` does too, a run searching for the object coming back.
   */
  forward: TrackStep[];
  /** Frames end-1 .. start+1 in that order, tracked from `end` (empty when `end` is outside). */
  backward: TrackStep[];
  width: number;
  height: number;
}

/**
 * The frames between two keyframes from a forward run off the first and a backward run off the second. A run
 * is believed from its keyframe up to the first frame it loses the object: after that, what it finds again
 * may be a look-alike, and the other run, coming from the other side, has seen the object continuously
 * (towards a keyframe marking the object outside there is no other run, and the forward run is believed
 * throughout). Where both are believed and agree, their boxes are blended, the nearer keyframe's weighing
 * more (a keyframe cut by the frame edge counts as farther: see CUT_KEYFRAME_WEIGHT); where they disagree,
 * the run from the nearer keyframe wins. Where neither is believed, the object was lost in view by both (a
 * plank, heavy blur): the box is interpolated between the last box of each run, with confidence 0; unless a
 * run lost it at the frame edge, then it is outside in between.
 */
export function fuseRuns(input: FuseInput): TrackStep[] {
  const { start, end, forward, backward } = input;
  const gap = end.frame - start.frame - 1;
  if (!Number.isInteger(gap) || gap < 0)
    throw new RangeError(
      `fuseRuns: the end keyframe (frame ${end.frame}) must come after the start keyframe (frame ${start.frame})`,
    );
  const expect = (run: TrackStep[], name: string, lengths: number[]) => {
    if (!lengths.includes(run.length))
      throw new RangeError(
        `fuseRuns: the ${name} run must have ${[...new Set(lengths)].join(' or ')} steps (frames between the keyframes), got ${run.length}`,
      );
  };
  // From an outside keyframe there is no run, except forward between two outside keyframes: a search for the
  // object coming back.
  expect(forward, 'forward', !start.outside ? [gap] : end.outside ? [0, gap] : [0]);
  expect(backward, 'backward', [end.outside ? 0 : gap]);
  const held = (run: TrackStep[]) => {
    const lost = run.findIndex((s) => s.outside || !s.box);
    return lost < 0 ? run.length : lost;
  };
  // Forward is believed on frames start+1 .. start+fHeld, backward on end-bHeld .. end-1. Towards a keyframe
  // marking the object outside there is no run from there to take over, and the forward run is believed
  // throughout, the object found again after a loss included (hard seed 105, leaving at 18 and back before it
  // leaves again at 112: outside from 18 on before). Not the backward run: its search, going back in time, is
  // the weaker, and what it found past its loss was a look-alike on frames the object was away (hard seed 126,
  // from 191 back to an outside keyframe at 118).
  const fHeld = end.outside ? forward.length : held(forward);
  const bHeld = held(backward);
  const lastF = start.outside ? null : fHeld > 0 ? forward[fHeld - 1].box : start.box;
  const lastB = end.outside ? null : bHeld > 0 ? backward[bHeld - 1].box : end.box;
  const lastFFrame = start.frame + fHeld;
  const lastBFrame = end.frame - bHeld;
  const inView = (b: typeof lastF) => b !== null && edgeSides(b, input, AT_EDGE).length === 0;
  const lostInView = inView(lastF) && inView(lastB);
  const cut = (k: Keyframe) => !k.outside && !inView(k.box);
  // The weight on the backward run at share t of the way from start to end (see CUT_KEYFRAME_WEIGHT).
  const towardsEnd =
    cut(start) && !end.outside && !cut(end)
      ? CUT_KEYFRAME_WEIGHT
      : cut(end) && !start.outside && !cut(start)
        ? (t: number) => 1 - CUT_KEYFRAME_WEIGHT(1 - t)
        : (t: number) => t;
  const out: TrackStep[] = [];
  for (let i = 1; i <= gap; i++) {
    const frame = start.frame + i;
    const f = i <= fHeld ? (forward[i - 1] ?? null) : null;
    const b = !end.outside && gap - i < bHeld ? backward[gap - i] : null;
    const t = towardsEnd(i / (gap + 1));
    if (f?.box && b?.box) {
      if (iou(f.box, b.box) >= SAME_OBJECT_IOU) {
        out.push({
          frame,
          box: lerpBox(f.box, b.box, t),
          confidence: Math.max(f.confidence, b.confidence),
          outside: false,
        });
      } else out.push({ ...(t <= 0.5 ? f : b), frame });
    } else if (f?.box) out.push({ ...f, frame });
    else if (b?.box) out.push({ ...b, frame });
    else if (lostInView && lastF && lastB) {
      const u = (frame - lastFFrame) / Math.max(1, lastBFrame - lastFFrame);
      out.push({ frame, box: lerpBox(lastF, lastB, u), confidence: 0, outside: false });
    } else out.push({ frame, box: null, confidence: 0, outside: true });
  }
  return out;
}
