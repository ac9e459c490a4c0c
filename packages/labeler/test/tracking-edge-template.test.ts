import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHALLENGES, type Challenge, generateSyntheticVideo } from '../src/synthetic/index.js';
import { EDGE_MATCH_SCORE, EdgeTemplate } from '../src/tracking/edge-template.js';

/**
 * Learns the object at its true pose on the last frame it is whole before crossing the frame edge (going forward
 * in the video, or backward: an object coming back, as a run back over it sees it), then looks for it on each frame
 * it crosses the edge with at least a quarter in view, from a prior `ahead` pixels past its true centre along its
 * motion. Returns per frame the share in view, the error of what was found, its score, and the best score on the
 * same frame drawn without the object.
 */
function acrossTheEdge(challenges: Challenge[], seed: number, whole: number, step: 1 | -1, ahead: number) {
  const video = generateSyntheticVideo({ seed, challenges });
  const { poses, truth, spec } = video;
  const edge = new EdgeTemplate(spec.objectWidth, spec.objectHeight);
  const p = poses[whole];
  edge.learn(video.renderFrame(whole), p.cx, p.cy, p.scale, p.angle);
  const rows: Array<{ frame: number; inView: number; error: number; score: number; sceneScore: number }> = [];
  for (let f = whole + step; truth[f].visibleFraction >= 0.25; f += step) {
    const q = poses[f];
    const motion = Math.sign(q.cx - poses[f - step].cx);
    const find = (withObject: boolean) =>
      edge.find(video.renderFrame(f, { withObject }), q.cx + motion * ahead, q.cy, q.scale, q.angle, 0.25);
    const found = find(true);
    assert.ok(found, `frame ${f}: nothing found`);
    rows.push({
      frame: f,
      inView: truth[f].visibleFraction,
      error: Math.hypot(found.cx - q.cx, found.cy - q.cy),
      score: found.score,
      sceneScore: find(false)?.score ?? Number.NEGATIVE_INFINITY,
    });
  }
  return rows;
}

const show = (rows: ReturnType<typeof acrossTheEdge>) =>
  rows
    .map(
      (r) =>
        `${r.frame} (${r.inView.toFixed(2)}): ${r.error.toFixed(1)} px, ${r.score.toFixed(2)} / scene ${r.sceneScore.toFixed(2)}`,
    )
    .join('; ');

test('edge template: an object leaving the frame is found by its part in view to 2 px from a prior 8 px ahead (exit seed 101)', () => {
  const video = generateSyntheticVideo({ seed: 101, challenges: ['exit'] });
  const whole = video.truth.findIndex((t, i) => i > 0 && t.visibleFraction < 1) - 1;
  const rows = acrossTheEdge(['exit'], 101, whole, 1, 8);
  assert.ok(rows.length >= 5, `crossing frames: ${rows.length}`);
  assert.ok(
    rows.every((r) => r.error <= 2 && r.score >= EDGE_MATCH_SCORE && r.sceneScore < EDGE_MATCH_SCORE),
    show(rows),
  );
});

test('edge template: an object coming back, blurred, is found by its part in view tracking back (hard seed 103, frames 175-179)', () => {
  // The object is whole on frame 180 and crosses the left edge going back, blurred by 3 px, under a quarter in
  // view on 174; the tracker's run back from 180 lost it on 176 and 175 (46% and 32% in view).
  const rows = acrossTheEdge([...CHALLENGES], 103, 180, -1, 8);
  assert.deepEqual(
    rows.map((r) => r.frame),
    [179, 178, 177, 176, 175],
  );
  assert.ok(
    rows.every((r) => r.error <= 2 && r.score >= EDGE_MATCH_SCORE && r.sceneScore < EDGE_MATCH_SCORE),
    show(rows),
  );
});

test('edge template: nothing is found before anything is learnt, or once it is forgotten', () => {
  const video = generateSyntheticVideo({ seed: 101, challenges: ['exit'] });
  const { poses, spec } = video;
  const edge = new EdgeTemplate(spec.objectWidth, spec.objectHeight);
  const frame = video.renderFrame(0);
  const p = poses[0];
  assert.equal(edge.find(frame, p.cx, p.cy, p.scale, p.angle, 0.25), null);
  edge.learn(frame, p.cx, p.cy, p.scale, p.angle);
  const found = edge.find(frame, p.cx + 6, p.cy - 4, p.scale, p.angle, 0.25);
  assert.ok(
    found && Math.hypot(found.cx - p.cx, found.cy - p.cy) <= 1 && found.score > 0.95,
    JSON.stringify(found),
  );
  edge.forget();
  assert.equal(edge.find(frame, p.cx, p.cy, p.scale, p.angle, 0.25), null);
});
