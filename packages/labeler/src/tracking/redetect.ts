import type { Frame } from './contract.js';
import { GrayRegion } from './gray.js';

/** Target cells along the longer side of the appearance template used for re-detection. */
const TEMPLATE_CELLS = 16;

/** The object's last well-tracked appearance, grey, box-averaged down to about 16 cells on its long side. */
export class AppearanceTemplate {
  readonly region = new GrayRegion();
  mean = 0;
  norm = 1;

  constructor(
    readonly boxWidth: number,
    readonly boxHeight: number,
  ) {}

  get k(): number {
    return Math.max(1, Math.round(Math.max(this.boxWidth, this.boxHeight) / TEMPLATE_CELLS));
  }

  capture(frame: Frame, cx: number, cy: number): void {
    const k = this.k;
    this.region.load(
      frame,
      cx - this.boxWidth / 2,
      cy - this.boxHeight / 2,
      cx + this.boxWidth / 2,
      cy + this.boxHeight / 2,
      k,
    );
    const { data, width, height } = this.region;
    const n = width * height;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += data[i];
    this.mean = sum / n;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      data[i] -= this.mean;
      sq += data[i] * data[i];
    }
    this.norm = Math.sqrt(sq) + 1e-6;
  }
}

export interface Candidate {
  cx: number;
  cy: number;
  score: number;
}

/**
 * Normalised cross-correlation of the template over a search area of the frame (at the template's
 * resolution), using integral images for the local mean and energy. Returns the best few
 * non-overlapping positions as box centres in frame coordinates. Areas may extend past the frame
 * edge (border replicated), so an object re-entering the frame can be found while partly outside.
 */
export function searchTemplate(
  frame: Frame,
  template: AppearanceTemplate,
  area: { x0: number; y0: number; x1: number; y1: number },
  maxCandidates: number,
  scratch: GrayRegion,
): Candidate[] {
  const k = template.k;
  const image = scratch.load(frame, area.x0, area.y0, area.x1, area.y1, k);
  const W = image.width;
  const H = image.height;
  const tw = template.region.width;
  const th = template.region.height;
  if (W < tw || H < th) return [];
  const src = image.data;
  const integral = new Float64Array((W + 1) * (H + 1));
  const integralSq = new Float64Array((W + 1) * (H + 1));
  for (let y = 0; y < H; y++) {
    let row = 0;
    let rowSq = 0;
    for (let x = 0; x < W; x++) {
      const v = src[y * W + x];
      row += v;
      rowSq += v * v;
      integral[(y + 1) * (W + 1) + x + 1] = integral[y * (W + 1) + x + 1] + row;
      integralSq[(y + 1) * (W + 1) + x + 1] = integralSq[y * (W + 1) + x + 1] + rowSq;
    }
  }
  const t = template.region.data;
  const n = tw * th;
  const outW = W - tw + 1;
  const outH = H - th + 1;
  const scores = new Float32Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      let dot = 0;
      for (let j = 0; j < th; j++) {
        const rowI = (y + j) * W + x;
        const rowT = j * tw;
        for (let i = 0; i < tw; i++) dot += t[rowT + i] * src[rowI + i];
      }
      const a = y * (W + 1) + x;
      const b = a + tw;
      const c = (y + th) * (W + 1) + x;
      const d = c + tw;
      const sum = integral[d] - integral[b] - integral[c] + integral[a];
      const sumSq = integralSq[d] - integralSq[b] - integralSq[c] + integralSq[a];
      const energy = Math.sqrt(Math.max(sumSq - (sum * sum) / n, 0)) + 1e-6;
      // The template is zero-mean, so the image mean drops out of the dot product.
      scores[y * outW + x] = dot / (energy * template.norm);
    }
  }
  const found: Candidate[] = [];
  const suppress = Math.ceil(Math.max(tw, th) / 2);
  for (let m = 0; m < maxCandidates; m++) {
    let best = -1;
    for (let i = 0; i < scores.length; i++) if (best < 0 || scores[i] > scores[best]) best = i;
    if (best < 0 || scores[best] === Number.NEGATIVE_INFINITY) break;
    const bx = best % outW;
    const by = (best / outW) | 0;
    found.push({
      cx: image.x0 + (bx + tw / 2) * k,
      cy: image.y0 + (by + th / 2) * k,
      score: scores[best],
    });
    for (let y = Math.max(0, by - suppress); y < Math.min(outH, by + suppress + 1); y++) {
      for (let x = Math.max(0, bx - suppress); x < Math.min(outW, bx + suppress + 1); x++) {
        scores[y * outW + x] = Number.NEGATIVE_INFINITY;
      }
    }
  }
  return found;
}
