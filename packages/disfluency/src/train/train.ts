import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import type { LabelledUtterance } from '../data/labels.js';
import { DEFAULT_CONFIG, HEAD_OUTPUTS, type ModelConfig, parameterCount } from '../model/config.js';
import {
  attentionBias,
  forward,
  initParams,
  type LossOptions,
  type Params,
  streamingLoss,
} from '../model/network.js';
import { wasmTf } from '../model/tf-backend.js';
import { loadModel, type ModelManifest, saveModel } from '../model/weights.js';
import { ProgressBar } from '../report/progress.js';
import { lineChartSvg } from '../report/svg.js';
import { encodeBatch } from './batch.js';
import {
  type CorpusPaths,
  type DataMix,
  DEFAULT_MIX,
  heldOutSet,
  loadCorpus,
  trainingStream,
} from './corpus.js';

export interface TrainOptions {
  data: CorpusPaths;
  outDir: string;
  name: string;
  kind: 'wait' | 'lookahead';
  steps: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  config: ModelConfig;
  loss: LossOptions;
  /** Which generators make the training utterances, and in what shares. */
  mix: DataMix;
  /** Save a checkpoint (same format as the final model) every this many steps. */
  checkpointEvery: number;
  /** Stop after this step, with the learning-rate schedule still that of `steps` (reproduces a checkpoint). */
  stopAt?: number;
  /**
   * Start from this model's weights (a manifest written by `train`) instead of a random init: fine-tuning,
   * e.g. with a larger latency penalty. Its configuration and vocabulary must be the ones this run builds.
   */
  init?: string;
  log?: (line: string) => void;
}

export const DEFAULT_TRAIN: Omit<TrainOptions, 'data' | 'outDir'> = {
  name: 'wait',
  kind: 'wait',
  steps: 3000,
  batchSize: 48,
  learningRate: 2e-3,
  seed: 7,
  config: DEFAULT_CONFIG,
  loss: { streamWeight: 1, latency: 0.05, classWeights: [1, 1.3, 1] },
  mix: DEFAULT_MIX,
  checkpointEvery: Number(process.env.CKPT ?? 200),
};

interface CurvePoint {
  step: number;
  loss: number;
  full: number;
  stream: number;
  delay: number;
  heldOutF1?: number;
}

