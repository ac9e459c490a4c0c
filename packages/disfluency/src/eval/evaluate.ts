import { isRemoved, type LabelledUtterance, REPARANDUM } from '../data/labels.js';
import type { Detector } from '../detect/detector.js';
import type { Decision, StreamOptions } from '../detect/types.js';
import {
  inferRepairOnsets,
  type StreamingReport,
  type StreamTrace,
  streamingReport,
  traceFromDecisions,
} from '../metrics/streaming.js';

/** Which words count as "disfluent" for scoring: reparanda only (the Switchboard task) or everything removed. */
export type Target = 'reparandum' | 'removed';

export interface EvalResult extends StreamingReport {
  target: Target;
  /** Mean wall-clock milliseconds per pushed word (model step plus decision logic). */
  msPerWord: number;
  wordsPerSecond: number;
}

/** Streams every utterance word by word through the detector and scores the decisions (and revisions). */
export function evaluate(
  detector: Detector,
  data: readonly (LabelledUtterance & { repairOnset?: number[] })[],
  target: Target,
  options: StreamOptions = {},
): EvalResult {
  const traces: StreamTrace[] = [];
  let words = 0;
  let ms = 0;
  for (const u of data) {
    if (u.words.length === 0) continue;
    const s = detector.stream(options);
    const decisions: Decision[] = [];
    const t0 = performance.now();
    for (const w of u.words) decisions.push(...s.push(w));
    decisions.push(...s.end());
    ms += performance.now() - t0;
    words += u.words.length;
    const gold = u.labels.map((l) => (target === 'reparandum' ? l === REPARANDUM : isRemoved(l)));
    const onsets = u.repairOnset ?? inferRepairOnsets(u.labels.map(isRemoved));
    const positive =
      target === 'reparandum' ? (d: Decision) => d.label === 'reparandum' : (d: Decision) => d.removed;
    traces.push(traceFromDecisions(gold, decisions, positive, onsets));
  }
  return {
    ...streamingReport(traces),
    target,
    msPerWord: ms / Math.max(words, 1),
    wordsPerSecond: (words / Math.max(ms, 1e-9)) * 1000,
  };
}
