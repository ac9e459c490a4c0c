import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  averageWait,
  editOverhead,
  fullSequence,
  inferRepairOnsets,
  type StreamTrace,
  streamingPrf,
  timeFromRepairOnset,
  timeToDetection,
  traceFromDecisions,
} from '../src/metrics/streaming.js';

// "i i think": gold [1, 0, 0]. Snapshots after word 0, 1, 2, and after the end.
const revising: StreamTrace = {
  gold: [true, false, false],
  snapshots: [
    [0], // word 0 first called fluent
    [1, 0], // revised to disfluent once the repeat arrives
    [1, 0, null], // word 2 abstains
    [1, 0, 0],
  ],
  repairOnset: [1, -1, -1],
};

test('full-sequence P/R/F1 uses the final snapshot only', () => {
  const r = fullSequence([revising]);
  assert.deepEqual([r.tp, r.fp, r.fn], [1, 0, 0]);
  assert.equal(r.f1, 1);
});

test('streaming P/R/F1 counts every (snapshot, word) prediction and skips abstentions', () => {
  // Pairs: s0 w0=0 (gold 1: fn); s1 w0=1 tp, w1=0 tn; s2 w0=1 tp, w1=0 tn, w2 abstain; s3 w0=1 tp, w1 tn, w2 tn.
  const r = streamingPrf([revising]);
  assert.deepEqual([r.tp, r.fp, r.fn], [3, 0, 1]);
  assert.equal(r.precision, 1);
  assert.equal(r.recall, 0.75);
  assert.ok(Math.abs(r.f1 - 6 / 7) < 1e-12);
});

test('edit overhead: unnecessary edits over all edits', () => {
  // Word 0: null->0 (necessary), 0->1 (unnecessary). Word 1: null->0. Word 2: null->0 at the end. 4 edits, 1 unnecessary.
  assert.equal(editOverhead([revising]), 1 / 4);
  const stable: StreamTrace = { gold: [false, false], snapshots: [[0], [0, 0], [0, 0]] };
  assert.equal(editOverhead([stable]), 0);
  // A withdrawal (label back to null) is an edit too. Word 0: null->1, 1->null, null->1 (3 edits, 2 unnecessary);
  // words 1 and 2 one necessary edit each: 2 / 5.
  const withdraw: StreamTrace = {
    gold: [true, false, false],
    snapshots: [[1], [null, 0], [1, 0, 0], [1, 0, 0]],
  };
  assert.equal(editOverhead([withdraw]), 2 / 5);
});

test('time to detection and time from repair onset, in words', () => {
  // Word 0 first labelled disfluent in snapshot 1 (2 words seen): 1 word after it arrived, 0 after the onset (word 1).
  assert.deepEqual(timeToDetection([revising]), { mean: 1, detected: 1 });
  assert.equal(timeFromRepairOnset([revising]), 0);
  const never: StreamTrace = { gold: [true, false], snapshots: [[0], [0, 0], [0, 0]] };
  assert.deepEqual(timeToDetection([never]), { mean: 0, detected: 0 });
});

test('average wait: words before a word first gets any label', () => {
  // Word 0: 0; word 1: 0; word 2: abstains in snapshot 2, labelled only after the end: 3 seen - 3 = 0.
  assert.equal(averageWait([revising]), 0);
  const waiting: StreamTrace = {
    gold: [false, false, false],
    snapshots: [[null], [0, null], [0, 0, null], [0, 0, 0]],
  };
  // word 0 waits 1, word 1 waits 1, word 2 labelled at end: 0. Mean 2/3.
  assert.equal(averageWait([waiting]), 2 / 3);
});

test('traces from final decisions place each word from the snapshot where it was decided', () => {
  const t = traceFromDecisions(
    [true, false, false],
    [
      { index: 0, waited: 1, d: true },
      { index: 1, waited: 0, d: false },
      { index: 2, waited: 0, d: false, atEnd: true },
    ],
    (x) => x.d,
  );
  assert.deepEqual(t.snapshots, [[null], [1, 0], [1, 0, null], [1, 0, 0]]);
  assert.equal(editOverhead([t]), 0);
  assert.equal(averageWait([t]), 1 / 3);
  assert.throws(
    () => traceFromDecisions([true], [], () => true),
    /at least one decision per word; word 0 of 1 has none/,
  );
  assert.throws(() => fullSequence([{ gold: [true], snapshots: [[1]] }]), /needs 2 snapshots/);
  assert.deepEqual(inferRepairOnsets([false, true, true, false, true]), [-1, 3, 3, -1, -1]);
});

test('traces from revised decisions show the latest label and count each change as an edit', () => {
  // Word 0: provisional fluent on arrival, final reparandum after 1 word, never changed again. Word 1: final
  // fluent on arrival, revised to reparandum after 2 more words (a repeated repair onset). Word 2: fluent.
  const t = traceFromDecisions(
    [true, true, false],
    [
      { index: 0, waited: 0, d: false },
      { index: 0, waited: 1, d: true },
      { index: 1, waited: 0, d: false },
      { index: 2, waited: 0, d: false },
      { index: 1, waited: 1, d: true },
    ],
    (x) => x.d,
  );
  assert.deepEqual(t.snapshots, [[0], [1, 0], [1, 1, 0], [1, 1, 0]]);
  // 3 first labels (necessary) + 2 changes (0: 0->1, 1: 0->1) = 5 edits, 2 unnecessary.
  assert.equal(editOverhead([t]), 2 / 5);
  assert.equal(averageWait([t]), 0);
  assert.deepEqual(fullSequence([t]), { precision: 1, recall: 1, f1: 1, tp: 2, fp: 0, fn: 0 });
  assert.throws(
    () => traceFromDecisions([true], [{ index: 1, waited: 0 }], () => true),
    /a decision names word 1, but the utterance has words 0..0/,
  );
});