/** Trains the streaming tagger on the wasm backend and writes the quantised model, a loss log and a loss curve. */
export async function train(opts: TrainOptions): Promise<ModelManifest> {
  const tf = await wasmTf();
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const c = opts.config;
  mkdirSync(opts.outDir, { recursive: true });
  log(`loading corpus from ${opts.data.fluent}${opts.data.disflQa ? ` and ${opts.data.disflQa}` : ''}`);
  const corpus = loadCorpus(opts.data, c.vocabSize, 2000, opts.mix.spokenText);
  log(
    `${corpus.train.length} fluent training utterances, ${corpus.disflQa.length} aligned Disfl-QA pairs, vocabulary ${corpus.vocab.size}, ${parameterCount(c)} parameters`,
  );
  const held = heldOutSet(corpus, opts.seed + 1000).slice(0, 512);
  const stream = trainingStream(corpus, opts.seed, opts.mix);
  const params = initParams(tf, c, opts.seed);
  const parent = opts.init ? startFrom(tf, params, opts.init, c, corpus.vocab.words) : undefined;
  if (parent) log(`fine-tuning from ${opts.init} (${String(parent.stage)}, ${String(parent.steps)} steps)`);
  const optimizer = tf.train.adam(opts.learningRate, 0.9, 0.98, 1e-8);
  const biasCache = new Map<number, tfType.Tensor>();
  const biasFor = (len: number) => {
    let b = biasCache.get(len);
    if (!b) {
      b = tf.keep(tf.tensor3d(attentionBias(c, len), [c.heads, len, len]));
      biasCache.set(len, b);
    }
    return b;
  };
  const curve: CurvePoint[] = [];
  const bar = new ProgressBar(opts.steps, `train ${opts.name}`);
  const pool: LabelledUtterance[] = [];
  const warmup = Math.min(150, Math.floor(opts.steps / 10));
  const started = Date.now();
  let ema = Number.NaN;
  const last = Math.min(opts.stopAt ?? opts.steps, opts.steps);
  for (let step = 1; step <= last; step++) {
    // Length-bucketed batches: fill a pool of 16 batches, sort by length, take one slice.
    if (pool.length < opts.batchSize) {
      for (let i = 0; i < opts.batchSize * 16; i++) pool.push(stream.next().value as LabelledUtterance);
      pool.sort((a, b) => a.words.length - b.words.length);
      const chunks: LabelledUtterance[][] = [];
      for (let i = 0; i < pool.length; i += opts.batchSize) chunks.push(pool.slice(i, i + opts.batchSize));
      for (let i = chunks.length - 1; i > 0; i--) {
        const j = (step * 7919 + i * 104729) % (i + 1);
        [chunks[i], chunks[j]] = [chunks[j], chunks[i]];
      }
      pool.length = 0;
      for (const ch of chunks) pool.push(...ch);
    }
    const utts = pool.splice(0, opts.batchSize);
    const enc = encodeBatch(utts, corpus.vocab, c);
    const lr =
      opts.learningRate *
      Math.min(step / warmup, 1) *
      (1 - 0.9 * Math.max(0, (step - warmup) / (opts.steps - warmup)));
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
    const parts = tf.tidy(() => {
      const ids = tf.tensor2d(enc.ids, [enc.batch, enc.len], 'int32');
      const feats = tf.tensor3d(enc.feats, [enc.batch, enc.len, c.numFeatures]);
      const labels = tf.tensor2d(enc.labels, [enc.batch, enc.len], 'int32');
      const bias = biasFor(enc.len);
      let partVals: tfType.Tensor[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const out = forward(tf, params, c, ids, feats, bias);
        const { loss, parts } = streamingLoss(tf, out, labels, enc.lengths, c, opts.loss);
        partVals = parts.map((p) => tf.keep(p));
        return loss as tfType.Scalar;
      });
      // Clip by global norm 1: early batches with long utterances otherwise jolt the embeddings.
      const norm = Math.sqrt(
        Object.values(grads).reduce((s, g) => s + (g.square().sum().dataSync()[0] as number), 0),
      );
      const scale = norm > 1 ? 1 / norm : 1;
      const scaled: Record<string, tfType.Tensor> = {};
      for (const [k, g] of Object.entries(grads)) scaled[k] = g.mul(scale);
      optimizer.applyGradients(scaled as unknown as Parameters<typeof optimizer.applyGradients>[0]);
      const vals = [value, ...partVals].map((t) => t.dataSync()[0] as number);
      for (const p of partVals) p.dispose();
      return vals;
    });
    ema = Number.isNaN(ema) ? parts[0] : 0.95 * ema + 0.05 * parts[0];
    const point: CurvePoint = { step, loss: parts[0], full: parts[1], stream: parts[2], delay: parts[3] };
    if (step % opts.checkpointEvery === 0 || step === last) {
      point.heldOutF1 = heldOutF1(tf, params, c, held, corpus.vocab);
      const manifest = writeModel(
        opts,
        params,
        corpus.vocab.words,
        curve.concat(point),
        started,
        'checkpoint',
        parent,
      );
      log(
        `\nstep ${step}: loss ${ema.toFixed(4)}, held-out reparandum F1 (look-ahead ${c.maxDelay}) ${point.heldOutF1.toFixed(3)}, checkpoint ${manifest.weightsFile}`,
      );
    }
    curve.push(point);
    bar.update(step, `loss ${ema.toFixed(4)} wait ${parts[3].toFixed(2)} lr ${lr.toExponential(1)}`);
  }
  bar.done();
  const manifest = writeModel(opts, params, corpus.vocab.words, curve, started, 'final', parent);
  for (const b of biasCache.values()) b.dispose();
  for (const p of params.values()) p.dispose();
  return manifest;
}

/** Loads a trained model's weights into `params`; returns that model's training record (its lineage). */
function startFrom(
  tf: Awaited<ReturnType<typeof wasmTf>>,
  params: Params,
  manifestPath: string,
  c: ModelConfig,
  vocab: readonly string[],
): Record<string, unknown> {
  const { manifest, weights } = loadModel(manifestPath);
  for (const key of Object.keys(c) as (keyof ModelConfig)[]) {
    if (JSON.stringify(manifest.config[key]) !== JSON.stringify(c[key]))
      throw new Error(
        `--init ${manifestPath}: its config.${key} is ${JSON.stringify(manifest.config[key])}, this run uses ${JSON.stringify(c[key])}`,
      );
  }
  const differs = manifest.vocab.findIndex((w, i) => vocab[i] !== w);
  if (manifest.vocab.length !== vocab.length || differs >= 0)
    throw new Error(
      `--init ${manifestPath}: its vocabulary differs from the one built from this data (word ${differs}: "${manifest.vocab[differs]}" vs "${vocab[differs]}"); train on the data it was trained on`,
    );
  for (const [name, v] of params) {
    const w = weights.get(name);
    if (!w) throw new Error(`--init ${manifestPath}: tensor ${name} is missing`);
    v.assign(tf.tensor(w, v.shape));
  }
  return manifest.training;
}

