export type { Box, Frame, FrameSource, Keyframe, TrackRequest, TrackStep } from './contract.js';
export { type AcrossEdgeInput, carryAcrossEdge } from './entry.js';
export { carryOutOfView, type OutOfViewInput } from './exit.js';
export { type FillRequest, fillBetweenKeyframes, fillFromRuns } from './fill.js';
export { type FuseInput, fuseRuns } from './fuse.js';
export { interpolate } from './interpolate.js';
export { carryIntoView, type IntoViewInput } from './into-view.js';
export { frameScore, iou, type SequenceScore, scoreSequence } from './metrics.js';
export { trackObject } from './track.js';
export {
  CorrelationTracker,
  DEFAULT_TRACKER_OPTIONS,
  type TrackerOptions,
  type TrackerState,
} from './tracker.js';
