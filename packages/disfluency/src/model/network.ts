import type * as tfType from '@tensorflow/tfjs';
import { alibiSlopes, HEAD_OUTPUTS, type ModelConfig, parameterShapes } from './config.js';

type Tf = typeof tfType;
type T = tfType.Tensor;

export type Params = Map<string, tfType.Variable>;

/** Fresh parameters, seeded. Scaled so residual streams start small (std 1/sqrt(fan_in), output layers / layers). */
export function initParams(tf: Tf, c: ModelConfig, seed: number): Params {
  const params: Params = new Map();
  let s = seed;
  for (const [name, shape] of parameterShapes(c)) {
    let init: T;
    if (name.endsWith('g')) init = tf.ones(shape);
    else if (shape.length === 1) init = tf.zeros(shape);
    else {
      const fanIn = name === 'emb' ? 1 : shape[0];
      let std = name === 'emb' ? 0.1 : 1 / Math.sqrt(fanIn);
      if (name.endsWith('.wo') || name.endsWith('.w2')) std /= Math.sqrt(2 * c.layers);
      if (name.startsWith('head')) std *= 0.5;
      init = tf.randomNormal(shape, 0, std, 'float32', s++);
    }
    params.set(name, tf.variable(init, true, name.replace(/\./g, '_')));
  }
  return params;
}

/** Additive attention bias [heads, T, T]: causal, limited to the window, ALiBi recency slope per head. */
export function attentionBias(c: ModelConfig, len: number): Float32Array {
  const slopes = alibiSlopes(c.heads);
  const out = new Float32Array(c.heads * len * len);
  for (let h = 0; h < c.heads; h++)
    for (let i = 0; i < len; i++)
      for (let j = 0; j < len; j++) {
        const dist = i - j;
        out[(h * len + i) * len + j] = dist < 0 || dist >= c.window ? -1e9 : -slopes[h] * dist;
      }
  return out;
}

function layerNorm(tf: Tf, x: T, g: T, b: T): T {
  const { mean, variance } = tf.moments(x, -1, true);
  return x
    .sub(mean)
    .mul(tf.rsqrt(variance.add(1e-5)))
    .mul(g)
    .add(b);
}

/**
 * One pass over a batch gives every prefix's outputs: position j sees tokens <= j only, and its head k labels
 * token j-k. Returns [B, T, maxDelay+1, HEAD_OUTPUTS].
 */
export function forward(tf: Tf, p: Params, c: ModelConfig, ids: T, feats: T, bias: T): T {
  const [B, Tn] = ids.shape as [number, number];
  const d = c.dModel;
  const H = c.heads;
  const dh = d / H;
  const P = (n: string) => p.get(n)!;
  let x = tf
    .gather(P('emb'), ids)
    .add(tf.matMul(feats.reshape([B * Tn, c.numFeatures]), P('featW')).reshape([B, Tn, d]))
    .add(P('featB'));
  const heads = (t: T) => t.reshape([B, Tn, H, dh]).transpose([0, 2, 1, 3]);
  for (let l = 0; l < c.layers; l++) {
    const h = layerNorm(tf, x, P(`l${l}.ln1g`), P(`l${l}.ln1b`)).reshape([B * Tn, d]);
    const qkv = tf
      .matMul(h, P(`l${l}.wqkv`))
      .add(P(`l${l}.bqkv`))
      .reshape([B, Tn, 3 * d]);
    const [q, k, v] = tf.split(qkv, 3, 2);
    const scores = tf
      .matMul(heads(q), heads(k), false, true)
      .mul(1 / Math.sqrt(dh))
      .add(bias);
    const att = tf
      .matMul(tf.softmax(scores), heads(v))
      .transpose([0, 2, 1, 3])
      .reshape([B * Tn, d]);
    x = x.add(
      tf
        .matMul(att, P(`l${l}.wo`))
        .add(P(`l${l}.bo`))
        .reshape([B, Tn, d]),
    );
    const h2 = layerNorm(tf, x, P(`l${l}.ln2g`), P(`l${l}.ln2b`)).reshape([B * Tn, d]);
    const ff = tf
      .matMul(tf.relu(tf.matMul(h2, P(`l${l}.w1`)).add(P(`l${l}.b1`))), P(`l${l}.w2`))
      .add(P(`l${l}.b2`));
    x = x.add(ff.reshape([B, Tn, d]));
  }
  const hf = layerNorm(tf, x, P('lnfg'), P('lnfb'));
  const outs: T[] = [];
  for (let k = 0; k <= c.maxDelay; k++) {
    // Head k reads the current position and the token it labels (k back): [h_j ; h_{j-k}].
    const back =
      k === 0
        ? hf
        : tf
            .pad(hf, [
              [0, 0],
              [k, 0],
              [0, 0],
            ])
            .slice([0, 0, 0], [B, Tn, d]);
    const cat = tf.concat([hf, back], 2).reshape([B * Tn, 2 * d]);
    outs.push(
      tf
        .matMul(cat, P(`head${k}.w`))
        .add(P(`head${k}.b`))
        .reshape([B, Tn, 1, HEAD_OUTPUTS]),
    );
  }
  return tf.concat(outs, 2);
}

