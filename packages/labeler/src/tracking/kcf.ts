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
  private readonly zRe: Float64Array[];
  private readonly zIm: Float64Array[];
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
    this.zRe = Array.from({ length: channels }, make);
    this.zIm = Array.from({ length: channels }, make);
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
    this.transformInput(features);
    this.correlate(this.zRe, this.zIm, this.zRe, this.zIm);
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
      const zr = this.zRe[c];
      const zi = this.zIm[c];
      for (let i = 0; i < this.spectrum; i++) {
        mr[i] += (zr[i] - mr[i]) * r;
        mi[i] += (zi[i] - mi[i]) * r;
      }
    }
    this.trained = true;
  }

  /** Correlates the model with features of a search window; fills `response` and returns its peak. */
  detect(features: Float64Array[]): Detection {
    this.transformInput(features);
    this.correlate(this.zRe, this.zIm, this.modelRe, this.modelIm);
    const { kRe, kIm, alphaRe, alphaIm } = this;
    for (let i = 0; i < this.spectrum; i++) {
      const r = alphaRe[i] * kRe[i] - alphaIm[i] * kIm[i];
      const m = alphaRe[i] * kIm[i] + alphaIm[i] * kRe[i];
      kRe[i] = r;
      kIm[i] = m;
    }
    this.fft.inverse(kRe, kIm, this.response);
    return analyseResponse(this.response, this.n);
  }

  private transformInput(features: Float64Array[]): void {
    for (let c = 0; c < this.channels; c++) this.fft.forward(features[c], this.zRe[c], this.zIm[c]);
  }

  /** Gaussian kernel correlation of two multi-channel spectra, left in Fourier form in kRe/kIm. */
  private correlate(
    aRe: Float64Array[],
    aIm: Float64Array[],
    bRe: Float64Array[],
    bIm: Float64Array[],
  ): void {
    const { kRe, kIm, count, spectrum, weight } = this;
    kRe.fill(0);
    kIm.fill(0);
    let aa = 0;
    let bb = 0;
    for (let c = 0; c < this.channels; c++) {
      const ar = aRe[c];
      const ai = aIm[c];
      const br = bRe[c];
      const bi = bIm[c];
      for (let i = 0; i < spectrum; i++) {
        // a * conj(b): cross-correlation peaks at the shift of a relative to b.
        kRe[i] += ar[i] * br[i] + ai[i] * bi[i];
        kIm[i] += ai[i] * br[i] - ar[i] * bi[i];
        aa += weight[i] * (ar[i] * ar[i] + ai[i] * ai[i]);
        bb += weight[i] * (br[i] * br[i] + bi[i] * bi[i]);
      }
    }
    aa /= count;
    bb /= count;
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
  for (let y = 0; y < n; y++) {
    let ddy = Math.abs(y - py);
    ddy = Math.min(ddy, n - ddy);
    for (let x = 0; x < n; x++) {
      let ddx = Math.abs(x - px);
      ddx = Math.min(ddx, n - ddx);
      if (ddx <= exclusion && ddy <= exclusion) continue;
      const v = response[y * n + x];
      sum += v;
      sumSq += v * v;
      count++;
    }
  }
  const mean = sum / count;
  const std = Math.sqrt(Math.max(sumSq / count - mean * mean, 1e-12));
  return { dx, dy, peak, psr: (peak - mean) / std };
}
