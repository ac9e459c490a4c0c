import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from '../src/tracking/contract.js';
import { GrayRegion, GreyIntegral } from '../src/tracking/gray.js';

/** A 61 x 37 frame of random colours (odd sizes, so cells of 2-4 px do not tile it). */
function randomFrame(seed: number, byteOffset = 0): Frame {
  const width = 61;
  const height = 37;
  // An RGBA view that may start off a 4-byte boundary, as a decoder's buffer can: the word reads must not apply.
  const buffer = new Uint8Array(byteOffset + width * height * 4);
  const data = buffer.subarray(byteOffset);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { width, height, data };
}

/** Grey level of a pixel (0..1), the border repeated past the frame's edge: the slow reference. */
function greyAt(frame: Frame, x: number, y: number): number {
  const cx = Math.min(frame.width - 1, Math.max(0, x));
  const cy = Math.min(frame.height - 1, Math.max(0, y));
  const p = (cy * frame.width + cx) * 4;
  return (77 * frame.data[p] + 150 * frame.data[p + 1] + 29 * frame.data[p + 2]) / (255 * 256);
}

/** Regions inside the frame, across each edge and past two corners, at cell sizes 1 to 4. */
const REGIONS: Array<[number, number, number, number, number]> = [];
for (const k of [1, 2, 3, 4]) {
  for (const [x0, y0, x1, y1] of [
    [5, 4, 40, 30],
    [-9, 3, 20, 20],
    [30, -7, 70, 25],
    [-5, -5, 66, 42],
    [50, 30, 75, 48],
  ])
    REGIONS.push([x0, y0, x1, y1, k]);
}

test('a grey region read from the frame averages each cell of k x k pixels, repeating the border past the edge', () => {
  for (const offset of [0, 1]) {
    const frame = randomFrame(7 + offset, offset);
    const region = new GrayRegion();
    for (const [x0, y0, x1, y1, k] of REGIONS) {
      region.load(frame, x0, y0, x1, y1, k);
      assert.equal(region.width, Math.ceil((x1 - x0) / k));
      for (let r = 0; r < region.height; r++) {
        for (let c = 0; c < region.width; c++) {
          let sum = 0;
          for (let dy = 0; dy < k; dy++)
            for (let dx = 0; dx < k; dx++) sum += greyAt(frame, x0 + c * k + dx, y0 + r * k + dy);
          const got = region.data[r * region.width + c];
          assert.ok(
            Math.abs(got - sum / (k * k)) < 1e-6,
            `offset ${offset}, region ${[x0, y0, x1, y1]} k ${k}, cell ${c},${r}: ${got} against ${sum / (k * k)}`,
          );
        }
      }
    }
  }
});

test('a grey region cut from the grey integral gives each cell the integral mean of its part in the frame, exactly', () => {
  const frame = randomFrame(11);
  const grey = new GreyIntegral().load(frame);
  const region = new GrayRegion();
  for (const [x0, y0, x1, y1, k] of REGIONS) {
    region.loadFrom(grey, x0, y0, x1, y1, k);
    for (let r = 0; r < region.height; r++) {
      for (let c = 0; c < region.width; c++) {
        const x = x0 + c * k;
        const y = y0 + r * k;
        // Exactly the table's own mean (the fast path inside the frame must not round differently) ...
        const mean = Math.fround(grey.mean(x, y, x + k, y + k));
        assert.equal(
          region.data[r * region.width + c],
          mean,
          `region ${[x0, y0, x1, y1]} k ${k}, cell ${c},${r}`,
        );
        // ... which is the mean of the cell's pixels in the frame (the nearest pixel for a cell wholly outside).
        const xs = [];
        const ys = [];
        for (let d = 0; d < k; d++) {
          if (x + d >= 0 && x + d < frame.width) xs.push(x + d);
          if (y + d >= 0 && y + d < frame.height) ys.push(y + d);
        }
        if (xs.length === 0) xs.push(Math.min(frame.width - 1, Math.max(0, x)));
        if (ys.length === 0) ys.push(Math.min(frame.height - 1, Math.max(0, y)));
        let sum = 0;
        for (const py of ys) for (const px of xs) sum += greyAt(frame, px, py);
        assert.ok(
          Math.abs(mean - sum / (xs.length * ys.length)) < 1e-6,
          `cell ${c},${r} of ${[x0, y0, x1, y1]} k ${k}`,
        );
      }
    }
  }
});
