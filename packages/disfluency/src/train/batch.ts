import type { LabelledUtterance } from '../data/labels.js';
import { EOS_ID, EOS_WORD, type ModelConfig } from '../model/config.js';
import { tokenFeatures } from '../model/features.js';
import type { Vocab } from '../model/vocab.js';

export interface EncodedBatch {
  ids: Int32Array;
  feats: Float32Array;
  labels: Int32Array;
  lengths: number[];
  batch: number;
  len: number;
}

/** Packs utterances (each followed by the end marker) into padded arrays of length max+1. */
export function encodeBatch(utts: readonly LabelledUtterance[], vocab: Vocab, c: ModelConfig): EncodedBatch {
  const B = utts.length;
  const len = Math.max(...utts.map((u) => u.words.length)) + 1;
  const ids = new Int32Array(B * len);
  const feats = new Float32Array(B * len * c.numFeatures);
  const labels = new Int32Array(B * len);
  const lengths: number[] = [];
  utts.forEach((u, b) => {
    const ws = [...u.words, EOS_WORD];
    lengths.push(u.words.length);
    for (let i = 0; i < ws.length; i++) {
      const id = i === u.words.length ? EOS_ID : vocab.id(ws[i]);
      ids[b * len + i] = id;
      tokenFeatures(
        ws,
        i,
        id > EOS_ID || i === u.words.length,
        feats,
        (b * len + i) * c.numFeatures,
        c.numFeatures,
      );
      if (i < u.words.length) labels[b * len + i] = u.labels[i];
    }
  });
  return { ids, feats, labels, lengths, batch: B, len };
}
