import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeQuestion } from '../src/agent/question.js';
import { exactMatch, normalizeVqa, vqaSoftAccuracy } from '../src/eval/score.js';

test('answers are normalised the VQA way', () => {
  assert.equal(normalizeVqa('  The Kenyan Shilling! '), 'kenyan shilling');
  assert.equal(normalizeVqa('Four'), '4');
  assert.equal(normalizeVqa('Bogotá'), 'bogota');
});

test('exact match accepts any alias', () => {
  assert.equal(exactMatch('Kiev', ['Kyiv', 'Kiev']), 1);
  assert.equal(exactMatch('Lviv', ['Kyiv', 'Kiev']), 0);
  assert.equal(exactMatch(null, ['Kyiv']), 0);
});

test('VQA soft accuracy follows the leave-one-out formula', () => {
  const ten = (k: number) => [...Array(k).fill('dog'), ...Array(10 - k).fill('puppy')];
  // With k of 10 humans agreeing: each leave-one-out subset has k or k-1 matches.
  const expected = (k: number) => (k * Math.min(1, (k - 1) / 3) + (10 - k) * Math.min(1, k / 3)) / 10;
  for (const k of [0, 1, 2, 3, 4, 10])
    assert.ok(Math.abs(vqaSoftAccuracy('dog', [], ten(k)) - expected(k)) < 1e-12, `k=${k}`);
  assert.ok(Math.abs(vqaSoftAccuracy('dog', [], ten(1)) - 0.3) < 1e-12);
  assert.equal(vqaSoftAccuracy('dog', [], ten(4)), 1);
  assert.equal(vqaSoftAccuracy('cat', ['cat'], undefined), 1);
});

test('question analysis finds the asked attribute, counts, faces and text questions', () => {
  assert.equal(analyzeQuestion('What currency do they use here?').attribute, 'currency');
  assert.equal(analyzeQuestion('How many buses are there?').count, 'bus');
  assert.equal(analyzeQuestion('How many people are in the picture?').count, 'person');
  assert.equal(analyzeQuestion('How old is the woman?').face, 'age');
  assert.equal(analyzeQuestion('What does the sign say?').readText, true);
  assert.equal(analyzeQuestion('What is the capital of the country named on this sign?').readText, false);
  assert.deepEqual(analyzeQuestion('What kind of animal is this?').identity, { kind: 'animal' });
  assert.deepEqual(analyzeQuestion('What are the people flying?').identity, { kind: 'held' });
});
