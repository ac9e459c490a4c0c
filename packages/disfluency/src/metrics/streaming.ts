/**
 * Streaming metrics after "Teaching BERT to Wait" (Chen et al., 2022, appendix A.1), with the choices the
 * paper leaves open made explicit (see README "Metric definitions"):
 * - A trace has one snapshot per arrived word (snapshot s holds the predictions after words 0..s) and a final
 *   snapshot after the end of the utterance. A prediction is 1 (disfluent), 0 (fluent) or null (abstain/wait).
 * - Abstentions are not predictions: they count as neither positive nor negative in streaming P/R/F1.
 * - An edit is any change of a word's value between consecutive snapshots, including its first appearance
 *   (null to a label, "necessary") and a withdrawal (label to null). Edit overhead = unnecessary / all edits.
 * - Times are in words: a decision made in snapshot s (s+1 words seen) about word i took s - i words.
 */
export type Prediction = 0 | 1 | null;

export interface StreamTrace {
  gold: boolean[];
  /** n + 1 snapshots for n words: after each word, then after the end. Snapshot s may be shorter than n. */
  snapshots: Prediction[][];
  /** For gold-disfluent words, the index of the repair onset (first word of the repair); -1 or absent if unknown. */
  repairOnset?: number[];
}

export interface PRF {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

export interface StreamingReport {
  full: PRF;
  streaming: PRF;
  editOverhead: number;
  /** Mean words from a disfluent word's arrival to its first disfluent label (detected words only). */
  timeToDetection: number;
  detected: number;
  /** Mean words from the repair onset's arrival to the first disfluent label of the reparandum word. */
  timeFromRepairOnset: number;
  /** Mean words waited before a word first gets any label. */
  averageWait: number;
  words: number;
  utterances: number;
}

export function prf(tp: number, fp: number, fn: number): PRF {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn };
}

function seen(s: number, n: number): number {
  return Math.min(s + 1, n);
}

function check(t: StreamTrace): void {
  const n = t.gold.length;
  if (t.snapshots.length !== n + 1)
    throw new Error(
      `a trace of ${n} words needs ${n + 1} snapshots (one per word, one after the end), got ${t.snapshots.length}`,
    );
  t.snapshots.forEach((snap, s) => {
    if (snap.length > seen(s, n))
      throw new Error(`snapshot ${s} labels ${snap.length} words but only ${seen(s, n)} have arrived`);
  });
}

/** Final-snapshot precision/recall/F1 (an abstention at the end counts as fluent). */
export function fullSequence(traces: readonly StreamTrace[]): PRF {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const t of traces) {
    check(t);
    const last = t.snapshots[t.snapshots.length - 1];
    t.gold.forEach((g, i) => {
      const p = last[i] === 1;
      if (p && g) tp++;
      else if (p) fp++;
      else if (g) fn++;
    });
  }
  return prf(tp, fp, fn);
}

/** Precision/recall/F1 over every (snapshot, word) pair with a prediction. */
export function streamingPrf(traces: readonly StreamTrace[]): PRF {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const t of traces) {
    check(t);
    for (const snap of t.snapshots)
      snap.forEach((p, i) => {
        if (p === null || p === undefined) return;
        const g = t.gold[i];
        if (p === 1 && g) tp++;
        else if (p === 1) fp++;
        else if (g) fn++;
      });
  }
  return prf(tp, fp, fn);
}

export function editOverhead(traces: readonly StreamTrace[]): number {
  let edits = 0;
  let necessary = 0;
  for (const t of traces) {
    check(t);
    for (let i = 0; i < t.gold.length; i++) {
      let prev: Prediction = null;
      let everLabelled = false;
      for (const snap of t.snapshots) {
        const v = snap[i] ?? null;
        if (v !== prev) edits++;
        if (v !== null) everLabelled = true;
        prev = v;
      }
      if (everLabelled) necessary++;
    }
  }
  return edits === 0 ? 0 : (edits - necessary) / edits;
}

function firstSnapshot(t: StreamTrace, i: number, want: (p: Prediction) => boolean): number {
  for (let s = 0; s < t.snapshots.length; s++) if (want(t.snapshots[s][i] ?? null)) return s;
  return -1;
}

