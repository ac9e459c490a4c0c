import type { Box } from './contract.js';

export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

/**
 * Per-frame overlap of a track with the truth, counting the outside flag: both outside scores 1,
 * one outside and the other not scores 0 (a box where there is no object is as wrong as a missed one).
 */
export function frameScore(
  truth: { box: Box | null; outside: boolean },
  tracked: { box: Box | null; outside: boolean },
): number {
  if (truth.outside || !truth.box) return tracked.outside || !tracked.box ? 1 : 0;
  if (tracked.outside || !tracked.box) return 0;
  return iou(truth.box, tracked.box);
}

export interface SequenceScore {
  meanIou: number;
  /** Share of frames with score at least 0.5 (the usual success rate at 0.5). */
  successRate: number;
  frames: number;
}

export function scoreSequence(scores: number[]): SequenceScore {
  const n = scores.length;
  if (n === 0) return { meanIou: 0, successRate: 0, frames: 0 };
  let sum = 0;
  let ok = 0;
  for (const s of scores) {
    sum += s;
    if (s >= 0.5) ok++;
  }
  return { meanIou: sum / n, successRate: ok / n, frames: n };
}
