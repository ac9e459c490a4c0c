import { type LabelledUtterance, REPARANDUM } from '../data/labels.js';
import type { Decoding, Policy } from '../detect/decide.js';
import { ModelStream, type Tagger } from '../detect/streams.js';
import type { Decision } from '../detect/types.js';
import { type StreamingReport, streamingReport, traceFromDecisions } from '../metrics/streaming.js';
import { EOS_WORD, type ModelConfig } from '../model/config.js';
import { IncrementalTagger } from '../model/engine.js';
import type { LoadedModel } from '../model/weights.js';

/** Replays recorded head outputs, so a policy can be tried many times for the price of one model pass. */
class ReplayTagger implements Tagger {
  private at = 0;
  constructor(
    readonly config: ModelConfig,
    private readonly outputs: readonly Float32Array[],
  ) {}
  reset(): void {
    this.at = 0;
  }
  step(): Float32Array {
    return this.outputs[this.at++];
  }
}

export interface Calibration extends Decoding {
  /** Held-out scores with the chosen settings (reparanda only). */
  heldOut: { f1: number; streamingF1: number; averageWait: number };
}

const BIASES = Array.from({ length: 21 }, (_, i) => -3 + i * 0.25);
const THRESHOLDS = [0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95, 0.98];

/**
 * Chooses decoding settings on labelled data by coordinate search, scoring each candidate by streaming the data
 * through the real ModelStream: the reparandum-logit bias of each delay head (a prior correction: training data
 * holds more reparanda than speech) and, for a wait model, the per-delay wait thresholds. The biases are chosen
 * in the stream rather than per head over all words, because the words a head decides are the ones the wait
 * head let through at that delay. Waiting is only worth what it buys: a setting that waits longer must raise
 * streaming F1 by at least `f1PerWord` per extra word of average wait.
 */
export function calibrate(
  model: LoadedModel,
  data: readonly LabelledUtterance[],
  f1PerWord = 0.05,
): Calibration {
  const c = model.manifest.config;
  const D = c.maxDelay;
  const tagger = new IncrementalTagger(model);
  const recorded = data.map((u) => {
    tagger.reset();
    return [...u.words.map((w) => tagger.step(w)), tagger.step(EOS_WORD)];
  });
  const objective = (r: StreamingReport) => r.streaming.f1 - f1PerWord * r.averageWait;
  const bias = Array.from({ length: D + 1 }, () => 0);
  let thresholds = Array.from({ length: D }, () => 0.5);
  let best: StreamingReport;
  if (model.manifest.kind === 'lookahead') {
    // Look-ahead k decides (almost) every word with head k: each head's bias on its own look-ahead.
    for (let k = 0; k <= D; k++) {
      const score = (b: number) =>
        replay(c, data, recorded, {
          kind: 'lookahead',
          tokens: k,
          reparandumBias: bias.map((x, i) => (i === k ? b : x)),
        });
      bias[k] = argmax(BIASES, (b) => score(b).streaming.f1);
    }
    best = replay(c, data, recorded, { kind: 'lookahead', tokens: D, reparandumBias: bias });
  } else {
    const score = (t: number[], b: number[]) =>
      replay(c, data, recorded, { kind: 'wait', thresholds: t, reparandumBias: b });
    for (let round = 0; round < 2; round++) {
      for (let k = 0; k <= D; k++)
        bias[k] = argmax(BIASES, (b) =>
          objective(
            score(
              thresholds,
              bias.map((x, i) => (i === k ? b : x)),
            ),
          ),
        );
      for (let k = 0; k < D; k++) {
        const t = argmax(THRESHOLDS, (t) =>
          objective(
            score(
              thresholds.map((x, i) => (i === k ? t : x)),
              bias,
            ),
          ),
        );
        thresholds = thresholds.map((x, i) => (i === k ? t : x));
      }
    }
    best = score(thresholds, bias);
  }
  return {
    waitThresholds: thresholds,
    reparandumBias: bias,
    heldOut: { f1: best.full.f1, streamingF1: best.streaming.f1, averageWait: best.averageWait },
  };
}

/** The candidate with the highest value; ties go to the first (grids list the preferred values first). */
function argmax(candidates: readonly number[], value: (x: number) => number): number {
  let best = candidates[0];
  let top = -Infinity;
  for (const x of candidates) {
    const v = value(x);
    if (v > top + 1e-9) {
      top = v;
      best = x;
    }
  }
  return best;
}

/** Streams every utterance through the real ModelStream over recorded outputs and scores reparanda. */
function replay(
  c: ModelConfig,
  data: readonly LabelledUtterance[],
  recorded: Float32Array[][],
  policy: Policy,
): StreamingReport {
  const traces = data.map((u, ui) => {
    const s = new ModelStream(new ReplayTagger(c, recorded[ui]), policy);
    const decisions: Decision[] = [];
    for (const w of u.words) decisions.push(...s.push(w));
    decisions.push(...s.end());
    return traceFromDecisions(
      u.labels.map((l) => l === REPARANDUM),
      decisions,
      (d) => d.label === 'reparandum',
    );
  });
  return streamingReport(traces);
}
