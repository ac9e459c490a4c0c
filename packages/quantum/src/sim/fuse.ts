import { isDiagonal, isPauliX, type Mat2, mul2 } from '../ir/gates.js';
import { applyProgram } from './kernels.js';
import { isIdentity, type LOp, lopQubits } from './lowered.js';
import { encodeOps } from './segments.js';

interface Block {
  qs: number[];
  ops: LOp[];
  alive: boolean;
  standalone: boolean;
  /** For a single-qubit block: the pair block open on its qubit when it started (a fallback home). */
  prev?: Block;
}

/**
 * Gate fusion. Gates on at most two qubits are gathered into blocks per qubit pair (moving a gate earlier only
 * past gates on other qubits, so the product is unchanged); a block becomes one 2x2 or one dense 4x4 matrix.
 * A dense 4x4 pass costs about as much as 1.5 single-gate passes but replaces 3–5 of them in typical layered
 * circuits. Gates on three or more qubits and Pauli exponentials stay as they are.
 */
export function fuseGates(ops: LOp[], costs: PassCosts = JS_COSTS): LOp[] {
  const seq: Block[] = [];
  const open = new Map<number, Block>();
  for (const op of ops) {
    const qs = lopQubits(op);
    if (op.k === 'pe' || op.k === 'pf' || qs.length > 2) {
      seq.push({ qs, ops: [op], alive: true, standalone: true });
      for (const q of qs) open.delete(q);
      continue;
    }
    if (qs.length === 1) {
      const b = open.get(qs[0]);
      if (b && b.qs.length === 1) b.ops.push(op);
      else {
        // kept apart from an open pair block so that it can join the next pair gate on this qubit
        const nb: Block = { qs, ops: [op], alive: true, standalone: false, prev: b };
        seq.push(nb);
        open.set(qs[0], nb);
      }
      continue;
    }
    const [x, y] = qs;
    const bx = open.get(x),
      by = open.get(y);
    if (bx && bx === by) {
      bx.ops.push(op);
      continue;
    }
    const pair = x < y ? [x, y] : [y, x];
    // single-qubit open blocks have nothing after them on their qubit, so they move into the new block
    const absorbed: LOp[] = [];
    for (const ob of [bx, by]) {
      if (ob && ob.qs.length === 1) {
        absorbed.push(...ob.ops);
        ob.alive = false;
      }
    }
    const nb: Block = { qs: pair, ops: [...absorbed, op], alive: true, standalone: false };
    seq.push(nb);
    open.set(x, nb);
    open.set(y, nb);
  }
  // single-qubit blocks that never joined a pair fold back into the pair block before them
  for (const b of seq) {
    if (b.alive && b.qs.length === 1 && b.prev?.alive) {
      b.prev.ops.push(...b.ops);
      b.alive = false;
    }
  }
  const out: LOp[] = [];
  for (const b of seq) {
    if (!b.alive) continue;
    if (b.standalone || b.ops.length === 1) out.push(...b.ops);
    else if (b.qs.length === 1) out.push(fuseSingle(b.ops));
    else out.push(...cheapestForm(b.qs[0], b.qs[1], b.ops, costs));
  }
  return out;
}

/** A pair block as separate passes, as one chosen-by-control 2x2 (mux), or as one dense 4x4: the cheapest. */
function cheapestForm(a: number, b: number, ops: LOp[], costs: PassCosts): LOp[] {
  const merged = mergeSingleRuns(ops);
  const forms: LOp[][] = [merged];
  for (const [t, c] of [
    [a, b],
    [b, a],
  ]) {
    const m = muxForm(merged, t, c);
    if (m) forms.push(m);
  }
  let best = merged;
  let bestCost = passCost(merged, costs);
  for (const f of forms) {
    const cost = passCost(f, costs);
    if (cost < bestCost) [best, bestCost] = [f, cost];
  }
  return bestCost > costs.d2 ? [blockMatrix(a, b, ops)] : best;
}

/**
 * The block as gates on c alone followed by one mux on t, when c is only ever a control of t's gates and its
 * own gates all come before the first controlled one (gates on c alone commute with uncontrolled gates on t).
 * A rotation followed by a CX on its qubit becomes one pass: m0 = R, m1 = X·R.
 */
function muxForm(ops: LOp[], t: number, c: number): LOp[] | null {
  let m0: Mat2 = IDENTITY,
    m1: Mat2 = IDENTITY;
  const pre: LOp[] = [];
  let controlled = false;
  for (const op of ops) {
    if (op.k !== 'm') return null;
    if (op.t === t && op.c.length === 0) {
      m0 = mul2(op.mat, m0);
      m1 = mul2(op.mat, m1);
    } else if (op.t === t && op.c.length === 1 && op.c[0] === c) {
      m1 = mul2(op.mat, m1);
      controlled = true;
    } else if (op.t === c && op.c.length === 0 && !controlled) pre.push(op);
    else return null;
  }
  // with nothing uncontrolled on t it is a plain controlled gate already
  if (!controlled || isIdentity(m0)) return null;
  return [...pre, { k: 'mx', t, c, m0, m1 }];
}

const IDENTITY: Mat2 = Float64Array.from([1, 0, 0, 0, 0, 0, 1, 0]);

/**
 * Measured cost of one pass, in ns per amplitude on the development machine (bench/kernel-costs.ts, 2^14
 * amplitudes): fusion picks the cheapest form of each pair block by these.
 */
