import { FLUENT, type Label, type LabelledUtterance } from './labels.js';

/** Labelled words a generator inserts before fluent word `at` (at = length: after the last word). */
export interface Insertion {
  at: number;
  words: string[];
  labels: Label[];
}

/**
 * The fluent words, labelled FLUENT and in order, with the insertions placed before their positions. Insertions at
 * one position keep the order they were made in (a stable sort), so a generator decides which comes first.
 */
export function applyInsertions(fluent: readonly string[], insertions: Insertion[]): LabelledUtterance {
  const n = fluent.length;
  insertions.sort((a, b) => a.at - b.at);
  const words: string[] = [];
  const labels: Label[] = [];
  let k = 0;
  for (let i = 0; i <= n; i++) {
    while (k < insertions.length && insertions[k].at === i) {
      words.push(...insertions[k].words);
      labels.push(...insertions[k].labels);
      k++;
    }
    if (i < n) {
      words.push(fluent[i]);
      labels.push(FLUENT);
    }
  }
  return { words, labels };
}
