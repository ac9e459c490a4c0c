import { RealFFT2D } from './fft.js';

export interface Detection {
  /** Displacement of the response peak from the window centre, in grid cells (sub-cell accurate). */
  dx: number;
  dy: number;
  /** Height of the response peak (about 1 for a perfect match). */
  peak: number;
  /** Peak-to-sidelobe ratio: how much the peak stands out from the rest of the response. */
  psr: number;
}

/** Half spectrum of a search window's feature channels, with its mean energy per cell. */
export interface WindowSpectrum {
  readonly n: number;
  readonly channels: number;
  readonly re: Float64Array[];
  readonly im: Float64Array[];
  energy: number;
}

export interface KcfOptions {
  /** Gaussian kernel bandwidth. */
  kernelSigma: number;
  /** Ridge regularisation. */
  lambda: number;
  /** Width of the Gaussian regression target, in grid cells. */
  labelSigma: number;
}

/**
 * Kernelised correlation filter (Henriques et al., KCF) with a Gaussian kernel over multi-channel
 * features: training and detection are element-wise in the Fourier domain, so one update costs a few
 * n x n FFTs. Every spatial signal here is real, so only the half spectrum is kept (RealFFT2D). The
 * model is a running average of the template spectrum and the dual coefficients.
 */
export class KernelizedCorrelationFilter {
  private readonly fft: RealFFT2D;
  private readonly count: number;
  /** Complex values in a half spectrum: n rows x (n/2 + 1). */
  private readonly spectrum: number;
  /** Parseval weight of each half-spectrum column: the mirrored columns count twice. */
  private readonly weight: Float64Array;
  private readonly labelRe: Float64Array;
  private readonly labelIm: Float64Array;
  private readonly modelRe: Float64Array[];
  private readonly modelIm: Float64Array[];
  private readonly alphaRe: Float64Array;
  private readonly alphaIm: Float64Array;
  /** Mean energy per cell of the model (Parseval), kept to spare the kernel a pass. */
  private modelEnergy = 0;
  private readonly window: WindowSpectrum;
  private readonly kRe: Float64Array;
  private readonly kIm: Float64Array;
  private readonly kernel: Float64Array;
  readonly response: Float64Array;
  private trained = false;

