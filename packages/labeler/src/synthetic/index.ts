export { type WriteMp4Options, writeMp4 } from './mp4.js';
export { drawBox, encodePng, type RgbaImage } from './png.js';
export {
  CHALLENGES,
  type Challenge,
  type FramePose,
  OUTSIDE_BELOW_VISIBLE,
  type SyntheticSpec,
  type TruthStep,
} from './scenario.js';
export { generateSyntheticVideo, type SyntheticVideo } from './video.js';