export function timeToDetection(traces: readonly StreamTrace[]): { mean: number; detected: number } {
  let sum = 0;
  let count = 0;
  for (const t of traces) {
    check(t);
    const n = t.gold.length;
    t.gold.forEach((g, i) => {
      if (!g) return;
      const s = firstSnapshot(t, i, (p) => p === 1);
      if (s < 0) return;
      sum += seen(s, n) - (i + 1);
      count++;
    });
  }
  return { mean: count === 0 ? 0 : sum / count, detected: count };
}

export function timeFromRepairOnset(traces: readonly StreamTrace[]): number {
  let sum = 0;
  let count = 0;
  for (const t of traces) {
    check(t);
    const n = t.gold.length;
    t.gold.forEach((g, i) => {
      const onset = t.repairOnset?.[i] ?? -1;
      if (!g || onset < 0) return;
      const s = firstSnapshot(t, i, (p) => p === 1);
      if (s < 0) return;
      sum += seen(s, n) - (onset + 1);
      count++;
    });
  }
  return count === 0 ? 0 : sum / count;
}

export function averageWait(traces: readonly StreamTrace[]): number {
  let sum = 0;
  let count = 0;
  for (const t of traces) {
    check(t);
    const n = t.gold.length;
    for (let i = 0; i < n; i++) {
      const s = firstSnapshot(t, i, (p) => p !== null);
      sum += (s < 0 ? n : seen(s, n)) - (i + 1);
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}

export function streamingReport(traces: readonly StreamTrace[]): StreamingReport {
  const ttd = timeToDetection(traces);
  return {
    full: fullSequence(traces),
    streaming: streamingPrf(traces),
    editOverhead: editOverhead(traces),
    timeToDetection: ttd.mean,
    detected: ttd.detected,
    timeFromRepairOnset: timeFromRepairOnset(traces),
    averageWait: averageWait(traces),
    words: traces.reduce((s, t) => s + t.gold.length, 0),
    utterances: traces.length,
  };
}

/**
 * The trace of a stream of decisions: word i shows, from the snapshot where a decision about it was made
 * (i + waited) onwards, the label of its latest decision so far. A stream whose decisions are final gives each
 * word one label from its decision on; revisions (a later decision for the same word) change it from theirs.
 * Decisions made at the end show only in the final snapshot. `positive` maps a decision to "disfluent".
 */
export function traceFromDecisions<D extends { index: number; waited: number; atEnd?: boolean }>(
  gold: boolean[],
  decisions: readonly D[],
  positive: (d: D) => boolean,
  repairOnset?: number[],
): StreamTrace {
  const n = gold.length;
  const byWord: D[][] = Array.from({ length: n }, () => []);
  for (const d of decisions) {
    if (!(Number.isInteger(d.index) && d.index >= 0 && d.index < n))
      throw new Error(`a decision names word ${d.index}, but the utterance has words 0..${n - 1}`);
    byWord[d.index].push(d);
  }
  const undecided = byWord.findIndex((ds) => ds.length === 0);
  if (undecided >= 0)
    throw new Error(`expected at least one decision per word; word ${undecided} of ${n} has none`);
  const snapshots: Prediction[][] = [];
  for (let s = 0; s <= n; s++) {
    const snap: Prediction[] = [];
    const final = s === n;
    for (let i = 0; i < seen(s, n); i++) {
      let label: Prediction = null;
      for (const d of byWord[i])
        if (final || (!d.atEnd && d.index + d.waited <= s)) label = positive(d) ? 1 : 0;
      snap.push(label);
    }
    snapshots.push(snap);
  }
  return { gold, snapshots, repairOnset };
}

/** Repair onset by position: the first fluent word after the removed stretch holding word i. */
export function inferRepairOnsets(removed: readonly boolean[]): number[] {
  return removed.map((r, i) => {
    if (!r) return -1;
    for (let j = i + 1; j < removed.length; j++) if (!removed[j]) return j;
    return -1;
  });
}
