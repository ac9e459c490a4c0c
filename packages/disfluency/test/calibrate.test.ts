import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fixtureSet } from '../src/data/fixture.js';
import { classify, ready } from '../src/detect/decide.js';
import { createDetector, shippedModelsDir } from '../src/detect/detector.js';
import { evaluate } from '../src/eval/evaluate.js';
import { loadModel, writeDecoding } from '../src/model/weights.js';
import { calibrate } from '../src/train/calibrate.js';

test('decision rule: a reparandum bias moves the class, wait thresholds are per delay', () => {
  // Two delay heads: [fluent, reparandum, edit, wait logit] each.
  const out = new Float32Array([2, 1, -3, 0, 0.5, 1, -3, 3]);
  assert.equal(classify(out, 0, []), 0);
  assert.equal(classify(out, 0, [1.5]), 1);
  assert.equal(classify(out, 1, [0, -1]), 0);
  const policy = { kind: 'wait' as const, thresholds: [0.4, 0.99], reparandumBias: [] };
  assert.equal(ready(out, 0, 2, policy), false); // sigmoid(0) = 0.5 > 0.4
  assert.equal(ready(out, 1, 2, policy), true); // sigmoid(3) = 0.95 <= 0.99
  assert.equal(ready(out, 2, 2, policy), true); // the longest delay always decides
  assert.equal(ready(out, 0, 2, { kind: 'lookahead', tokens: 1, reparandumBias: [] }), false);
});

test('calibration replays the real stream: its scores are what the detector then measures', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'disfl-cal-'));
  for (const f of ['wait.json', 'wait.bin'])
    copyFileSync(path.join(shippedModelsDir(), f), path.join(dir, f));
  const manifest = path.join(dir, 'wait.json');
  const data = fixtureSet(7, 2);
  const plain = evaluate(createDetector({ modelPath: manifest, calibrated: false }), data, 'reparandum');
  const cal = calibrate(loadModel(manifest), data);
  assert.equal(cal.reparandumBias.length, 4);
  assert.equal(cal.waitThresholds.length, 3);
  writeDecoding(manifest, { ...cal, calibratedOn: 'fixture' });
  const loaded = loadModel(manifest);
  assert.deepEqual(loaded.manifest.decoding?.reparandumBias, cal.reparandumBias);
  assert.equal(loaded.manifest.decoding?.calibratedOn, 'fixture');
  const r = evaluate(createDetector({ modelPath: manifest }), data, 'reparandum');
  assert.equal(r.full.f1, cal.heldOut.f1);
  assert.equal(r.streaming.f1, cal.heldOut.streamingF1);
  assert.equal(r.averageWait, cal.heldOut.averageWait);
  // calibrated: false ignores the stored settings: bias 0, threshold 0.5.
  const off = evaluate(createDetector({ modelPath: manifest, calibrated: false }), data, 'reparandum');
  assert.deepEqual(off.full, plain.full);
  assert.equal(off.averageWait, plain.averageWait);
});
