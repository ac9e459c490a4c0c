import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExampleStore, parseExamples } from '../src/examples/examples.js';
import { shippedExamples } from '../src/examples/shipped.js';

test('the shipped example store parses under its own schema', () => {
  const again = parseExamples(JSON.stringify(shippedExamples));
  assert.equal(again.length, shippedExamples.length);
  assert.ok(again.some((e) => e.kind === 'plan') && again.some((e) => e.kind === 'reason'));
});

test('JSON Lines stores with comments load; bad lines are named', () => {
  const text = [
    '# my decisions',
    JSON.stringify({
      kind: 'plan',
      question: 'What breed is this cat?',
      state: 'objects',
      action: 'image_search',
      query: 'region:1',
    }),
    '',
    JSON.stringify({
      kind: 'reason',
      question: 'Who made this car?',
      state: 'text',
      action: 'ocr',
      output: 'TOYOTA',
      verdict: 'informative',
    }),
  ].join('\n');
  const ex = parseExamples(text, 'mine.jsonl');
  assert.equal(ex.length, 2);
  assert.equal(ex[0].rationale, '');
  assert.throws(() => parseExamples('{"kind": "plan"\n', 'bad.jsonl'), /bad\.jsonl line 1: not valid JSON/);
  assert.throws(
    () =>
      parseExamples(JSON.stringify([{ kind: 'guess', question: 'q', state: 's', action: 'a' }]), 'x.json'),
    /x\.json example 1: kind/,
  );
  assert.throws(
    () =>
      parseExamples(JSON.stringify([{ kind: 'reason', question: 'q', state: 's', action: 'a' }]), 'x.json'),
    /needs a verdict/,
  );
});

test('retrieval prefers the same state, then the same action, then similar questions', () => {
  const store = new ExampleStore(shippedExamples);
  const [first] = store.retrieve('plan', 'What currency is used in the country on this sign?', 'text', 1);
  assert.equal(first.state, 'text');
  assert.equal(first.action, 'knowledge_search');
  const [r] = store.retrieve('reason', 'How many dogs are there?', 'start', 1, 'detect_objects');
  assert.equal(r.action, 'detect_objects');
  assert.equal(store.retrieve('plan', 'anything', 'start', 3).length, 3);
});
