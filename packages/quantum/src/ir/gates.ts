import type { GateName } from './circuit.js';

/** A 2x2 complex matrix, row-major, interleaved: [re00, im00, re01, im01, re10, im10, re11, im11]. */
export type Mat2 = Float64Array;

function m(a: number[]): Mat2 {
  return Float64Array.from(a);
}

const SQ = Math.SQRT1_2;

/** The 2x2 matrix of a single-qubit gate (swap has none). */
export function gateMatrix(name: GateName, params: readonly number[], adjoint: boolean): Mat2 {
  const mat = baseMatrix(name, params);
  return adjoint ? dagger(mat) : mat;
}

function baseMatrix(name: GateName, p: readonly number[]): Mat2 {
  switch (name) {
    case 'x':
      return m([0, 0, 1, 0, 1, 0, 0, 0]);
    case 'y':
      return m([0, 0, 0, -1, 0, 1, 0, 0]);
    case 'z':
      return m([1, 0, 0, 0, 0, 0, -1, 0]);
    case 'h':
      return m([SQ, 0, SQ, 0, SQ, 0, -SQ, 0]);
    case 's':
      return m([1, 0, 0, 0, 0, 0, 0, 1]);
    case 'sdg':
      return m([1, 0, 0, 0, 0, 0, 0, -1]);
    case 't':
      return m([1, 0, 0, 0, 0, 0, SQ, SQ]);
    case 'tdg':
      return m([1, 0, 0, 0, 0, 0, SQ, -SQ]);
    case 'rx': {
      const c = Math.cos(p[0] / 2),
        s = Math.sin(p[0] / 2);
      return m([c, 0, 0, -s, 0, -s, c, 0]);
    }
    case 'ry': {
      const c = Math.cos(p[0] / 2),
        s = Math.sin(p[0] / 2);
      return m([c, 0, -s, 0, s, 0, c, 0]);
    }
    case 'rz': {
      const c = Math.cos(p[0] / 2),
        s = Math.sin(p[0] / 2);
      return m([c, -s, 0, 0, 0, 0, c, s]);
    }
    case 'r1':
      return m([1, 0, 0, 0, 0, 0, Math.cos(p[0]), Math.sin(p[0])]);
    case 'u3': {
      const [th, ph, la] = p;
      const c = Math.cos(th / 2),
        s = Math.sin(th / 2);
      return m([
        c,
        0,
        -Math.cos(la) * s,
        -Math.sin(la) * s,
        Math.cos(ph) * s,
        Math.sin(ph) * s,
        Math.cos(ph + la) * c,
        Math.sin(ph + la) * c,
      ]);
    }
    case 'swap':
      throw new Error('swap is a two-qubit gate and has no 2x2 matrix');
  }
}

export function dagger(a: Mat2): Mat2 {
  return m([a[0], -a[1], a[4], -a[5], a[2], -a[3], a[6], -a[7]]);
}

/** a·b (apply b first, then a). */
export function mul2(a: Mat2, b: Mat2): Mat2 {
  const r = new Float64Array(8);
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      let re = 0,
        im = 0;
      for (let k = 0; k < 2; k++) {
        const ar = a[(i * 2 + k) * 2],
          ai = a[(i * 2 + k) * 2 + 1];
        const br = b[(k * 2 + j) * 2],
          bi = b[(k * 2 + j) * 2 + 1];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      r[(i * 2 + j) * 2] = re;
      r[(i * 2 + j) * 2 + 1] = im;
    }
  }
  return r;
}

export function isDiagonal(a: Mat2): boolean {
  return a[2] === 0 && a[3] === 0 && a[4] === 0 && a[5] === 0;
}

/** Pure X (possibly with no phases): a swap of the two amplitudes. */
export function isPauliX(a: Mat2): boolean {
  return (
    a[0] === 0 &&
    a[1] === 0 &&
    a[6] === 0 &&
    a[7] === 0 &&
    a[2] === 1 &&
    a[3] === 0 &&
    a[4] === 1 &&
    a[5] === 0
  );
}
