import type { Circuit, GateOp } from '../ir/circuit.js';
import { applyGates, type EngineOptions, sampleIndices } from '../sim/engine.js';
import { pauliExpectations } from '../sim/expectation.js';
import { lowerGate } from '../sim/lowered.js';
import { allocateState, cloneState, getPlatform, releaseState, type StateVector } from '../sim/state.js';
import { popcount, type SpinOperator, type SpinTerm } from '../spin/operator.js';
import { Rng } from '../util/rng.js';
import { SampleResult } from './sample-result.js';

export interface TermValue {
  /** The Pauli word, e.g. "X0 Z3" ("I" for identity). */
  term: string;
  coefficient: { re: number; im: number };
  /** ⟨P⟩ (exact, or estimated from shots). */
  value: number;
}

export class ObserveResult {
  constructor(
    readonly terms: TermValue[],
    readonly shots: number | undefined,
    private readonly groupCounts: Map<string, SampleResult> = new Map(),
  ) {}

  /** Σ Re(c_k)·⟨P_k⟩, or ⟨P⟩ of one term when given. */
  expectation(term?: SpinOperator | string): number {
    if (term === undefined) {
      let e = 0;
      for (const t of this.terms) e += t.coefficient.re * t.value;
      return e;
    }
    const word = typeof term === 'string' ? term : [...term][0].toString();
    const t = this.terms.find((v) => v.term === word);
    if (!t) throw new Error(`term '${word}' is not in the observed operator`);
    return t.value;
  }

  /** Measurement counts behind one term's estimate (sampled observe only). */
  counts(term: string): SampleResult {
    const c = this.groupCounts.get(term);
    if (!c)
      throw new Error(
        this.shots === undefined
          ? 'counts exist only for observe with shots'
          : `no counts for term '${term}'`,
      );
    return c;
  }
}

export function checkObservable(circuit: Circuit, H: SpinOperator): void {
  if (circuit.ops.some((o) => o.type === 'measure' || o.type === 'reset' || o.type === 'cond')) {
    throw new Error(
      'observe: the kernel must not measure, reset or branch on measurements; observe measures the operator itself',
    );
  }
  if (H.numQubits > circuit.numQubits) {
    throw new RangeError(
      `observe: the operator acts on ${H.numQubits} qubits but the kernel allocates ${circuit.numQubits}`,
    );
  }
}

export function prepareState(circuit: Circuit, engine: EngineOptions): StateVector {
  const state = allocateState(
    circuit.numQubits,
    engine.precision ?? 'complex128',
    engine.maxMemoryBytes,
    engine.simd !== false,
  );
  applyGates(
    state,
    circuit.ops.map((o) => lowerGate(o as GateOp, circuit.numQubits)),
    engine,
  );
  return state;
}

export function packTerms(terms: SpinTerm[]): Int32Array {
  const out = new Int32Array(terms.length * 3);
  terms.forEach((t, i) => {
    out[3 * i] = Number(t.x);
    out[3 * i + 1] = Number(t.z);
    out[3 * i + 2] = popcount(t.x & t.z) & 3;
  });
  return out;
}

export type ExpectationFn = (state: StateVector, packed: Int32Array) => Float64Array;

/** Exact ⟨P_k⟩ of every term from one prepared state, on the platform's threads when the state is large. */
export function defaultExpectations(state: StateVector, packed: Int32Array, threads = true): Float64Array {
  const par = getPlatform().parallel;
  const shared = typeof SharedArrayBuffer !== 'undefined' && state.re.buffer instanceof SharedArrayBuffer;
  if (threads && par && shared && state.n >= par.minQubits && packed.length / 3 > 1)
    return par.pauliExpectations(state, packed);
  return pauliExpectations(state.re, state.im, state.n, packed);
}

export function observeExact(
  state: StateVector,
  H: SpinOperator,
  expectations: ExpectationFn,
): ObserveResult {
  const terms = H.rawTerms();
  const values = expectations(state, packTerms(terms));
  return new ObserveResult(
    terms.map((t, i) => ({ term: termName(t), coefficient: { re: t.re, im: t.im }, value: values[i] })),
    undefined,
  );
}

function termName(t: SpinTerm): string {
  const parts: string[] = [];
  const hi = (t.x | t.z).toString(2).length;
  for (let k = 0; k < hi; k++) {
    const b = 1n << BigInt(k);
    const xb = (t.x & b) !== 0n,
      zb = (t.z & b) !== 0n;
    if (xb || zb) parts.push(`${xb ? (zb ? 'Y' : 'X') : 'Z'}${k}`);
  }
  return parts.length ? parts.join(' ') : 'I';
}

/**
 * Qubit-wise commuting groups: a term joins the first group whose letter on each qubit is I or equal to its
 * own, so every group is measured with one basis rotation and one batch of shots.
 */
export function groupQubitWise(terms: SpinTerm[]): Array<{ x: bigint; z: bigint; members: number[] }> {
  const groups: Array<{ x: bigint; z: bigint; members: number[] }> = [];
  terms.forEach((t, i) => {
    if (t.x === 0n && t.z === 0n) return;
    const support = t.x | t.z;
    for (const g of groups) {
      const gs = g.x | g.z;
      const overlap = support & gs;
      if ((t.x & overlap) === (g.x & overlap) && (t.z & overlap) === (g.z & overlap)) {
        g.x |= t.x;
        g.z |= t.z;
        g.members.push(i);
        return;
      }
    }
    groups.push({ x: t.x, z: t.z, members: [i] });
  });
  return groups;
}

export function observeSampled(
  state: StateVector,
  H: SpinOperator,
  shots: number,
  seed: number | undefined,
  engine: EngineOptions,
): ObserveResult {
  const terms = H.rawTerms();
  const rng = new Rng(seed);
  const values = new Float64Array(terms.length);
  const groupCounts = new Map<string, SampleResult>();
  terms.forEach((t, i) => {
    if (t.x === 0n && t.z === 0n) values[i] = 1;
  });
  for (const g of groupQubitWise(terms)) {
    const s = cloneState(state);
    const rot: GateOp[] = [];
    for (let q = 0; q < s.n; q++) {
      const b = 1n << BigInt(q);
      const xb = (g.x & b) !== 0n,
        zb = (g.z & b) !== 0n;
      if (xb && zb) rot.push(gate('sdg', q));
      if (xb) rot.push(gate('h', q));
    }
    applyGates(
      s,
      rot.map((o) => lowerGate(o, s.n)),
      engine,
    );
    const counts = sampleIndices(s, shots, rng);
    releaseState(s);
    for (const i of g.members) {
      const support = Number(terms[i].x | terms[i].z);
      let acc = 0;
      const bitsCounts = new Map<string, number>();
      for (const [idx, c] of counts) {
        acc += popcount(BigInt(idx & support)) & 1 ? -c : c;
        let bits = '';
        for (let q = 0; q < s.n; q++) if ((support >>> q) & 1) bits += (idx >>> q) & 1 ? '1' : '0';
        bitsCounts.set(bits, (bitsCounts.get(bits) ?? 0) + c);
      }
      values[i] = acc / shots;
      groupCounts.set(termName(terms[i]), new SampleResult(bitsCounts));
    }
  }
  return new ObserveResult(
    terms.map((t, i) => ({ term: termName(t), coefficient: { re: t.re, im: t.im }, value: values[i] })),
    shots,
    groupCounts,
  );
}

function gate(name: 'h' | 'sdg', q: number): GateOp {
  return { type: 'gate', name, targets: [q], controls: [], params: [], adjoint: false };
}
