import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom } from '../src/synthetic/random.js';
import { analyseResponse } from '../src/tracking/kcf.js';
import { pickPeaks } from '../src/tracking/template-search.js';

/** The greedy suppression written plainly: a pass over every score for each pick. */
function pickPeaksSlowly(scores: Float32Array, width: number, height: number, suppress: number, max: number) {
  const picked: Array<{ index: number; score: number }> = [];
  for (let m = 0; m < max; m++) {
    let best = -1;
    for (let i = 0; i < width * height; i++) if (best < 0 || scores[i] > scores[best]) best = i;
    if (best < 0 || scores[best] === Number.NEGATIVE_INFINITY) break;
    picked.push({ index: best, score: scores[best] });
    const bx = best % width;
    const by = Math.floor(best / width);
    for (let y = Math.max(0, by - suppress); y < Math.min(height, by + suppress + 1); y++)
      for (let x = Math.max(0, bx - suppress); x < Math.min(width, bx + suppress + 1); x++)
        scores[y * width + x] = Number.NEGATIVE_INFINITY;
  }
  return picked;
}

test('pickPeaks takes the same cells in the same order as a pass over every score per pick, ties and ruled-out cells included', () => {
  for (let seed = 1; seed <= 60; seed++) {
    // Seeded, so a failure names a case that can be run again.
    const next = createRandom(seed);
    const width = 1 + Math.floor(next() * 40);
    const height = 1 + Math.floor(next() * 30);
    const suppress = Math.floor(next() * 6);
    const max = 1 + Math.floor(next() * 8);
    const scores = new Float32Array(width * height);
    for (let i = 0; i < scores.length; i++) {
      const r = next();
      // Coarse levels make equal scores common (the first in raster order must win), and some cells are ruled
      // out as the colour evidence rules them out in the search.
      scores[i] = r < 0.2 ? Number.NEGATIVE_INFINITY : Math.round(next() * 8) / 8 - 0.5;
    }
    const expected = pickPeaksSlowly(Float32Array.from(scores), width, height, suppress, max);
    const got = pickPeaks(Float32Array.from(scores), width, height, suppress, max);
    assert.deepEqual(got, expected, `seed ${seed}: ${width}x${height}, suppress ${suppress}, max ${max}`);
  }
  // Every cell ruled out: nothing is taken.
  assert.deepEqual(pickPeaks(new Float32Array(12).fill(Number.NEGATIVE_INFINITY), 4, 3, 1, 5), []);
});

/** The peak-to-sidelobe ratio written plainly: every cell outside the exclusion around the peak, on the ring. */
function psrSlowly(response: Float64Array, n: number): number {
  let best = 0;
  for (let i = 1; i < response.length; i++) if (response[i] > response[best]) best = i;
  const px = best % n;
  const py = Math.floor(best / n);
  const exclusion = Math.max(2, Math.round(n / 12));
  let sum = 0;
  let sumSq = 0;
  let count = 0;
  for (let y = 0; y < n; y++) {
    const dy = Math.min(Math.abs(y - py), n - Math.abs(y - py));
    for (let x = 0; x < n; x++) {
      const dx = Math.min(Math.abs(x - px), n - Math.abs(x - px));
      if (dx <= exclusion && dy <= exclusion) continue;
      const v = response[y * n + x];
      sum += v;
      sumSq += v * v;
      count++;
    }
  }
  const mean = sum / count;
  return (response[best] - mean) / Math.sqrt(Math.max(sumSq / count - mean * mean, 1e-12));
}

test('analyseResponse: the peak-to-sidelobe ratio equals the plain sum over every cell outside the exclusion, peaks at the wrap-around edges included', () => {
  for (const n of [8, 16, 32, 64]) {
    const next = createRandom(n);
    // Peaks in the middle, on each edge and in the corners, where the exclusion wraps around the ring.
    for (const [px, py] of [
      [n / 2, n / 2],
      [0, 0],
      [n - 1, 0],
      [0, n - 1],
      [n - 1, n - 1],
      [1, n / 2],
      [n / 2, n - 2],
    ]) {
      const response = Float64Array.from({ length: n * n }, () => next() * 0.3 - 0.1);
      response[py * n + px] = 1;
      const d = analyseResponse(response, n);
      assert.equal(d.psr, psrSlowly(response, n), `n ${n}, peak at ${px},${py}`);
      assert.equal(d.peak, 1);
    }
  }
});
