import { applyInsertions, type Insertion } from './insertions.js';
import { EDIT, type Label, type LabelledUtterance, REPARANDUM } from './labels.js';
import type { Rng } from './rng.js';
import { nearWord, REPARANDUM_START_RATE, wordClass } from './wordclass.js';

/**
 * Kinds of reparandum, as Switchboard's tags name them: a repetition ("the the"), a substitution ("it was it
 * is", "i my grandparents") and a deletion (an abandoned start the repair does not replace: "and the we left").
 */
export const EVENT_KINDS = ['repetition', 'substitution', 'deletion'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface GeneratorOptions {
  /** Multiplies the per-word chance that a reparandum starts there (1 = Switchboard's rate, by word class). */
  reparandumRate: number;
  /** Relative weight of each reparandum kind, in EVENT_KINDS order. */
  kindWeights: readonly number[];
  /** Chance per fluent word of a free-standing edit term before it ("uh", "you know", "well"). */
  editRate: number;
  /** Chance that a reparandum is followed by an interregnum ("uh", "you know", "I mean"). */
  interregnumRate: number;
}

/**
 * Proportions from the disfluency tags of Switchboard dev (never its text): repetitions 51%, substitutions 44%,
 * deletions 5% of reparanda; 14% of them with an interregnum; edit terms about 7 per 100 fluent words.
 * Reparanda are twice as frequent as there, so training sees enough of them (a decoding bias, calibrated after
 * training, corrects the model's prior back); repetitions are favoured a little (55%, not 51%).
 */
export const DEFAULT_GENERATOR: GeneratorOptions = {
  reparandumRate: 2,
  kindWeights: [0.55, 0.4, 0.05],
  editRate: 0.07,
  interregnumRate: 0.14,
};

// Reparandum lengths in words (1, 2, 3, ...), per kind, from the same tag counts; repetitions longer than one
// word are made twice as common as there (0.15 -> 0.3), because a small model learns them slowest.
const REPETITION_LENGTH = [0.7, 0.2, 0.08, 0.02];
const SUBSTITUTION_LENGTH = [0.44, 0.31, 0.14, 0.055, 0.055];
const DELETION_LENGTH = [0.79, 0.18, 0.03];
/** Substitutions of two or more words mostly restart with the same first word ("it was it is"). */
const SAME_FIRST_WORD = 0.75;
/** Share of other substitutions that start on a variant of the repaired word ("it its", "we were"). */
const NEAR_WORD = 0.4;
/** "I I I": a repetition said twice. */
const TWICE = 0.07;

type Phrase = readonly string[];
// [words, weight, utterance-initial]: discourse markers like "well" and "oh" open a turn; pauses go anywhere.
const EDIT_TERMS: readonly (readonly [Phrase, number, boolean])[] = [
  [['uh'], 0.42, false],
  [['uh', 'uh'], 0.04, false],
  [['um'], 0.06, false],
  [['you', 'know'], 0.17, false],
  [['well'], 0.09, true],
  [['oh'], 0.05, true],
  [['i', 'mean'], 0.05, false],
  [['like'], 0.03, false],
  [['actually'], 0.02, false],
  [['so'], 0.02, true],
  [['er'], 0.01, false],
  [['you', 'see'], 0.01, false],
];
const INTERREGNA: readonly (readonly [Phrase, number])[] = [
  [['uh'], 0.5],
  [['you', 'know'], 0.14],
  [['uh', 'uh'], 0.05],
  [['um'], 0.04],
  [['i', 'mean'], 0.08],
  [['uh', 'you', 'know'], 0.04],
  [['well'], 0.04],
  [['like'], 0.03],
  [['uh', 'i', 'mean'], 0.02],
  [['or'], 0.02],
  [['actually'], 0.01],
  [['no'], 0.01],
  [['sorry'], 0.01],
  [['no', 'wait'], 0.01],
];

/**
 * Injects conversational disfluencies into a fluent utterance. Everything inserted is labelled REPARANDUM or
 * EDIT and every original word stays in order labelled FLUENT, so removing the labelled words returns the
 * source exactly. `donor` supplies other utterances, from which substituted and abandoned phrases are taken.
 */
export function injectDisfluencies(
  fluent: readonly string[],
  rng: Rng,
  donor: () => readonly string[],
  options: GeneratorOptions = DEFAULT_GENERATOR,
): LabelledUtterance {
  const n = fluent.length;
  if (n === 0) return { words: [], labels: [] };
  const insertions: Insertion[] = [];
  for (let i = 0; i < n; i++) {
    const rate = REPARANDUM_START_RATE[wordClass(fluent[i])];
    if (rng.next() >= (i === 0 ? rate.initial : rate.mid) * options.reparandumRate) continue;
    const rep = reparandum(EVENT_KINDS[rng.weighted(options.kindWeights)], fluent, i, rng, donor);
    if (!rep || rep.length === 0) continue;
    const ins: Insertion = { at: i, words: rep, labels: rep.map((): Label => REPARANDUM) };
    if (rng.next() < options.interregnumRate) {
      const cue = INTERREGNA[rng.weighted(INTERREGNA.map((t) => t[1]))][0];
      ins.words.push(...cue);
      ins.labels.push(...cue.map((): Label => EDIT));
    }
    insertions.push(ins);
  }
  for (let e = 0; e < n; e++) {
    if (rng.next() >= options.editRate) continue;
    const [term, , initial] = EDIT_TERMS[rng.weighted(EDIT_TERMS.map((t) => t[1]))];
    const at = initial && rng.next() < 0.8 ? 0 : rng.int(n + 1);
    insertions.push({ at, words: [...term], labels: term.map((): Label => EDIT) });
  }
  // At one position, edit terms come after the reparandum (as an interregnum would): they were made later.
  return applyInsertions(fluent, insertions);
}

/** The words a speaker says and then takes back, before fluent word `at`. */
function reparandum(
  kind: EventKind,
  fluent: readonly string[],
  at: number,
  rng: Rng,
  donor: () => readonly string[],
): string[] | null {
  const first = fluent[at];
  switch (kind) {
    case 'repetition': {
      const len = Math.min(1 + rng.weighted(REPETITION_LENGTH), fluent.length - at);
      const once = fluent.slice(at, at + len);
      return rng.next() < TWICE ? [...once, ...once] : once;
    }
    case 'substitution': {
      const len = 1 + rng.weighted(SUBSTITUTION_LENGTH);
      // "it was | it is": a phrase from another utterance that starts like this one, then goes elsewhere.
      if (len >= 2 && rng.next() < SAME_FIRST_WORD) {
        const next = fluent[at + 1];
        const frag = donorPhrase(
          rng,
          donor,
          (d, j) => d[j] === first && d[j + 1] !== next && j + 1 < d.length,
          len,
        );
        if (frag) return frag;
      }
      // "that | thats", "it | its": a variant of the same word; else "i | my grandparents": a phrase opening
      // with another word of the same class.
      if (rng.next() < NEAR_WORD) {
        const frag = donorPhrase(rng, donor, (d, j) => nearWord(d[j], first), len);
        if (frag) return frag;
      }
      const cls = wordClass(first);
      return donorPhrase(rng, donor, (d, j) => d[j] !== first && wordClass(d[j]) === cls, len);
    }
    case 'deletion': {
      // An abandoned start on any function word, replaced by nothing: "and the | we left".
      const len = 1 + rng.weighted(DELETION_LENGTH);
      return donorPhrase(rng, donor, (d, j) => d[j] !== first && wordClass(d[j]) !== 'other', len);
    }
  }
}

/** Up to `len` words from a donor utterance, starting at a position `ok` accepts; null after a few tries. */
function donorPhrase(
  rng: Rng,
  donor: () => readonly string[],
  ok: (d: readonly string[], j: number) => boolean,
  len: number,
): string[] | null {
  for (let tries = 0; tries < 30; tries++) {
    const d = donor();
    const starts: number[] = [];
    for (let j = 0; j < d.length; j++) if (ok(d, j)) starts.push(j);
    if (starts.length === 0) continue;
    const j = rng.pick(starts);
    return d.slice(j, j + len);
  }
  return null;
}
