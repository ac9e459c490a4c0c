import type { LABEL_NAMES } from '../data/labels.js';

export type LabelName = (typeof LABEL_NAMES)[number];

/**
 * A decision about one input word. With the default `revisions: 'none'` each word gets exactly one, final once
 * returned. With revisions on, a later decision for the same `index` replaces an earlier one (see
 * `provisional` and `revision`); `currentDecisions` keeps the latest per word.
 */
export interface Decision {
  /** Position of the word in the stream (0-based, punctuation-only words included). */
  index: number;
  /** The word as given. */
  word: string;
  label: LabelName;
  /** True for reparanda and edit terms: the word is left out of the clean text. */
  removed: boolean;
  /** Words that arrived after this one before it was decided (0 = decided on arrival). */
  waited: number;
  /** True when the decision was only made at end() (the utterance ended before the detector was sure). */
  atEnd: boolean;
  /** `revisions: 'all'` only: a label shown on the word's arrival, before the detector is sure; replaced later. */
  provisional?: boolean;
  /** A final fluent word turned into a reparandum because the repair after it starts with the same word(s). */
  revision?: boolean;
}

/**
 * Which decisions a stream may take back. 'none': every decision is final (captions never change). 'onset':
 * decisions are final except that a fluent word becomes a reparandum once the repair repeats it ("to boston uh
 * i mean TO denver" marks the first "to"), about one word in 500 on Switchboard. 'all': besides, every word
 * gets a provisional label the moment it arrives (no waiting), replaced by its final decision when ready.
 */
export type Revisions = 'none' | 'onset' | 'all';

export interface StreamOptions {
  /** Default 'none'. */
  revisions?: Revisions;
}

export const REVISIONS: readonly Revisions[] = ['none', 'onset', 'all'];

/** The latest decision per word, in word order (what a caption shows once all decisions so far are applied). */
export function currentDecisions(decisions: readonly Decision[]): Decision[] {
  const latest: Decision[] = [];
  for (const d of decisions) latest[d.index] = d;
  return latest.filter((d) => d !== undefined);
}

export interface DetectorStream {
  /** Feeds one or more words (split on whitespace); returns the decisions that became final, in order. */
  push(text: string): Decision[];
  /** Ends the utterance and returns the remaining decisions. The stream cannot be used afterwards. */
  end(): Decision[];
  readonly ended: boolean;
}

export interface CleanResult {
  /** The words kept, joined by single spaces. */
  text: string;
  decisions: Decision[];
  /** Share of (non-punctuation) words the model knows; low values (e.g. another language) mean little is found. */
  coverage: number;
}

/** The kept words of the latest decision per word, joined by single spaces. */
export function cleanText(decisions: readonly Decision[]): string {
  return currentDecisions(decisions)
    .filter((d) => !d.removed)
    .map((d) => d.word)
    .join(' ');
}
