import type { Frame } from './contract.js';
import { GrayRegion, GreyIntegral } from './gray.js';
import { AppearanceTemplate, templateCell } from './redetect.js';
import { type Candidate, searchNear } from './template-search.js';

/**
 * Cells along the object's long side: 2 px on the synthetic set's 72-px object. Re-detection's 12 (6 px) place a
 * quarter of the object (18 px) only to a cell, too coarse to tell a quarter in view from a third.
 */
const CELLS = 36;
/**
 * Least share of the object's cells in view for a position to be scored: fewer match the scene somewhere near.
 * Under a quarter, so that an object just under a quarter in view is still placed and the tracker sees it gone
 * (a quarter: hard 64 videos 0.8724, against 0.8726 at 0.15).
 */
const MIN_IN_VIEW = 0.15;
/**
 * Least normalised cross-correlation taken as the object. At the true pose on the hard set's crossing frames
 * (`/work/notes/sliver2.mts`, hard 101-104), matches of 0.8 and over were within 2 px of the centre on all but
 * a plank-covered few; under 0.8 some were off by up to 24 px, where the plank or blur hid the part in view.
 * What a weaker match must beat is not the truth, though, but the motion prior the tracker coasts on
 * instead. Across the edge that prior runs ahead of an object that slows down. The tracker was run back from
 * each entry of hard 101-136 (from its first whole frame, and 5 and 10 frames on: 1228 crossing frames), and
 * each placing was scored by its error in the share of the object in view, median by match score:
 *
 * | match score | match | prior |
 * |---|---|---|
 * | 0.7-0.8 | 0.030 | 0.069 |
 * | 0.6-0.7 | 0.045 | 0.067 |
 * | 0.5-0.6 | 0.083 | 0.070 |
 *
 * (scratch `bench/_ecross.mts`, not kept). Keyframes with every tool (bench/keyframes.ts) at 0.8 / 0.75 /
 * 0.7 / 0.6: hard 101-136 224 / - / 222 / 220; 137-172 230 / 227 / 224 / 235; held out, 173-208, 0.8 / 0.7:
 * 243 / 240; exit 101-112 21 at both. Mean IoU from the first box (bench/first-box.ts), 0.8 / 0.7: hard 165-228
 * 0.8704 / 0.8706, exit 101-132 0.9858 at both, hard 101-164 0.9004 / 0.8973. There 107 and 162 lost their
 * second return: the object went out one frame later, and the whole-frame search after it (see PoseSweep) no
 * longer took it back coming in at 1.7 times the size it left at (107: its candidates at poses well off the
 * object's, refused by the first box's filter; 162: a part of it taken).
 */
export const EDGE_MATCH_SCORE = 0.7;

/**
 * The object's appearance in fine grey cells, learnt while it was whole in the picture, to find it by the part
 * still in view when it crosses the frame edge. The correlation filter cannot: its window reaches past the
 * edge, where the picture repeats its border, and it holds the box back at the edge; nor can a motion prior
 * alone, which runs ahead of an object that slows down as it leaves (or, tracked back, as it came in).
 * Only the template's cells on the object and inside the frame count (see maskedNcc), turned and scaled to the
 * tracker's pose.
 */
export class EdgeTemplate {
  private readonly template: AppearanceTemplate;
  private learnt = false;
  private readonly region = new GrayRegion();

  constructor(
    private readonly baseWidth: number,
    private readonly baseHeight: number,
    /**
     * Scratch for the frame's grey integral, reloaded on every find: the tracker lends its re-detection sweep's,
     * which is read only within a frame the object is lost in, where nothing is looked for at the edge.
     */
    private readonly grey = new GreyIntegral(),
  ) {
    this.template = new AppearanceTemplate(baseWidth, baseHeight, CELLS);
  }

  /** Learns the object at this pose; it must be whole in the picture and nothing may cover it. */
  learn(frame: Frame, cx: number, cy: number, scale: number, angle: number): void {
    this.template.capture(frame, cx, cy, scale, angle);
    this.learnt = true;
  }

  /** Forgets what was learnt (the object was lost: what is found next must be learnt whole again). */
  forget(): void {
    this.learnt = false;
  }

  /**
   * The best centre for the object at this scale and angle within `reach` (a share of its size) of (cx, cy)
   * on either axis, with its score; null when nothing was learnt or no position has enough of it in view.
   */
  find(frame: Frame, cx: number, cy: number, scale: number, angle: number, reach: number): Candidate | null {
    if (!this.learnt) return null;
    const k = templateCell(scale, this.baseWidth, this.baseHeight, CELLS);
    const variant = this.template.variant(scale, angle, k);
    const size = Math.sqrt(this.baseWidth * this.baseHeight) * scale;
    this.grey.load(frame);
    return searchNear(this.grey, variant, cx, cy, Math.ceil((reach * size) / k), this.region, MIN_IN_VIEW);
  }
}
