import { nearWord } from '../data/wordclass.js';
import { EOS_WORD } from './config.js';

export const FILLER_WORDS = new Set(['uh', 'um', 'er', 'ah', 'eh', 'erm', 'hmm', 'mm', 'uhm']);
export const CUE_WORDS = new Set(['mean', 'wait', 'sorry', 'rather', 'actually', 'no', 'oops', 'scratch']);
/** Features there are; a model reads the first `numFeatures` (12 by default, 14 with the near-repeat flags). */
export const NUM_FEATURES = 14;

/**
 * Cheap per-token evidence computed from the words up to and including position i (never later ones, so a
 * prefix's features never change): repeats at distance 1-5, repeated bigrams and trigrams, fillers, repair cues.
 * Repetition is what makes most reparanda recognisable, and a small model learns it far faster from these flags
 * than from embeddings alone. Writes the first `count` features (older models use fewer).
 */
export function tokenFeatures(
  ws: readonly string[],
  i: number,
  known: boolean,
  out: Float32Array,
  offset: number,
  count = NUM_FEATURES,
): void {
  const w = ws[i];
  const at = (k: number) => (i - k >= 0 ? ws[i - k] : undefined);
  const eos = w === EOS_WORD;
  out[offset + 0] = !eos && at(1) === w ? 1 : 0;
  out[offset + 1] = !eos && at(2) === w ? 1 : 0;
  out[offset + 2] = !eos && at(3) === w ? 1 : 0;
  out[offset + 3] = !eos && i >= 3 && at(1) === at(3) && w === at(2) ? 1 : 0;
  out[offset + 4] = !eos && i >= 5 && at(2) === at(5) && at(1) === at(4) && w === at(3) ? 1 : 0;
  out[offset + 5] = FILLER_WORDS.has(w) ? 1 : 0;
  out[offset + 6] = CUE_WORDS.has(w) ? 1 : 0;
  out[offset + 7] = known ? 0 : 1;
  let seen = 0;
  for (let k = 1; k <= 8 && i - k >= 0; k++) if (ws[i - k] === w) seen = 1;
  out[offset + 8] = eos ? 0 : seen;
  out[offset + 9] = i === 0 ? 1 : 0;
  out[offset + 10] = eos ? 1 : 0;
  out[offset + 11] = !eos && (at(4) === w || at(5) === w) ? 1 : 0;
  if (count <= 12) return;
  // Near repeats: a substitution often restarts with a variant of the word just said ("it its", "that thats").
  out[offset + 12] = !eos && nearWord(w, at(1)) ? 1 : 0;
  out[offset + 13] = !eos && (nearWord(w, at(2)) || nearWord(w, at(3))) ? 1 : 0;
}
