/**
 * The circuit IR: a flat list of operations on numbered qubits, with every parameter already a number.
 * Kernels (the builder) lower to this; passes rewrite it; backends execute it. Nothing here knows how a
 * state is stored.
 */

export type GateName =
  | 'x'
  | 'y'
  | 'z'
  | 'h'
  | 's'
  | 't'
  | 'sdg'
  | 'tdg'
  | 'rx'
  | 'ry'
  | 'rz'
  | 'r1'
  | 'u3'
  | 'swap';

export interface GateOp {
  type: 'gate';
  name: GateName;
  /** One target for every gate except swap (two). */
  targets: number[];
  controls: number[];
  params: number[];
  adjoint: boolean;
}

/** exp(i·theta·P) for the Pauli word P acting on `targets` (word[k] acts on targets[k]), as in CUDA-Q's exp_pauli. */
export interface PauliExpOp {
  type: 'pauli';
  theta: number;
  targets: number[];
  word: string;
  controls: number[];
}

export type Basis = 'z' | 'x' | 'y';

export interface MeasureOp {
  type: 'measure';
  basis: Basis;
  qubit: number;
  register: string;
  /** Unique within a circuit; conditionals refer to it. */
  id: number;
}

export interface ResetOp {
  type: 'reset';
  qubit: number;
}

/** Runs `ops` when the measurement `measureId` gave 1 in this shot. */
export interface CondOp {
  type: 'cond';
  measureId: number;
  ops: Op[];
}

export type Op = GateOp | PauliExpOp | MeasureOp | ResetOp | CondOp;

export interface Circuit {
  numQubits: number;
  ops: Op[];
}

export const GATE_ARITY: Record<GateName, { targets: number; params: number }> = {
  x: { targets: 1, params: 0 },
  y: { targets: 1, params: 0 },
  z: { targets: 1, params: 0 },
  h: { targets: 1, params: 0 },
  s: { targets: 1, params: 0 },
  t: { targets: 1, params: 0 },
  sdg: { targets: 1, params: 0 },
  tdg: { targets: 1, params: 0 },
  rx: { targets: 1, params: 1 },
  ry: { targets: 1, params: 1 },
  rz: { targets: 1, params: 1 },
  r1: { targets: 1, params: 1 },
  u3: { targets: 1, params: 3 },
  swap: { targets: 2, params: 0 },
};

export function isGateName(name: string): name is GateName {
  return Object.hasOwn(GATE_ARITY, name);
}

/** Checks qubit indices of one operation: in range, integers, and no qubit used twice. */
export function checkQubits(what: string, qubits: number[], numQubits: number): void {
  const seen = new Set<number>();
  for (const q of qubits) {
    if (!Number.isInteger(q) || q < 0 || q >= numQubits) {
      throw new RangeError(
        `${what}: qubit index ${q} is out of range; this circuit has qubits 0..${numQubits - 1}`,
      );
    }
    if (seen.has(q)) {
      throw new Error(
        `${what}: qubit ${q} is used more than once in one operation; each target and control must be a distinct qubit`,
      );
    }
    seen.add(q);
  }
}

export function opQubits(op: GateOp | PauliExpOp): number[] {
  return [...op.targets, ...op.controls];
}

/** True when no gate, reset or conditional follows any measurement: the state can be sampled once. */
export function measurementsAreTerminal(ops: Op[]): boolean {
  let measured = false;
  for (const op of ops) {
    if (op.type === 'measure') measured = true;
    else if (measured || op.type === 'reset' || op.type === 'cond') return false;
  }
  return true;
}

export function countGates(ops: Op[]): number {
  let n = 0;
  for (const op of ops)
    n += op.type === 'cond' ? countGates(op.ops) : op.type === 'gate' || op.type === 'pauli' ? 1 : 0;
  return n;
}
