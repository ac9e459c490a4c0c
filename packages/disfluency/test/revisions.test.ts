import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureSet } from '../src/data/fixture.js';
import { createDetector } from '../src/detect/detector.js';
import { RepairOnsetReviser, type StreamWord } from '../src/detect/repair-onset.js';
import { cleanText, currentDecisions, type Decision } from '../src/detect/types.js';
import { evaluate } from '../src/eval/evaluate.js';

const detector = createDetector();

/** Feeds hand-labelled words (F fluent, R reparandum, E edit term) and collects what gets revised. */
function reviseAll(text: string, labels: string): string[] {
  const r = new RepairOnsetReviser();
  const ws = text.split(' ');
  const revised: string[] = [];
  ws.forEach((w, i) => {
    const word: StreamWord = { index: i, word: w, pos: i, norm: w };
    for (const x of r.add(word, 'FRE'.indexOf(labels[i]) as 0 | 1 | 2)) revised.push(`${x.index}:${x.word}`);
  });
  return revised;
}

test('repair onset: the fluent words a repair repeats join the reparandum, and nothing else does', () => {
  assert.deepEqual(reviseAll('to boston uh i mean to denver', 'FREEEFF'), ['0:to']);
  // Two repeated words are matched, together, once the repair's second word is final.
  assert.deepEqual(reviseAll('go to the boston to the denver', 'FFFRFFF'), ['1:to', '2:the']);
  // A repair that starts differently, a removed stretch of edit terms only, or a repeat too far from the
  // stretch: no revision.
  assert.deepEqual(reviseAll('to boston uh i mean for denver', 'FREEEFF'), []);
  assert.deepEqual(reviseAll('we uh we left', 'FEFF'), []);
  assert.deepEqual(reviseAll('to go boston uh to denver', 'FFREFF'), []);
  // The word before the stretch must itself be fluent: a reparandum already marked is not revised again.
  assert.deepEqual(reviseAll('i i uh i left', 'RREFF'), []);
});

test('revisions "onset": a repeated repair onset is struck after the fact; nothing else is decided twice', () => {
  const text = 'i want a flight to boston uh i mean to denver on friday';
  const ws = text.split(' ');
  const none = detector.stream();
  const plain = [...ws.flatMap((w) => none.push(w)), ...none.end()];
  const s = detector.stream({ revisions: 'onset' });
  const got: Decision[] = [];
  ws.forEach((w, i) => {
    for (const d of s.push(w)) {
      assert.equal(d.index + d.waited, i, 'waited counts the words that arrived since');
      got.push(d);
    }
  });
  got.push(...s.end());
  const revisions = got.filter((d) => d.revision);
  // The stream without revisions kept the first "to" (the shipped model decides it before the repair).
  assert.equal(cleanText(plain), 'i want a flight to to denver on friday');
  assert.deepEqual(
    revisions.map((d) => [d.index, d.word, d.label, d.removed]),
    [[4, 'to', 'reparandum', true]],
  );
  // Before its revision the word had exactly one decision, a final fluent one, the same as without revisions.
  assert.deepEqual(
    got.filter((d) => !d.revision),
    plain,
  );
  assert.equal(cleanText(got), 'i want a flight to denver on friday');
  assert.equal(detector.clean(text).text, 'i want a flight to denver on friday');
});

test('revisions "all": every word is labelled on arrival, then decided once, and ends like "onset"', () => {
  const text = 'so I I was uh going to the to the store and uh you know we we bought some some bread';
  const ws = text.split(' ');
  const s = detector.stream({ revisions: 'all' });
  const got: Decision[] = [];
  const labelled = new Set<number>();
  const finals = new Set<number>();
  ws.forEach((w, i) => {
    const ds = s.push(w);
    for (const d of ds) {
      assert.ok(!finals.has(d.index) || d.revision, `word ${d.index} changed after its final decision`);
      if (!d.provisional) finals.add(d.index);
      labelled.add(d.index);
      got.push(d);
    }
    assert.ok(labelled.has(i), `word ${i} "${w}" has no label on arrival`);
  });
  got.push(...s.end());
  const final = got.filter((d) => !d.provisional && !d.revision);
  assert.deepEqual(
    final.map((d) => d.index),
    ws.map((_, i) => i),
  );
  assert.ok(got.some((d) => d.provisional));
  assert.deepEqual(currentDecisions(got), detector.clean(text).decisions);
});

test('revisions on the generated fixture: onset adds recall at no precision cost; all waits 0 words', () => {
  const fx = fixtureSet();
  const none = evaluate(detector, fx, 'removed');
  const onset = evaluate(detector, fx, 'removed', { revisions: 'onset' });
  const all = evaluate(detector, fx, 'removed', { revisions: 'all' });
  assert.ok(onset.full.recall > none.full.recall, `recall ${onset.full.recall} vs ${none.full.recall}`);
  assert.ok(onset.full.precision >= none.full.precision - 0.005);
  assert.ok(onset.editOverhead > 0 && onset.editOverhead < 0.02, `onset edit overhead ${onset.editOverhead}`);
  assert.equal(onset.averageWait, none.averageWait);
  assert.equal(all.averageWait, 0);
  assert.equal(all.full.f1, onset.full.f1);
  assert.ok(all.editOverhead < 0.12, `all edit overhead ${all.editOverhead}`);
});

test('revisions: unknown values and "all" with the rules are refused with what would work', () => {
  assert.throws(
    () => detector.stream({ revisions: 'some' as 'all' }),
    /unknown revisions "some"; use "none", "onset", "all"/,
  );
  const rules = createDetector({ method: 'rules' });
  assert.throws(
    () => rules.stream({ revisions: 'all' }),
    /revisions "all" needs a model.*use "none" or "onset"/,
  );
});
