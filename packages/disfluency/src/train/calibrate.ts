import { type LabelledUtterance, REPARANDUM } from '../data/labels.js';
import type { Decoding, Policy } from '../detect/decide.js';
import { classify } from '../detect/decide.js';
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
 * Chooses decoding settings on held-out labelled data: per delay head, the reparandum-logit bias that maximises
 * reparandum F1 (a prior correction: training data holds more reparanda than speech), then per-delay wait
 * thresholds by coordinate search. Waiting is only worth what it buys: a setting that waits longer must raise
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
  const reparandumBias = Array.from({ length: D + 1 }, (_, k) => bestBias(data, recorded, k));
  const score = (thresholds: number[]): StreamingReport => {
    const policy: Policy =
      model.manifest.kind === 'wait'
        ? { kind: 'wait', thresholds, reparandumBias }
        : { kind: 'lookahead', tokens: D, reparandumBias };
    return replay(c, data, recorded, policy);
  };
  const objective = (r: StreamingReport) => r.streaming.f1 - f1PerWord * r.averageWait;
  let thresholds = Array.from({ length: D }, () => 0.5);
  let best = score(thresholds);
  if (model.manifest.kind === 'wait')
    for (let round = 0; round < 2; round++)
      for (let k = 0; k < D; k++)
        for (const t of THRESHOLDS) {
          const trial = thresholds.map((x, i) => (i === k ? t : x));
          const r = score(trial);
          if (objective(r) > objective(best) + 1e-9) {
            best = r;
            thresholds = trial;
          }
        }
  return {
    waitThresholds: thresholds,
    reparandumBias,
    heldOut: { f1: best.full.f1, streamingF1: best.streaming.f1, averageWait: best.averageWait },
  };
}

/** Bias for head k maximising reparandum F1 when every word is labelled by head k (k words later). */
function bestBias(data: readonly LabelledUtterance[], recorded: Float32Array[][], k: number): number {
  let bestF1 = -1;
  let best = 0;
  for (const b of BIASES) {
    const bias = Array.from({ length: k + 1 }, () => 0);
    bias[k] = b;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    data.forEach((u, ui) => {
      const n = u.words.length;
      for (let i = 0; i + k <= n && i < n; i++) {
        const pred = classify(recorded[ui][i + k], k, bias) === 1;
        const gold = u.labels[i] === REPARANDUM;
        if (pred && gold) tp++;
        else if (pred) fp++;
        else if (gold) fn++;
      }
    });
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    if (f1 > bestF1 + 1e-9 || (Math.abs(f1 - bestF1) <= 1e-9 && Math.abs(b) < Math.abs(best))) {
      bestF1 = f1;
      best = b;
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
