/**
 * Per-token classes. Reparanda (the words a speaker takes back) are what the standard Switchboard task scores;
 * edit terms (filled pauses, "you know", interregna such as "I mean") are also removed from clean text but are
 * reported separately, because the task treats them as a different, much easier problem.
 */
export const FLUENT = 0;
export const REPARANDUM = 1;
export const EDIT = 2;
export type Label = 0 | 1 | 2;
export const LABEL_NAMES = ['fluent', 'reparandum', 'edit'] as const;

/** A labelled utterance: normalised words and one class per word. */
export interface LabelledUtterance {
  words: string[];
  labels: Label[];
}

export function isRemoved(label: Label): boolean {
  return label !== FLUENT;
}
