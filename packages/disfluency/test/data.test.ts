import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignPair, loadDisflQa } from '../src/data/disflqa.js';
import { FIXTURE_SENTENCES, fixtureSet } from '../src/data/fixture.js';
import { EDIT, FLUENT, REPARANDUM } from '../src/data/labels.js';
import { formatMarked, parseMarked, parseMarkedFile } from '../src/data/marked.js';
import { Rng } from '../src/data/rng.js';
import { loadSwitchboard } from '../src/data/switchboard.js';
import { injectDisfluencies } from '../src/data/synthetic.js';
import { wordClass } from '../src/data/wordclass.js';
import { cardinal, ordinal, spellNumbers } from '../src/text/numbers.js';
import { tokenize, words } from '../src/text/tokenize.js';
import { conversationalUnits } from '../src/train/corpus.js';

test('tokenize lowercases, drops apostrophes and edge punctuation like Switchboard transcripts', () => {
  assert.deepEqual(words("Well, I don't KNOW... it's fine!"), ['well', 'i', 'dont', 'know', 'its', 'fine']);
  assert.deepEqual(
    tokenize('-- ?').map((t) => t.norm),
    ['', ''],
  );
  assert.deepEqual(words('uh-huh'), ['uh-huh']);
});

test('generator: removing the labelled words gives back the fluent source exactly', () => {
  const rng = new Rng(1);
  const fluent = FIXTURE_SENTENCES.map(words);
  let disfluent = 0;
  for (let n = 0; n < 3000; n++) {
    const src = fluent[n % fluent.length];
    const u = injectDisfluencies(src, rng, () => rng.pick(fluent));
    assert.equal(u.words.length, u.labels.length);
    assert.deepEqual(
      u.words.filter((_, i) => u.labels[i] === FLUENT),
      src,
    );
    if (u.labels.some((l) => l !== FLUENT)) disfluent++;
  }
  // Per word: reparanda start ~4-9% on function words and 1% on content words (x1.3), edit terms 7%, so a
  // ten-word sentence is clean about a third of the time.
  assert.ok(disfluent > 3000 * 0.55 && disfluent < 3000 * 0.8, `disfluent share ${disfluent / 3000}`);
});

test('generator: reparanda start on function words and are mostly one word long, as in conversation', () => {
  const rng = new Rng(3);
  const fluent = FIXTURE_SENTENCES.map(words);
  const starts = new Map<string, number>();
  const lengths: number[] = [0, 0, 0, 0, 0, 0];
  for (let n = 0; n < 5000; n++) {
    const u = injectDisfluencies(fluent[n % fluent.length], rng, () => rng.pick(fluent));
    for (let i = 0; i < u.words.length; i++) {
      if (u.labels[i] !== REPARANDUM || u.labels[i - 1] === REPARANDUM) continue;
      let len = 0;
      while (u.labels[i + len] === REPARANDUM) len++;
      lengths[Math.min(len, 5)]++;
      const cls = wordClass(u.words[i]);
      starts.set(cls, (starts.get(cls) ?? 0) + 1);
    }
  }
  const total = [...starts.values()].reduce((a, b) => a + b, 0);
  assert.ok(total > 1000, `${total} reparanda`);
  assert.ok(
    (starts.get('other') ?? 0) / total < 0.2,
    `content-word starts ${(starts.get('other') ?? 0) / total}`,
  );
  // "I I": single words are the most common reparandum, as in Switchboard (longer ones still occur).
  assert.ok(lengths[1] / total > 0.4 && lengths[1] / total < 0.8, `one-word share ${lengths[1] / total}`);
  assert.ok(lengths[3] + lengths[4] + lengths[5] > 0);
});

test('numbers are spelled out as speech transcripts write them', () => {
  assert.equal(
    spellNumbers('a flight at 5:40 pm for $137, or 10:05 on March 10th 2019'),
    'a flight at five forty pm for one hundred thirty seven dollars, or ten oh five on March tenth twenty nineteen',
  );
  assert.equal(
    spellNumbers('4.5 stars, 2,500 people, 21st floor, 0 stops'),
    'four point five stars, two thousand five hundred people, twenty first floor, zero stops',
  );
  assert.equal(cardinal(2005), 'two thousand five');
  assert.equal(cardinal(1900), 'nineteen hundred');
  assert.equal(ordinal(12), 'twelfth');
  assert.deepEqual(conversationalUnits('Sounds good.Make it 2 tickets. Thanks!'), [
    ['sounds', 'good'],
    ['make', 'it', 'two', 'tickets'],
    ['thanks'],
  ]);
});

