/**
 * State-vector kernels over split real/imaginary arrays of length 2^L. Each op reads its operands from an
 * encoded program (a Float64Array) so the same code runs on the main thread and in workers.
 * Qubit numbers and control masks here are local to the array being processed.
 */

export type Amps = Float64Array | Float32Array;

export const OP_DENSE = 1; // t, cmask, m[8]
export const OP_DIAG = 2; // t, cmask, d0r, d0i, d1r, d1i
export const OP_X = 3; // t, cmask
export const OP_SWAP = 4; // a, b, cmask
export const OP_PAULI = 5; // xmask, zmask, ny, cmask, cos, sin
export const OP_DENSE2 = 6; // a < b, m[32] (4x4 row-major, interleaved; index bit 0 = a, bit 1 = b)

export const OP_PHASEFAN = 7; // j, loBits, loLen, hiLen, lo[2*loLen], hi[2*hiLen]
export const OP_MUX = 8; // t, c, m0[8], m1[8]: 2x2 m0 where qubit c is 0, m1 where it is 1

/** Length of the op at p in an encoded program. */
export function opLength(prog: Float64Array, p: number): number {
  switch (prog[p]) {
    case OP_DENSE:
      return 11;
    case OP_DIAG:
    case OP_PAULI:
      return 7;
    case OP_X:
      return 3;
    case OP_SWAP:
      return 4;
    case OP_DENSE2:
      return 35;
    case OP_PHASEFAN:
      return 5 + 2 * prog[p + 3] + 2 * prog[p + 4];
    case OP_MUX:
      return 19;
    default:
      throw new Error(`corrupt simulator program: opcode ${prog[p]} at ${p}`);
  }
}

export function applyProgram(
  re: Amps,
  im: Amps,
  len: number,
  prog: Float64Array,
  from = 0,
  to = prog.length,
): void {
  let p = from;
  while (p < to) {
    const code = prog[p];
    switch (code) {
      case OP_DENSE:
        dense(
          re,
          im,
          len,
          prog[p + 1],
          prog[p + 2],
          prog[p + 2],
          prog[p + 3],
          prog[p + 4],
          prog[p + 5],
          prog[p + 6],
          prog[p + 7],
          prog[p + 8],
          prog[p + 9],
          prog[p + 10],
        );
        p += 11;
        break;
      case OP_DIAG:
        diag(re, im, len, prog[p + 1], prog[p + 2], prog[p + 3], prog[p + 4], prog[p + 5], prog[p + 6]);
        p += 7;
        break;
      case OP_X:
        flip(re, im, len, prog[p + 1], prog[p + 2]);
        p += 3;
        break;
      case OP_SWAP:
        swap(re, im, len, prog[p + 1], prog[p + 2], prog[p + 3]);
        p += 4;
        break;
      case OP_PAULI:
        pauliExp(re, im, len, prog[p + 1], prog[p + 2], prog[p + 3], prog[p + 4], prog[p + 5], prog[p + 6]);
        p += 7;
        break;
      case OP_DENSE2:
        dense2(re, im, len, prog[p + 1], prog[p + 2], prog, p + 3);
        p += 35;
        break;
      case OP_MUX:
        mux(re, im, len, prog[p + 1], prog[p + 2], prog, p + 3);
        p += 19;
        break;
      case OP_PHASEFAN: {
        const loLen = prog[p + 3],
          hiLen = prog[p + 4];
        phaseFan(re, im, len, prog[p + 1], prog[p + 2], prog, p + 5, p + 5 + 2 * loLen);
        p += 5 + 2 * loLen + 2 * hiLen;
        break;
      }
      default:
        throw new Error(`corrupt simulator program: opcode ${code} at ${p}`);
    }
  }
}

/** 2x2 on qubit t for the indices i with (i & cm) === cv. */
function dense(
  re: Amps,
  im: Amps,
  len: number,
  t: number,
  cm: number,
  cv: number,
  ar: number,
  ai: number,
  br: number,
  bi: number,
  cr: number,
  ci: number,
  dr: number,
  di: number,
): void {
  const st = 1 << t;
  if (cm === 0) {
    for (let base = 0; base < len; base += st << 1) {
      const end = base + st;
      for (let i = base; i < end; i++) {
        const j = i + st;
        const xr = re[i],
          xi = im[i],
          yr = re[j],
          yi = im[j];
        re[i] = ar * xr - ai * xi + br * yr - bi * yi;
        im[i] = ar * xi + ai * xr + br * yi + bi * yr;
        re[j] = cr * xr - ci * xi + dr * yr - di * yi;
        im[j] = cr * xi + ci * xr + dr * yi + di * yr;
      }
    }
    return;
  }
  for (let base = 0; base < len; base += st << 1) {
    const end = base + st;
    for (let i = base; i < end; i++) {
      if ((i & cm) !== cv) continue;
      const j = i + st;
      const xr = re[i],
        xi = im[i],
        yr = re[j],
        yi = im[j];
      re[i] = ar * xr - ai * xi + br * yr - bi * yi;
      im[i] = ar * xi + ai * xr + br * yi + bi * yr;
      re[j] = cr * xr - ci * xi + dr * yr - di * yi;
      im[j] = cr * xi + ci * xr + dr * yi + di * yr;
    }
  }
}

