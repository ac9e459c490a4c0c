/**
 * In-place radix-2 complex FFT on separate real/imaginary Float64Arrays, and a 2-D version built from it.
 * Hand-written because the correlation filter runs ~20 small (32..128) transforms per frame: precomputed
 * twiddles and bit-reversal tables, no allocation per call.
 */
export class FFT {
  readonly size: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly reversed: Uint32Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1 || (size & (size - 1)) !== 0) {
      throw new Error(`FFT size must be a power of two, got ${size}`);
    }
    this.size = size;
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let i = 0; i < size / 2; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / size);
      this.sin[i] = -Math.sin((2 * Math.PI * i) / size);
    }
    this.reversed = new Uint32Array(size);
    const bits = Math.log2(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reversed[i] = r;
    }
  }

  /** Forward transform (e^{-i...}) of re/im[offset .. offset+size), in place. */
  transform(re: Float64Array, im: Float64Array, offset = 0, inverse = false): void {
    const n = this.size;
    const rev = this.reversed;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        const a = offset + i;
        const b = offset + j;
        let t = re[a];
        re[a] = re[b];
        re[b] = t;
        t = im[a];
        im[a] = im[b];
        im[b] = t;
      }
    }
    const sign = inverse ? -1 : 1;
    // Butterflies whose twiddle is 1 (k = 0: a third of them at n = 64, all of the first stage) need
    // no multiplications; twiddles are loaded once per k.
    for (let half = 1; half < n; half <<= 1) {
      const span = half << 1;
      const step = n / span;
      for (let k = 0; k < half; k++) {
        const a0 = offset + k;
        if (k === 0) {
          for (let a = a0; a < offset + n; a += span) {
            const b = a + half;
            const br = re[b];
            const bi = im[b];
            re[b] = re[a] - br;
            im[b] = im[a] - bi;
            re[a] += br;
            im[a] += bi;
          }
        } else {
          const wr = this.cos[k * step];
          const wi = sign * this.sin[k * step];
          for (let a = a0; a < offset + n; a += span) {
            const b = a + half;
            const xr = re[b] * wr - im[b] * wi;
            const xi = re[b] * wi + im[b] * wr;
            re[b] = re[a] - xr;
            im[b] = im[a] - xi;
            re[a] += xr;
            im[a] += xi;
          }
        }
      }
    }
  }

  /**
   * Transforms `count` columns at once: element t of column x is at re/im[t * stride + x]. The butterflies
   * run across whole rows, so the inner loop is contiguous (no copying columns out and back).
   */
  transformColumns(re: Float64Array, im: Float64Array, stride: number, count: number, inverse = false): void {
    const n = this.size;
    const rev = this.reversed;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        const a = i * stride;
        const b = j * stride;
        for (let x = 0; x < count; x++) {
          let t = re[a + x];
          re[a + x] = re[b + x];
          re[b + x] = t;
          t = im[a + x];
          im[a + x] = im[b + x];
          im[b + x] = t;
        }
      }
    }
    const sign = inverse ? -1 : 1;
    for (let half = 1; half < n; half <<= 1) {
      const span = half << 1;
      const step = n / span;
      for (let k = 0; k < half; k++) {
        const trivial = k === 0;
        const wr = this.cos[k * step];
        const wi = sign * this.sin[k * step];
        for (let start = 0; start < n; start += span) {
          const a = (start + k) * stride;
          const b = a + half * stride;
          if (trivial) {
            for (let x = 0; x < count; x++) {
              const br = re[b + x];
              const bi = im[b + x];
              const ar = re[a + x];
              const ai = im[a + x];
              re[b + x] = ar - br;
              im[b + x] = ai - bi;
              re[a + x] = ar + br;
              im[a + x] = ai + bi;
            }
          } else {
            for (let x = 0; x < count; x++) {
              const br = re[b + x];
              const bi = im[b + x];
              const xr = br * wr - bi * wi;
              const xi = br * wi + bi * wr;
              const ar = re[a + x];
              const ai = im[a + x];
              re[b + x] = ar - xr;
              im[b + x] = ai - xi;
              re[a + x] = ar + xr;
              im[a + x] = ai + xi;
            }
          }
        }
      }
    }
  }
}

