/**
 * Coarse word classes for placing synthetic disfluencies. In conversational speech a reparandum almost always
 * starts on a function word ("I I think", "the the", "it was it is", "and they and we"), rarely on a content
 * word, and more often at the start of an utterance. The generator has no part-of-speech tagger, so closed-class
 * word lists stand in for one.
 */
export const WORD_CLASSES = [
  'pronoun',
  'contraction',
  'determiner',
  'preposition',
  'conjunction',
  'auxiliary',
  'wh',
  'other',
] as const;
export type WordClass = (typeof WORD_CLASSES)[number];

const LISTS: Record<Exclude<WordClass, 'other'>, string> = {
  pronoun: 'i you he she it we they me him her us them',
  // Written as the tokenizer leaves them: apostrophes dropped ("i'm" -> "im").
  contraction:
    'im youre hes shes its theyre ive youve weve theyve id youd hed shed wed theyd ill youll theyll thats theres whats heres',
  determiner: 'the a an this that these those my your his our their some any no every each all',
  preposition: 'in on at to for of with from about by into as',
  conjunction: 'and but or so because if when then than',
  auxiliary:
    'is are was were be been have has had do does did will would can could should dont didnt doesnt cant wont isnt wasnt',
  wh: 'what where who how which why',
};

const CLASS_OF = new Map<string, WordClass>();
for (const [cls, list] of Object.entries(LISTS))
  for (const w of list.split(' ')) CLASS_OF.set(w, cls as WordClass);

export function wordClass(word: string): WordClass {
  return CLASS_OF.get(word) ?? 'other';
}

/**
 * Chance that a reparandum starts on a word of each class, mid-utterance and utterance-initially. Counted from
 * the disfluency tags (not the text) of the Switchboard dev split: reparandum starts per token of the class.
 * Content words ("other") start about 1 in 120; pronouns 1 in 15, and 1 in 6 as the first word.
 */
export const REPARANDUM_START_RATE: Record<WordClass, { mid: number; initial: number }> = {
  pronoun: { mid: 0.069, initial: 0.168 },
  contraction: { mid: 0.099, initial: 0.131 },
  determiner: { mid: 0.058, initial: 0.149 },
  preposition: { mid: 0.043, initial: 0.09 },
  conjunction: { mid: 0.062, initial: 0.069 },
  auxiliary: { mid: 0.028, initial: 0.2 },
  wh: { mid: 0.058, initial: 0.13 },
  other: { mid: 0.0085, initial: 0.0098 },
};

/** Different words where one begins the other or both share their first three letters ("it its", "that thats"). */
export function nearWord(a: string, b: string | undefined): boolean {
  if (b === undefined || a === b) return false;
  return (
    a.startsWith(b) || b.startsWith(a) || (a.length >= 3 && b.length >= 3 && a.slice(0, 3) === b.slice(0, 3))
  );
}
