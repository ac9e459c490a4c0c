import { alibiSlopes, EOS_ID, EOS_WORD, HEAD_OUTPUTS, type ModelConfig } from './config.js';
import { tokenFeatures } from './features.js';
import { Vocab } from './vocab.js';
import type { LoadedModel } from './weights.js';

/**
 * Token-at-a-time inference in plain TypeScript over the dequantised weights, with a key/value cache.
 * Attention is causal with ALiBi and a fixed window, so dropping keys older than the window gives exactly the
 * same numbers as the training graph, and memory stays bounded however long the stream runs.
 * (tfjs is used for training; for one token at a time its per-op overhead is larger than the arithmetic.)
 */
export class IncrementalTagger {
  readonly config: ModelConfig;
  readonly vocab: Vocab;
  private readonly w: Map<string, Float32Array>;
  private readonly slopes: number[];
  private keys: Float32Array[];
  private values: Float32Array[];
  private finals: Float32Array;
  private recent: string[] = [];
  private pos = 0;
  // Scratch buffers, reused across steps.
  private readonly x: Float32Array;
  private readonly h: Float32Array;
  private readonly qkv: Float32Array;
  private readonly att: Float32Array;
  private readonly tmp: Float32Array;
  private readonly ff: Float32Array;
  private readonly feats: Float32Array;
  private readonly scores: Float32Array;
  private readonly cat: Float32Array;

  constructor(model: LoadedModel) {
    this.config = model.manifest.config;
    this.vocab = new Vocab(model.manifest.vocab);
    this.w = model.weights;
    const c = this.config;
    this.slopes = alibiSlopes(c.heads);
    this.keys = Array.from({ length: c.layers }, () => new Float32Array(c.window * c.dModel));
    this.values = Array.from({ length: c.layers }, () => new Float32Array(c.window * c.dModel));
    this.finals = new Float32Array((c.maxDelay + 1) * c.dModel);
    this.x = new Float32Array(c.dModel);
    this.h = new Float32Array(c.dModel);
    this.qkv = new Float32Array(3 * c.dModel);
    this.att = new Float32Array(c.dModel);
    this.tmp = new Float32Array(c.dModel);
    this.ff = new Float32Array(c.ffn);
    this.feats = new Float32Array(c.numFeatures);
    this.scores = new Float32Array(c.window);
    this.cat = new Float32Array(2 * c.dModel);
  }

  reset(): void {
    this.pos = 0;
    this.recent = [];
  }

  /** Tokens consumed since the last reset. */
  get position(): number {
    return this.pos;
  }

