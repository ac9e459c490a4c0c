import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as tfNs from '@tensorflow/tfjs';
import type { WeightsMap } from '../src/core/contracts.js';
import { type Dataset, trainDense } from '../src/learners/dense-trainer.js';
import { initialWeights, loadTf } from '../src/learners/index.js';
import { Rng } from '../src/numeric/random.js';
import { maxAbsDifference } from '../src/numeric/weights.js';

/** Full-batch gradient descent with tfjs's own autodiff, as the reference for the hand-written backprop. */
async function autodiffSteps(
  start: WeightsMap,
  data: Dataset,
  layers: number[],
  steps: number,
  lr: number,
  mu: number,
): Promise<WeightsMap> {
  const tf = await loadTf();
  const n = layers.length - 1;
  const names = Array.from({ length: n }, (_, i) => [`dense_${i}/kernel`, `dense_${i}/bias`]).flat();
  const vars = names.map((k) =>
    tf.variable(
      tf.tensor((start[k] as { data: Float32Array }).data, (start[k] as { shape: number[] }).shape),
    ),
  );
  const anchors = names.map((k) =>
    tf.tensor((start[k] as { data: Float32Array }).data, (start[k] as { shape: number[] }).shape),
  );
  const x = tf.tensor2d(data.x, [data.count, data.features]);
  const binary = layers[n] === 1;
  const y = binary
    ? tf.tensor2d(Float32Array.from(data.y), [data.count, 1])
    : tf.oneHot(tf.tensor1d(data.y, 'int32'), layers[n] as number);
  for (let s = 0; s < steps; s++) {
    const { grads } = tf.variableGrads(() => {
      let h: tfNs.Tensor = x;
      for (let i = 0; i < n; i++) {
        h = tf.add(tf.matMul(h, vars[2 * i] as tfNs.Tensor), vars[2 * i + 1] as tfNs.Tensor);
        if (i < n - 1) h = tf.relu(h);
      }
      let loss = binary ? tf.losses.sigmoidCrossEntropy(y, h) : tf.losses.softmaxCrossEntropy(y, h);
      for (let i = 0; i < vars.length; i++)
        loss = tf.add(
          loss,
          tf.mul(mu / 2, tf.sum(tf.square(tf.sub(vars[i] as tfNs.Tensor, anchors[i] as tfNs.Tensor)))),
        );
      return loss as tfNs.Scalar;
    }, vars);
    for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name] as tfNs.Tensor, lr)));
  }
  return Object.fromEntries(
    names.map((k, i) => [
      k,
      {
        shape: (vars[i] as tfNs.Variable).shape,
        data: (vars[i] as tfNs.Variable).dataSync() as Float32Array,
      },
    ]),
  );
}

function randomData(count: number, features: number, classes: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: count * features }, () => rng.normal());
  const y = Int32Array.from({ length: count }, () => rng.int(classes));
  return { x, y, count, features };
}

describe('hand-written backpropagation', () => {
  for (const [label, layers, mu] of [
    ['softmax MLP 20-16-8-5', [20, 16, 8, 5], 0],
    ['softmax MLP with FedProx mu=0.5', [20, 16, 5], 0.5],
    ['binary logistic regression', [20, 1], 0],
  ] as const) {
    it(`matches tfjs autodiff for a ${label}`, async () => {
      const data = randomData(
        48,
        20,
        layers[layers.length - 1] === 1 ? 2 : (layers[layers.length - 1] as number),
        3,
      );
      const start = initialWeights({ type: 'mlp', layers: [...layers], seed: 8 });
      // full batch: the gradient does not depend on the shuffle order
      const ours = await trainDense(start, data, { epochs: 3, batchSize: 48, lr: 0.3, mu, seed: 1 });
      const reference = await autodiffSteps(start, data, [...layers], 3, 0.3, mu);
      const diff = maxAbsDifference(ours.weights, reference);
      assert.ok(diff < 2e-5, `max difference ${diff}`);
      assert.ok(maxAbsDifference(ours.weights, start) > 1e-3, 'the weights moved');
    });
  }

  it('reports the loss and accuracy of the last epoch and leaks no tensors', async () => {
    const tf = await loadTf();
    const data = randomData(64, 10, 3, 4);
    const before = tf.memory().numTensors;
    const r = await trainDense(initialWeights({ type: 'mlp', layers: [10, 3], seed: 1 }), data, {
      epochs: 1,
      batchSize: 64,
      lr: 0,
      mu: 0,
      seed: 1,
    });
    assert.equal(tf.memory().numTensors, before);
    // lr = 0 leaves the weights alone, so the reported loss must equal the mean cross-entropy computed directly
    const w = initialWeights({ type: 'mlp', layers: [10, 3], seed: 1 });
    let loss = 0;
    let hits = 0;
    for (let r0 = 0; r0 < 64; r0++) {
      const z = [0, 1, 2].map((c) => {
        let v = (w['dense_0/bias'] as { data: Float32Array }).data[c] as number;
        for (let f = 0; f < 10; f++)
          v +=
            (data.x[r0 * 10 + f] as number) *
            ((w['dense_0/kernel'] as { data: Float32Array }).data[f * 3 + c] as number);
        return v;
      });
      const m = Math.max(...z);
      loss += m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0)) - (z[data.y[r0] as number] as number);
      if (z.indexOf(m) === data.y[r0]) hits++;
    }
    assert.ok(Math.abs((r.metrics.train_loss as number) - loss / 64) < 1e-5);
    assert.equal(r.metrics.train_accuracy, hits / 64);
  });

  it('lets the event loop run while it trains, so a client keeps sending heartbeats', async () => {
    const data = randomData(4000, 200, 10, 5);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const t0 = performance.now();
    await trainDense(initialWeights({ type: 'mlp', layers: [200, 64, 10], seed: 1 }), data, {
      epochs: 3,
      batchSize: 16,
      lr: 0.1,
      mu: 0,
      seed: 1,
    });
    const ms = performance.now() - t0;
    clearInterval(timer);
    // a blocked loop would fire the timer at most once, after training; ~one tick per 20 ms slice is expected
    assert.ok(ms < 100 || ticks >= 3, `timer fired ${ticks} times during ${ms.toFixed(0)} ms of training`);
  });
});
