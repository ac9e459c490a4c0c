import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureSet } from '../src/data/fixture.js';
import { createDetector } from '../src/detect/detector.js';
import type { Decision } from '../src/detect/types.js';
import { evaluate } from '../src/eval/evaluate.js';
import { ruleLabel } from '../src/rules/baseline.js';
import { words } from '../src/text/tokenize.js';

const detector = createDetector();

// Recorded for the shipped model: 0.84 on the first fixture (uniform generator); on this one (conversational
// generator) 0.79 uncalibrated and 0.76 with the decoding calibrated for Switchboard's lower reparandum rate; the
// rule baseline 0.57.
const MIN_FIXTURE_F1 = 0.75;

test('shipped model reaches the recorded minimum F1 on a fixture the project generates', () => {
  const fx = fixtureSet();
  const model = evaluate(detector, fx, 'removed');
  const rules = evaluate(createDetector({ method: 'rules' }), fx, 'removed');
  assert.ok(model.full.f1 >= MIN_FIXTURE_F1, `wait model F1 ${model.full.f1}`);
  assert.ok(model.full.f1 > rules.full.f1 + 0.1, `model ${model.full.f1} vs rules ${rules.full.f1}`);
  assert.equal(model.editOverhead, 0);
  const la = evaluate(createDetector({ method: 'lookahead', lookahead: 2 }), fx.slice(0, 60), 'removed');
  assert.ok(la.full.f1 >= 0.6, `look-ahead model F1 ${la.full.f1}`);
});

test('the fast variant waits less than the accurate one and still beats the rules on the fixture', () => {
  const fx = fixtureSet();
  const accurate = evaluate(detector, fx, 'removed');
  const fast = evaluate(createDetector({ variant: 'fast' }), fx, 'removed');
  const rules = evaluate(createDetector({ method: 'rules' }), fx, 'removed');
  assert.ok(
    fast.averageWait < accurate.averageWait,
    `fast waits ${fast.averageWait}, accurate ${accurate.averageWait}`,
  );
  assert.ok(fast.full.f1 > rules.full.f1, `fast ${fast.full.f1} vs rules ${rules.full.f1}`);
  assert.throws(
    () => createDetector({ variant: 'slow' as 'fast' }),
    /unknown variant "slow"; use "accurate" or "fast"/,
  );
});

test('clean removes repetitions, fillers and corrected words on labelled examples', () => {
  assert.equal(detector.clean('I I think so').text, 'I think so');
  assert.equal(detector.clean('uh we should um leave now').text, 'we should leave now');
  assert.equal(detector.clean('we went to the to the beach').text, 'we went to the beach');
  const r = detector.clean('I I think so');
  assert.deepEqual(
    r.decisions.map((d) => d.label),
    ['reparandum', 'fluent', 'fluent', 'fluent'],
  );
  assert.equal(createDetector({ method: 'rules' }).clean('it is it is uh fine').text, 'it is fine');
});

test('stream: decisions come once each, in order, never change, and match clean()', () => {
  const text = 'so I I was uh going to the to the store and uh you know we we bought some some bread';
  for (const method of ['wait', 'lookahead', 'rules'] as const) {
    const d = createDetector({ method });
    const s = d.stream();
    const got: Decision[] = [];
    const ws = text.split(' ');
    ws.forEach((w, i) => {
      for (const dec of s.push(w)) {
        assert.ok(dec.index <= i, 'a decision about a word not yet pushed');
        assert.equal(dec.waited, i - dec.index);
        got.push(dec);
      }
    });
    got.push(...s.end());
    assert.deepEqual(
      got.map((x) => x.index),
      ws.map((_, i) => i),
    );
    assert.deepEqual(
      got,
      d.clean(text).decisions.map((x, i) => ({ ...x, waited: got[i].waited, atEnd: got[i].atEnd })),
    );
    if (method !== 'rules') assert.ok(got.every((x) => x.waited <= 3));
  }
});

test('bad input: empty, punctuation only, non-Latin, use after end, wrong types', () => {
  assert.deepEqual(detector.clean(''), { text: '', decisions: [], coverage: 1 });
  const p = detector.clean('... -- ?!');
  assert.equal(p.text, '... -- ?!');
  assert.ok(p.decisions.every((d) => d.label === 'fluent'));
  const zh = detector.clean('我 想 我 想 去 北京');
  assert.equal(zh.coverage, 0);
  assert.equal(zh.decisions.length, 6);
  const ru = createDetector({ method: 'rules' }).clean('я я думаю');
  assert.equal(ru.text, 'я думаю');
  const s = detector.stream();
  s.push('hello');
  s.end();
  assert.equal(s.ended, true);
  assert.throws(() => s.push('again'), /stream has ended.*detector\.stream\(\)/);
  assert.throws(() => s.end(), /already called/);
  assert.throws(() => detector.clean(42 as unknown as string), /clean\(\) takes a string/);
  assert.throws(() => detector.stream().push(null as unknown as string), /push\(\) takes a string/);
  assert.throws(() => createDetector({ method: 'bert' as never }), /unknown method/);
  assert.throws(
    () => createDetector({ method: 'lookahead', lookahead: 7 }),
    /lookahead must be an integer from 0 to 3/,
  );
  assert.throws(() => createDetector({ waitThreshold: 2 }), /waitThreshold/);
  assert.throws(() => createDetector({ modelPath: '/nonexistent/m.json' }), /does not exist/);
});

test('a 10,000-word utterance streams in bounded memory with a bounded wait', () => {
  const base = words('well I I think we could maybe uh go to the the park on Sunday if it is not raining');
  const s = detector.stream();
  let decided = 0;
  let maxWait = 0;
  let removed = 0;
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 10000; i++) {
    for (const d of s.push(base[i % base.length])) {
      decided++;
      maxWait = Math.max(maxWait, d.waited);
      if (d.removed) removed++;
    }
  }
  decided += s.end().length;
  const grown = process.memoryUsage().heapUsed - before;
  assert.equal(decided, 10000);
  assert.ok(maxWait <= 3);
  assert.ok(removed > 500, `removed ${removed}`);
  assert.ok(grown < 50e6, `heap grew ${grown} bytes`);
});

test('rule baseline: fillers and exact repeats of up to three words, using only words seen', () => {
  const ws = words('i i think uh it is uh it is fine');
  assert.deepEqual(
    ws.map((_, i) => ruleLabel(ws, i)),
    [1, 0, 0, 2, 1, 1, 2, 0, 0, 0],
  );
  assert.equal(ruleLabel(ws, 0, 0), 0, 'the repeat has not arrived yet');
});
