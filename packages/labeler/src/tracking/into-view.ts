import type { TrackStep } from './contract.js';
import { carryOutOfView, EXIT_AGREE, type OutOfViewInput } from './exit.js';

/** A fill's keyframes (`start` marking the object outside, `end` showing it), picture and joined steps. */
export type IntoViewInput = OutOfViewInput & {
  /**
   * Frames from start+1 of a search for the object coming back from the outside keyframe (as tracking (T) from it
   * runs), if one was run, up to where it first finds the object: that tells when it came in. Not joined into the
   * fill: what a search finds may be a look-alike, and the run back from `end` has the object from a box a person
   * drew.
   */
  search?: TrackStep[];
};

/**
 * The frames of a fill from a keyframe marking the object outside to one showing it, in which the object comes
 * into the picture: leaving it (see carryOutOfView) played backwards. The fill's only run is the one back from
 * the keyframe showing it, and crossing the edge that run lags the object or loses it with half of it still in
 * view. What carrying it needs is the frame it came in on: the outside keyframe, when the run back loses the
 * object within EXIT_AGREE frames of it (a person marks the object outside where they see it come in), and
 * otherwise the earlier of where the run back lost it and where the search from the outside keyframe first
 * found it (the run back losing it early and the search finding it late are the usual errors: the earlier is
 * the nearer). Measured on every entry of hard seeds 101-136, each filled to its first whole frame and to each
 * of the 20 frames after it (1505 fills; bench/_eana2.mts-style scratch, not kept), fills in which every frame
 * held at IoU 0.7: from an outside keyframe on the frame before the object comes in, 451 as joined, 798
 * carried; from one on the first frame it was gone after it last left (30-45 frames before), 355 as joined, 387
 * carried in from where the run back lost it, 459 from the earlier of that and the search's first find. Left
 * as they were: a fill whose run back saw nothing next to the keyframe showing the object, and those
 * carryOutOfView leaves.
 */
export function carryIntoView(input: IntoViewInput): TrackStep[] {
  const { start, end, steps, search } = input;
  if (!start.outside || end.outside || steps.length === 0) return steps;
  const shows = (s: TrackStep) => s.box !== null && !s.outside;
  // Going back from `end`: the first frame without the object.
  let k = steps.length - 1;
  while (k >= 0 && shows(steps[k])) k--;
  if (k === steps.length - 1) return steps;
  // Held up to the outside keyframe, the run back has the object come in there.
  const lost = k < 0 ? start.frame : steps[k].frame;
  const found = search?.find(shows)?.frame ?? Number.POSITIVE_INFINITY;
  const firstOutside = lost - start.frame <= EXIT_AGREE ? start.frame : Math.min(lost, found - 1);
  // Played backwards (frame f as -f), the keyframe showing the object starts the fill and the object leaves
  // the picture by `firstOutside`.
  const backwards = (s: TrackStep): TrackStep => ({ ...s, frame: -s.frame });
  const carried = carryOutOfView({
    start: { ...end, frame: -end.frame },
    end: { frame: -firstOutside, box: end.box, outside: true },
    steps: steps
      .filter((s) => s.frame > firstOutside)
      .reverse()
      .map(backwards),
    width: input.width,
    height: input.height,
  });
  const byFrame = new Map(carried.map((s) => [-s.frame, backwards(s)]));
  return steps.map((s) =>
    s.frame <= firstOutside
      ? { frame: s.frame, box: null, confidence: 0, outside: true }
      : (byFrame.get(s.frame) ?? s),
  );
}
