import type { Circuit, GateOp, Op, PauliExpOp } from '../ir/circuit.js';
import type { Kernel } from '../kernel/kernel.js';

const fmt = (v: number) => {
  if (v === 0) return '0';
  for (const [den, name] of [
    [1, 'pi'],
    [2, 'pi/2'],
    [4, 'pi/4'],
    [8, 'pi/8'],
  ] as const) {
    if (Math.abs(Math.abs(v) - Math.PI / den) < 1e-15) return v < 0 ? `-${name}` : name;
  }
  return String(v);
};

const SELF_INVERSE = new Set(['x', 'y', 'z', 'h', 'swap']);
const INVERSE_NAME: Record<string, string> = { s: 'sdg', sdg: 's', t: 'tdg', tdg: 't' };

/** Name and parameters of the uncontrolled gate, with adjoint folded in. */
function baseGate(op: GateOp): { name: string; params: number[] } {
  const p = op.params;
  let name: string = op.name;
  let params = p.slice();
  if (op.adjoint) {
    if (INVERSE_NAME[name]) name = INVERSE_NAME[name];
    else if (name === 'u3') params = [-p[0], -p[2], -p[1]];
    else if (!SELF_INVERSE.has(name)) params = p.map((v) => -v);
  }
  if (name === 'r1') name = 'u1';
  return { name, params };
}

const ONE_CONTROL: Record<string, string> = {
  x: 'cx',
  y: 'cy',
  z: 'cz',
  h: 'ch',
  rx: 'crx',
  ry: 'cry',
  rz: 'crz',
  u1: 'cu1',
  u3: 'cu3',
  swap: 'cswap',
};

function gateLines(op: GateOp, q: (i: number) => string): string[] {
  let { name, params } = baseGate(op);
  const nc = op.controls.length;
  if (nc > 0 && (name === 's' || name === 'sdg' || name === 't' || name === 'tdg')) {
    params = [
      name === 's' ? Math.PI / 2 : name === 'sdg' ? -Math.PI / 2 : name === 't' ? Math.PI / 4 : -Math.PI / 4,
    ];
    name = 'u1';
  }
  let qname = name;
  if (nc === 1) {
    qname = ONE_CONTROL[name];
  } else if (nc === 2 && name === 'x') {
    qname = 'ccx';
  } else if (nc > 0) {
    throw new Error(
      `OpenQASM 2.0 export: qelib1.inc has no ${nc}-controlled ${name}; decompose it first or use at most one control (two for x)`,
    );
  }
  if (!qname) throw new Error(`OpenQASM 2.0 export: no controlled form of ${name} in qelib1.inc`);
  const ps = params.length ? `(${params.map(fmt).join(',')})` : '';
  return [`${qname}${ps} ${[...op.controls, ...op.targets].map(q).join(',')};`];
}

/** exp(iθP) as basis changes, a CNOT ladder and rz(−2θ). */
function pauliLines(op: PauliExpOp, q: (i: number) => string): string[] {
  if (op.controls.length) throw new Error('OpenQASM 2.0 export: controlled expPauli is not supported');
  const act = op.targets.map((t, i) => [t, op.word[i]] as const).filter(([, p]) => p !== 'I');
  if (act.length === 0) return [];
  const pre: string[] = [],
    post: string[] = [];
  for (const [t, p] of act) {
    if (p === 'X') {
      pre.push(`h ${q(t)};`);
      post.unshift(`h ${q(t)};`);
    } else if (p === 'Y') {
      pre.push(`rx(pi/2) ${q(t)};`);
      post.unshift(`rx(-pi/2) ${q(t)};`);
    }
  }
  const ladder: string[] = [];
  for (let i = 0; i + 1 < act.length; i++) ladder.push(`cx ${q(act[i][0])},${q(act[i + 1][0])};`);
  const last = act[act.length - 1][0];
  return [...pre, ...ladder, `rz(${fmt(-2 * op.theta)}) ${q(last)};`, ...ladder.slice().reverse(), ...post];
}

/** OpenQASM 2.0 text for a circuit (or a kernel with its arguments). */
export function toQasm(circuit: Circuit): string {
  const q = (i: number) => `q[${i}]`;
  // registers: one creg per named register; measurements a conditional reads get a 1-bit creg of their own
  const condIds = new Set<number>();
  const walk = (ops: Op[]) => {
    for (const op of ops)
      if (op.type === 'cond') {
        condIds.add(op.measureId);
        walk(op.ops);
      }
  };
  walk(circuit.ops);
  const slots = new Map<number, string>();
  const sizes = new Map<string, number>();
  const assign = (ops: Op[]) => {
    for (const op of ops) {
      if (op.type === 'measure') {
        const reg = condIds.has(op.id) ? `m${op.id}` : op.register === '__global__' ? 'c' : op.register;
        const idx = sizes.get(reg) ?? 0;
        sizes.set(reg, idx + 1);
        slots.set(op.id, `${reg}[${idx}]`);
      } else if (op.type === 'cond') assign(op.ops);
    }
  };
  assign(circuit.ops);
  const lines = ['OPENQASM 2.0;', 'include "qelib1.inc";', `qreg q[${circuit.numQubits}];`];
  for (const [reg, size] of sizes) lines.push(`creg ${reg}[${size}];`);
  const emit = (ops: Op[], prefix: string) => {
    for (const op of ops) {
      if (op.type === 'gate') lines.push(...gateLines(op, q).map((l) => prefix + l));
      else if (op.type === 'pauli') lines.push(...pauliLines(op, q).map((l) => prefix + l));
      else if (op.type === 'reset') {
        if (prefix) throw new Error('OpenQASM 2.0 export: reset inside a conditional is not supported');
        lines.push(`reset ${q(op.qubit)};`);
      } else if (op.type === 'measure') {
        if (prefix) throw new Error('OpenQASM 2.0 export: measurement inside a conditional is not supported');
        const t = q(op.qubit);
        if (op.basis === 'x') lines.push(`h ${t};`);
        if (op.basis === 'y') lines.push(`sdg ${t};`, `h ${t};`);
        lines.push(`measure ${t} -> ${slots.get(op.id)};`);
        if (op.basis === 'x') lines.push(`h ${t};`);
        if (op.basis === 'y') lines.push(`h ${t};`, `s ${t};`);
      } else {
        if (prefix) throw new Error('OpenQASM 2.0 export: nested conditionals are not supported');
        emit(op.ops, `if(m${op.measureId}==1) `);
      }
    }
  };
  emit(circuit.ops, '');
  return `${lines.join('\n')}\n`;
}

export function kernelToQasm<A extends unknown[]>(kernel: Kernel<A>, ...args: A): string {
  return toQasm(kernel.toCircuit(...args));
}
