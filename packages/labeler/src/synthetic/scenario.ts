import type { Box } from '../tracking/contract.js';
import { createRandom, randomBetween } from './random.js';

/** The difficulty classes of the synthetic set; a video may combine several. */
export const CHALLENGES = ['scale', 'rotation', 'lighting', 'blur', 'occlusion', 'exit'] as const;
export type Challenge = (typeof CHALLENGES)[number];

export interface SyntheticSpec {
  /** Same seed, same video, on every machine. */
  seed: number;
  challenges?: Challenge[];
  width?: number;
  height?: number;
  frameCount?: number;
  /** Object size in pixels at scale 1 (before rotation). */
  objectWidth?: number;
  objectHeight?: number;
  /** Frames per second written into an mp4 (timing only; frames are addressed by index). */
  fps?: number;
}

/** Everything that decides how one frame looks; the truth box is derived from it analytically. */
export interface FramePose {
  cx: number;
  cy: number;
  scale: number;
  /** Radians, counter-clockwise in image coordinates (y down). */
  angle: number;
  sceneGain: number;
  objectGain: number;
  blurRadius: number;
  /** Occluder plank: horizontal centre and width in pixels; null when there is none. */
  occluderX: number | null;
  occluderWidth: number;
  backgroundX: number;
  backgroundY: number;
}

export interface TruthStep {
  frame: number;
  /** The object's axis-aligned box clipped to the frame (occluded parts included); null when outside. */
  box: Box | null;
  /** True when less than a quarter of the object's box is inside the frame. */
  outside: boolean;
  /** Share of the object's box inside the frame, 0..1. */
  visibleFraction: number;
  /** Share of the object's box width covered by the occluder, 0..1. */
  occludedFraction: number;
}

export interface ResolvedSpec extends Required<SyntheticSpec> {}

export const BACKGROUND_MARGIN_X = 48;
export const BACKGROUND_MARGIN_Y = 24;
/** Below this share of its box inside the frame, an object counts as outside (labelers mark it so). */
export const OUTSIDE_BELOW_VISIBLE = 0.25;

export function resolveSpec(spec: SyntheticSpec): ResolvedSpec {
  if (!Number.isFinite(spec.seed))
    throw new Error(`synthetic spec: seed must be a finite number, got ${spec.seed}`);
  const resolved: ResolvedSpec = {
    seed: spec.seed,
    challenges: [...(spec.challenges ?? [])],
    width: spec.width ?? 640,
    height: spec.height ?? 360,
    frameCount: spec.frameCount ?? 200,
    objectWidth: spec.objectWidth ?? 72,
    objectHeight: spec.objectHeight ?? 48,
    fps: spec.fps ?? 25,
  };
  for (const c of resolved.challenges) {
    if (!(CHALLENGES as readonly string[]).includes(c)) {
      throw new Error(`synthetic spec: unknown challenge "${c}"; expected one of ${CHALLENGES.join(', ')}`);
    }
  }
  const { width, height, frameCount, objectWidth, objectHeight } = resolved;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 64 ||
    height < 64 ||
    width > 4096 ||
    height > 4096
  ) {
    throw new Error(`synthetic spec: width and height must be integers in 64..4096, got ${width}x${height}`);
  }
  if (!Number.isInteger(frameCount) || frameCount < 1 || frameCount > 100000) {
    throw new Error(`synthetic spec: frameCount must be an integer in 1..100000, got ${frameCount}`);
  }
  if (!(objectWidth >= 8 && objectHeight >= 8 && objectWidth * 2.5 < width && objectHeight * 2.5 < height)) {
    throw new Error(
      `synthetic spec: object ${objectWidth}x${objectHeight} must be at least 8x8 and under 40% of the frame ${width}x${height}`,
    );
  }
  return resolved;
}

