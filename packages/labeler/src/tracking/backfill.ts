import type { Frame, Keyframe, TrackStep } from './contract.js';
import { fuseRuns } from './fuse.js';
import { CorrelationTracker, type TrackerOptions } from './tracker.js';

/**
 * Lost frames held back at most, waiting for the object to be found again (2 s at 30 fps): an object coming
 * back into view takes 10-15 frames to be whole and found, and holding more delays progress and costs memory.
 */
const MAX_HELD = 60;

/**
 * Revises the frames a tracking run reported the object lost once the run finds it again. Tracking is offline
 * here (the whole video is stored), so the found box can be tracked back over the lost frames: an object coming
 * back into view is found only once most of it is in view and clear, and tracked back from there it is an object
 * leaving, which the tracker follows to the edge (hard seed 102: lost on frames 56-67 while it came back, found
 * at 68). The run before the loss and the run back are joined as a fill between keyframes is (see fuseRuns):
 * the run back is believed until it loses the object; where neither run has it, it is interpolated if both
 * lost it in view and outside otherwise. Steps come out in the run's order, lost ones as soon as the object
 * is found again or once more than MAX_HELD are waiting.
 */
export class LostStretchBackfill {
  /** Consecutive lost steps, in the run's order. */
  private held: TrackStep[] = [];
  /** The step before the held ones. */
  private before: TrackStep | null = null;

  constructor(
    private readonly frameAt: (index: number) => Promise<Frame> | Frame,
    /** +1 when the run goes forward in the video, -1 backward. */
    private readonly direction: 1 | -1,
    private readonly size: { width: number; height: number },
    private readonly options: Partial<TrackerOptions> = {},
  ) {}

  /** Takes the run's next step; returns the steps ready to hand on, in order. */
  async push(step: TrackStep): Promise<TrackStep[]> {
    if (step.outside || !step.box) {
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

  /** The steps still held (the run ended with the object lost). */
  flush(): TrackStep[] {
    const out = this.held;
    this.held = [];
    return out;
  }

  private async revise(found: TrackStep): Promise<TrackStep[]> {
    const before = this.before!;
    const back: TrackStep[] = [];
    const tracker = new CorrelationTracker(await this.frameAt(found.frame), found.box!, this.options);
    let lost = false;
    // The held frames from the found one back towards the loss.
    for (let k = this.held.length - 1; k >= 0; k--) {
      const frame = this.held[k].frame;
      if (lost) {
        back.push({ frame, box: null, confidence: 0, outside: true });
        continue;
      }
      const s = tracker.update(await this.frameAt(frame));
      back.push({ frame, box: s.box, confidence: s.confidence, outside: s.outside });
      lost = s.outside || !s.box;
    }
    const key = (s: TrackStep): Keyframe => ({
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
    return this.direction > 0 ? fused : fused.reverse();
  }
}