function writeModel(
  opts: TrainOptions,
  params: Params,
  vocab: readonly string[],
  curve: CurvePoint[],
  started: number,
  stage: string,
  parent?: Record<string, unknown>,
): ModelManifest {
  const weights = new Map<string, Float32Array>();
  for (const [name, v] of params) weights.set(name, v.dataSync() as Float32Array);
  const last = curve.filter((p) => p.heldOutF1 !== undefined).at(-1);
  const manifest = saveModel(opts.outDir, opts.name, opts.kind, opts.config, vocab, weights, {
    stage,
    steps: curve.length,
    batchSize: opts.batchSize,
    learningRate: opts.learningRate,
    seed: opts.seed,
    loss: opts.loss,
    seconds: Math.round((Date.now() - started) / 1000),
    heldOutReparandumF1: last?.heldOutF1,
    data: 'synthetic disfluencies injected into Schema-Guided Dialogue utterances + aligned Disfl-QA train pairs',
    mix: opts.mix,
    ...(parent ? { init: opts.init ? path.basename(opts.init) : undefined, parent } : {}),
  });
  writeFileSync(
    path.join(opts.outDir, `${opts.name}.curve.json`),
    JSON.stringify(
      curve.map((p) => [
        p.step,
        +p.loss.toFixed(4),
        +p.full.toFixed(4),
        +p.stream.toFixed(4),
        +p.delay.toFixed(3),
        p.heldOutF1 ?? null,
      ]),
    ),
  );
  writeFileSync(path.join(opts.outDir, `${opts.name}.loss.svg`), lossCurveSvg(opts.name, curve));
  return manifest;
}

function smooth(points: [number, number][], k = 25): [number, number][] {
  const out: [number, number][] = [];
  let acc = 0;
  for (let i = 0; i < points.length; i++) {
    acc += points[i][1];
    if (i >= k) acc -= points[i - k][1];
    if (i % 5 === 0 || i === points.length - 1) out.push([points[i][0], acc / Math.min(i + 1, k)]);
  }
  return out;
}

export function lossCurveSvg(name: string, curve: CurvePoint[]): string {
  return lineChartSvg(`training loss: ${name}`, 'step', 'loss (25-step mean) / F1', [
    { name: 'total loss', color: '#1f77b4', points: smooth(curve.map((p) => [p.step, p.loss])) },
    { name: 'full-sequence CE', color: '#ff7f0e', points: smooth(curve.map((p) => [p.step, p.full])) },
    { name: 'expected wait (tokens)', color: '#2ca02c', points: smooth(curve.map((p) => [p.step, p.delay])) },
    {
      name: 'held-out reparandum F1',
      color: '#d62728',
      points: curve.filter((p) => p.heldOutF1 !== undefined).map((p) => [p.step, p.heldOutF1!]),
    },
  ]);
}

/** Reparandum F1 on held-out synthetic data, using the longest look-ahead head (a cheap training-time signal). */
function heldOutF1(
  tf: typeof tfType,
  params: Params,
  c: ModelConfig,
  held: LabelledUtterance[],
  vocab: import('../model/vocab.js').Vocab,
): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let s = 0; s < held.length; s += 64) {
    const utts = held.slice(s, s + 64);
    const enc = encodeBatch(utts, vocab, c);
    const out = tf.tidy(() => {
      const ids = tf.tensor2d(enc.ids, [enc.batch, enc.len], 'int32');
      const feats = tf.tensor3d(enc.feats, [enc.batch, enc.len, c.numFeatures]);
      const bias = tf.tensor3d(attentionBias(c, enc.len), [c.heads, enc.len, enc.len]);
      return forward(tf, params, c, ids, feats, bias).dataSync() as Float32Array;
    });
    const D1 = c.maxDelay + 1;
    utts.forEach((u, b) => {
      const n = u.words.length;
      for (let i = 0; i < n; i++) {
        const k = Math.min(c.maxDelay, n - i);
        const o = ((b * enc.len + i + k) * D1 + k) * HEAD_OUTPUTS;
        let best = 0;
        for (let cl = 1; cl < 3; cl++) if (out[o + cl] > out[o + best]) best = cl;
        const pred = best === 1;
        const gold = u.labels[i] === 1;
        if (pred && gold) tp++;
        else if (pred) fp++;
        else if (gold) fn++;
      }
    });
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}
