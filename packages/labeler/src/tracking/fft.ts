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
    for (let half = 1; half < n; half <<= 1) {
      const step = n / (half << 1);
      for (let start = 0; start < n; start += half << 1) {
        for (let k = 0; k < half; k++) {
          const wr = this.cos[k * step];
          const wi = sign * this.sin[k * step];
          const a = offset + start + k;
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
