import type { Frame, Keyframe } from './contract.js';
import { fuseRuns } from './fuse.js';
import { RunRefiner } from './refine.js';
import type { PosedStep } from './smooth.js';
import { CorrelationTracker, edgeSides, type TrackerOptions } from './tracker.js';

/**
 * Lost frames held back at most, waiting for the object to be found again (2 s at 30 fps): an object coming
 * back into view takes 10-15 frames to be whole and found, and holding more delays progress and costs memory.
 */
const MAX_HELD = 60;
/**
 * The run back is believed up to its last frame with at least this confidence: below it the tracker coasts on its
 * motion prior, and going back across the edge it kept a box on the scene after the object had gone (hard seed 115,
 * frames 50-57: boxes where the object was outside, confidence 0.00-0.05). A box the edge template placed
 * (TrackerState.edgeMatch) is believed whatever its confidence: the object crossing the edge, going out as the run
 * back sees it, is found by the part of it in view while the filter coasts (hard seed 103 coming back, frames
 * 175-176, a third and half of it in view: IoU 0.91 and 0.88, no box before).
 */
const BELIEVED_CONFIDENCE = 0.1;
/**
 * Frames in a row under BELIEVED_CONFIDENCE that end the run back. One or two are a plank or blur passing over
 * the object, and the run goes on past them (hard seed 125, frames 152-163: no box with the run ended at the
 * first such frame, IoU 0.54-0.93 now; hard 64 videos 0.8559 -> 0.8600, nine videos up by 0.010-0.049, none down
 * by more than 0.01; at 2 frames 0.8581, 5 0.8599, never 0.8600 with hard 111 down 0.035; exit and occlusion
 * 101-116 unchanged).
 */
const LOW_FRAMES = 3;
/**
 * A run back believed all the way to the first lost frame must end near where the run lost the object, one
 * frame later: no farther than this many object sizes (the longer side of the run's last box; cut by the frame
 * edge, that box keeps the object's extent along the edge) from it. Farther, the object found is not the one lost
 * (hard seed 139: a patch of background found at frame 53 while the object was away, and the run back stayed on
 * it down to frame 20, 160 px from where the object had left across the edge a frame before; 3.2 sizes). The
 * lost frames stay lost, and the found step is handed on as found but marked for the caller to make the tracker
 * let go of it (takeRejected). Hard 133-164 0.802 -> 0.812 with the first, 0.830 with both (139 0.24 -> 0.81,
 * 154 0.53 -> 0.85); hard 101-132, exit and occlusion 101-116 unchanged (it never fires there). The size was
 * first the larger of the two boxes' (square roots of their areas), which let what was found stretch the bar:
 * on 139, after the orientation check (7b1c5ae) changed how the run back started, its box at frame 19 was
 * 59x54 and 160 px passed as 2.9 sizes (the lost object's box, cut at the edge, was 13x40): boxes stood on
 * 41 frames where the object was away (0.81 -> 0.55). The longer side of the lost box alone rejects it (hard
 * 64 videos 0.848 -> 0.852, no other video changes; at 2 sizes hard 137 0.80 -> 0.65).
 */
const MAX_JUMP_SIZES = 3;

/**
 * Revises the frames a tracking run reported the object lost once the run finds it again. Tracking is offline
 * here (the whole video is stored), so the found box can be tracked back over the lost frames: an object coming
 * back into view is found only once most of it is in view and clear, and tracked back from there it is an object
 * leaving, which the tracker follows to the edge (hard seed 102: lost on frames 56-67 while it came back, found
 * at 68). The run before the loss and the run back are joined as a fill between keyframes is (see fuseRuns):
 * the run back is believed until it loses the object; where neither run has it, it is interpolated if both
 * lost it in view and outside otherwise. The run back starts where the object is found whole: started on the
 * part in view at the edge it did not know the rest of the object, nor when it was gone (exit seeds 101-116,
 * started on the first box found: boxes kept on 1 or 2 frames after the object had left, and 2.63 keyframes/100
 * instead of 1.56). Steps come out in the run's order, held ones as soon as the object is found whole or once
 * more than MAX_HELD are waiting.
 */
export class LostStretchBackfill {
  /** Consecutive lost steps and the steps found cut by the frame edge after them, in the run's order. */
  private held: PosedStep[] = [];
  /** The step before the held ones. */
  private before: PosedStep | null = null;
  /** A found step the run back showed is not the object lost, until the caller takes it (see takeRejected). */
  private rejected: PosedStep | null = null;

  constructor(
    private readonly frameAt: (index: number) => Promise<Frame> | Frame,
    /** +1 when the run goes forward in the video, -1 backward. */
    private readonly direction: 1 | -1,
    private readonly size: { width: number; height: number },
    private readonly options: Partial<TrackerOptions> = {},
  ) {}

