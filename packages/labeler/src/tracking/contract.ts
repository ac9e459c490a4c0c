/**
 * The seam between the tracking engine (pure computation on pixels, no I/O) and the app that decodes
 * video, stores annotations and runs tracking in a background worker. The engine knows nothing of
 * databases or HTTP; the app knows nothing of how a tracker works.
 */

/** One decoded video frame, 8-bit RGBA, row-major, exactly as decoded (no resampling). */
export interface Frame {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

/** Axis-aligned box in pixels: top-left corner and size. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Random access to a video's frames by exact index (0-based, in decode order). */
export interface FrameSource {
  readonly frameCount: number;
  readonly width: number;
  readonly height: number;
  frame(index: number): Promise<Frame>;
}

/** The tracker's answer for one frame. `box` is null when the object is judged outside or lost. */
export interface TrackStep {
  frame: number;
  box: Box | null;
  /** 0..1: how sure the tracker is (correlation peak strength, re-detection agreement). */
  confidence: number;
  /** True when the object is judged gone (left the frame or fully occluded) at this frame. */
  outside: boolean;
}

export interface TrackRequest {
  source: FrameSource;
  startFrame: number;
  /** The object's box on the start frame. Leave it out when the object is outside there, and give `seen`. */
  startBox?: Box;
  /**
   * For an object outside on the start frame (a person marked it so): a frame where it was in view and its box
   * there, from which its looks are learnt. The run reports it outside until it finds it coming back into view
   * (searching the whole of each frame, as after a loss), then tracks it from there.
   */
  seen?: { frame: number; box: Box };
  direction: 'forward' | 'backward';
  /** Last frame to produce (inclusive); the end (or start) of the video when omitted. */
  endFrame?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** A keyframe set by a person; interpolation fills the frames between keyframes. */
export interface Keyframe {
  frame: number;
  box: Box;
  outside: boolean;
}
