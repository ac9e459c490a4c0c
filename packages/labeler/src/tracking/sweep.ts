import type { ColourIntegral } from './colour.js';
import type { Frame } from './contract.js';
import { GrayRegion, GreyIntegral } from './gray.js';
import { type AppearanceTemplate, type TemplateVariant, templateCell } from './redetect.js';
import { type Candidate, SearchImage, searchNear, searchTemplate } from './template-search.js';

/** Cells along the object's long side in the whole-frame pass; survivors are re-scored at full detail. */
const COARSE_CELLS = 6;
/** Index standing for the pose at loss in the caches of variants (grid scales are 0, 1, ...). */
const AT_LOSS = -1;
/** Best coarse positions per scale (over all angles) that are re-scored with the detailed template. */
const REFINED_PER_SCALE = 15;
/** Best coarse positions per angle (apart from each other) that compete for re-scoring. */
const COARSE_PER_ANGLE = 6;
/**
 * Share of the object's template cells that must be inside the frame for a position to be scored (on
 * those cells only): an object coming back in is found while half of it is still beyond the edge.
 */
const MIN_IN_VIEW = 0.5;

export interface SweepHit {
  /** Position and detailed template score (normalised cross-correlation). */
  c: Candidate;
  v: TemplateVariant;
  /** Template score plus colour evidence: candidates are verified in this order. */
  rank: number;
}

/**
 * The object's colours as evidence: the probability map's integral, its mean over the frame (what the
 * background scores) and the object's usual score. A position scores 0 at the background's level and 1 at
 * the object's usual one.
 */
export interface ColourEvidence {
  integral: ColourIntegral;
  background: number;
  typical: number;
}

/**
 * Colour evidence (0 background .. 1 usual object) of the core of an object whose short side is `short`
 * pixels, centred at (cx, cy): the middle of the object whatever its angle, a square of 60% of its short
 * side. Null where the core is outside the frame.
 */
export function coreEvidence(colour: ColourEvidence, cx: number, cy: number, short: number): number | null {
  const core = 0.3 * short;
  const mean = colour.integral.mean(cx - core, cy - core, cx + core, cy + core);
  if (Number.isNaN(mean)) return null;
  const span = Math.max(colour.typical - colour.background, 1e-3);
  return Math.min(1, (mean - colour.background) / span);
}

/** Weight of colour evidence (0..1) against template correlation (-1..1) when ranking positions. */
const COLOUR_WEIGHT = 0.3;
/** Colour evidence below this rules a position out: its colours are the background's, not the object's. */
const COLOUR_FLOOR = 0.15;
/** Evidence assumed where the object's core is outside the frame (an object coming back in). */
const COLOUR_UNSEEN = 0.5;

/**
 * Whole-frame re-detection over a grid of poses. An object that left the view or was hidden comes back
 * at any scale and angle (in the hard synthetic class: lost at 0.9x turned 35 degrees, back at 0.6x turned
 * -5), so the search cannot stay near the pose at loss. Each frame it searches a few scales of the grid,
 * every angle at each (one grey image per scale serves all its angles), starting from the scale at loss
 * and widening. The object's colours add to a position's template score (they rank candidates) and rule
 * out the positions that have only the background's colours.
 */
export class PoseSweep {
  private order: number[] = [];
  private angleOrder: number[] = [];
  private cursor = 0;
  private loss = { scale: 1, angle: 0 };
  private readonly coarse = new Map<number, TemplateVariant[]>();
  private readonly fine = new Map<number, TemplateVariant[]>();
  private readonly image = new SearchImage();
  private readonly region = new GrayRegion();
  /**
   * The frame last searched, in grey with its summed-area table (re-detection's checks read it too; the tracker
   * lends the table to its edge template, which reloads it on frames where the object is not lost).
   */
  readonly grey = new GreyIntegral();
  private bonusCells = new Float32Array(0);

  constructor(
    private readonly template: AppearanceTemplate,
    private readonly scales: number[],
    private readonly angles: number[],
  ) {}

  /** Starts a new search from the pose at loss; the template must stay as it is until the next start. */
  start(scale: number, angle: number): void {
    this.order = this.scales.map((_, i) => i);
    this.order.sort(
      (a, b) => Math.abs(Math.log(this.scales[a] / scale)) - Math.abs(Math.log(this.scales[b] / scale)),
    );
    this.angleOrder = this.angles.map((_, i) => i);
    this.angleOrder.sort((a, b) => Math.abs(this.angles[a] - angle) - Math.abs(this.angles[b] - angle));
    this.cursor = 0;
    this.loss = { scale, angle };
    this.coarse.clear();
    this.fine.clear();
  }

