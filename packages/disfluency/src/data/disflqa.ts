import { words } from '../text/tokenize.js';
import { EDIT, FLUENT, type Label, type LabelledUtterance, REPARANDUM } from './labels.js';

/** Words that, when left over by the alignment, are interregna rather than part of the reparandum. */
const CUE_WORDS = new Set([
  'i',
  'mean',
  'no',
  'wait',
  'sorry',
  'or',
  'rather',
  'uh',
  'um',
  'actually',
  'oh',
  'well',
  'er',
  'make',
  'that',
  'scratch',
  'rather',
  'oops',
]);
const CUE_PHRASES = [
  ['i', 'mean'],
  ['no', 'wait'],
  ['or', 'rather'],
  ['or', 'wait'],
  ['no', 'sorry'],
  ['oh', 'sorry'],
  ['make', 'that'],
  ['scratch', 'that'],
  ['sorry'],
  ['no'],
  ['wait'],
  ['uh'],
  ['um'],
  ['er'],
  ['actually'],
  ['oops'],
  ['rather'],
];

/**
 * Labels a human-written disfluent question against its fluent original: the original must appear in order
 * inside the disfluent text. The right-most embedding is used, because a repair follows its reparandum
 * ("who did no what did the ..."): the later copy is the fluent one. Returns null when the original is not
 * an in-order subsequence (about a quarter of Disfl-QA); those pairs are left out rather than guessed.
 */
export function alignPair(original: string, disfluent: string): LabelledUtterance | null {
  const o = words(original);
  const d = words(disfluent);
  const keep = new Array<boolean>(d.length).fill(false);
  let j = d.length - 1;
  for (let i = o.length - 1; i >= 0; i--) {
    while (j >= 0 && d[j] !== o[i]) j--;
    if (j < 0) return null;
    keep[j] = true;
    j--;
  }
  const labels: Label[] = keep.map((k) => (k ? FLUENT : REPARANDUM));
  markCues(d, labels);
  return { words: d, labels };
}

/** Inside removed stretches, the trailing cue phrase ("... no wait") is an interregnum, not reparandum. */
function markCues(ws: string[], labels: Label[]): void {
  let i = 0;
  while (i < ws.length) {
    if (labels[i] === FLUENT) {
      i++;
      continue;
    }
    let end = i;
    while (end < ws.length && labels[end] !== FLUENT) end++;
    // Strip cue phrases from the end of the removed span.
    let stop = end;
    let matched = true;
    while (matched && stop > i) {
      matched = false;
      for (const phrase of CUE_PHRASES) {
        const s = stop - phrase.length;
        if (s < i) continue;
        if (phrase.every((w, k) => ws[s + k] === w && CUE_WORDS.has(w))) {
          for (let k = s; k < stop; k++) labels[k] = EDIT;
          stop = s;
          matched = true;
          break;
        }
      }
    }
    i = end;
  }
}

/** Parses a Disfl-QA JSON file ({id: {original, disfluent}}) into aligned utterances; counts what was dropped. */
export function loadDisflQa(json: string): {
  utterances: LabelledUtterance[];
  dropped: number;
  total: number;
} {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new Error(
      `Disfl-QA data is not valid JSON (${(e as Error).message}); expected {"id": {"original": "...", "disfluent": "..."}}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('Disfl-QA data must be a JSON object {"id": {"original": "...", "disfluent": "..."}}');
  }
  const utterances: LabelledUtterance[] = [];
  let dropped = 0;
  let total = 0;
  for (const [id, pair] of Object.entries(parsed as Record<string, unknown>)) {
    const p = pair as { original?: unknown; disfluent?: unknown };
    if (typeof p?.original !== 'string' || typeof p?.disfluent !== 'string') {
      throw new Error(`Disfl-QA entry "${id}" needs string fields "original" and "disfluent"`);
    }
    total++;
    const u = alignPair(p.original, p.disfluent);
    if (u) utterances.push(u);
    else dropped++;
  }
  return { utterances, dropped, total };
}
