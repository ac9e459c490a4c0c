import type { GrayRegion } from './gray.js';

/** Number of feature channels: normalised grey level and its two gradients. */
export const FEATURE_CHANNELS = 3;

/**
 * Samples an n x n grid over a window (centre cx, cy; size ww x wh, in frame pixels) and returns the
 * feature channels, each multiplied by the cosine window. Grey levels are normalised to zero mean and
 * unit variance over the window, which makes the features blind to global gain/offset lighting changes.
 */
export function extractFeatures(
  region: GrayRegion,
  cx: number,
  cy: number,
  ww: number,
  wh: number,
  n: number,
  cosine: Float64Array,
  out: Float64Array[],
  patch: Float64Array,
  angle = 0,
): void {
  const { sx, sy, c, s, half } = gridAxes(ww, wh, n, angle);
  let sum = 0;
  let sumSq = 0;
  let count = 0;
  let outside = 0;
  const fw = region.frameWidth;
  const fh = region.frameHeight;
  for (let j = 0; j < n; j++) {
    const v = (j - half) * sy;
    // The grid is laid in the object's own (rotated) frame, so the model sees the object upright.
    const rowX = cx - s * v;
    const rowY = cy + c * v;
    for (let i = 0; i < n; i++) {
      const u = (i - half) * sx;
      const x = rowX + c * u;
      const y = rowY + s * u;
      if (y < 0 || y >= fh || x < 0 || x >= fw) {
        // Outside the picture: filled with the mean below, so it carries no structure to lock onto.
        patch[j * n + i] = Number.NaN;
        outside++;
        continue;
      }
      const g = region.sample(x, y);
      patch[j * n + i] = g;
      sum += g;
      sumSq += g * g;
      count++;
    }
  }
  const mean = count > 0 ? sum / count : 0;
  const std = Math.sqrt(Math.max(count > 0 ? sumSq / count - mean * mean : 0, 0)) + 0.02;
  if (outside > 0) for (let p = 0; p < n * n; p++) if (Number.isNaN(patch[p])) patch[p] = mean;
  const inv = 1 / std;
  const [grey, gx, gy] = out;
  for (let j = 0; j < n; j++) {
    const up = j > 0 ? j - 1 : j;
    const down = j < n - 1 ? j + 1 : j;
    for (let i = 0; i < n; i++) {
      const p = j * n + i;
      const left = i > 0 ? p - 1 : p;
      const right = i < n - 1 ? p + 1 : p;
      const w = cosine[p];
      grey[p] = (patch[p] - mean) * inv * w;
      gx[p] = (patch[right] - patch[left]) * inv * w;
      gy[p] = (patch[down * n + i] - patch[up * n + i]) * inv * w;
    }
  }
}

/** Separable Hann window, which suppresses the wrap-around edges of the circular correlation. */
export function cosineWindow(n: number): Float64Array {
  const hann = new Float64Array(n);
  for (let i = 0; i < n; i++) hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n);
  const w = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) w[j * n + i] = hann[j] * hann[i];
  return w;
}

/**
 * Zeroes the features (as for a flat, mean-grey picture) at the grid points of a window laid out as in
 * extractFeatures whose frame position `hidden` says is not the object: a filter trained on them learns
 * nothing there.
 */
export function maskFeatures(
  out: Float64Array[],
  cx: number,
  cy: number,
  ww: number,
  wh: number,
  n: number,
  angle: number,
  hidden: (x: number, y: number) => boolean,
): void {
  const { sx, sy, c, s, half } = gridAxes(ww, wh, n, angle);
  for (let j = 0; j < n; j++) {
    const v = (j - half) * sy;
    for (let i = 0; i < n; i++) {
      const u = (i - half) * sx;
      if (!hidden(cx + c * u - s * v, cy + s * u + c * v)) continue;
      for (const channel of out) channel[j * n + i] = 0;
    }
  }
}

/**
 * The n x n sampling grid over a window turned by `angle`: cell steps along the window's own axes, their
 * direction, and the centre index. Point (i, j) is at (cx + c*u - s*v, cy + s*u + c*v) with u = (i - half)*sx
 * and v = (j - half)*sy; extractFeatures and maskFeatures lay the same grid.
 */
function gridAxes(ww: number, wh: number, n: number, angle: number) {
  return { sx: ww / n, sy: wh / n, c: Math.cos(angle), s: Math.sin(angle), half: n / 2 - 0.5 };
}