  /**
   * Consumes one normalised word (or the end marker) and returns this position's head outputs:
   * out[k * 4 + c] = class logit c (fluent, reparandum, edit) for the token k back, out[k * 4 + 3] its wait logit.
   */
  step(word: string): Float32Array {
    const c = this.config;
    const d = c.dModel;
    const W = this.w;
    const isEos = word === EOS_WORD;
    const id = isEos ? EOS_ID : this.vocab.id(word);
    this.recent.push(word);
    if (this.recent.length > 9) this.recent.shift();
    this.feats.fill(0);
    tokenFeatures(
      this.recent,
      this.recent.length - 1,
      isEos || this.vocab.has(word),
      this.feats,
      0,
      c.numFeatures,
    );
    const x = this.x;
    const emb = W.get('emb')!;
    for (let i = 0; i < d; i++) x[i] = emb[id * d + i] + W.get('featB')![i];
    matVecAdd(this.feats, W.get('featW')!, c.numFeatures, d, x);
    const slot = this.pos % c.window;
    const H = c.heads;
    const dh = d / H;
    const span = Math.min(this.pos + 1, c.window);
    for (let l = 0; l < c.layers; l++) {
      layerNorm(x, W.get(`l${l}.ln1g`)!, W.get(`l${l}.ln1b`)!, this.h);
      this.qkv.set(W.get(`l${l}.bqkv`)!);
      matVecAdd(this.h, W.get(`l${l}.wqkv`)!, d, 3 * d, this.qkv);
      const K = this.keys[l];
      const V = this.values[l];
      K.set(this.qkv.subarray(d, 2 * d), slot * d);
      V.set(this.qkv.subarray(2 * d, 3 * d), slot * d);
      const scale = 1 / Math.sqrt(dh);
      for (let hh = 0; hh < H; hh++) {
        const qo = hh * dh;
        let max = -Infinity;
        for (let back = 0; back < span; back++) {
          const s = (((this.pos - back) % c.window) + c.window) % c.window;
          let dot = 0;
          for (let e = 0; e < dh; e++) dot += this.qkv[qo + e] * K[s * d + qo + e];
          const v = dot * scale - this.slopes[hh] * back;
          this.scores[back] = v;
          if (v > max) max = v;
        }
        let sum = 0;
        for (let back = 0; back < span; back++) {
          const e = Math.exp(this.scores[back] - max);
          this.scores[back] = e;
          sum += e;
        }
        for (let e = 0; e < dh; e++) this.att[qo + e] = 0;
        for (let back = 0; back < span; back++) {
          const s = (((this.pos - back) % c.window) + c.window) % c.window;
          const p = this.scores[back] / sum;
          for (let e = 0; e < dh; e++) this.att[qo + e] += p * V[s * d + qo + e];
        }
      }
      this.tmp.set(W.get(`l${l}.bo`)!);
      matVecAdd(this.att, W.get(`l${l}.wo`)!, d, d, this.tmp);
      for (let i = 0; i < d; i++) x[i] += this.tmp[i];
      layerNorm(x, W.get(`l${l}.ln2g`)!, W.get(`l${l}.ln2b`)!, this.h);
      this.ff.set(W.get(`l${l}.b1`)!);
      matVecAdd(this.h, W.get(`l${l}.w1`)!, d, c.ffn, this.ff);
      for (let i = 0; i < c.ffn; i++) if (this.ff[i] < 0) this.ff[i] = 0;
      this.tmp.set(W.get(`l${l}.b2`)!);
      matVecAdd(this.ff, W.get(`l${l}.w2`)!, c.ffn, d, this.tmp);
      for (let i = 0; i < d; i++) x[i] += this.tmp[i];
    }
    const D1 = c.maxDelay + 1;
    const fslot = this.pos % D1;
    const hf = this.finals.subarray(fslot * d, (fslot + 1) * d);
    layerNorm(x, W.get('lnfg')!, W.get('lnfb')!, hf);
    const out = new Float32Array(D1 * HEAD_OUTPUTS);
    for (let k = 0; k <= c.maxDelay; k++) {
      this.cat.set(hf, 0);
      if (k <= this.pos) {
        const bslot = (((this.pos - k) % D1) + D1) % D1;
        this.cat.set(this.finals.subarray(bslot * d, (bslot + 1) * d), d);
      } else this.cat.fill(0, d);
      const o = out.subarray(k * HEAD_OUTPUTS, (k + 1) * HEAD_OUTPUTS);
      o.set(W.get(`head${k}.b`)!);
      matVecAdd(this.cat, W.get(`head${k}.w`)!, 2 * d, HEAD_OUTPUTS, o);
    }
    this.pos++;
    return out;
  }
}

/** out += v · M, with M [rows, cols] row-major. */
function matVecAdd(v: Float32Array, M: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const a = v[r];
    if (a === 0) continue;
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c] += a * M[o + c];
  }
}

function layerNorm(x: Float32Array, g: Float32Array, b: Float32Array, out: Float32Array): void {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - mean) ** 2;
  const inv = 1 / Math.sqrt(v / n + 1e-5);
  for (let i = 0; i < n; i++) out[i] = (x[i] - mean) * inv * g[i] + b[i];
}
