export { generateSyntheticVideo, type SyntheticVideo } from './video.js';
export { writeMp4, type WriteMp4Options } from './mp4.js';
export {
  CHALLENGES,
  type Challenge,
  type FramePose,
  OUTSIDE_BELOW_VISIBLE,
  type SyntheticSpec,
  type TruthStep,
} from './scenario.js';
export { encodePng, drawBox, type RgbaImage } from './png.js';