  /** Searches the pose at loss and the next `count` scales; returns the matches scoring at least `minScore`. */
  next(frame: Frame, count: number, minScore: number, colour: ColourEvidence | null): SweepHit[] {
    const hits: SweepHit[] = [];
    this.grey.load(frame);
    // Every frame the pose at loss exactly (and turned a grid step either way: objects often come back as
    // they left), and the next `count` scales of the grid at every angle.
    const picks: Array<{ si: number; angles: number }> = [{ si: AT_LOSS, angles: 3 }];
    for (let n = 0; n < Math.min(count, this.order.length); n++) {
      picks.push({ si: this.order[this.cursor], angles: this.angles.length });
      this.cursor = (this.cursor + 1) % this.order.length;
    }
    for (const { si, angles } of picks) {
      // Whole frame with a coarse template (cheap at every scale), every angle ...
      const coarse = this.variantsAt(this.coarse, si, COARSE_CELLS);
      const k = coarse[0].k;
      // Far enough past the edges to find an object that is coming back in.
      const margin = 0.45 * Math.max(...coarse.map((v) => Math.max(v.width, v.height))) * k;
      this.image.load(this.grey, k, margin);
      const bonus = colour ? this.colourBonus(colour, si) : undefined;
      const rough: Array<{ c: Candidate; a: number }> = [];
      coarse.slice(0, angles).forEach((v, a) => {
        for (const c of searchTemplate(this.image, v, COARSE_PER_ANGLE, bonus, MIN_IN_VIEW))
          rough.push({ c, a });
      });
      rough.sort((p, q) => q.c.score - p.c.score);
      // ... then the best few again with the detailed template, around where the coarse one peaked.
      const fine = this.variantsAt(this.fine, si);
      const radius = Math.ceil(k / fine[0].k);
      for (const { c, a } of rough.slice(0, REFINED_PER_SCALE)) {
        const best = searchNear(this.grey, fine[a], c.cx, c.cy, radius, this.region, MIN_IN_VIEW);
        if (!best || best.score < minScore) continue;
        const extra = colour ? COLOUR_WEIGHT * this.evidenceAt(colour, best.cx, best.cy, si) : 0;
        hits.push({ c: best, v: fine[a], rank: best.score + extra });
      }
    }
    return hits;
  }

  private variantsAt(cache: Map<number, TemplateVariant[]>, si: number, cells?: number): TemplateVariant[] {
    let list = cache.get(si);
    if (!list) {
      const scale = this.scaleOf(si);
      const k = templateCell(scale, this.template.baseWidth, this.template.baseHeight, cells);
      const step = this.angles.length > 1 ? Math.abs(this.angles[1] - this.angles[0]) : 0;
      const angles =
        si === AT_LOSS
          ? [this.loss.angle, this.loss.angle - step, this.loss.angle + step]
          : this.angleOrder.map((ai) => this.angles[ai]);
      list = angles.map((a) => this.template.variant(scale, a, k));
      cache.set(si, list);
    }
    return list;
  }

  private scaleOf(si: number): number {
    return si === AT_LOSS ? this.loss.scale : this.scales[si];
  }

  /** Colour evidence (0 background .. 1 usual object) of the object's core centred at (cx, cy). */
  private evidenceAt(colour: ColourEvidence, cx: number, cy: number, si: number): number {
    const short = Math.min(this.template.baseWidth, this.template.baseHeight) * this.scaleOf(si);
    return coreEvidence(colour, cx, cy, short) ?? COLOUR_UNSEEN;
  }

  /** Per search-image cell, the colour term added to the template score there (-Infinity: ruled out). */
  private colourBonus(colour: ColourEvidence, si: number): Float32Array {
    const { width: W, height: H, k, x0, y0 } = this.image.region;
    if (this.bonusCells.length < W * H) this.bonusCells = new Float32Array(W * H);
    const cells = this.bonusCells;
    for (let y = 0; y < H; y++) {
      const cy = y0 + (y + 0.5) * k;
      for (let x = 0; x < W; x++) {
        const e = this.evidenceAt(colour, x0 + (x + 0.5) * k, cy, si);
        cells[y * W + x] = e < COLOUR_FLOOR ? Number.NEGATIVE_INFINITY : COLOUR_WEIGHT * e;
      }
    }
    return cells;
  }
}
