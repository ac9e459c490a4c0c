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

/** Local SGD; returns the trained weights and the mean training loss/accuracy seen during the last epoch. */
export async function trainDense(
  weights: WeightsMap,
  data: Dataset,
  s: TrainSettings,
): Promise<{ weights: WeightsMap; metrics: Metrics }> {
  const tf = await loadTf();
  const layers = denseLayers(weights);
  checkData(layers, data);
  const binary = (layers[layers.length - 1] as DenseLayer).units === 1;
  const names = layers.flatMap((l) => [l.kernel, l.bias]);
  const vars: Record<string, tfNs.Variable> = {};
  const anchors: Record<string, tfNs.Tensor> = {};
  for (const n of names) {
    const t = weights[n] as { shape: number[]; data: Float32Array };
    vars[n] = tf.variable(tf.tensor(t.data, t.shape), true, undefined);
    if (s.mu > 0) anchors[n] = tf.tensor(t.data, t.shape);
  }
  const xAll = tf.tensor2d(data.x, [data.count, data.features]);
  const yAll = tf.tensor1d(data.y, 'int32');
  const optimizer = tf.train.sgd(s.lr);
  const rng = new Rng(s.seed);
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  try {
    for (let epoch = 0; epoch < s.epochs; epoch++) {
      const perm = rng.permutation(data.count);
      const lastEpoch = epoch === s.epochs - 1;
      for (let start = 0; start < data.count; start += s.batchSize) {
        const idx = perm.subarray(start, Math.min(start + s.batchSize, data.count));
        tf.tidy(() => {
          const ids = tf.tensor1d(idx, 'int32');
          const xb = tf.gather(xAll, ids);
          const yb = tf.gather(yAll, ids);
          let logits: tfNs.Tensor | undefined;
          const cost = optimizer.minimize(
            () => {
              const out = forward(tf, layers, vars, xb);
              // minimize() disposes what the loss function made; keep the logits to count hits afterwards.
              if (lastEpoch) logits = tf.keep(out);
              let loss = lossOf(tf, out, yb, binary);
              if (s.mu > 0) {
                let prox: tfNs.Tensor = tf.scalar(0);
                for (const n of names)
                  prox = tf.add(
                    prox,
                    tf.sum(tf.square(tf.sub(vars[n] as tfNs.Tensor, anchors[n] as tfNs.Tensor))),
                  );
                loss = tf.add(loss, tf.mul(s.mu / 2, prox)) as tfNs.Scalar;
              }
              return loss;
            },
            true,
            names.map((n) => vars[n] as tfNs.Variable),
          );
          if (lastEpoch && cost && logits) {
            lossSum += (cost.dataSync()[0] as number) * idx.length;
            correct += countCorrect(tf, logits, yb, binary);
            seen += idx.length;
          }
          if (logits) tf.dispose(logits);
        });
      }
    }
    const out: WeightsMap = {};
    for (const n of names) {
      const v = vars[n] as tfNs.Variable;
      out[n] = { shape: v.shape.slice(), data: v.dataSync() as Float32Array };
    }
    return {
      weights: out,
      metrics: { train_loss: lossSum / Math.max(1, seen), train_accuracy: correct / Math.max(1, seen) },
    };
  } finally {
    optimizer.dispose();
    tf.dispose([xAll, yAll, ...Object.values(vars), ...Object.values(anchors)]);
  }
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
  const batch = 2000;
  try {
    for (let start = 0; start < data.count; start += batch) {
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
