/**
 * Training and evaluation of a dense network (MLP with ReLU hidden layers; softmax output, or one sigmoid
 * logit for binary logistic regression) with tfjs on the wasm backend. The architecture is read from the
 * weights, so the same code trains whatever model the server sent.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Metrics, WeightsMap } from '../core/contracts.js';
import { Rng } from '../numeric/random.js';
import { type DenseLayer, denseLayers } from './model-spec.js';
import { loadTf } from './tf-runtime.js';

export interface Dataset {
  x: Float32Array;
  y: Int32Array;
  count: number;
  features: number;
}

export interface TrainSettings {
  epochs: number;
  batchSize: number;
  lr: number;
  /** FedProx proximal weight: adds mu/2 * ||w - w_global||^2 to the local loss. */
  mu: number;
  seed: number;
}

type Tf = typeof tfNs;

/**
 * Training is synchronous wasm work; a client process must still answer heartbeats and stream replies while
 * it trains, so the loops hand the event loop a turn every ~20 ms.
 */
function yielder(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < 20) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
  };
}

function forward(
  tf: Tf,
  layers: DenseLayer[],
  vars: Record<string, tfNs.Tensor>,
  x: tfNs.Tensor,
): tfNs.Tensor {
  let h = x;
  layers.forEach((l, i) => {
    h = tf.add(tf.matMul(h, vars[l.kernel] as tfNs.Tensor), vars[l.bias] as tfNs.Tensor);
    if (i < layers.length - 1) h = tf.relu(h);
  });
  return h;
}

function lossOf(tf: Tf, logits: tfNs.Tensor, y: tfNs.Tensor, binary: boolean): tfNs.Scalar {
  if (binary) return tf.losses.sigmoidCrossEntropy(y.reshape([-1, 1]).toFloat(), logits) as tfNs.Scalar;
  return tf.losses.softmaxCrossEntropy(tf.oneHot(y, logits.shape[1] as number), logits) as tfNs.Scalar;
}

function checkData(layers: DenseLayer[], data: Dataset): void {
  const inputs = (layers[0] as DenseLayer).inputs;
  if (data.features !== inputs)
    throw new Error(`the model takes ${inputs} inputs but this site's data has ${data.features} features`);
}

/**
 * Local mini-batch SGD with hand-written backpropagation on tfjs-wasm kernels. tfjs's autodiff path
 * (optimizer.minimize over gathered batches) spends ~5x longer per step on the wasm backend, mostly in
 * gather, transposed matMul and variable assignment; batches here are cut and transposed in JavaScript
 * and weights are replaced functionally. Checked against tf.variableGrads in test/ml-trainer.test.ts.
 */
export async function trainDense(
  weights: WeightsMap,
  data: Dataset,
  s: TrainSettings,
): Promise<{ weights: WeightsMap; metrics: Metrics }> {
  const tf = await loadTf();
  const layers = denseLayers(weights);
  checkData(layers, data);
  const outUnits = (layers[layers.length - 1] as DenseLayer).units;
  const binary = outUnits === 1;
  const D = data.features;
  let W: tfNs.Tensor[] = layers.map((l) =>
    tf.tensor2d((weights[l.kernel] as { data: Float32Array }).data, [l.inputs, l.units]),
  );
  let b: tfNs.Tensor[] = layers.map((l) => tf.tensor1d((weights[l.bias] as { data: Float32Array }).data));
  const anchors = s.mu > 0 ? W.map((w) => tf.clone(w)) : [];
  const anchorsB = s.mu > 0 ? b.map((t) => tf.clone(t)) : [];
  const rng = new Rng(s.seed);
  const xPerm = new Float32Array(data.count * D);
  const yPerm = new Int32Array(data.count);
  const xT = new Float32Array(s.batchSize * D);
  const yOne = new Float32Array(s.batchSize * (binary ? 1 : outUnits));
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  const breathe = yielder();
  try {
    for (let epoch = 0; epoch < s.epochs; epoch++) {
      const perm = rng.permutation(data.count);
      for (let r = 0; r < data.count; r++) {
        const i = perm[r] as number;
        xPerm.set(data.x.subarray(i * D, (i + 1) * D), r * D);
        yPerm[r] = data.y[i] as number;
      }
      const lastEpoch = epoch === s.epochs - 1;
      for (let start = 0; start < data.count; start += s.batchSize) {
        await breathe();
        const B = Math.min(s.batchSize, data.count - start);
        const xb = xPerm.subarray(start * D, (start + B) * D);
        for (let r = 0; r < B; r++) for (let c = 0; c < D; c++) xT[c * B + r] = xb[r * D + c] as number;
        const C = binary ? 1 : outUnits;
        yOne.fill(0, 0, B * C);
        for (let r = 0; r < B; r++) {
          const y = yPerm[start + r] as number;
          if (binary) yOne[r] = y;
          else yOne[r * C + y] = 1;
        }
        const next = tf.tidy(() => {
          const x = tf.tensor2d(xb, [B, D]);
          const y = tf.tensor2d(yOne.subarray(0, B * C), [B, C]);
          // forward, keeping pre-activations for the ReLU derivative
          const acts: tfNs.Tensor[] = [x];
          const pre: tfNs.Tensor[] = [];
          for (let i = 0; i < layers.length; i++) {
            const z = tf.add(tf.matMul(acts[i] as tfNs.Tensor, W[i] as tfNs.Tensor), b[i] as tfNs.Tensor);
            pre.push(z);
            if (i < layers.length - 1) acts.push(tf.relu(z));
          }
          const logits = pre[pre.length - 1] as tfNs.Tensor;
          if (lastEpoch) {
            const [l, c] = batchLossAndHits(
              logits.dataSync() as Float32Array,
              yPerm.subarray(start, start + B),
              binary,
              C,
            );
            lossSum += l;
            correct += c;
            seen += B;
          }
          // backward: d(mean loss)/d(logits) = (softmax or sigmoid - y) / B for both losses
          let delta = tf.div(tf.sub(binary ? tf.sigmoid(logits) : tf.softmax(logits), y), B);
          const newW: tfNs.Tensor[] = new Array(layers.length);
          const newB: tfNs.Tensor[] = new Array(layers.length);
          for (let i = layers.length - 1; i >= 0; i--) {
            const input =
              i === 0 ? tf.tensor2d(xT.subarray(0, B * D), [D, B]) : tf.transpose(acts[i] as tfNs.Tensor);
            let dW = tf.matMul(input, delta);
            let db = tf.sum(delta, 0);
            if (s.mu > 0) {
              dW = tf.add(dW, tf.mul(tf.sub(W[i] as tfNs.Tensor, anchors[i] as tfNs.Tensor), s.mu));
              db = tf.add(db, tf.mul(tf.sub(b[i] as tfNs.Tensor, anchorsB[i] as tfNs.Tensor), s.mu));
            }
            if (i > 0)
              delta = tf.mul(
                tf.matMul(delta, W[i] as tfNs.Tensor, false, true),
                tf.step(pre[i - 1] as tfNs.Tensor),
              );
            newW[i] = tf.sub(W[i] as tfNs.Tensor, tf.mul(dW, s.lr));
            newB[i] = tf.sub(b[i] as tfNs.Tensor, tf.mul(db, s.lr));
          }
          return { W: newW, b: newB };
        });
        tf.dispose([...W, ...b]);
        W = next.W;
        b = next.b;
      }
    }
    const out: WeightsMap = {};
    layers.forEach((l, i) => {
      out[l.kernel] = {
        shape: [l.inputs, l.units],
        data: Float32Array.from((W[i] as tfNs.Tensor).dataSync() as Float32Array),
      };
      out[l.bias] = {
        shape: [l.units],
        data: Float32Array.from((b[i] as tfNs.Tensor).dataSync() as Float32Array),
      };
    });
    return {
      weights: out,
      metrics: { train_loss: lossSum / Math.max(1, seen), train_accuracy: correct / Math.max(1, seen) },
    };
  } finally {
    tf.dispose([...W, ...b, ...anchors, ...anchorsB]);
  }
}

