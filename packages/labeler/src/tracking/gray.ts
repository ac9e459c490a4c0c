import type { Frame } from './contract.js';

/**
 * Grey-level copy of a rectangle of a frame, box-averaged down by an integer factor `k`. Sampling a
 * tracker window from this (instead of the full-resolution frame) is both anti-aliased and cheap:
 * only the pixels near the object are ever converted from RGBA.
 * Coordinates outside the frame replicate the border.
 */
export class GrayRegion {
  data: Float32Array;
  width = 0;
  height = 0;
  x0 = 0;
  y0 = 0;
  k = 1;
  /** Size of the frame the region was cut from, to tell samples outside the picture. */
  frameWidth = 0;
  frameHeight = 0;

  constructor() {
    this.data = new Float32Array(0);
  }

  /** Fills the region covering frame pixels [x0, x0 + cols*k) x [y0, y0 + rows*k). */
  load(frame: Frame, x0: number, y0: number, x1: number, y1: number, k: number): this {
    const { width: W, height: H, data: rgba } = frame;
    const out = this.place(x0, y0, x1, y1, k, W, H);
    const { width: cols, height: rows, x0: fx0, y0: fy0 } = this;
    out.fill(0, 0, cols * rows);
    const norm = 1 / (k * k * 255 * 256);
    // Where every cell of the region lies inside the frame's columns, pixels are read as one 32-bit word
    // each (red in the low byte) with no clamping: the same sums, in the same order.
    const words = fx0 >= 0 && fx0 + cols * k <= W ? rgbaWords(frame) : null;
    for (let r = 0; r < rows; r++) {
      const rowOut = r * cols;
      for (let dy = 0; dy < k; dy++) {
        const y = Math.min(H - 1, Math.max(0, fy0 + r * k + dy));
        const rowIn = y * W;
        if (words) {
          for (let c = 0, q = rowIn + fx0; c < cols; c++) {
            let sum = 0;
            for (let dx = 0; dx < k; dx++, q++) {
              const px = words[q];
              sum += 77 * (px & 255) + 150 * ((px >>> 8) & 255) + 29 * ((px >>> 16) & 255);
            }
            out[rowOut + c] += sum;
          }
          continue;
        }
        for (let c = 0; c < cols; c++) {
          let sum = 0;
          const xs = fx0 + c * k;
          for (let dx = 0; dx < k; dx++) {
            const x = Math.min(W - 1, Math.max(0, xs + dx));
            const p = (rowIn + x) * 4;
            sum += 77 * rgba[p] + 150 * rgba[p + 1] + 29 * rgba[p + 2];
          }
          out[rowOut + c] += sum;
        }
      }
      for (let c = 0; c < cols; c++) out[rowOut + c] *= norm;
    }
    return this;
  }

  /**
   * The same region as `load` would give, from a frame's grey integral: cells partly outside the frame
   * average their inside part, cells wholly outside repeat the nearest edge.
   */
  loadFrom(grey: GreyIntegral, x0: number, y0: number, x1: number, y1: number, k: number): this {
    const out = this.place(x0, y0, x1, y1, k, grey.width, grey.height);
    const { width: cols, height: rows, x0: fx0, y0: fy0 } = this;
    // Whole cells inside the frame read the table's corners directly, as grey.mean reads them there (the
    // same sums in the same order); only the cells at the frame's edge go through its clamping. A window
    // reaching past the edge (an object near it, or a large one) is most of the re-detection checks.
    const whole = Number.isInteger(k);
    const c0 = whole ? Math.min(cols, Math.max(0, Math.ceil(-fx0 / k))) : 0;
    const c1 = whole ? Math.max(c0, Math.min(cols, Math.floor((grey.width - fx0) / k))) : 0;
    const s = grey.width + 1;
    const t = grey.table;
    const area = k * k;
    const clamped = (o: number, y: number, from: number, to: number) => {
      for (let c = from; c < to; c++) {
        const x = fx0 + c * k;
        out[o + c] = grey.mean(x, y, x + k, y + k);
      }
    };
    for (let r = 0; r < rows; r++) {
      const y = fy0 + r * k;
      const o = r * cols;
      if (c1 === c0 || y < 0 || y + k > grey.height) {
        clamped(o, y, 0, cols);
        continue;
      }
      clamped(o, y, 0, c0);
      let top = y * s + fx0 + c0 * k;
      let bottom = top + k * s;
      for (let c = c0; c < c1; c++, top += k, bottom += k) {
        out[o + c] = (t[bottom + k] - t[top + k] - t[bottom] + t[top]) / area;
      }
      clamped(o, y, c1, cols);
    }
    return this;
  }