  constructor(
    readonly n: number,
    readonly channels: number,
    private readonly options: KcfOptions,
  ) {
    this.fft = new RealFFT2D(n, n);
    this.count = n * n;
    const hw = this.fft.halfWidth;
    this.spectrum = n * hw;
    const make = () => new Float64Array(this.spectrum);
    this.weight = new Float64Array(this.spectrum);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < hw; i++) this.weight[j * hw + i] = i === 0 || i === n / 2 ? 1 : 2;
    }
    const label = new Float64Array(this.count);
    const s2 = options.labelSigma * options.labelSigma;
    for (let j = 0; j < n; j++) {
      const dy = j < n / 2 ? j : j - n;
      for (let i = 0; i < n; i++) {
        const dx = i < n / 2 ? i : i - n;
        label[j * n + i] = Math.exp((-0.5 * (dx * dx + dy * dy)) / s2);
      }
    }
    this.labelRe = make();
    this.labelIm = make();
    this.fft.forward(label, this.labelRe, this.labelIm);
    this.modelRe = Array.from({ length: channels }, make);
    this.modelIm = Array.from({ length: channels }, make);
    this.window = this.createWindow();
    this.alphaRe = make();
    this.alphaIm = make();
    this.kRe = make();
    this.kIm = make();
    this.kernel = new Float64Array(this.count);
    this.response = new Float64Array(this.count);
  }

  get isTrained(): boolean {
    return this.trained;
  }

  /** Learns from features centred on the target; `rate` 1 replaces the model, smaller rates blend. */
  train(features: Float64Array[], rate: number): void {
    const z = this.transform(features, this.window);
    this.correlate(z.re, z.im, z.energy, z.re, z.im, z.energy);
    const { kRe, kIm, labelRe, labelIm, alphaRe, alphaIm } = this;
    const lambda = this.options.lambda;
    const r = this.trained ? rate : 1;
    for (let i = 0; i < this.spectrum; i++) {
      // alpha = y / (k + lambda), complex division.
      const dr = kRe[i] + lambda;
      const di = kIm[i];
      const den = dr * dr + di * di;
      const ar = (labelRe[i] * dr + labelIm[i] * di) / den;
      const ai = (labelIm[i] * dr - labelRe[i] * di) / den;
      alphaRe[i] += (ar - alphaRe[i]) * r;
      alphaIm[i] += (ai - alphaIm[i]) * r;
    }
    for (let c = 0; c < this.channels; c++) {
      const mr = this.modelRe[c];
      const mi = this.modelIm[c];
      const zr = z.re[c];
      const zi = z.im[c];
      for (let i = 0; i < this.spectrum; i++) {
        mr[i] += (zr[i] - mr[i]) * r;
        mi[i] += (zi[i] - mi[i]) * r;
      }
    }
    this.modelEnergy = this.energy(this.modelRe, this.modelIm);
    this.trained = true;
  }

  /** Correlates the model with features of a search window; fills `response` and returns its peak. */
  detect(features: Float64Array[]): Detection {
    return this.detectIn(this.transform(features, this.window));
  }

  /** A buffer for one search window's spectrum, to match it against more than one model. */
  createWindow(): WindowSpectrum {
    const make = () => new Float64Array(this.spectrum);
    return {
      n: this.n,
      channels: this.channels,
      re: Array.from({ length: this.channels }, make),
      im: Array.from({ length: this.channels }, make),
      energy: 0,
    };
  }

  /** Transforms a search window's features into `into` (from createWindow of a filter of this size). */
  transform(features: Float64Array[], into: WindowSpectrum): WindowSpectrum {
    this.checkWindow(into);
    for (let c = 0; c < this.channels; c++) this.fft.forward(features[c], into.re[c], into.im[c]);
    into.energy = this.energy(into.re, into.im);
    return into;
  }

  /** Like detect, on a window transformed before. */
  detectIn(window: WindowSpectrum): Detection {
    this.respond(window);
    return analyseResponse(this.response, this.n);
  }

  /** Only the height of the response peak (no sub-cell position, no PSR). */
  peakIn(window: WindowSpectrum): number {
    this.respond(window);
    let peak = Number.NEGATIVE_INFINITY;
    for (const v of this.response) if (v > peak) peak = v;
    return peak;
  }

  private checkWindow(window: WindowSpectrum): void {
    if (window.n !== this.n || window.channels !== this.channels) {
      throw new Error(
        `a window spectrum of ${window.n} cells and ${window.channels} channels does not fit a filter of ${this.n} cells and ${this.channels} channels; make it with this filter's createWindow()`,
      );
    }
  }

  /** Fills `response` with the model's correlation with a window spectrum. */
  private respond(window: WindowSpectrum): void {
    this.checkWindow(window);
    this.correlate(window.re, window.im, window.energy, this.modelRe, this.modelIm, this.modelEnergy);
    const { kRe, kIm, alphaRe, alphaIm } = this;
    for (let i = 0; i < this.spectrum; i++) {
      const r = alphaRe[i] * kRe[i] - alphaIm[i] * kIm[i];
      const m = alphaRe[i] * kIm[i] + alphaIm[i] * kRe[i];
      kRe[i] = r;
      kIm[i] = m;
    }
    this.fft.inverse(kRe, kIm, this.response);
  }

  private energy(re: Float64Array[], im: Float64Array[]): number {
    const { weight, spectrum } = this;
    let sum = 0;
    for (let c = 0; c < this.channels; c++) {
      const r = re[c];
      const m = im[c];
      for (let i = 0; i < spectrum; i++) sum += weight[i] * (r[i] * r[i] + m[i] * m[i]);
    }
    return sum / this.count;
  }

  /** Gaussian kernel correlation of two multi-channel spectra, left in Fourier form in kRe/kIm. */
  private correlate(
    aRe: Float64Array[],
    aIm: Float64Array[],
    aa: number,
    bRe: Float64Array[],
    bIm: Float64Array[],
    bb: number,
  ): void {
    const { kRe, kIm, count, spectrum } = this;
    kRe.fill(0);
    kIm.fill(0);
    for (let c = 0; c < this.channels; c++) {
      const ar = aRe[c];
      const ai = aIm[c];
      const br = bRe[c];
      const bi = bIm[c];
      for (let i = 0; i < spectrum; i++) {
        // a * conj(b): cross-correlation peaks at the shift of a relative to b.
        kRe[i] += ar[i] * br[i] + ai[i] * bi[i];
        kIm[i] += ai[i] * br[i] - ar[i] * bi[i];
      }
    }
    const k = this.kernel;
    this.fft.inverse(kRe, kIm, k);
    const scale = -1 / (this.options.kernelSigma * this.options.kernelSigma * count * this.channels);
    for (let i = 0; i < count; i++) {
      const d = aa + bb - 2 * k[i];
      k[i] = Math.exp((d > 0 ? d : 0) * scale);
    }
    this.fft.forward(k, kRe, kIm);
  }
}

