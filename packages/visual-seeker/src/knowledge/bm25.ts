import { tokenize } from '../text/tokenize.js';

export interface Doc {
  id: string;
  title: string;
  text: string;
  source: string;
  /** Structured fields (capital, continent, definition...) the reasoner can read directly. */
  fields?: Record<string, string>;
  /** Added to the score of any match (e.g. a word's most common sense, a curated fact table). */
  prior?: number;
}

export interface Hit {
  doc: Doc;
  score: number;
}

/**
 * Okapi BM25 (k1 = 1.2, b = 0.75) with an inverted index, plus a bonus when a document's title
 * appears whole in the query (so "welcome to kenya" finds the article titled Kenya first).
 * Written here because it is ~80 lines and the npm options index far slower for 150k short documents.
 */
export class Bm25Index {
  private readonly docs: Doc[] = [];
  private readonly lengths: number[] = [];
  private readonly postings = new Map<string, Array<[number, number]>>();
  private readonly titles = new Map<string, number[]>();
  private totalLength = 0;

  constructor(
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {}

  get size(): number {
    return this.docs.length;
  }

  add(doc: Doc): void {
    const id = this.docs.length;
    this.docs.push(doc);
    const toks = tokenize(`${doc.title} ${doc.text}`);
    this.lengths.push(toks.length);
    this.totalLength += toks.length;
    const tf = new Map<string, number>();
    for (const t of toks) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      let list = this.postings.get(t);
      if (!list) this.postings.set(t, (list = []));
      list.push([id, n]);
    }
    const key = tokenize(doc.title).join(' ');
    if (key) {
      const l = this.titles.get(key);
      if (l) l.push(id);
      else this.titles.set(key, [id]);
    }
  }

  private idf(t: string): number {
    const df = this.postings.get(t)?.length ?? 0;
    const n = this.docs.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  search(query: string, k = 5): Hit[] {
    const q = [...new Set(tokenize(query))];
    if (!q.length || !this.docs.length) return [];
    const n = this.docs.length;
    const avg = this.totalLength / n;
    const scores = new Map<number, number>();
    for (const t of q) {
      const list = this.postings.get(t);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const [id, f] of list) {
        const s =
          (idf * f * (this.k1 + 1)) / (f + this.k1 * (1 - this.b + (this.b * this.lengths[id]) / avg));
        scores.set(id, (scores.get(id) ?? 0) + s);
      }
    }
    // Title bonus: every contiguous word run of the query that is some document's whole title.
    const qAll = tokenize(query);
    for (let i = 0; i < qAll.length; i++) {
      for (let j = i + 1; j <= Math.min(qAll.length, i + 4); j++) {
        const ids = this.titles.get(qAll.slice(i, j).join(' '));
        if (!ids) continue;
        let bonus = 0;
        for (const t of qAll.slice(i, j)) bonus += this.idf(t);
        for (const id of ids) scores.set(id, (scores.get(id) ?? 0) + 1.5 * bonus);
      }
    }
    for (const [id, s] of scores) if (this.docs[id].prior) scores.set(id, s + this.docs[id].prior!);
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([id, score]) => ({ doc: this.docs[id], score }));
  }
}
