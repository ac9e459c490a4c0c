import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { EOS_WORD, type ModelConfig, parameterShapes } from '../src/model/config.js';
import { IncrementalTagger } from '../src/model/engine.js';
import { attentionBias, forward, initParams, streamingLoss } from '../src/model/network.js';
import { unsortedSegmentSum, wasmTf } from '../src/model/tf-backend.js';
import { Vocab } from '../src/model/vocab.js';
import { dequantizeRows, loadModel, quantizeRows, saveModel } from '../src/model/weights.js';
import { encodeBatch } from '../src/train/batch.js';

const small: ModelConfig = {
  vocabSize: 12,
  dModel: 16,
  layers: 2,
  heads: 2,
  ffn: 24,
  window: 5,
  maxDelay: 2,
  numFeatures: 14,
};
const vocab = new Vocab([
  '<pad>',
  '<unk>',
  EOS_WORD,
  'i',
  'think',
  'so',
  'uh',
  'we',
  'went',
  'to',
  'the',
  'beach',
]);

test('wasm UnsortedSegmentSum kernel matches the cpu backend, so embedding gradients train on wasm', async () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8];
  const ids = [2, 0, 2, 5];
  const ref = new Float32Array(6 * 2);
  unsortedSegmentSum(x, ids, 6, 2, ref);
  assert.deepEqual([...ref], [3, 4, 0, 0, 6, 8, 0, 0, 0, 0, 7, 8]);
  const grad = async () => {
    const emb = tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    );
    const idx = tf.tensor1d([2, 0, 2], 'int32');
    const w = tf.tensor2d([
      [1, -1],
      [2, 0.5],
      [3, 1],
    ]);
    const g = tf.grad((e: tf.Tensor) => tf.gather(e, idx).mul(w).sum())(emb);
    const out = [...(await g.data())];
    emb.dispose();
    return out;
  };
  await tf.setBackend('cpu');
  const cpu = await grad();
  await wasmTf();
  await tf.setBackend('wasm');
  assert.equal(tf.getBackend(), 'wasm');
  const wasm = await grad();
  assert.deepEqual(wasm, cpu);
  assert.deepEqual(wasm, [2, 0.5, 0, 0, 4, 0]);
});

test('incremental TypeScript inference equals the tfjs training graph, past the attention window', async () => {
  const t = await wasmTf();
  const params = initParams(t, small, 3);
  // Random non-trivial norms and biases too.
  for (const [name, v] of params)
    if (v.shape.length === 1)
      v.assign(t.randomNormal(v.shape, name.endsWith('g') ? 1 : 0, 0.3, 'float32', 9));
  const sentence = 'i think i think uh we went to the the beach so i'.split(' ');
  const enc = encodeBatch([{ words: sentence, labels: sentence.map(() => 0) }], vocab, small);
  const out = t.tidy(() => {
    const ids = t.tensor2d(enc.ids, [1, enc.len], 'int32');
    const feats = t.tensor3d(enc.feats, [1, enc.len, small.numFeatures]);
    const bias = t.tensor3d(attentionBias(small, enc.len), [small.heads, enc.len, enc.len]);
    return forward(t, params, small, ids, feats, bias).dataSync() as Float32Array;
  });
  const weights = new Map<string, Float32Array>();
  for (const [name, v] of params) weights.set(name, v.dataSync() as Float32Array);
  const tagger = new IncrementalTagger({
    manifest: { config: small, vocab: vocab.words } as never,
    weights,
    bytesOnDisk: 0,
  });
  const per = (small.maxDelay + 1) * 4;
  [...sentence, EOS_WORD].forEach((w, j) => {
    const o = tagger.step(w);
    for (let k = 0; k < per; k++)
      assert.ok(
        Math.abs(o[k] - out[j * per + k]) < 1e-4,
        `position ${j} output ${k}: ${o[k]} vs ${out[j * per + k]}`,
      );
  });
  for (const v of params.values()) v.dispose();
});

test('streaming loss: full CE plus expected CE at the chosen delay plus latency', async () => {
  const t = await wasmTf();
  // One utterance of one word (label 1), maxDelay 1: positions [word, end]. Logits set by hand.
  const c = { ...small, maxDelay: 1 };
  // out [1, 2, 2, 4]: position 0 head 0 = (0, ln 3, 0 | wait logit 0 -> p=0.5); position 1 head 1 = (0, ln 7, 0 | -).
  const out = t.tensor4d([0, Math.log(3), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Math.log(7), 0, 0], [1, 2, 2, 4]);
  const labels = t.tensor2d([1, 0], [1, 2], 'int32');
  const ce0 = -Math.log(3 / 5);
  const ce1 = -Math.log(7 / 9);
  const { loss, parts } = streamingLoss(t, out, labels, [1], c, {
    streamWeight: 1,
    latency: 0.1,
    classWeights: [1, 1, 1],
  });
  const [full, stream, delay] = parts.map((p) => p.dataSync()[0]);
  assert.ok(Math.abs(full - (ce0 + ce1) / 2) < 1e-5);
  assert.ok(Math.abs(stream - (0.5 * ce0 + 0.5 * ce1)) < 1e-5);
  assert.ok(Math.abs(delay - 0.5) < 1e-6);
  assert.ok(Math.abs(loss.dataSync()[0] - (full + stream + 0.1 * delay)) < 1e-5);
});

test('per-row int8 quantisation: error at most half a step, file round-trips', () => {
  const w = new Float32Array([0.5, -1, 0.25, 0, 0, 0, 3, 2.9, -0.01]);
  const { q, scales } = quantizeRows(w, 3, 3);
  const back = dequantizeRows(q, scales, 3, 3);
  for (let i = 0; i < w.length; i++)
    assert.ok(Math.abs(back[i] - w[i]) <= scales[Math.floor(i / 3)] / 2 + 1e-7);
  assert.equal(back[3], 0);
  const dir = mkdtempSync(path.join(tmpdir(), 'disfl-'));
  const weights = new Map<string, Float32Array>();
  let s = 1;
  for (const [name, shape] of parameterShapes(small))
    weights.set(
      name,
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.sin(s++)),
    );
  saveModel(dir, 'm', 'wait', small, vocab.words, weights, {});
  const loaded = loadModel(path.join(dir, 'm.json'));
  assert.equal(loaded.manifest.config.dModel, 16);
  for (const [name, shape] of parameterShapes(small)) {
    const a = weights.get(name)!;
    const b = loaded.weights.get(name)!;
    assert.equal(b.length, a.length);
    const tol = shape.length === 2 ? 1 / 127 : 0;
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `${name}[${i}]`);
  }
  assert.throws(() => loadModel(path.join(dir, 'missing.json')), /cannot read model manifest/);
});