export interface LossOptions {
  /** Weight of the streaming term (expected cross-entropy at the delay the wait head picks). 0 = no wait head. */
  streamWeight: number;
  /** Latency penalty in nats per token waited. */
  latency: number;
  /** Class weights (fluent, reparandum, edit) in the cross-entropy terms. */
  classWeights: [number, number, number];
}

/**
 * Loss from the reference, made differentiable: (1) cross-entropy of every delay head on every token it can
 * see ("full sequence"); (2) for each token, the cross-entropy at the delay where the wait head first says
 * "predict", as an expectation over the wait probabilities; (3) a latency penalty on that expected delay.
 * `labels` [B,T] int (pad 0), `lengths` real tokens per row (position `length` holds the end marker).
 */
export function streamingLoss(
  tf: Tf,
  out: T,
  labels: T,
  lengths: number[],
  c: ModelConfig,
  opt: LossOptions,
): { loss: T; parts: T[] } {
  const [B, Tn] = labels.shape as [number, number];
  const D = c.maxDelay;
  const valid: Float32Array[] = [];
  const forced: Float32Array[] = [];
  for (let k = 0; k <= D; k++) {
    const v = new Float32Array(B * Tn);
    const f = new Float32Array(B * Tn);
    for (let b = 0; b < B; b++)
      for (let i = 0; i < lengths[b]; i++) {
        if (i + k <= lengths[b]) v[b * Tn + i] = 1;
        if (k === Math.min(D, lengths[b] - i)) f[b * Tn + i] = 1;
      }
    valid.push(v);
    forced.push(f);
  }
  const onehot = tf.oneHot(labels, 3).toFloat();
  const cw = onehot.mul(tf.tensor1d(opt.classWeights)).sum(-1);
  const ce: T[] = [];
  const waitP: T[] = [];
  let fullNum: T = tf.scalar(0);
  let fullDen = 0;
  for (let k = 0; k <= D; k++) {
    // Align head k's output at position i+k with token i.
    const o = out.slice([0, k, k, 0], [B, Tn - k, 1, HEAD_OUTPUTS]).reshape([B, Tn - k, HEAD_OUTPUTS]);
    const aligned =
      k === 0
        ? o
        : tf.pad(o, [
            [0, 0],
            [0, k],
            [0, 0],
          ]);
    const logits = aligned.slice([0, 0, 0], [B, Tn, 3]);
    const vk = tf.tensor2d(valid[k], [B, Tn]);
    const cek = tf.logSoftmax(logits).mul(onehot).sum(-1).neg().mul(cw).mul(vk);
    ce.push(cek);
    fullNum = fullNum.add(cek.sum());
    fullDen += valid[k].reduce((a, b) => a + b, 0);
    const wl = aligned.slice([0, 0, 3], [B, Tn, 1]).reshape([B, Tn]);
    waitP.push(
      tf
        .sigmoid(wl)
        .mul(vk)
        .mul(tf.scalar(1).sub(tf.tensor2d(forced[k], [B, Tn]))),
    );
  }
  const full = fullNum.div(fullDen);
  const tokMask = tf.tensor2d(valid[0], [B, Tn]);
  const nTok = valid[0].reduce((a, b) => a + b, 0);
  let reach: T = tf.onesLike(tokMask);
  let expCe: T = tf.zerosLike(tokMask);
  let expDelay: T = tf.zerosLike(tokMask);
  for (let k = 0; k <= D; k++) {
    const stop = reach.mul(tf.scalar(1).sub(waitP[k]));
    expCe = expCe.add(stop.mul(ce[k]));
    expDelay = expDelay.add(stop.mul(k));
    reach = reach.mul(waitP[k]);
  }
  const stream = expCe.mul(tokMask).sum().div(nTok);
  const delay = expDelay.mul(tokMask).sum().div(nTok);
  const loss =
    opt.streamWeight > 0 ? full.add(stream.add(delay.mul(opt.latency)).mul(opt.streamWeight)) : full;
  return { loss, parts: [full, stream, delay] };
}