  /** Sets the region's geometry (whole cells of k pixels from the floored corner) and returns its buffer. */
  private place(
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    k: number,
    W: number,
    H: number,
  ): Float32Array {
    this.x0 = Math.floor(x0);
    this.y0 = Math.floor(y0);
    this.width = Math.max(1, Math.ceil((x1 - this.x0) / k));
    this.height = Math.max(1, Math.ceil((y1 - this.y0) / k));
    if (this.data.length < this.width * this.height) this.data = new Float32Array(this.width * this.height);
    this.k = k;
    this.frameWidth = W;
    this.frameHeight = H;
    return this.data;
  }

  /** Bilinear sample at continuous frame coordinates (pixel p spans [p, p+1)). */
  sample(x: number, y: number): number {
    let u = (x - this.x0) / this.k - 0.5;
    let v = (y - this.y0) / this.k - 0.5;
    const maxU = this.width - 1;
    const maxV = this.height - 1;
    u = u < 0 ? 0 : u > maxU ? maxU : u;
    v = v < 0 ? 0 : v > maxV ? maxV : v;
    const u0 = u | 0;
    const v0 = v | 0;
    const u1 = u0 < maxU ? u0 + 1 : u0;
    const v1 = v0 < maxV ? v0 + 1 : v0;
    const fu = u - u0;
    const fv = v - v0;
    const d = this.data;
    const a = d[v0 * this.width + u0];
    const b = d[v0 * this.width + u1];
    const c = d[v1 * this.width + u0];
    const e = d[v1 * this.width + u1];
    const top = a + (b - a) * fu;
    return top + (c + (e - c) * fu - top) * fv;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The frame's pixels as one 32-bit word each (red in the low byte), where the bytes are aligned for it on a
 * little-endian machine; null otherwise (read byte by byte then).
 */
function rgbaWords(frame: Frame): Uint32Array | null {
  const { data, width, height } = frame;
  return LITTLE_ENDIAN && data.byteOffset % 4 === 0
    ? new Uint32Array(data.buffer, data.byteOffset, width * height)
    : null;
}

/**
 * A whole frame in grey with its summed-area table: while the object is lost the frame is searched at
 * many cell sizes, and each box-averaged copy then costs one look-up per cell instead of a pass over
 * every pixel.
 */
export class GreyIntegral {
  width = 0;
  height = 0;
  /** (width + 1) x (height + 1) sums of grey levels (0..1) above and left of each pixel corner. */
  table = new Float64Array(0);

  load(frame: Frame): this {
    const { width: W, height: H, data } = frame;
    const stride = W + 1;
    if (this.table.length < stride * (H + 1)) this.table = new Float64Array(stride * (H + 1));
    const t = this.table;
    t.fill(0, 0, stride);
    const norm = 1 / (255 * 256);
    const words = rgbaWords(frame);
    for (let y = 0; y < H; y++) {
      let row = 0;
      let above = y * stride + 1;
      const end = (y + 1) * stride + 1 + W;
      t[(y + 1) * stride] = 0;
      if (words) {
        for (let o = (y + 1) * stride + 1, q = y * W; o < end; o++, above++, q++) {
          const px = words[q];
          row += (77 * (px & 255) + 150 * ((px >>> 8) & 255) + 29 * ((px >>> 16) & 255)) * norm;
          t[o] = t[above] + row;
        }
      } else {
        for (let o = (y + 1) * stride + 1, p = y * W * 4; o < end; o++, above++, p += 4) {
          row += (77 * data[p] + 150 * data[p + 1] + 29 * data[p + 2]) * norm;
          t[o] = t[above] + row;
        }
      }
    }
    this.width = W;
    this.height = H;
    return this;
  }

  /** Mean grey level over pixels [x0, x1) x [y0, y1), clamped so that at least the nearest pixel counts. */
  mean(x0: number, y0: number, x1: number, y1: number): number {
    const W = this.width;
    const H = this.height;
    const a = x0 < 0 ? 0 : x0 > W - 1 ? W - 1 : x0;
    const b = y0 < 0 ? 0 : y0 > H - 1 ? H - 1 : y0;
    const c = x1 > W ? W : x1 < a + 1 ? a + 1 : x1;
    const d = y1 > H ? H : y1 < b + 1 ? b + 1 : y1;
    const s = W + 1;
    const t = this.table;
    return (t[d * s + c] - t[b * s + c] - t[d * s + a] + t[b * s + a]) / ((c - a) * (d - b));
  }
}
