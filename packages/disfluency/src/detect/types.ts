import type { LABEL_NAMES } from '../data/labels.js';

export type LabelName = (typeof LABEL_NAMES)[number];

/** A final decision about one input word: once returned, it never changes. */
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

export function cleanText(decisions: readonly Decision[]): string {
  return decisions
    .filter((d) => !d.removed)
    .map((d) => d.word)
    .join(' ');
}
