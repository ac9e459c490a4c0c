import { tokenize } from '../text/tokenize.js';
import { Bm25Index, type Doc } from './bm25.js';
import { countryDocs, GcideDictionary, wordnetDocs } from './sources.js';

/** One search result: the shape a web-search adapter (title, snippet, url) would return too. */
export interface SearchResult {
  title: string;
  snippet: string;
  source: string;
  url?: string;
  score: number;
  fields?: Record<string, string>;
}

/** What knowledge_search talks to; a web-search API adapter implements the same interface. */
export interface SearchProvider {
  name: string;
  search(query: string, k: number): Promise<SearchResult[]>;
}

export interface OfflineKnowledgeOptions {
  countries?: boolean;
  wordnet?: boolean;
  /** Use Debian's dict-gcide when installed (default: when present). */
  gcide?: boolean | string;
  extraDocs?: Doc[];
}

/** BM25 over country facts and WordNet glosses, plus GCIDE definitions looked up by headword. */
export class OfflineKnowledge implements SearchProvider {
  readonly name = 'offline-knowledge';
  private readonly index = new Bm25Index();
  private readonly gcide: GcideDictionary | null;
  readonly sources: string[] = [];

  constructor(options: OfflineKnowledgeOptions = {}) {
    const add = (docs: Doc[], name: string) => {
      for (const d of docs) this.index.add(d);
      this.sources.push(`${name} (${docs.length})`);
    };
    if (options.countries !== false) add(countryDocs(), 'country-facts');
    if (options.wordnet !== false) add(wordnetDocs(), 'wordnet-3.1 nouns');
    if (options.extraDocs?.length) add(options.extraDocs, 'extra');
    const gDir = typeof options.gcide === 'string' ? options.gcide : undefined;
    const useG = options.gcide === false ? false : gDir ? true : GcideDictionary.available();
    this.gcide = useG ? new GcideDictionary(gDir) : null;
    if (this.gcide) this.sources.push('gcide (lookup by headword)');
  }

  async search(query: string, k: number): Promise<SearchResult[]> {
    const hits = this.index.search(query, k).map((h) => ({
      title: h.doc.title,
      snippet: h.doc.text,
      source: h.doc.source,
      score: Math.round(h.score * 1000) / 1000,
      fields: h.doc.fields,
    }));
    if (this.gcide && hits.length < k) {
      for (const w of tokenize(query)) {
        if (w.length < 3 || !this.gcide.has(w)) continue;
        const def = this.gcide.lookup(w);
        if (def)
          hits.push({
            title: w,
            snippet: def.slice(0, 600),
            source: 'gcide',
            score: 0,
            fields: { definition: def.slice(0, 300) },
          });
        break;
      }
    }
    return hits;
  }
}
