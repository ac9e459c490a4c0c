import type { Frame, FrameSource } from '../tracking/contract.js';
import { type RenderOptions, SceneRenderer } from './render.js';
import {
  type FramePose,
  makePoses,
  type ResolvedSpec,
  resolveSpec,
  type SyntheticSpec,
  type TruthStep,
  truthFor,
} from './scenario.js';

export interface SyntheticVideo {
  spec: ResolvedSpec;
  /** Frames rendered on demand (deterministic), with a small cache for trackers that look back. */
  source: FrameSource;
  /** The object's true box for every frame. */
  truth: TruthStep[];
  poses: FramePose[];
  /** Render a frame afresh, optionally without the object (to check the truth independently). */
  renderFrame(index: number, options?: RenderOptions): Frame;
}

const CACHE_FRAMES = 8;

/** A synthetic video with a textured object whose box is known exactly in every frame. */
export function generateSyntheticVideo(spec: SyntheticSpec): SyntheticVideo {
  const resolved = resolveSpec(spec);
  const poses = makePoses(resolved);
  const truth = poses.map((pose, i) => truthFor(resolved, pose, i));
  const renderer = new SceneRenderer(resolved);
  const cache = new Map<number, Frame>();
  const renderFrame = (index: number, options?: RenderOptions): Frame => {
    if (!Number.isInteger(index) || index < 0 || index >= resolved.frameCount) {
      throw new RangeError(`frame index ${index} is outside 0..${resolved.frameCount - 1}`);
    }
    return renderer.render(poses[index], index, options);
  };
  const source: FrameSource = {
    frameCount: resolved.frameCount,
    width: resolved.width,
    height: resolved.height,
    async frame(index: number): Promise<Frame> {
      const hit = cache.get(index);
      if (hit) return hit;
      const frame = renderFrame(index);
      cache.set(index, frame);
      if (cache.size > CACHE_FRAMES) cache.delete(cache.keys().next().value as number);
      return frame;
    },
  };
  return { spec: resolved, source, truth, poses, renderFrame };
}
