import { readFileSync } from 'node:fs';
import { loadDisflQa } from '../data/disflqa.js';
import type { LabelledUtterance } from '../data/labels.js';
import { Rng } from '../data/rng.js';
import { DEFAULT_GENERATOR, type GeneratorOptions, injectDisfluencies } from '../data/synthetic.js';
import { injectUniform } from '../data/synthetic-uniform.js';
import { CUE_WORDS, FILLER_WORDS } from '../model/features.js';
import { Vocab } from '../model/vocab.js';
import { spellNumbers } from '../text/numbers.js';
import { words } from '../text/tokenize.js';

export interface CorpusPaths {
  /** Fluent utterances, one per line (the Schema-Guided Dialogue text in development). */
  fluent: string;
  /** Disfl-QA training pairs (JSON); optional. */
  disflQa?: string;
}

export interface Corpus {
  train: string[][];
  heldOut: string[][];
  disflQa: LabelledUtterance[];
  vocab: Vocab;
}

const MAX_WORDS = 36;

/**
 * A line of written dialogue as the units a transcript of speech has: one per sentence (Switchboard segments
 * turns into dialogue acts, so most reparanda sit near a unit's start), numbers spelled out as words.
 */
export function conversationalUnits(line: string): string[][] {
  return spellNumbers(line)
    .split(/(?<=[.!?])\s+|(?<=[a-z][.!?])(?=[A-Z])/)
    .map(words)
    .filter((ws) => ws.length > 0);
}

/** Reads the fluent text: one unit per line, or with `spokenText` one per sentence with numbers spelled out. */
export function loadCorpus(
  paths: CorpusPaths,
  vocabSize: number,
  heldOut = 2000,
  spokenText = false,
): Corpus {
  const seen = new Set<string>();
  const all: string[][] = [];
  for (const line of readFileSync(paths.fluent, 'utf8').split('\n')) {
    for (const ws of spokenText ? conversationalUnits(line) : [words(line)]) {
      if (ws.length < 2 || ws.length > MAX_WORDS) continue;
      const key = ws.join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      all.push(ws);
    }
  }
  if (all.length < heldOut * 2) throw new Error(`${paths.fluent}: only ${all.length} usable utterances`);
  // Deterministic shuffle, so the held-out split is the same on every run.
  const rng = new Rng(12345);
  for (let i = all.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [all[i], all[j]] = [all[j], all[i]];
  }
  const disflQa = paths.disflQa ? loadDisflQa(readFileSync(paths.disflQa, 'utf8')).utterances : [];
  const counts = new Map<string, number>();
  const count = (ws: readonly string[]) => {
    for (const w of ws) counts.set(w, (counts.get(w) ?? 0) + 1);
  };
  for (const ws of all) count(ws);
  for (const u of disflQa) count(u.words);
  const mustHave = [...FILLER_WORDS, ...CUE_WORDS, 'you', 'know', 'i', 'or', 'oh', 'well', 'like'];
  const vocab = Vocab.fromCounts(counts, vocabSize, mustHave);
  return { train: all.slice(heldOut), heldOut: all.slice(0, heldOut), disflQa, vocab };
}

/** What the training utterances are made of. */
export interface DataMix {
  /** Share of training utterances that are Disfl-QA pairs (when given). */
  disflQaShare: number;
  /** Of the synthetic ones, the share made by the conversational generator; the rest by the uniform one. */
  conversationalShare: number;
  generator: GeneratorOptions;
  /** Split the fluent text into sentences and spell out numbers (see conversationalUnits). */
  spokenText: boolean;
}

/**
 * The shipped model's recipe: uniform generator and Disfl-QA, text as written. The conversational generator and
 * spoken text are options: in equal-length runs they did not raise Switchboard F1 (README, "What was tried").
 */
export const DEFAULT_MIX: DataMix = {
  disflQaShare: 0.12,
  conversationalShare: 0,
  generator: DEFAULT_GENERATOR,
  spokenText: false,
};

/** An endless, seeded stream of labelled training utterances: synthetic disfluencies plus Disfl-QA pairs. */
export function* trainingStream(
  corpus: Corpus,
  seed: number,
  mix: DataMix = DEFAULT_MIX,
): Generator<LabelledUtterance> {
  const rng = new Rng(seed);
  const donor = () => rng.pick(corpus.train);
  for (;;) {
    if (corpus.disflQa.length > 0 && rng.next() < mix.disflQaShare) yield rng.pick(corpus.disflQa);
    // No draw when the share is 0, so the uniform-only stream is the one the shipped model was trained on.
    else if (mix.conversationalShare > 0 && rng.next() < mix.conversationalShare)
      yield injectDisfluencies(rng.pick(corpus.train), rng, donor, mix.generator);
    else yield injectUniform(rng.pick(corpus.train), rng, donor);
  }
}

/** A fixed labelled evaluation set from the held-out fluent utterances (uniform generator). */
export function heldOutSet(corpus: Corpus, seed: number): LabelledUtterance[] {
  const rng = new Rng(seed);
  const donor = () => rng.pick(corpus.heldOut);
  return corpus.heldOut.map((ws) => injectUniform(ws, rng, donor));
}