/** A 2x2 chosen by qubit c: m0 (at o) where it is 0, m1 (at o + 8) where it is 1. */
function mux(re: Amps, im: Amps, len: number, t: number, c: number, m: Float64Array, o: number): void {
  const cm = 1 << c;
  for (const [cv, k] of [
    [0, o],
    [cm, o + 8],
  ]) {
    dense(re, im, len, t, cm, cv, m[k], m[k + 1], m[k + 2], m[k + 3], m[k + 4], m[k + 5], m[k + 6], m[k + 7]);
  }
}

function diag(
  re: Amps,
  im: Amps,
  len: number,
  t: number,
  cm: number,
  ar: number,
  ai: number,
  dr: number,
  di: number,
): void {
  const st = 1 << t;
  if (cm === 0 && ar === 1 && ai === 0) {
    // phase on the |1⟩ half only (s, t, r1, cz-like)
    for (let base = st; base < len; base += st << 1) {
      const end = base + st;
      for (let j = base; j < end; j++) {
        const yr = re[j],
          yi = im[j];
        re[j] = dr * yr - di * yi;
        im[j] = dr * yi + di * yr;
      }
    }
    return;
  }
  for (let base = 0; base < len; base += st << 1) {
    const end = base + st;
    for (let i = base; i < end; i++) {
      if ((i & cm) !== cm) continue;
      const j = i + st;
      const xr = re[i],
        xi = im[i],
        yr = re[j],
        yi = im[j];
      re[i] = ar * xr - ai * xi;
      im[i] = ar * xi + ai * xr;
      re[j] = dr * yr - di * yi;
      im[j] = dr * yi + di * yr;
    }
  }
}

function flip(re: Amps, im: Amps, len: number, t: number, cm: number): void {
  const st = 1 << t;
  for (let base = 0; base < len; base += st << 1) {
    const end = base + st;
    for (let i = base; i < end; i++) {
      if ((i & cm) !== cm) continue;
      const j = i + st;
      const xr = re[i],
        xi = im[i];
      re[i] = re[j];
      im[i] = im[j];
      re[j] = xr;
      im[j] = xi;
    }
  }
}

function swap(re: Amps, im: Amps, len: number, a: number, b: number, cm: number): void {
  const ma = 1 << a,
    mb = 1 << b;
  for (let i = 0; i < len; i++) {
    // visit each pair once: bit a set, bit b clear
    if ((i & ma) === 0 || (i & mb) !== 0 || (i & cm) !== cm) continue;
    const j = (i ^ ma) | mb;
    const xr = re[i],
      xi = im[i];
    re[i] = re[j];
    im[i] = im[j];
    re[j] = xr;
    im[j] = xi;
  }
}

export function parity(v: number): number {
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  v ^= v >>> 2;
  v ^= v >>> 1;
  return v & 1;
}

/** exp(i·theta·P): ψ ← cos·ψ + i·sin·Pψ with (Pψ)[i] = i^ny (−1)^{|(i⊕x)∧z|} ψ[i⊕x]. */
function pauliExp(
  re: Amps,
  im: Amps,
  len: number,
  x: number,
  z: number,
  ny: number,
  cm: number,
  c: number,
  s: number,
): void {
  // w = i^(ny+1) · sin
  const k = (ny + 1) & 3;
  const wr = k === 0 ? s : k === 2 ? -s : 0;
  const wi = k === 1 ? s : k === 3 ? -s : 0;
  if (x === 0) {
    for (let i = 0; i < len; i++) {
      if ((i & cm) !== cm) continue;
      const sg = parity(i & z) ? -1 : 1;
      const fr = c + sg * wr,
        fi = sg * wi;
      const xr = re[i],
        xi = im[i];
      re[i] = fr * xr - fi * xi;
      im[i] = fr * xi + fi * xr;
    }
    return;
  }
  const pivot = 31 - Math.clz32(x);
  const pm = 1 << pivot;
  for (let i = 0; i < len; i++) {
    if ((i & pm) !== 0 || (i & cm) !== cm) continue;
    const j = i ^ x;
    const si = parity(i & z) ? -1 : 1;
    const sj = parity(j & z) ? -1 : 1;
    const ar = re[i],
      ai = im[i],
      br = re[j],
      bi = im[j];
    // new_i = c·a + sj·w·b ; new_j = c·b + si·w·a
    re[i] = c * ar + sj * (wr * br - wi * bi);
    im[i] = c * ai + sj * (wr * bi + wi * br);
    re[j] = c * br + si * (wr * ar - wi * ai);
    im[j] = c * bi + si * (wr * ai + wi * ar);
  }
}