  /** Takes the run's next step; returns the steps ready to hand on, in order. */
  async push(step: PosedStep): Promise<PosedStep[]> {
    // The run's first step is its start keyframe, handed on as it is even when it marks the object outside
    // (a run looking for it to come back): what is found later is revised back to it.
    if (this.before === null && this.held.length === 0) {
      this.before = step;
      return [step];
    }
    // Found again but cut by the frame edge, it is held too: the run back starts from the object whole.
    if (step.outside || !step.box || (this.held.length > 0 && edgeSides(step.box, this.size).length > 0)) {
      this.held.push(step);
      if (this.held.length <= MAX_HELD) return [];
      this.before = this.held.shift()!;
      return [this.before];
    }
    const out = this.held.length > 0 && this.before ? await this.revise(step) : this.held;
    this.held = [];
    this.before = step;
    out.push(step);
    return out;
  }

  /** The found step last shown not to be the object that was lost, once (the tracker should let go of it). */
  takeRejected(): PosedStep | null {
    const r = this.rejected;
    this.rejected = null;
    return r;
  }

  /** The steps still held (the run ended with the object lost). */
  flush(): PosedStep[] {
    const out = this.held;
    this.held = [];
    return out;
  }

  private async revise(found: PosedStep): Promise<PosedStep[]> {
    const before = this.before!;
    const back: PosedStep[] = [];
    const foundFrame = await this.frameAt(found.frame);
    const tracker = new CorrelationTracker(foundFrame, found.box!, this.options);
    // The run back's confident poses are refined as the run forward's are (trackObject): hard 101-164 from the
    // first box 0.8981 -> 0.8986, keyframes with every tool over hard 101-136 251 -> 249.
    const refiner = new RunRefiner();
    refiner.observe(foundFrame, tracker.pose, found);
    // The held frames from the found one back towards the loss. The run back is believed up to its last frame
    // with confidence at least BELIEVED_CONFIDENCE before it loses the object (outside, or LOW_FRAMES in a row
    // under that confidence).
    let believed = 0;
    let low = 0;
    let ended = false;
    for (let k = this.held.length - 1; k >= 0; k--) {
      const frame = this.held[k].frame;
      if (ended) {
        back.push({ frame, box: null, confidence: 0, outside: true });
        continue;
      }
      const image = await this.frameAt(frame);
      const s = tracker.update(image);
      if (!s.box || s.outside) {
        ended = true;
        back.push({ frame, box: null, confidence: 0, outside: true });
        continue;
      }
      low = s.confidence < BELIEVED_CONFIDENCE && s.edgeMatch === undefined ? low + 1 : 0;
      if (low >= LOW_FRAMES) ended = true;
      const step: PosedStep = { frame, box: s.box, confidence: s.confidence, outside: false, pose: s.pose };
      refiner.observe(image, tracker.pose, step);
      back.push(refiner.apply(step));
      if (low === 0) believed = back.length;
    }
    for (let q = believed; q < back.length; q++)
      back[q] = { frame: back[q].frame, box: null, confidence: 0, outside: true };
    const lost = believed < back.length;
    if (!lost && !joinsUp(back[back.length - 1], before)) {
      this.rejected = found;
      return this.held;
    }
    const key = (s: PosedStep): Keyframe => ({
      frame: s.frame,
      box: s.box ?? { x: 0, y: 0, w: 0, h: 0 },
      outside: s.outside || !s.box,
    });
    // fuseRuns goes up the frame numbers: from `before` to `found` on a forward run, the other way backward.
    const [start, end, forward, backward] =
      this.direction > 0
        ? [key(before), key(found), this.held, back]
        : [key(found), key(before), back, this.held];
    const fused = fuseRuns({
      start,
      end,
      forward: start.outside ? [] : forward,
      backward: end.outside ? [] : backward,
      ...this.size,
    });
    // What the run found itself (cut by the edge, before the object was whole) stands: the run back only
    // fills the frames it had lost (measured before the confidence bar, hard seeds 114 and 115: 0.809 and
    // 0.877 mean IoU so, 0.797 and 0.866 with the run back's boxes there).
    const own = new Map(this.held.filter((h) => h.box && !h.outside).map((h) => [h.frame, h]));
    const joined = fused.map((f) => own.get(f.frame) ?? f);
    return this.direction > 0 ? joined : joined.reverse();
  }
}

/** Whether the run back's box on the first lost frame is near the run's last box before it (see MAX_JUMP_SIZES). */
function joinsUp(back: PosedStep | undefined, before: PosedStep): boolean {
  if (!back?.box || !before.box) return true;
  const a = back.box;
  const b = before.box;
  const distance = Math.hypot(a.x + a.w / 2 - b.x - b.w / 2, a.y + a.h / 2 - b.y - b.h / 2);
  return distance <= MAX_JUMP_SIZES * Math.max(b.w, b.h);
}
