/**
 * A second independent reference, for sizes the Kronecker one (dense-reference.ts) cannot reach: each gate's
 * textbook 2x2 (from dense-reference's gate2) applied directly to the amplitude pairs, one gate at a time.
 * Shares no code with src/; the simd tests check it against the Kronecker reference on small circuits.
 */
import { type C, gate2, type RefGate } from './dense-reference.js';

export interface Amplitudes {
  re: Float64Array;
  im: Float64Array;
}

export function simulateDirect(n: number, gates: RefGate[]): Amplitudes {
  const N = 2 ** n;
  const s: Amplitudes = { re: new Float64Array(N), im: new Float64Array(N) };
  s.re[0] = 1;
  for (const g of gates) {
    const cm = g.controls.reduce((m, q) => m | (1 << q), 0);
    if (g.name === 'swap') swap(s, g.targets[0], g.targets[1], cm);
    else if (g.name === 'pauli') pauliExp(s, g);
    else apply2(s, g.targets[0], cm, matrixOf(g));
  }
  return s;
}

function matrixOf(g: RefGate): C[][] {
  const m = gate2(g.name, g.params);
  // adjoint: conjugate transpose
  return g.adjoint
    ? [
        [
          [m[0][0][0], -m[0][0][1]],
          [m[1][0][0], -m[1][0][1]],
        ],
        [
          [m[0][1][0], -m[0][1][1]],
          [m[1][1][0], -m[1][1][1]],
        ],
      ]
    : m;
}

function apply2(s: Amplitudes, t: number, cm: number, m: C[][]): void {
  const bit = 1 << t;
  for (let i = 0; i < s.re.length; i++) {
    if (i & bit || (i & cm) !== cm) continue;
    const j = i | bit;
    const x: C = [s.re[i], s.im[i]],
      y: C = [s.re[j], s.im[j]];
    const out = [0, 1].map((r) => {
      const a = m[r][0],
        b = m[r][1];
      return [
        a[0] * x[0] - a[1] * x[1] + b[0] * y[0] - b[1] * y[1],
        a[0] * x[1] + a[1] * x[0] + b[0] * y[1] + b[1] * y[0],
      ];
    });
    [s.re[i], s.im[i]] = out[0];
    [s.re[j], s.im[j]] = out[1];
  }
}

function swap(s: Amplitudes, a: number, b: number, cm: number): void {
  for (let i = 0; i < s.re.length; i++) {
    if (!((i >> a) & 1) || (i >> b) & 1 || (i & cm) !== cm) continue;
    const j = (i & ~(1 << a)) | (1 << b);
    [s.re[i], s.re[j]] = [s.re[j], s.re[i]];
    [s.im[i], s.im[j]] = [s.im[j], s.im[i]];
  }
}

/** exp(iθP) = cos θ·ψ + i sin θ·Pψ, with Pψ built letter by letter (Y|0⟩ = i|1⟩, Y|1⟩ = −i|0⟩). */
function pauliExp(s: Amplitudes, g: RefGate): void {
  const N = s.re.length;
  let pr = Float64Array.from(s.re),
    pi = Float64Array.from(s.im);
  (g.word as string).split('').forEach((p, k) => {
    if (p === 'I') return;
    const q = g.targets[k];
    const nr = new Float64Array(N),
      ni = new Float64Array(N);
    for (let j = 0; j < N; j++) {
      const bit = (j >> q) & 1;
      const to = p === 'Z' ? j : j ^ (1 << q);
      if (p === 'Z') {
        nr[to] = bit ? -pr[j] : pr[j];
        ni[to] = bit ? -pi[j] : pi[j];
      } else if (p === 'X') {
        nr[to] = pr[j];
        ni[to] = pi[j];
      } else {
        const sg = bit ? -1 : 1;
        nr[to] = -sg * pi[j];
        ni[to] = sg * pr[j];
      }
    }
    pr = nr;
    pi = ni;
  });
  const c = Math.cos(g.params[0]),
    sn = Math.sin(g.params[0]);
  for (let j = 0; j < N; j++) {
    const r = s.re[j],
      i = s.im[j];
    s.re[j] = c * r - sn * pi[j];
    s.im[j] = c * i + sn * pr[j];
  }
}