test('generator: repetitions copy the following words, fillers are edit terms, same seed same output', () => {
  const fluent = words('we went to the beach with my sister last weekend');
  const a = Array.from({ length: 200 }, (_, k) => injectDisfluencies(fluent, new Rng(k), () => fluent));
  const b = Array.from({ length: 200 }, (_, k) => injectDisfluencies(fluent, new Rng(k), () => fluent));
  assert.deepEqual(a, b);
  for (const u of a)
    u.words.forEach((w, i) => {
      if (u.labels[i] === EDIT && (w === 'uh' || w === 'um')) return;
      if (u.labels[i] === REPARANDUM)
        assert.ok(fluent.includes(w), `reparandum word ${w} comes from the sentence or a donor`);
    });
  const kinds = new Set(a.flatMap((u) => u.labels));
  assert.deepEqual([...kinds].sort(), [FLUENT, REPARANDUM, EDIT]);
});

test('Disfl-QA alignment labels the extra words, using the right-most copy of the original', () => {
  const u = alignPair(
    'What did the government want Thoreau to do?',
    'Who did no What did the government want Thoreau to do?',
  )!;
  assert.deepEqual(u.words.slice(0, 4), ['who', 'did', 'no', 'what']);
  assert.deepEqual(u.labels.slice(0, 4), [REPARANDUM, REPARANDUM, EDIT, FLUENT]);
  assert.ok(u.labels.slice(3).every((l) => l === FLUENT));
  const v = alignPair(
    "What was the Colonia Agrippina's original name?",
    "What was the Colonia Agrippina's original empire, sorry, name?",
  )!;
  assert.deepEqual(v.labels, [0, 0, 0, 0, 0, 0, REPARANDUM, EDIT, 0]);
  assert.equal(alignPair('What is the capital', 'Where is uh the capital city'), null);
  const loaded = loadDisflQa(
    JSON.stringify({ a: { original: 'a b', disfluent: 'a x b' }, b: { original: 'p q', disfluent: 'q p' } }),
  );
  assert.equal(loaded.total, 2);
  assert.equal(loaded.dropped, 1);
  assert.throws(() => loadDisflQa('[1,2]'), /JSON object/);
  assert.throws(() => loadDisflQa('{"x": {"original": 3}}'), /"original" and "disfluent"/);
});

test('Switchboard TSV loader: rms/rm are reparanda, e and i are edit terms, repair onsets by id', () => {
  // A made-up utterance in the corpus format (not Switchboard text).
  const tsv = [
    '1:A:0:sd\t(1:0:0)\tshe\tPRP\t<f/>',
    '\t(1:0:1)\tgoes\tVBZ\t<rms id="3"/>',
    '\t(1:0:2)\tto\tIN\t<rm id="3"/>',
    '\t(1:0:3)\tuh\tUH\t<e/><i id="3"/>',
    '\t(1:0:4)\twent\tVBD\t<rps id="3"/>',
    '\t(1:0:5)\tto\tIN\t<rpnsub id="3"/>',
    '\t(1:0:6)\t$unc$school\tNN\t<f/>',
    '1:B:1:b\t(2:1:0)\tyeah\tUH\t<f/>',
  ].join('\n');
  const [a, b] = loadSwitchboard(tsv);
  assert.deepEqual(a.words, ['she', 'goes', 'to', 'uh', 'went', 'to', 'school']);
  assert.deepEqual(a.labels, [0, 1, 1, 2, 0, 0, 0]);
  assert.deepEqual(a.repairOnset, [-1, 4, 4, -1, -1, -1, -1]);
  assert.deepEqual(b.words, ['yeah']);
  assert.throws(() => loadSwitchboard('a\tb'), /expected 5 tab-separated fields/);
});

test('marked format parses and formats both ways', () => {
  const u = parseMarked('I want [a flight] {uh i mean} a ticket');
  assert.deepEqual(u.words, ['i', 'want', 'a', 'flight', 'uh', 'i', 'mean', 'a', 'ticket']);
  assert.deepEqual(u.labels, [0, 0, 1, 1, 2, 2, 2, 0, 0]);
  assert.equal(formatMarked(u), 'i want [a flight] {uh i mean} a ticket');
  assert.deepEqual(parseMarked(formatMarked(u)), u);
  assert.throws(() => parseMarked('a [b {c} d]'), /do not nest/);
  assert.throws(() => parseMarked('a [b'), /left open/);
  assert.throws(() => parseMarked('a b]'), /closes nothing/);
  assert.equal(parseMarkedFile('# comment\n\n[i] i see\n').length, 1);
  assert.equal(fixtureSet().length, FIXTURE_SENTENCES.length * 4);
});