/** Dense 4x4 on qubits a < b: the fused form of runs of one- and two-qubit gates on one pair. */
function dense2(re: Amps, im: Amps, len: number, a: number, b: number, m: Float64Array, o: number): void {
  const sa = 1 << a,
    sb = 1 << b;
  const m0r = m[o],
    m0i = m[o + 1],
    m1r = m[o + 2],
    m1i = m[o + 3],
    m2r = m[o + 4],
    m2i = m[o + 5],
    m3r = m[o + 6],
    m3i = m[o + 7];
  const m4r = m[o + 8],
    m4i = m[o + 9],
    m5r = m[o + 10],
    m5i = m[o + 11],
    m6r = m[o + 12],
    m6i = m[o + 13],
    m7r = m[o + 14],
    m7i = m[o + 15];
  const m8r = m[o + 16],
    m8i = m[o + 17],
    m9r = m[o + 18],
    m9i = m[o + 19],
    mar = m[o + 20],
    mai = m[o + 21],
    mbr = m[o + 22],
    mbi = m[o + 23];
  const mcr = m[o + 24],
    mci = m[o + 25],
    mdr = m[o + 26],
    mdi = m[o + 27],
    mer = m[o + 28],
    mei = m[o + 29],
    mfr = m[o + 30],
    mfi = m[o + 31];
  for (let hi = 0; hi < len; hi += sb << 1) {
    for (let mid = hi; mid < hi + sb; mid += sa << 1) {
      const end = mid + sa;
      for (let i0 = mid; i0 < end; i0++) {
        const i1 = i0 + sa,
          i2 = i0 + sb,
          i3 = i2 + sa;
        const r0 = re[i0],
          j0 = im[i0],
          r1 = re[i1],
          j1 = im[i1],
          r2 = re[i2],
          j2 = im[i2],
          r3 = re[i3],
          j3 = im[i3];
        re[i0] = m0r * r0 - m0i * j0 + m1r * r1 - m1i * j1 + m2r * r2 - m2i * j2 + m3r * r3 - m3i * j3;
        im[i0] = m0r * j0 + m0i * r0 + m1r * j1 + m1i * r1 + m2r * j2 + m2i * r2 + m3r * j3 + m3i * r3;
        re[i1] = m4r * r0 - m4i * j0 + m5r * r1 - m5i * j1 + m6r * r2 - m6i * j2 + m7r * r3 - m7i * j3;
        im[i1] = m4r * j0 + m4i * r0 + m5r * j1 + m5i * r1 + m6r * j2 + m6i * r2 + m7r * j3 + m7i * r3;
        re[i2] = m8r * r0 - m8i * j0 + m9r * r1 - m9i * j1 + mar * r2 - mai * j2 + mbr * r3 - mbi * j3;
        im[i2] = m8r * j0 + m8i * r0 + m9r * j1 + m9i * r1 + mar * j2 + mai * r2 + mbr * j3 + mbi * r3;
        re[i3] = mcr * r0 - mci * j0 + mdr * r1 - mdi * j1 + mer * r2 - mei * j2 + mfr * r3 - mfi * j3;
        im[i3] = mcr * j0 + mci * r0 + mdr * j1 + mdi * r1 + mer * j2 + mei * r2 + mfr * j3 + mfi * r3;
      }
    }
  }
}

/**
 * A fan of phase gates sharing qubit j (QFT's controlled-phase runs): amplitudes with bit j set get
 * e^{i(θ_j + Σ θ_m·bit_m)}, read as the product of a table over the low bits and one over the high bits.
 */
function phaseFan(
  re: Amps,
  im: Amps,
  len: number,
  j: number,
  loBits: number,
  t: Float64Array,
  lo: number,
  hi: number,
): void {
  const st = 1 << j;
  const loMask = (1 << loBits) - 1;
  for (let base = st; base < len; base += st << 1) {
    const end = base + st;
    for (let i = base; i < end; i++) {
      const a = lo + 2 * (i & loMask),
        b = hi + 2 * (i >>> loBits);
      const ar = t[a],
        ai = t[a + 1],
        br = t[b],
        bi = t[b + 1];
      const fr = ar * br - ai * bi,
        fi = ar * bi + ai * br;
      const xr = re[i],
        xi = im[i];
      re[i] = fr * xr - fi * xi;
      im[i] = fr * xi + fi * xr;
    }
  }
}
