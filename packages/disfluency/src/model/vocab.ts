import { EOS_ID, EOS_WORD, UNK_ID } from './config.js';

/** Word → id. Ids 0..2 are reserved (padding, unknown, end of utterance). */
export class Vocab {
  readonly ids = new Map<string, number>();
  constructor(readonly words: readonly string[]) {
    if (words[0] !== '<pad>' || words[1] !== '<unk>' || words[2] !== EOS_WORD) {
      throw new Error('vocabulary must start with <pad>, <unk>, </s>');
    }
    for (let i = 0; i < words.length; i++) this.ids.set(words[i], i);
  }
  id(word: string): number {
    return this.ids.get(word) ?? UNK_ID;
  }
  has(word: string): boolean {
    return this.ids.has(word) && this.ids.get(word)! > EOS_ID;
  }
  get size(): number {
    return this.words.length;
  }

  /** The `size - 3` most frequent words, ties broken alphabetically so the vocabulary is reproducible. */
  static fromCounts(counts: Map<string, number>, size: number, mustHave: Iterable<string> = []): Vocab {
    const forced = new Set(mustHave);
    const sorted = [...counts.entries()]
      .filter(([w]) => !forced.has(w) && w !== EOS_WORD)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([w]) => w);
    const words = ['<pad>', '<unk>', EOS_WORD, ...[...forced].sort(), ...sorted].slice(0, size);
    return new Vocab(words);
  }
}
