import { PoseAligner } from './align.js';
import type { Box, Frame } from './contract.js';
import type { PosedStep, TrackedPose } from './smooth.js';
import { clipBox, turnedRectBox } from './tracker.js';

/** Matches weaker than this (the tracker's confidence) are left as tracked: the pose may be on something else. */
const REFINE_FROM_CONFIDENCE = 0.5;
/**
 * Largest change the alignment may make to a tracked pose: its centre by this share of the object's size,
 * its size by this much in log terms, its angle by this many radians. Beyond, it has slid onto something
 * else (a plank, a look-alike); hard 101-116 from the first box: 0.08 -> +0.0071, 0.15 -> +0.0109,
 * 0.3 -> +0.0098 over tracking alone.
 */
const REFINE_REACH = 0.15;

/**
 * Refines the poses of a tracking run on the frames as they are tracked, for what the run hands on only:
 * each confident pose is aligned to the view of the object on the first frame of its tracker run (see
 * PoseAligner), where the correlation filter reads scale and angle from a few coarse steps (±4°, three
 * scales). The tracker itself goes on from its own pose: fed back, an alignment that slid onto a plank
 * would take the tracker with it.
 *
 * Measured from the first box, mean IoU (bench/first-box.ts): hard 101-164 0.8864 -> 0.8981 (three of 64
 * videos lower, by 0.004-0.006); keyframes with every tool (bench/keyframes.ts), hard 101-136 270 -> 251.
 */
export class RunRefiner {
  /** One aligner per tracker run, built on the frame where the run began. */
  private readonly aligners = new Map<number, PoseAligner>();
  /** Refined steps by frame, waiting for the run's step there to be handed on. */
  private readonly refined = new Map<number, { tracked: Box; box: Box; pose: TrackedPose }>();

  /**
   * Called after every update with the tracker's current pose (`runPose`) and the step it gave: learns a new
   * run's first view of the object, and aligns the step's pose where it is confident.
   */
  observe(frame: Frame, runPose: TrackedPose, step: PosedStep): void {
    if (!this.aligners.has(runPose.run)) {
      this.aligners.set(runPose.run, new PoseAligner(frame, runPose));
      return;
    }
    const pose = step.pose;
    if (!pose || !step.box || step.outside || step.confidence < REFINE_FROM_CONFIDENCE) return;
    const aligner = this.aligners.get(pose.run);
    const fit = aligner?.align(frame, pose);
    if (!fit) return;
    const size = Math.sqrt(pose.w * pose.h);
    if (
      Math.hypot(fit.cx - pose.cx, fit.cy - pose.cy) >= REFINE_REACH * size ||
      Math.abs(Math.log(fit.w / pose.w)) >= REFINE_REACH ||
      Math.abs(fit.angle - pose.angle) >= REFINE_REACH
    )
      return;
    const refined: TrackedPose = {
      cx: fit.cx,
      cy: fit.cy,
      w: fit.w,
      h: fit.h,
      angle: fit.angle,
      run: pose.run,
    };
    this.refined.set(step.frame, {
      tracked: step.box,
      box: clipBox(turnedRectBox(fit.cx, fit.cy, fit.w, fit.h, fit.angle), frame),
      pose: refined,
    });
  }

  /**
   * The step as handed on: refined where its frame was aligned and the step is still the tracker's own (a
   * run back over lost frames may have replaced it).
   */
  apply(step: PosedStep): PosedStep {
    const refined = this.refined.get(step.frame);
    if (!refined) return step;
    this.refined.delete(step.frame);
    if (step.box !== refined.tracked || step.pose?.run !== refined.pose.run) return step;
    return { ...step, box: refined.box, pose: refined.pose };
  }
}