/** Peak with sub-cell parabolic refinement, and the peak-to-sidelobe ratio outside an 11x11 exclusion. */
export function analyseResponse(response: Float64Array, n: number): Detection {
  let best = 0;
  for (let i = 1; i < response.length; i++) if (response[i] > response[best]) best = i;
  const px = best % n;
  const py = (best / n) | 0;
  const at = (x: number, y: number) => response[((y + n) % n) * n + ((x + n) % n)];
  const peak = response[best];
  const refine = (minus: number, plus: number) => {
    const den = minus - 2 * peak + plus;
    if (den >= 0) return 0;
    const d = (0.5 * (minus - plus)) / den;
    return d > 0.5 ? 0.5 : d < -0.5 ? -0.5 : d;
  };
  let dx = px + refine(at(px - 1, py), at(px + 1, py));
  let dy = py + refine(at(px, py - 1), at(px, py + 1));
  if (dx >= n / 2) dx -= n;
  if (dy >= n / 2) dy -= n;
  const exclusion = Math.max(2, Math.round(n / 12));
  let sum = 0;
  let sumSq = 0;
  let count = 0;
  // The columns of the exclusion (it wraps around the edges as the response does), marked once: the sums
  // then run over the same cells in the same order without a distance test per cell.
  const excluded = excludedColumns(n, px, exclusion);
  for (let y = 0; y < n; y++) {
    const row = y * n;
    if (ringDistance(y, py, n) > exclusion) {
      for (let x = 0; x < n; x++) {
        const v = response[row + x];
        sum += v;
        sumSq += v * v;
      }
      count += n;
      continue;
    }
    for (let x = 0; x < n; x++) {
      if (excluded[x] === 1) continue;
      const v = response[row + x];
      sum += v;
      sumSq += v * v;
      count++;
    }
  }
  const mean = sum / count;
  const std = Math.sqrt(Math.max(sumSq / count - mean * mean, 1e-12));
  return { dx, dy, peak, psr: (peak - mean) / std };
}

/** 1 at the columns within `exclusion` of column px on a ring of n, 0 elsewhere. */
function excludedColumns(n: number, px: number, exclusion: number): Uint8Array {
  const marks = new Uint8Array(n);
  for (let x = 0; x < n; x++) marks[x] = ringDistance(x, px, n) <= exclusion ? 1 : 0;
  return marks;
}

/** Distance between two indices on a ring of n (the response wraps around its edges). */
function ringDistance(a: number, b: number, n: number): number {
  const d = Math.abs(a - b);
  return Math.min(d, n - d);
}
