import type { BGate } from './circuits.js';

/**
 * The baseline: a plain typed-array state-vector simulator, one gate per pass over the whole state. Every
 * gate is a (controlled) 2x2 complex matrix applied to each amplitude pair; swap is three CNOTs. Interleaved
 * complex128 in one Float64Array. This is what a straightforward simulator looks like, and what fusion and
 * the specialised kernels are measured against.
 *
 * `into`: a state array to reuse (zeroed here), as the engine reuses its memory from one state to the next; a
 * fresh 16 MiB costs ~60 ms of first-touch page faults on this VM, more than the engine's whole QFT at 20 qubits.
 */
export function plainSimulate(n: number, gates: BGate[], into?: Float64Array): Float64Array {
  const dim = 2 ** n;
  if (into && into.length !== 2 * dim)
    throw new RangeError(`plainSimulate: a ${n}-qubit state needs ${2 * dim} doubles, got ${into.length}`);
  const s = into ? into.fill(0) : new Float64Array(2 * dim);
  s[0] = 1;
  const apply = (t: number, cmask: number, m: number[]) => {
    const bit = 2 ** t;
    for (let i = 0; i < dim; i++) {
      if ((i & bit) !== 0 || (i & cmask) !== cmask) continue;
      const j = i + bit;
      const ar = s[2 * i],
        ai = s[2 * i + 1],
        br = s[2 * j],
        bi = s[2 * j + 1];
      s[2 * i] = m[0] * ar - m[1] * ai + m[2] * br - m[3] * bi;
      s[2 * i + 1] = m[0] * ai + m[1] * ar + m[2] * bi + m[3] * br;
      s[2 * j] = m[4] * ar - m[5] * ai + m[6] * br - m[7] * bi;
      s[2 * j + 1] = m[4] * ai + m[5] * ar + m[6] * bi + m[7] * br;
    }
  };
  const H = Math.SQRT1_2;
  for (const g of gates) {
    const c = g.theta ?? 0;
    const co = Math.cos(c / 2),
      si = Math.sin(c / 2);
    switch (g.name) {
      case 'h':
        apply(g.q[0], 0, [H, 0, H, 0, H, 0, -H, 0]);
        break;
      case 'x':
        apply(g.q[0], 0, [0, 0, 1, 0, 1, 0, 0, 0]);
        break;
      case 'rx':
        apply(g.q[0], 0, [co, 0, 0, -si, 0, -si, co, 0]);
        break;
      case 'ry':
        apply(g.q[0], 0, [co, 0, -si, 0, si, 0, co, 0]);
        break;
      case 'rz':
        apply(g.q[0], 0, [co, -si, 0, 0, 0, 0, co, si]);
        break;
      case 'cx':
        apply(g.q[1], 2 ** g.q[0], [0, 0, 1, 0, 1, 0, 0, 0]);
        break;
      case 'cr1':
        apply(g.q[1], 2 ** g.q[0], [1, 0, 0, 0, 0, 0, Math.cos(c), Math.sin(c)]);
        break;
      case 'swap': {
        const [a, b] = g.q;
        const X = [0, 0, 1, 0, 1, 0, 0, 0];
        apply(b, 2 ** a, X);
        apply(a, 2 ** b, X);
        apply(b, 2 ** a, X);
        break;
      }
    }
  }
  return s;
}
