import type { Box } from '../tracking/contract.js';
import type { Detection } from './coco-human.js';

export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

export interface LinkedTrack {
  label: string;
  boxes: { frame: number; box: Box; score: number }[];
}

/**
 * Links per-frame detections into tracks: each open track predicts its next box with constant velocity (motion),
 * and detections are matched greedily by IoU with that prediction, same label only. A track not matched for
 * `maxGap` frames is closed; unmatched detections start new tracks.
 */
export function linkDetections(
  frames: { frame: number; detections: Detection[] }[],
  minIou = 0.3,
  maxGap = 3,
): LinkedTrack[] {
  type Open = LinkedTrack & { vx: number; vy: number; lastFrame: number };
  const open: Open[] = [];
  const closed: LinkedTrack[] = [];
  for (const { frame, detections } of frames) {
    for (let i = open.length - 1; i >= 0; i--) {
      if (frame - open[i].lastFrame > maxGap) closed.push(...open.splice(i, 1));
    }
    const pairs: { t: number; d: number; iou: number }[] = [];
    open.forEach((t, ti) => {
      const last = t.boxes[t.boxes.length - 1].box;
      const dt = frame - t.lastFrame;
      const pred = { x: last.x + t.vx * dt, y: last.y + t.vy * dt, w: last.w, h: last.h };
      detections.forEach((d, di) => {
        if (d.label !== t.label) return;
        const v = iou(pred, d.box);
        if (v >= minIou) pairs.push({ t: ti, d: di, iou: v });
      });
    });
    pairs.sort((a, b) => b.iou - a.iou);
    const usedT = new Set<number>();
    const usedD = new Set<number>();
    for (const p of pairs) {
      if (usedT.has(p.t) || usedD.has(p.d)) continue;
      usedT.add(p.t);
      usedD.add(p.d);
      const t = open[p.t];
      const d = detections[p.d];
      const last = t.boxes[t.boxes.length - 1].box;
      const dt = frame - t.lastFrame;
      t.vx = 0.5 * t.vx + 0.5 * ((d.box.x - last.x) / dt);
      t.vy = 0.5 * t.vy + 0.5 * ((d.box.y - last.y) / dt);
      t.boxes.push({ frame, box: d.box, score: d.score });
      t.lastFrame = frame;
    }
    detections.forEach((d, di) => {
      if (!usedD.has(di))
        open.push({
          label: d.label,
          boxes: [{ frame, box: d.box, score: d.score }],
          vx: 0,
          vy: 0,
          lastFrame: frame,
        });
    });
  }
  return [...closed, ...open]
    .map(({ label, boxes }) => ({ label, boxes }))
    .sort((a, b) => a.boxes[0].frame - b.boxes[0].frame);
}
