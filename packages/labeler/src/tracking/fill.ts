import type { Box, FrameSource, Keyframe, TrackStep } from './contract.js';
import { carryAcrossEdge } from './entry.js';
import { carryOutOfView } from './exit.js';
import { type FuseInput, fuseRuns } from './fuse.js';
import { carryIntoView } from './into-view.js';
import { trackObject } from './track.js';
import type { TrackerOptions } from './tracker.js';

export interface FillRequest {
  source: FrameSource;
  start: Keyframe;
  end: Keyframe;
  signal?: AbortSignal;
  /**
   * A keyframe where the object was in view. With it, a fill from a keyframe marking the object outside looks
   * for the object coming back after it, as tracking (T) from an outside keyframe does: between two outside
   * keyframes what it finds is the fill; towards one showing the object, where it first finds it tells when it
   * came in (see carryIntoView). Without it, a fill between two outside keyframes leaves every frame outside.
   */
  seen?: { frame: number; box: Box };
  /** Frames tracked so far by the two runs together (one per frame between the keyframes for each run). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Fills the frames between two keyframes: tracks forward from the first and backward from the second, then
 * joins the two runs (see fillFromRuns). From a keyframe marking the object outside, the forward run searches
 * for it coming back (given `seen`). Returns null when aborted.
 */
export async function fillBetweenKeyframes(
  request: FillRequest,
  options: Partial<TrackerOptions> = {},
): Promise<TrackStep[] | null> {
  const { source, start, end, signal, onProgress, seen } = request;
  const gap = end.frame - start.frame - 1;
  if (!Number.isInteger(start.frame) || !Number.isInteger(end.frame) || gap < 0)
    throw new RangeError(
      `fillBetweenKeyframes: keyframes must be integer frames with the end after the start, got ${start.frame} and ${end.frame}`,
    );
  // How each run starts: from a keyframe's box, or (forward, from an outside keyframe) searching for the object
  // coming back; null for no run.
  type RunStart = { startBox: Box } | { seen: { frame: number; box: Box } } | null;
  const forwardStart: RunStart = !start.outside ? { startBox: start.box } : seen ? { seen } : null;
  const backwardStart: RunStart = end.outside ? null : { startBox: end.box };
  const total = gap * ((forwardStart ? 1 : 0) + (backwardStart ? 1 : 0));
  let done = 0;
  // From an outside keyframe towards one showing the object the forward run is a search, kept apart from the
  // runs joined (the run back has the object from a box a person drew, and what a search finds first may be a
  // look-alike): only where it first finds the object is read (see carryIntoView), so it stops there.
  const search = start.outside && !end.outside;
  const run = async (
    from: Keyframe,
    begin: RunStart,
    direction: 'forward' | 'backward',
    last: number,
    untilFound = false,
  ) => {
    const steps: TrackStep[] = [];
    if (!begin || gap === 0) return steps;
    for await (const s of trackObject(
      { source, startFrame: from.frame, ...begin, direction, endFrame: last, signal },
      options,
    )) {
      if (s.frame === from.frame) continue;
      steps.push(s);
      const found = untilFound && s.box !== null && !s.outside;
      // The frames a search stopped short of count as done: progress still ends at the total.
      done += found ? gap - steps.length + 1 : 1;
      onProgress?.(done, total);
      if (found) break;
    }
    return steps;
  };
  const forward = await run(start, forwardStart, 'forward', end.frame - 1, search);
  if (signal?.aborted) return null;
  const backward = await run(end, backwardStart, 'backward', start.frame + 1);
  if (signal?.aborted) return null;
  return fillFromRuns({
    start,
    end,
    forward: search ? [] : forward,
    backward,
    ...(search ? { search: forward } : {}),
    width: source.width,
    height: source.height,
  });
}

/**
 * The frames between two keyframes from the runs off each (see fuseRuns); towards a keyframe marking the
 * object outside, the frames it leaves the picture on follow its motion out (see carryOutOfView), and from one,
 * the frames it comes in on follow its motion in (see carryIntoView: `search` is the forward run's search for
 * it, where there was one); between a keyframe cut by the frame edge and one clear of it, the frames it crosses
 * the edge on follow the keyframes (see carryAcrossEdge).
 */
export function fillFromRuns(input: FuseInput & { search?: TrackStep[] }): TrackStep[] {
  const out = carryOutOfView({ ...input, steps: fuseRuns(input) });
  const steps = carryIntoView({ ...input, steps: out });
  return carryAcrossEdge({ ...input, steps });
}
