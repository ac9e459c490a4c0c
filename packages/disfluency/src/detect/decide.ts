import { HEAD_OUTPUTS } from '../model/config.js';

/**
 * How a model stream turns head outputs into final decisions. Shared by the stream and by calibration, so the
 * thresholds calibrated after training are exactly the ones the stream applies.
 */
export type Policy =
  | {
      kind: 'wait';
      /** Per delay k = 0..maxDelay-1: decide word j-k once the wait head's probability is at most this. */
      thresholds: readonly number[];
      /** Per delay k = 0..maxDelay: added to the reparandum logit of head k (a prior correction). */
      reparandumBias: readonly number[];
    }
  | { kind: 'lookahead'; tokens: number; reparandumBias: readonly number[] };

/** Decoding settings a model carries in its manifest (written by calibration after training). */
export interface Decoding {
  waitThresholds: number[];
  reparandumBias: number[];
  /** What the settings were calibrated on, for the model card. */
  calibratedOn?: string;
}

/** Whether the word `k` words back from the current position can be decided now (outputs of that position). */
export function ready(out: Float32Array, k: number, maxDelay: number, policy: Policy): boolean {
  if (k >= maxDelay) return true;
  if (policy.kind === 'lookahead') return k >= policy.tokens;
  return sigmoid(out[k * HEAD_OUTPUTS + 3]) <= policy.thresholds[k];
}

/** Class of the word `k` back from head k: 0 fluent, 1 reparandum, 2 edit term. */
export function classify(out: Float32Array, k: number, reparandumBias: readonly number[]): 0 | 1 | 2 {
  const b = k * HEAD_OUTPUTS;
  const rep = out[b + 1] + (reparandumBias[k] ?? 0);
  let best: 0 | 1 | 2 = 0;
  let top = out[b];
  if (rep > top) {
    best = 1;
    top = rep;
  }
  if (out[b + 2] > top) best = 2;
  return best;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
