import { FILLER_WORDS } from '../model/features.js';

/** Repeats up to this many words long are found ("i i", "it is it is", "i want to i want to"). */
export const MAX_REPEAT = 3;

/**
 * The rule baseline: filled pauses are edit terms; the first copy of an exact repetition (fillers between
 * the copies ignored) is a reparandum. Labels word i using only words[0 .. last] (what has arrived so far).
 * Returns 0 fluent, 1 reparandum, 2 edit.
 */
export function ruleLabel(words: readonly string[], i: number, last: number = words.length - 1): 0 | 1 | 2 {
  if (FILLER_WORDS.has(words[i])) return 2;
  // Filler-free view of the window around i.
  const idx: number[] = [];
  for (let j = Math.max(0, i - 2 * MAX_REPEAT - 4); j <= last && idx.length < 4 * MAX_REPEAT + 8; j++) {
    if (!FILLER_WORDS.has(words[j])) idx.push(j);
  }
  const at = idx.indexOf(i);
  for (let k = 1; k <= MAX_REPEAT; k++) {
    for (let o = 0; o < k; o++) {
      const s = at - o;
      if (s < 0 || s + 2 * k > idx.length) continue;
      let same = true;
      for (let m = 0; m < k && same; m++) same = words[idx[s + m]] === words[idx[s + k + m]];
      if (same) return 1;
    }
  }
  return 0;
}