/** Smooth, seed-dependent trajectories for every parameter; each challenge switches one of them on. */
export function makePoses(spec: ResolvedSpec): FramePose[] {
  const random = createRandom(spec.seed);
  const has = (c: Challenge) => spec.challenges.includes(c);
  const { width: W, height: H, frameCount: n, objectWidth: ow, objectHeight: oh } = spec;
  const phase = () => random() * Math.PI * 2;
  const p = {
    x1: phase(),
    x2: phase(),
    y1: phase(),
    y2: phase(),
    s: phase(),
    r: phase(),
    l1: phase(),
    l2: phase(),
    bx: phase(),
    by: phase(),
  };
  const maxScale = has('scale') ? 1.8 : 1;
  const minScale = has('scale') ? 0.55 : 1;
  const maxAngle = has('rotation') ? (40 * Math.PI) / 180 : 0;
  const diag = Math.hypot(ow, oh) * maxScale;
  const halfExtentX = (has('rotation') ? diag : ow * maxScale) / 2;
  const halfExtentY = (has('rotation') ? diag : oh * maxScale) / 2;
  const ax = Math.max(0, W / 2 - halfExtentX - 8);
  const ay = Math.max(0, H / 2 - halfExtentY - 8);
  const period = Math.max(60, n);
  const speedScale = randomBetween(random, 0.9, 1.1);
  const poses: FramePose[] = [];
  for (let t = 0; t < n; t++) {
    const w = (2 * Math.PI * t) / period;
    let cx: number;
    if (has('exit')) {
      // Swings far enough that the object leaves the frame on one side, comes back, and leaves on the other.
      const reach = W / 2 + (ow * maxScale) / 2 + 24;
      cx = W / 2 + reach * Math.sin(w * speedScale + 0.35);
    } else {
      cx = W / 2 + ax * (0.72 * Math.sin(w * speedScale + p.x1) + 0.28 * Math.sin(2.3 * w + p.x2));
    }
    const cy = H / 2 + ay * (0.7 * Math.sin(1.3 * w + p.y1) + 0.3 * Math.sin(3.1 * w + p.y2));
    const scale = has('scale')
      ? Math.exp(
          ((Math.log(maxScale) - Math.log(minScale)) / 2) * Math.sin(1.5 * w + p.s) +
            (Math.log(maxScale) + Math.log(minScale)) / 2,
        )
      : 1;
    // Upright in the first frame, where the box is drawn: a box says nothing of an object's own axes.
    const angle = maxAngle * Math.sin(1.7 * w);
    const sceneGain = has('lighting') ? 1 + 0.45 * Math.sin(2.2 * w + p.l1) : 1;
    const objectGain = has('lighting') ? 1 + 0.35 * Math.sin(3.3 * w + p.l2) : 1;
    // Blur and occluder start clear so that the first frame, where a person draws the box, is clean.
    const blurRadius = has('blur') ? Math.round(4 * (0.5 - 0.5 * Math.cos(3 * w))) : 0;
    // The plank swings across the object so that it covers up to ~60% of it, again and again.
    const occluderWidth = 0.6 * ow * (has('scale') ? scale : 1);
    const occluderX = has('occlusion') ? cx + 1.1 * ow * Math.cos(4 * w) : null;
    const backgroundX = Math.round(BACKGROUND_MARGIN_X * (1 + 0.95 * Math.sin(1.9 * w + p.bx)));
    const backgroundY = Math.round(BACKGROUND_MARGIN_Y * (1 + 0.95 * Math.sin(2.7 * w + p.by)));
    poses.push({
      cx,
      cy,
      scale,
      angle,
      sceneGain,
      objectGain,
      blurRadius,
      occluderX,
      occluderWidth,
      backgroundX,
      backgroundY,
    });
  }
  return poses;
}

/** Half extents of the rotated, scaled object rectangle's axis-aligned bounding box. */
export function objectHalfExtents(spec: ResolvedSpec, pose: FramePose): { hx: number; hy: number } {
  const c = Math.abs(Math.cos(pose.angle));
  const s = Math.abs(Math.sin(pose.angle));
  const w = spec.objectWidth * pose.scale;
  const h = spec.objectHeight * pose.scale;
  return { hx: (c * w + s * h) / 2, hy: (s * w + c * h) / 2 };
}

export function truthFor(spec: ResolvedSpec, pose: FramePose, frame: number): TruthStep {
  const { hx, hy } = objectHalfExtents(spec, pose);
  const x0 = pose.cx - hx;
  const y0 = pose.cy - hy;
  const x1 = pose.cx + hx;
  const y1 = pose.cy + hy;
  const cx0 = Math.max(0, x0);
  const cy0 = Math.max(0, y0);
  const cx1 = Math.min(spec.width, x1);
  const cy1 = Math.min(spec.height, y1);
  const visibleArea = Math.max(0, cx1 - cx0) * Math.max(0, cy1 - cy0);
  const visibleFraction = visibleArea / ((x1 - x0) * (y1 - y0));
  const outside = visibleFraction < OUTSIDE_BELOW_VISIBLE;
  let occludedFraction = 0;
  if (pose.occluderX !== null) {
    const o0 = pose.occluderX - pose.occluderWidth / 2;
    const o1 = pose.occluderX + pose.occluderWidth / 2;
    occludedFraction = Math.max(0, Math.min(x1, o1) - Math.max(x0, o0)) / (x1 - x0);
  }
  return {
    frame,
    box: outside ? null : { x: cx0, y: cy0, w: cx1 - cx0, h: cy1 - cy0 },
    outside,
    visibleFraction,
    occludedFraction,
  };
}