/** 2-D FFT of a row-major width x height complex image (both powers of two). */
export class FFT2D {
  private readonly rows: FFT;
  private readonly cols: FFT;
  private readonly colRe: Float64Array;
  private readonly colIm: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.rows = new FFT(width);
    this.cols = width === height ? this.rows : new FFT(height);
    this.colRe = new Float64Array(height);
    this.colIm = new Float64Array(height);
  }

  forward(re: Float64Array, im: Float64Array): void {
    this.run(re, im, false);
  }

  /** Inverse transform including the 1/(width*height) scaling. */
  inverse(re: Float64Array, im: Float64Array): void {
    this.run(re, im, true);
    const scale = 1 / (this.width * this.height);
    for (let i = 0; i < re.length; i++) {
      re[i] *= scale;
      im[i] *= scale;
    }
  }

  private run(re: Float64Array, im: Float64Array, inverse: boolean): void {
    const { width: W, height: H } = this;
    for (let y = 0; y < H; y++) this.rows.transform(re, im, y * W, inverse);
    const cr = this.colRe;
    const ci = this.colIm;
    for (let x = 0; x < W; x++) {
      for (let y = 0; y < H; y++) {
        cr[y] = re[y * W + x];
        ci[y] = im[y * W + x];
      }
      this.cols.transform(cr, ci, 0, inverse);
      for (let y = 0; y < H; y++) {
        re[y * W + x] = cr[y];
        im[y * W + x] = ci[y];
      }
    }
  }
}

/**
 * 2-D FFT of a real width x height image, keeping only the non-redundant half spectrum: columns
 * 0..width/2 of every row (`halfWidth` = width/2 + 1 complex values per row, row-major). Pairs of real
 * rows share one complex transform and only half the columns are transformed, so it costs about half of
 * FFT2D. The inverse takes a half spectrum of a real image (Hermitian) and returns the real image.
 */
export class RealFFT2D {
  readonly halfWidth: number;
  private readonly rows: FFT;
  private readonly cols: FFT;
  private readonly rowRe: Float64Array;
  private readonly rowIm: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    if (width < 2 || height < 2) throw new Error(`RealFFT2D needs at least 2x2, got ${width}x${height}`);
    this.halfWidth = width / 2 + 1;
    this.rows = new FFT(width);
    this.cols = width === height ? this.rows : new FFT(height);
    this.rowRe = new Float64Array(width);
    this.rowIm = new Float64Array(width);
  }

  /** Half spectrum of `input` (width*height reals) into outRe/outIm (height*halfWidth). */
  forward(input: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const { width: W, height: H, halfWidth: hw, rowRe: zr, rowIm: zi } = this;
    for (let y = 0; y < H; y += 2) {
      zr.set(input.subarray(y * W, y * W + W));
      zi.set(input.subarray((y + 1) * W, (y + 1) * W + W));
      this.rows.transform(zr, zi);
      // Z = A + iB with A, B the spectra of the two real rows: A[k] = (Z[k] + conj Z[-k]) / 2,
      // B[k] = (Z[k] - conj Z[-k]) / 2i.
      const a = y * hw;
      const b = a + hw;
      for (let k = 0; k < hw; k++) {
        const m = k === 0 ? 0 : W - k;
        const pr = zr[k];
        const pi = zi[k];
        const qr = zr[m];
        const qi = zi[m];
        outRe[a + k] = 0.5 * (pr + qr);
        outIm[a + k] = 0.5 * (pi - qi);
        outRe[b + k] = 0.5 * (pi + qi);
        outIm[b + k] = 0.5 * (qr - pr);
      }
    }
    this.columns(outRe, outIm, false);
  }

  /**
   * Real image (width*height) from a half spectrum, including the 1/(width*height) scaling.
   * re/im are used as scratch and left changed.
   */
  inverse(re: Float64Array, im: Float64Array, output: Float64Array): void {
    const { width: W, height: H, halfWidth: hw, rowRe: zr, rowIm: zi } = this;
    this.columns(re, im, true);
    const scale = 1 / (W * H);
    for (let y = 0; y < H; y += 2) {
      const a = y * hw;
      const b = a + hw;
      // Rebuild Z = A + iB over the whole row from the two half spectra (A[-k] = conj A[k]).
      for (let k = 0; k < hw; k++) {
        const ar = re[a + k];
        const ai = im[a + k];
        const br = re[b + k];
        const bi = im[b + k];
        zr[k] = ar - bi;
        zi[k] = ai + br;
        if (k > 0 && k < W - k) {
          zr[W - k] = ar + bi;
          zi[W - k] = br - ai;
        }
      }
      this.rows.transform(zr, zi, 0, true);
      const o = y * W;
      for (let x = 0; x < W; x++) {
        output[o + x] = zr[x] * scale;
        output[o + W + x] = zi[x] * scale;
      }
    }
  }

  private columns(re: Float64Array, im: Float64Array, inverse: boolean): void {
    this.cols.transformColumns(re, im, this.halfWidth, this.halfWidth, inverse);
  }
}