/** Summed cross-entropy and correct predictions of one batch, from its logits (computed in float64). */
function batchLossAndHits(logits: Float32Array, y: Int32Array, binary: boolean, C: number): [number, number] {
  let loss = 0;
  let hits = 0;
  for (let r = 0; r < y.length; r++) {
    const label = y[r] as number;
    if (binary) {
      const z = logits[r] as number;
      loss += Math.max(z, 0) - z * label + Math.log1p(Math.exp(-Math.abs(z)));
      if ((z > 0 ? 1 : 0) === label) hits++;
      continue;
    }
    let max = Number.NEGATIVE_INFINITY;
    let arg = 0;
    for (let c = 0; c < C; c++) {
      const v = logits[r * C + c] as number;
      if (v > max) {
        max = v;
        arg = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp((logits[r * C + c] as number) - max);
    loss += max + Math.log(sum) - (logits[r * C + label] as number);
    if (arg === label) hits++;
  }
  return [loss, hits];
}

function countCorrect(tf: Tf, logits: tfNs.Tensor, y: tfNs.Tensor, binary: boolean): number {
  return tf.tidy(() => {
    const pred = binary ? tf.cast(tf.greater(logits.reshape([-1]), 0), 'int32') : tf.argMax(logits, 1);
    return tf.sum(tf.cast(tf.equal(pred, y), 'int32')).dataSync()[0] as number;
  });
}

/** Loss and accuracy of `weights` on `data`, in batches so large sets do not need one big activation. */
export async function evaluateDense(weights: WeightsMap, data: Dataset, prefix = 'val_'): Promise<Metrics> {
  const tf = await loadTf();
  const layers = denseLayers(weights);
  checkData(layers, data);
  const binary = (layers[layers.length - 1] as DenseLayer).units === 1;
  const vars: Record<string, tfNs.Tensor> = {};
  for (const l of layers)
    for (const n of [l.kernel, l.bias]) {
      const t = weights[n] as { shape: number[]; data: Float32Array };
      vars[n] = tf.tensor(t.data, t.shape);
    }
  let lossSum = 0;
  let correct = 0;
  const batch = 500;
  const breathe = yielder();
  try {
    for (let start = 0; start < data.count; start += batch) {
      await breathe();
      const end = Math.min(start + batch, data.count);
      tf.tidy(() => {
        const xb = tf.tensor2d(data.x.subarray(start * data.features, end * data.features), [
          end - start,
          data.features,
        ]);
        const yb = tf.tensor1d(data.y.subarray(start, end), 'int32');
        const logits = forward(tf, layers, vars, xb);
        lossSum += (lossOf(tf, logits, yb, binary).dataSync()[0] as number) * (end - start);
        correct += countCorrect(tf, logits, yb, binary);
      });
    }
  } finally {
    tf.dispose(Object.values(vars));
  }
  const n = Math.max(1, data.count);
  return { [`${prefix}loss`]: lossSum / n, [`${prefix}accuracy`]: correct / n };
}
