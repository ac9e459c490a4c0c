export { alignPair, loadDisflQa } from './data/disflqa.js';
export { EDIT, FLUENT, LABEL_NAMES, type Label, type LabelledUtterance, REPARANDUM } from './data/labels.js';
export { formatMarked, parseMarked } from './data/marked.js';
export { loadSwitchboard } from './data/switchboard.js';
export { DEFAULT_GENERATOR, type GeneratorOptions, injectDisfluencies } from './data/synthetic.js';
export { createDetector, type Detector, type DetectorOptions, shippedModelsDir } from './detect/detector.js';
export {
  type CleanResult,
  cleanText,
  currentDecisions,
  type Decision,
  type DetectorStream,
  type LabelName,
  REVISIONS,
  type Revisions,
  type StreamOptions,
} from './detect/types.js';
export * from './metrics/streaming.js';
export { ruleLabel } from './rules/baseline.js';
export { normalizeWord, tokenize, words } from './text/tokenize.js';
