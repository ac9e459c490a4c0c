import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bm25Index, type Doc } from '../src/knowledge/bm25.js';
import { OfflineKnowledge } from '../src/knowledge/search-provider.js';
import { GcideDictionary } from '../src/knowledge/sources.js';
import { tokenize } from '../src/text/tokenize.js';
import { knowledgeSearchTool } from '../src/tools/knowledge-search.js';

/** Textbook BM25 computed directly from the formula over every document (the slow reference). */
function referenceBm25(docs: Doc[], query: string, k1 = 1.2, b = 0.75): number[] {
  const toks = docs.map((d) => tokenize(`${d.title} ${d.text}`));
  const avg = toks.reduce((s, t) => s + t.length, 0) / docs.length;
  return toks.map((t) => {
    let s = 0;
    for (const q of new Set(tokenize(query))) {
      const df = toks.filter((x) => x.includes(q)).length;
      if (!df) continue;
      const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
      const f = t.filter((x) => x === q).length;
      s += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * t.length) / avg));
    }
    return s;
  });
}

test('BM25 scores equal the formula computed directly, for random corpora and queries', () => {
  const words = ['river', 'mountain', 'lion', 'savanna', 'forest', 'bird', 'desert', 'snow', 'coast', 'reef'];
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let trial = 0; trial < 20; trial++) {
    const docs: Doc[] = Array.from({ length: 12 }, (_, i) => ({
      id: `d${i}`,
      title: `d${i}`,
      text: Array.from(
        { length: 3 + Math.floor(rand() * 12) },
        () => words[Math.floor(rand() * words.length)],
      ).join(' '),
      source: 'test',
    }));
    const index = new Bm25Index();
    for (const d of docs) index.add(d);
    const query = `${words[Math.floor(rand() * 10)]} ${words[Math.floor(rand() * 10)]}`;
    const ref = referenceBm25(docs, query);
    const hits = index.search(query, docs.length);
    for (const h of hits)
      assert.ok(Math.abs(h.score - ref[Number(h.doc.id.slice(1))]) < 1e-9, `${query} ${h.doc.id}`);
    assert.equal(hits.length, ref.filter((s) => s > 0).length);
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score);
  }
});

const kb = new OfflineKnowledge();
const tool = knowledgeSearchTool(kb);
const ask = (query: string) =>
  tool.run({
    image: { width: 1, height: 1, data: new Uint8Array(4) },
    question: '',
    query,
    regions: [],
    memory: [],
  });

test('country facts come back as fields for the named country, even inside sign text', async () => {
  const out = await ask('WELCOME TO KENYA');
  const currency = out.facts!.find((f) => f.field === 'currency');
  assert.deepEqual(currency, {
    subject: 'Kenya',
    field: 'currency',
    value: 'Kenyan shilling',
    source: 'country-facts',
  });
  const peru = await ask('Peru capital');
  assert.equal(peru.facts!.find((f) => f.field === 'capital')?.value, 'Lima');
});

test('WordNet glosses answer what an animal is and where it lives', async () => {
  const out = await ask('giraffe');
  assert.match(
    out.text.split('\n')[0],
    /^giraffe \[wordnet-3\.1\]: .*tallest living quadruped.*savannahs of tropical Africa/,
  );
  const dog = await ask('dog');
  assert.match(dog.text.split('\n')[0], /Canis familiaris/);
});

test('GCIDE definitions are looked up by headword when installed', async () => {
  assert.ok(GcideDictionary.available(), 'dict-gcide is installed (scripts/apt-packages.txt)');
  const g = new GcideDictionary();
  assert.match(g.lookup('zebra')!, /Africa/);
  assert.equal(g.lookup('qqzzxx'), null);
});

test('no match and empty queries are clear', async () => {
  const none = await ask('qqzzxx vvkkjj');
  assert.equal(none.text, 'no documents matched "qqzzxx vvkkjj"');
  assert.deepEqual(none.entities, []);
  await assert.rejects(ask('   '), /knowledge_search needs search words/);
});
