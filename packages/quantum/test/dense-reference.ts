/**
 * An independent, deliberately slow reference: every gate becomes a full 2^n x 2^n matrix built from
 * Kronecker products of textbook 2x2 matrices, multiplied into a dense state vector. Shares no code with src/.
 */

export type C = [number, number];
export type M = C[][]; // square complex matrix

const c = (re: number, im = 0): C => [re, im];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cadd = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const expi = (t: number): C => [Math.cos(t), Math.sin(t)];

export const I2: M = [
  [c(1), c(0)],
  [c(0), c(1)],
];
export const X: M = [
  [c(0), c(1)],
  [c(1), c(0)],
];
export const Y: M = [
  [c(0), c(0, -1)],
  [c(0, 1), c(0)],
];
export const Z: M = [
  [c(1), c(0)],
  [c(0), c(-1)],
];
const P1: M = [
  [c(0), c(0)],
  [c(0), c(1)],
];

export function kron(a: M, b: M): M {
  const n = a.length,
    m = b.length;
  const out: M = Array.from({ length: n * m }, () => Array.from({ length: n * m }, () => c(0)));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < m; k++)
        for (let l = 0; l < m; l++) out[i * m + k][j * m + l] = cmul(a[i][j], b[k][l]);
  return out;
}

export function matmul(a: M, b: M): M {
  const n = a.length;
  const out: M = Array.from({ length: n }, () => Array.from({ length: n }, () => c(0)));
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++)
      if (a[i][k][0] !== 0 || a[i][k][1] !== 0)
        for (let j = 0; j < n; j++) out[i][j] = cadd(out[i][j], cmul(a[i][k], b[k][j]));
  return out;
}

export function dagger(a: M): M {
  return a.map((row, i) => row.map((_, j) => [a[j][i][0], -a[j][i][1]] as C));
}

export function add(a: M, b: M, sb = 1): M {
  return a.map((row, i) => row.map((v, j) => [v[0] + sb * b[i][j][0], v[1] + sb * b[i][j][1]] as C));
}

export function scale(a: M, s: C): M {
  return a.map((row) => row.map((v) => cmul(v, s)));
}

export function identity(dim: number): M {
  return Array.from({ length: dim }, (_, i) => Array.from({ length: dim }, (_, j) => c(i === j ? 1 : 0)));
}

/** Operator with `ops[q]` on qubit q (identity elsewhere); qubit 0 is the least significant index bit. */
export function onQubits(n: number, ops: Map<number, M>): M {
  let out: M = [[c(1)]];
  for (let q = n - 1; q >= 0; q--) out = kron(out, ops.get(q) ?? I2);
  return out;
}

export function gate2(name: string, p: number[]): M {
  const h = Math.SQRT1_2;
  switch (name) {
    case 'x':
      return X;
    case 'y':
      return Y;
    case 'z':
      return Z;
    case 'h':
      return [
        [c(h), c(h)],
        [c(h), c(-h)],
      ];
    case 's':
      return [
        [c(1), c(0)],
        [c(0), c(0, 1)],
      ];
    case 'sdg':
      return [
        [c(1), c(0)],
        [c(0), c(0, -1)],
      ];
    case 't':
      return [
        [c(1), c(0)],
        [c(0), expi(Math.PI / 4)],
      ];
    case 'tdg':
      return [
        [c(1), c(0)],
        [c(0), expi(-Math.PI / 4)],
      ];
    // rotations as exp(−iθσ/2) = cos(θ/2)·I − i·sin(θ/2)·σ
    case 'rx':
      return add(scale(I2, c(Math.cos(p[0] / 2))), scale(X, c(0, -Math.sin(p[0] / 2))));
    case 'ry':
      return add(scale(I2, c(Math.cos(p[0] / 2))), scale(Y, c(0, -Math.sin(p[0] / 2))));
    case 'rz':
      return add(scale(I2, c(Math.cos(p[0] / 2))), scale(Z, c(0, -Math.sin(p[0] / 2))));
    case 'r1':
      return [
        [c(1), c(0)],
        [c(0), expi(p[0])],
      ];
    case 'u3': {
      // u3(θ,φ,λ) = rz(φ)·ry(θ)·rz(λ) up to the global phase e^{i(φ+λ)/2}
      const m = matmul(gate2('rz', [p[1]]), matmul(gate2('ry', [p[0]]), gate2('rz', [p[2]])));
      return scale(m, expi((p[1] + p[2]) / 2));
    }
    default:
      throw new Error(`reference has no gate ${name}`);
  }
}

export interface RefGate {
  name: string; // gate name, 'swap' or 'pauli'
  targets: number[];
  controls: number[];
  params: number[];
  adjoint: boolean;
  word?: string;
}

/** Full unitary of one (controlled) gate. */
export function fullUnitary(n: number, g: RefGate): M {
  let U: M;
  if (g.name === 'swap') {
    const [a, b] = g.targets;
    U = identity(2 ** n);
    U = scale(onQubits(n, new Map()), c(0.5));
    for (const P of [X, Y, Z])
      U = add(
        U,
        scale(
          onQubits(
            n,
            new Map([
              [a, P],
              [b, P],
            ]),
          ),
          c(0.5),
        ),
      );
  } else if (g.name === 'pauli') {
    const letters: Record<string, M> = { I: I2, X, Y, Z };
    const P = onQubits(n, new Map(g.targets.map((q, i) => [q, letters[(g.word as string)[i]]])));
    U = add(scale(identity(2 ** n), c(Math.cos(g.params[0]))), scale(P, c(0, Math.sin(g.params[0]))));
  } else {
    U = onQubits(n, new Map([[g.targets[0], gate2(g.name, g.params)]]));
  }
  if (g.adjoint) U = dagger(U);
  if (g.controls.length === 0) return U;
  const proj = onQubits(n, new Map(g.controls.map((q) => [q, P1])));
  // I − Π + Π·U   (Π commutes with U: disjoint qubits)
  return add(add(identity(2 ** n), proj, -1), matmul(proj, U));
}

export function applyMatrix(U: M, v: C[]): C[] {
  return U.map((row) => row.reduce((acc, u, j) => cadd(acc, cmul(u, v[j])), c(0)));
}

export function simulate(n: number, gates: RefGate[]): C[] {
  let v: C[] = Array.from({ length: 2 ** n }, (_, i) => c(i === 0 ? 1 : 0));
  for (const g of gates) v = applyMatrix(fullUnitary(n, g), v);
  return v;
}