export interface PassCosts {
  /** dense 4x4 */
  d2: number;
  /** X, controlled or not */
  x: number;
  diag: number;
  /** 2x2 whose entries are each real or imaginary (rx, ry, h) */
  twoTerm: number;
  dense: number;
  swap: number;
  /** 2x2 chosen by a control bit (rotation + CX fused) */
  mux: number;
}
/** The JavaScript kernels. */
export const JS_COSTS: PassCosts = {
  d2: 3.1,
  x: 0.95,
  diag: 1.3,
  twoTerm: 1.75,
  dense: 1.75,
  swap: 1.55,
  mux: 4,
};
/**
 * The WebAssembly-SIMD kernels on a cache-resident chunk (gates-wasm.ts; load 2.9): the 4x4 kernel runs out
 * of vector registers, so fusing a pair into it rarely pays there; a rotation fused with its CX costs less
 * than the rotation and the CX apart.
 */
export const WASM_COSTS: PassCosts = {
  d2: 2.25,
  x: 0.2,
  diag: 0.33,
  twoTerm: 0.35,
  dense: 0.58,
  swap: 0.2,
  mux: 0.42,
};

function passCost(ops: LOp[], costs: PassCosts): number {
  let c = 0;
  for (const op of ops) {
    if (op.k === 'sw') c += costs.swap;
    else if (op.k === 'mx') c += costs.mux;
    else if (op.k === 'm')
      c += isPauliX(op.mat)
        ? costs.x
        : isDiagonal(op.mat)
          ? costs.diag
          : isTwoTerm(op.mat)
            ? costs.twoTerm
            : costs.dense;
    else c += costs.d2;
  }
  return c;
}

/** Every entry real or imaginary: each product needs half the multiplies of a complex one. */
function isTwoTerm(a: Mat2): boolean {
  for (let e = 0; e < 4; e++) if (a[2 * e] !== 0 && a[2 * e + 1] !== 0) return false;
  return true;
}

/** Multiplies adjacent uncontrolled single-qubit gates on the same qubit. */
function mergeSingleRuns(ops: LOp[]): LOp[] {
  const out: LOp[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (op.k === 'm' && op.c.length === 0 && last?.k === 'm' && last.c.length === 0 && last.t === op.t) {
      out[out.length - 1] = { k: 'm', t: op.t, c: [], mat: mul2(op.mat, last.mat) };
    } else out.push(op);
  }
  return out;
}

function fuseSingle(ops: LOp[]): LOp {
  let mat = (ops[0] as Extract<LOp, { k: 'm' }>).mat;
  for (let i = 1; i < ops.length; i++) mat = mul2((ops[i] as Extract<LOp, { k: 'm' }>).mat, mat);
  return { k: 'm', t: (ops[0] as Extract<LOp, { k: 'm' }>).t, c: [], mat };
}

/** The block's 4x4 unitary, found by running its gates on the four basis vectors with the same kernels. */
function blockMatrix(a: number, b: number, ops: LOp[]): LOp {
  const prog = encodeOps(
    ops,
    new Map([
      [a, 0],
      [b, 1],
    ]),
  );
  const mat = new Float64Array(32);
  const re = new Float64Array(4),
    im = new Float64Array(4);
  for (let col = 0; col < 4; col++) {
    re.fill(0);
    im.fill(0);
    re[col] = 1;
    applyProgram(re, im, 4, prog);
    for (let row = 0; row < 4; row++) {
      mat[(row * 4 + col) * 2] = re[row];
      mat[(row * 4 + col) * 2 + 1] = im[row];
    }
  }
  return { k: 'd2', a, b, mat };
}

/** Pure phase gate (1 on |0⟩): its angle and the qubits that must all be 1. */
function phaseOf(op: LOp): { angle: number; qubits: number[] } | null {
  if (op.k !== 'm' || op.c.length > 1) return null;
  const a = op.mat;
  if (!isDiagonal(a) || a[0] !== 1 || a[1] !== 0) return null;
  return { angle: Math.atan2(a[7], a[6]), qubits: [op.t, ...op.c] };
}

/**
 * Fuses runs of (controlled) phase gates that share one qubit (QFT's cr1 fans, s/t/z/cz runs) into one pass.
 * Runs of fewer than three gates are left alone.
 */
export function fusePhaseFans(ops: LOp[], maxQubits = Number.POSITIVE_INFINITY): LOp[] {
  const out: LOp[] = [];
  let i = 0;
  while (i < ops.length) {
    const first = phaseOf(ops[i]);
    if (!first) {
      out.push(ops[i++]);
      continue;
    }
    // candidate common qubits: those of the first gate; pick the one that extends the run furthest
    let best: { j: number; end: number } = { j: -1, end: i };
    for (const j of first.qubits) {
      let e = i;
      // a fan stays within maxQubits qubits so that it fits a cache block (QFT's fans span the register)
      const span = new Set([j]);
      while (e < ops.length) {
        const p = phaseOf(ops[e]);
        if (!p?.qubits.includes(j)) break;
        for (const q of p.qubits) span.add(q);
        if (span.size > maxQubits) break;
        e++;
      }
      if (e > best.end) best = { j, end: e };
    }
    if (best.end - i < 3) {
      out.push(ops[i++]);
      continue;
    }
    let self = 0;
    const terms = new Map<number, number>();
    for (let e = i; e < best.end; e++) {
      const p = phaseOf(ops[e]) as { angle: number; qubits: number[] };
      const other = p.qubits.find((q) => q !== best.j);
      if (other === undefined) self += p.angle;
      else terms.set(other, (terms.get(other) ?? 0) + p.angle);
    }
    out.push({ k: 'pf', j: best.j, self, terms: [...terms] });
    i = best.end;
  }
  return out;
}
