import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boxBetweenKeyframes, type KeyBox } from '../src/annotations/interpolate.js';
import type { Box } from '../src/tracking/contract.js';
import { iou } from '../src/tracking/metrics.js';

const picture = { width: 640, height: 360 };

/** A 72x48 object moving `speed` px a frame along x from left edge `x0`: the part of it in the picture. */
function inView(x0: number, y = 150, w = 72, h = 48): Box | null {
  const a = Math.max(0, x0);
  const b = Math.min(picture.width, x0 + w);
  return b - a < 1 ? null : { x: a, y, w: b - a, h };
}

/** IoU with the truth on every frame between the keyframes, by the product's interpolation and by CVAT's. */
function between(path: (frame: number) => Box, first: number, last: number) {
  const keys: KeyBox[] = [
    { frame: first, box: path(first), outside: false },
    { frame: last, box: path(last), outside: false },
  ];
  const ours: number[] = [];
  const cvat: number[] = [];
  for (let f = first + 1; f < last; f++) {
    ours.push(iou(boxBetweenKeyframes(keys, f, picture)!, path(f)));
    cvat.push(iou(boxBetweenKeyframes(keys, f)!, path(f)));
  }
  return { ours: Math.min(...ours), cvat: Math.min(...cvat) };
}

test('interpolation: an object coming into view or leaving it is interpolated whole, then clipped', () => {
  // Coming in from the left at 8 px a frame, keyed when a quarter of it shows (frame 0) and whole (frame 14).
  const coming = (f: number) => inView(-54 + 8 * f)!;
  const a = between(coming, 0, 14);
  assert.ok(a.ours > 0.999, `coming in: worst IoU ${a.ours}`);
  assert.ok(a.cvat < 0.7, `CVAT's interpolation should fall behind here, worst IoU ${a.cvat}`);
  // Leaving across the right edge, keyed whole (frame 0) and with a quarter left in view (frame 12).
  const leaving = (f: number) => inView(530 + 8 * f)!;
  const b = between(leaving, 0, 12);
  assert.ok(b.ours > 0.999, `leaving: worst IoU ${b.ours}`);
  assert.ok(b.cvat < 0.7, `CVAT's interpolation, worst IoU ${b.cvat}`);
  // Across the top edge, going up.
  const up = (f: number): Box => {
    const y0 = 20 - 6 * f;
    return { x: 300, y: Math.max(0, y0), w: 72, h: 48 + Math.min(0, y0) };
  };
  assert.ok(between(up, 0, 10).ours > 0.999);
});

test('interpolation: boxes clear of the edge, both cut, or no picture given: linear as CVAT does', () => {
  const keys = (a: Box, b: Box): KeyBox[] => [
    { frame: 0, box: a, outside: false },
    { frame: 4, box: b, outside: false },
  ];
  const linear = (a: Box, b: Box): Box => ({
    x: (a.x + b.x) / 2,
    y: (a.y + b.y) / 2,
    w: (a.w + b.w) / 2,
    h: (a.h + b.h) / 2,
  });
  const clear = [
    { x: 100, y: 100, w: 40, h: 30 },
    { x: 200, y: 120, w: 60, h: 40 },
  ] as const;
  assert.deepEqual(boxBetweenKeyframes(keys(...clear), 2, picture), linear(...clear));
  // Both cut (by the same edge or by different ones): nothing says more than the boxes do.
  const bothCut = [
    { x: 0, y: 100, w: 20, h: 30 },
    { x: 600, y: 120, w: 40, h: 40 },
  ] as const;
  assert.deepEqual(boxBetweenKeyframes(keys(...bothCut), 2, picture), linear(...bothCut));
  const oneCut = [
    { x: 0, y: 100, w: 20, h: 30 },
    { x: 100, y: 100, w: 40, h: 30 },
  ] as const;
  assert.deepEqual(boxBetweenKeyframes(keys(...oneCut), 2), linear(...oneCut));
  // Flush with the edge but as large as the other keyframe: the whole object, taken as it is.
  const flush = [
    { x: 0, y: 100, w: 40, h: 30 },
    { x: 100, y: 100, w: 40, h: 30 },
  ] as const;
  assert.deepEqual(boxBetweenKeyframes(keys(...flush), 2, picture), linear(...flush));
  // Held after the last keyframe and towards one marking the object outside; none after that.
  const out: KeyBox[] = [
    { frame: 0, box: oneCut[0], outside: false },
    { frame: 4, box: oneCut[0], outside: true },
  ];
  assert.deepEqual(boxBetweenKeyframes(out, 2, picture), oneCut[0]);
  assert.equal(boxBetweenKeyframes(out, 5, picture), null);
});

test('interpolation: from a keyframe on an object cut by the edge to one marking it outside, it slides out at its whole size', () => {
  // A 72x48 object leaving across the right edge at 8 px a frame: keyed whole at frame 0, again with 38 px (53%)
  // in view at frame 12, and outside on frame 15, the first frame under a quarter in view (14 px; 22 px on 14).
  // Held (CVAT), the box keeps its inner side at frame 12's and falls behind; slid out at the size of the whole
  // keyframe, it follows the object's own path.
  const x0 = (f: number) => 506 + 8 * f;
  const truth = (f: number) => inView(x0(f));
  const keys: KeyBox[] = [
    { frame: 0, box: truth(0)!, outside: false },
    { frame: 12, box: truth(12)!, outside: false },
    { frame: 15, box: { x: 0, y: 0, w: 0, h: 0 }, outside: true },
  ];
  assert.ok(
    truth(0)!.w === 72 && (picture.width - x0(14)) / 72 >= 0.25 && (picture.width - x0(15)) / 72 < 0.25,
  );
  for (const f of [13, 14]) {
    const slid = boxBetweenKeyframes(keys, f, picture);
    assert.ok(slid, `frame ${f}: no box while ${picture.width - x0(f)} px of the object are in view`);
    assert.ok(iou(slid, truth(f)!) > 0.85, `frame ${f}: IoU ${iou(slid, truth(f)!).toFixed(3)}`);
  }
  const held = boxBetweenKeyframes(keys, 14)!;
  assert.ok(iou(held, truth(14)!) < 0.7, `held: IoU ${iou(held, truth(14)!).toFixed(3)}`);
  // Without a keyframe clear of the edge there is no whole size to slide: held, as before.
  assert.deepEqual(boxBetweenKeyframes(keys.slice(1), 14, picture), truth(12));
});
