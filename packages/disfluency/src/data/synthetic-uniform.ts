import { applyInsertions, type Insertion } from './insertions.js';
import { EDIT, type Label, type LabelledUtterance, REPARANDUM } from './labels.js';
import type { Rng } from './rng.js';

/**
 * The first generator: disfluency events at uniformly random positions of the utterance (any word can be
 * repeated or replaced by a word from another utterance), 0-3 per utterance. Less like conversation than
 * `injectDisfluencies` (synthetic.ts), but dense in copy-and-change patterns, which a small model learns from
 * quickly; training mixes the two.
 */
const UNIFORM_KINDS = ['repetition', 'replacement', 'restart', 'filler'] as const;
type UniformKind = (typeof UNIFORM_KINDS)[number];

export interface UniformGeneratorOptions {
  /** Probability of 0, 1, 2, 3 injected events per utterance. */
  eventCount: readonly number[];
  /** Relative weight of each event kind, in UNIFORM_KINDS order. */
  kindWeights: readonly number[];
  /** Probability that a replacement or restart gets an interregnum ("I mean", "no wait", "uh"). */
  interregnumRate: number;
}

export const UNIFORM_GENERATOR: UniformGeneratorOptions = {
  eventCount: [0.28, 0.42, 0.2, 0.1],
  kindWeights: [0.36, 0.27, 0.09, 0.28],
  interregnumRate: 0.3,
};

// Switchboard's edit terms are mostly "uh", then "you know", "um"; transcripts of other sources use "um" more.
const FILLERS: readonly (readonly string[])[] = [['uh'], ['um'], ['you', 'know'], ['uh'], ['uh'], ['er']];
const FILLER_WEIGHTS = [0.55, 0.15, 0.12, 0, 0, 0.03];
const INTERREGNA: readonly (readonly string[])[] = [
  ['i', 'mean'],
  ['uh'],
  ['um'],
  ['no'],
  ['sorry'],
  ['no', 'wait'],
  ['or', 'rather'],
  ['well'],
  ['actually'],
  ['uh', 'i', 'mean'],
  ['i', 'mean', 'uh'],
  ['oh', 'sorry'],
  ['wait'],
  ['no', 'sorry'],
  ['or', 'wait'],
];
const INTERREGNUM_WEIGHTS = [
  0.2, 0.22, 0.06, 0.08, 0.07, 0.06, 0.03, 0.05, 0.04, 0.04, 0.03, 0.03, 0.03, 0.03, 0.03,
];
const REPARANDUM_LENGTH = [0.62, 0.26, 0.12]; // 1, 2, 3 words

/**
 * Injects disfluencies at uniform positions. Everything inserted is labelled REPARANDUM or EDIT and every
 * original word stays in order labelled FLUENT, so removing the labelled words returns the source exactly.
 * `donor` supplies words from other utterances for substitutions and abandoned restarts.
 */
export function injectUniform(
  fluent: readonly string[],
  rng: Rng,
  donor: () => readonly string[],
  options: UniformGeneratorOptions = UNIFORM_GENERATOR,
): LabelledUtterance {
  const n = fluent.length;
  if (n === 0) return { words: [], labels: [] };
  const events = rng.weighted(options.eventCount);
  const insertions: Insertion[] = [];
  for (let e = 0; e < events; e++) {
    const kind = UNIFORM_KINDS[rng.weighted(options.kindWeights)];
    const ins = makeEvent(kind, fluent, rng, donor, options);
    if (ins) insertions.push(ins);
  }
  return applyInsertions(fluent, insertions);
}

function makeEvent(
  kind: UniformKind,
  fluent: readonly string[],
  rng: Rng,
  donor: () => readonly string[],
  options: UniformGeneratorOptions,
): Insertion | null {
  const n = fluent.length;
  const withInterregnum = (rep: string[], at: number, rate: number): Insertion => {
    const labels: Label[] = rep.map(() => REPARANDUM);
    const words = [...rep];
    if (rng.next() < rate) {
      const cue = INTERREGNA[rng.weighted(INTERREGNUM_WEIGHTS)];
      words.push(...cue);
      for (const _ of cue) labels.push(EDIT);
    }
    return { at, words, labels };
  };
  switch (kind) {
    case 'filler': {
      // Fillers cluster at the start and before content words; position uniform is close enough.
      const at = rng.next() < 0.3 ? 0 : rng.int(n + 1);
      const filler = FILLERS[rng.weighted(FILLER_WEIGHTS)];
      return { at, words: [...filler], labels: filler.map(() => EDIT as Label) };
    }
    case 'repetition': {
      const len = Math.min(1 + rng.weighted(REPARANDUM_LENGTH), n);
      const at = rng.int(n - len + 1);
      const copies = rng.next() < 0.12 ? 2 : 1;
      const rep: string[] = [];
      for (let c = 0; c < copies; c++) rep.push(...fluent.slice(at, at + len));
      return withInterregnum(rep, at, options.interregnumRate * 0.3);
    }
    case 'replacement': {
      const len = Math.min(1 + rng.weighted(REPARANDUM_LENGTH), n);
      const at = rng.int(n - len + 1);
      const rep = fluent.slice(at, at + len);
      const src = donor();
      if (src.length === 0) return null;
      // Substitute the last word most of the time ("to boston ... to denver"), sometimes an earlier one,
      // sometimes cut the reparandum short after a different word ("i was i went").
      const r = rng.next();
      const replaceAt = r < 0.65 ? len - 1 : rng.int(len);
      let word = rng.pick(src);
      for (let tries = 0; tries < 4 && word === rep[replaceAt]; tries++) word = rng.pick(src);
      if (word === rep[replaceAt]) return null;
      rep[replaceAt] = word;
      const cut = r > 0.85 ? rep.slice(0, replaceAt + 1) : rep;
      return withInterregnum(cut, at, options.interregnumRate);
    }
    case 'restart': {
      // An abandoned start: a few words from another utterance, or this one's opening then a turn elsewhere.
      const src = donor();
      const len = 1 + rng.int(3);
      let rep: string[];
      if (rng.next() < 0.5 || src.length === 0) {
        rep = fluent.slice(0, Math.min(len, n));
        if (src.length > 0) rep.push(rng.pick(src));
      } else {
        const start = rng.next() < 0.7 ? 0 : rng.int(Math.max(1, src.length - len));
        rep = src.slice(start, start + len);
      }
      if (rep.length === 0) return null;
      const at = rng.next() < 0.7 ? 0 : rng.int(n);
      return withInterregnum(rep, at, options.interregnumRate);
    }
  }
}
