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

export const OP_SIZE: Record<number, number> = { 1: 11, 2: 7, 3: 3, 4: 4, 5: 7 };

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
      default:
        throw new Error(`corrupt simulator program: opcode ${code} at ${p}`);
    }
  }
}

function dense(
  re: Amps,
  im: Amps,
  len: number,
  t: number,
  cm: number,
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
      if ((i & cm) !== cm) continue;
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
  const touchZero = !(ar === 1 && ai === 0);
  for (let base = 0; base < len; base += st << 1) {
    const end = base + st;
    if (touchZero) {
      for (let i = base; i < end; i++) {
        if ((i & cm) !== cm) continue;
        const xr = re[i],
          xi = im[i];
        re[i] = ar * xr - ai * xi;
        im[i] = ar * xi + ai * xr;
      }
    }
    for (let j = end; j < end + st; j++) {
      if ((j & cm) !== cm) continue;
      const yr = re[j],
        yi = im[j];
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
