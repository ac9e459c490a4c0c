import { normalizeAnswer } from '../text/tokenize.js';

const NUMBER_WORDS: Record<string, string> = {
  zero: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
};

/** VQA answer normalisation: lower case, no punctuation or articles, number words as digits, plural "s" kept. */
export function normalizeVqa(a: string): string {
  return normalizeAnswer(a)
    .split(' ')
    .map((w) => NUMBER_WORDS[w] ?? w)
    .join(' ');
}

/** Exact match against any accepted alias (after normalisation). */
export function exactMatch(prediction: string | null, aliases: string[]): number {
  if (prediction === null) return 0;
  const p = normalizeVqa(prediction);
  return aliases.some((a) => normalizeVqa(a) === p) ? 1 : 0;
}

/**
 * VQA soft accuracy: min(1, #humans who gave the answer / 3), averaged over the leave-one-out subsets
 * of the human answers (the official VQA formula). Without human answers, every alias counts as an
 * answer three people gave, so soft accuracy equals exact match.
 */
export function vqaSoftAccuracy(
  prediction: string | null,
  aliases: string[],
  humanAnswers?: string[],
): number {
  if (prediction === null) return 0;
  if (!humanAnswers?.length) return exactMatch(prediction, aliases);
  const p = normalizeVqa(prediction);
  const hs = humanAnswers.map(normalizeVqa);
  if (hs.length === 1) return hs[0] === p ? 1 : 0;
  let total = 0;
  for (let i = 0; i < hs.length; i++) {
    const matches = hs.filter((h, j) => j !== i && h === p).length;
    total += Math.min(1, matches / 3);
  }
  return total / hs.length;
}
