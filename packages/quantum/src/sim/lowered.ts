import { type Circuit, checkQubits, type GateOp, type Op, opQubits, type PauliExpOp } from '../ir/circuit.js';
import { gateMatrix, type Mat2, mul2 } from '../ir/gates.js';

/**
 * Gates lowered to what the state-vector kernels execute: a (controlled) 2x2 matrix, a (controlled) swap,
 * or a (controlled) Pauli exponential. Qubit numbers are global.
 */
export type LOp =
  | { k: 'm'; t: number; c: number[]; mat: Mat2 }
  | { k: 'sw'; a: number; b: number; c: number[] }
  | { k: 'pe'; xq: number[]; zq: number[]; ny: number; c: number[]; cos: number; sin: number }
  /** Fused 4x4 on qubits a < b (index bit 0 = a). */
  | { k: 'd2'; a: number; b: number; mat: Float64Array }
  /** Phase e^{i(self + Σ θ_m·bit_m)} on amplitudes with bit j set (fused controlled-phase fan). */
  | { k: 'pf'; j: number; self: number; terms: Array<[number, number]> }
  /** 2x2 on t chosen by qubit c: m0 where c is 0, m1 where it is 1 (a gate fused with a CX-like gate on t). */
  | { k: 'mx'; t: number; c: number; m0: Mat2; m1: Mat2 };

export function lowerGate(op: GateOp | PauliExpOp, numQubits: number): LOp {
  const label = op.type === 'gate' ? op.name : `expPauli(${op.word})`;
  checkQubits(label, opQubits(op), numQubits);
  if (op.type === 'pauli') return lowerPauli(op);
  if (op.name === 'swap') return { k: 'sw', a: op.targets[0], b: op.targets[1], c: op.controls };
  return { k: 'm', t: op.targets[0], c: op.controls, mat: gateMatrix(op.name, op.params, op.adjoint) };
}

function lowerPauli(op: PauliExpOp): LOp {
  const xq: number[] = [];
  const zq: number[] = [];
  let ny = 0;
  for (let i = 0; i < op.word.length; i++) {
    const p = op.word[i];
    const q = op.targets[i];
    if (p === 'X' || p === 'Y') xq.push(q);
    if (p === 'Z' || p === 'Y') zq.push(q);
    if (p === 'Y') ny++;
  }
  return { k: 'pe', xq, zq, ny: ny & 3, c: op.controls, cos: Math.cos(op.theta), sin: Math.sin(op.theta) };
}

export function lopQubits(op: LOp): number[] {
  if (op.k === 'm') return [op.t, ...op.c];
  if (op.k === 'sw') return [op.a, op.b, ...op.c];
  if (op.k === 'd2') return [op.a, op.b];
  if (op.k === 'mx') return [op.t, op.c];
  if (op.k === 'pf') return [op.j, ...op.terms.map((t) => t[0])];
  return [...new Set([...op.xq, ...op.zq, ...op.c])];
}

/**
 * Fusion pass: consecutive uncontrolled single-qubit gates on one qubit become one 2x2 matrix, and a gate
 * followed by its inverse disappears when the product is the identity.
 */
export function fuseSingleQubitRuns(ops: LOp[]): LOp[] {
  const out: (LOp | null)[] = [];
  const pending = new Map<number, number>(); // qubit -> index in out of its open 1q matrix
  for (const op of ops) {
    if (op.k === 'm' && op.c.length === 0) {
      const at = pending.get(op.t);
      if (at !== undefined) {
        const prev = out[at] as Extract<LOp, { k: 'm' }>;
        out[at] = { k: 'm', t: op.t, c: [], mat: mul2(op.mat, prev.mat) };
        continue;
      }
      pending.set(op.t, out.length);
      out.push(op);
      continue;
    }
    for (const q of lopQubits(op)) pending.delete(q);
    out.push(op);
  }
  return out.filter((o): o is LOp => o !== null && !(o.k === 'm' && o.c.length === 0 && isIdentity(o.mat)));
}

export function isIdentity(a: Mat2): boolean {
  const e = 1e-15;
  return (
    Math.abs(a[0] - 1) < e &&
    Math.abs(a[1]) < e &&
    Math.abs(a[2]) < e &&
    Math.abs(a[3]) < e &&
    Math.abs(a[4]) < e &&
    Math.abs(a[5]) < e &&
    Math.abs(a[6] - 1) < e &&
    Math.abs(a[7]) < e
  );
}

/** Splits a circuit into maximal runs of unitary gates separated by measurements, resets and conditionals. */
export function gateRuns(
  circuit: Circuit,
): Array<{ gates: LOp[] } | { op: Exclude<Op, GateOp | PauliExpOp> }> {
  const out: Array<{ gates: LOp[] } | { op: Exclude<Op, GateOp | PauliExpOp> }> = [];
  let run: LOp[] = [];
  for (const op of circuit.ops) {
    if (op.type === 'gate' || op.type === 'pauli') {
      run.push(lowerGate(op, circuit.numQubits));
    } else {
      if (run.length) out.push({ gates: run });
      run = [];
      out.push({ op });
    }
  }
  if (run.length) out.push({ gates: run });
  return out;
}
