/** Shape of the streaming tagger. Every field is stored in the model manifest so a file describes itself. */
export interface ModelConfig {
  vocabSize: number;
  dModel: number;
  layers: number;
  heads: number;
  ffn: number;
  /** Attention span in tokens (the token itself and window-1 before it): bounds memory on endless streams. */
  window: number;
  /** Largest look-ahead in tokens: position j carries a label for every token j-d, d = 0..maxDelay. */
  maxDelay: number;
  numFeatures: number;
}

export const DEFAULT_CONFIG: ModelConfig = {
  vocabSize: 10000,
  dModel: 96,
  layers: 3,
  heads: 4,
  ffn: 256,
  window: 32,
  maxDelay: 3,
  numFeatures: 12,
};

/** Outputs per delay head: three class logits (fluent, reparandum, edit) and one wait logit. */
export const HEAD_OUTPUTS = 4;

export const PAD_ID = 0;
export const UNK_ID = 1;
export const EOS_ID = 2;
export const EOS_WORD = '</s>';

/** Names and shapes of every parameter, in a fixed order (the order of the weights file). */
export function parameterShapes(c: ModelConfig): [string, number[]][] {
  const d = c.dModel;
  const out: [string, number[]][] = [
    ['emb', [c.vocabSize, d]],
    ['featW', [c.numFeatures, d]],
    ['featB', [d]],
  ];
  for (let l = 0; l < c.layers; l++) {
    out.push(
      [`l${l}.ln1g`, [d]],
      [`l${l}.ln1b`, [d]],
      [`l${l}.wqkv`, [d, 3 * d]],
      [`l${l}.bqkv`, [3 * d]],
      [`l${l}.wo`, [d, d]],
      [`l${l}.bo`, [d]],
      [`l${l}.ln2g`, [d]],
      [`l${l}.ln2b`, [d]],
      [`l${l}.w1`, [d, c.ffn]],
      [`l${l}.b1`, [c.ffn]],
      [`l${l}.w2`, [c.ffn, d]],
      [`l${l}.b2`, [d]],
    );
  }
  out.push(['lnfg', [d]], ['lnfb', [d]]);
  for (let k = 0; k <= c.maxDelay; k++)
    out.push([`head${k}.w`, [2 * d, HEAD_OUTPUTS]], [`head${k}.b`, [HEAD_OUTPUTS]]);
  return out;
}

export function parameterCount(c: ModelConfig): number {
  return parameterShapes(c).reduce((s, [, shape]) => s + shape.reduce((a, b) => a * b, 1), 0);
}

/** ALiBi slopes: a per-head recency bias instead of position embeddings, so a sliding window needs no re-encoding. */
export function alibiSlopes(heads: number): number[] {
  return Array.from({ length: heads }, (_, h) => 2 ** ((-8 * (h + 1)) / heads));
}
