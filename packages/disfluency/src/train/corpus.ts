import { readFileSync } from 'node:fs';
import { loadDisflQa } from '../data/disflqa.js';
import type { LabelledUtterance } from '../data/labels.js';
import { Rng } from '../data/rng.js';
import { injectDisfluencies } from '../data/synthetic.js';
import { CUE_WORDS, FILLER_WORDS } from '../model/features.js';
import { Vocab } from '../model/vocab.js';
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

export function loadCorpus(paths: CorpusPaths, vocabSize: number, heldOut = 2000): Corpus {
  const seen = new Set<string>();
  const all: string[][] = [];
  for (const line of readFileSync(paths.fluent, 'utf8').split('\n')) {
    const ws = words(line);
    if (ws.length < 2 || ws.length > MAX_WORDS) continue;
    const key = ws.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    all.push(ws);
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

/** An endless, seeded stream of labelled training utterances: synthetic disfluencies plus Disfl-QA pairs. */
export function* trainingStream(
  corpus: Corpus,
  seed: number,
  disflQaShare = 0.12,
): Generator<LabelledUtterance> {
  const rng = new Rng(seed);
  const donor = () => rng.pick(corpus.train);
  for (;;) {
    if (corpus.disflQa.length > 0 && rng.next() < disflQaShare) yield rng.pick(corpus.disflQa);
    else yield injectDisfluencies(rng.pick(corpus.train), rng, donor);
  }
}

/** A fixed labelled evaluation set from the held-out fluent utterances. */
export function heldOutSet(corpus: Corpus, seed: number): LabelledUtterance[] {
  const rng = new Rng(seed);
  const donor = () => rng.pick(corpus.heldOut);
  return corpus.heldOut.map((ws) => injectDisfluencies(ws, rng, donor));
}
