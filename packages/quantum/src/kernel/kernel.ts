import { type Basis, type Circuit, checkQubits, type GateName, type Op } from '../ir/circuit.js';
import {
  isQArg,
  MeasureHandle,
  Param,
  type ParamLike,
  ParamList,
  type QArg,
  QubitRef,
  QVector,
  resolveParam,
} from './values.js';

export type ArgType = 'number' | 'int' | 'number[]' | 'qubit' | 'qvector';

export type ArgHandle<T extends ArgType> = T extends 'number' | 'int'
  ? Param
  : T extends 'number[]'
    ? ParamList
    : T extends 'qubit'
      ? QubitRef
      : QVector;
export type ArgValue<T extends ArgType> = T extends 'number' | 'int'
  ? number
  : T extends 'number[]'
    ? number[]
    : T extends 'qubit'
      ? QubitRef
      : QVector;

export interface GateOptions {
  /** Control qubits (any number). */
  controls?: QArg | QArg[];
  adjoint?: boolean;
}

type Instr =
  | { k: 'gate'; name: GateName; targets: QArg[]; controls: QArg[]; params: ParamLike[]; adjoint: boolean }
  | { k: 'pauli'; theta: ParamLike; qubits: QArg[]; word: string }
  | { k: 'measure'; basis: Basis; target: QArg; handle: MeasureHandle }
  | { k: 'reset'; target: QArg }
  | { k: 'cif'; handle: MeasureHandle; body: Instr[] }
  | { k: 'call'; kernel: Kernel<unknown[]>; args: unknown[]; controls: QArg[]; adjoint: boolean };

let kernelCount = 0;

/**
 * A quantum kernel built call by call (CUDA-Q's kernel builder). Building records instructions with symbolic
 * arguments; calling (sample/observe/getState or toCircuit) resolves them into the circuit IR.
 */
export class Kernel<A extends unknown[] = unknown[]> {
  readonly name: string;
  private body: Instr[] = [];
  private allocs: QVector[] = [];
  private measureCount = 0;
  readonly argHandles: unknown[];

  constructor(
    readonly argTypes: readonly ArgType[],
    name?: string,
  ) {
    this.name = name ?? `kernel${++kernelCount}`;
    this.argHandles = argTypes.map((t, i) => {
      switch (t) {
        case 'number':
        case 'int':
          return new Param([{ arg: i, index: null, coef: 1 }]);
        case 'number[]':
          return new ParamList(i);
        case 'qubit':
          return new QVector(this, { kind: 'arg', arg: i, single: true }, `arg${i}`).at(0);
        case 'qvector':
          return new QVector(this, { kind: 'arg', arg: i, single: false }, `arg${i}`);
        default:
          throw new TypeError(
            `unknown kernel argument type '${String(t)}'; use 'number', 'int', 'number[]', 'qubit' or 'qvector'`,
          );
      }
    });
  }

  get arity(): number {
    return this.argTypes.length;
  }

  /** Allocates n fresh qubits in |0⟩ (qalloc(1) still returns a qvector; use q[0]). */
  qalloc(n: number, name?: string): QVector {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`qalloc: number of qubits must be a positive integer, got ${n}`);
    const reg = new QVector(
      this,
      { kind: 'alloc', id: this.allocs.length, size: n },
      name ?? `q${this.allocs.length === 0 ? '' : this.allocs.length}`,
    );
    this.allocs.push(reg);
    return reg;
  }

  // ---- gates -------------------------------------------------------------------------------------------
  x(t: QArg, o?: GateOptions): this {
    return this.gate('x', [t], [], o);
  }
  y(t: QArg, o?: GateOptions): this {
    return this.gate('y', [t], [], o);
  }
  z(t: QArg, o?: GateOptions): this {
    return this.gate('z', [t], [], o);
  }
  h(t: QArg, o?: GateOptions): this {
    return this.gate('h', [t], [], o);
  }
  s(t: QArg, o?: GateOptions): this {
    return this.gate('s', [t], [], o);
  }
  t(t: QArg, o?: GateOptions): this {
    return this.gate('t', [t], [], o);
  }
  sdg(t: QArg, o?: GateOptions): this {
    return this.gate('sdg', [t], [], o);
  }
  tdg(t: QArg, o?: GateOptions): this {
    return this.gate('tdg', [t], [], o);
  }
  rx(theta: ParamLike, t: QArg, o?: GateOptions): this {
    return this.gate('rx', [t], [theta], o);
  }
  ry(theta: ParamLike, t: QArg, o?: GateOptions): this {
    return this.gate('ry', [t], [theta], o);
  }
  rz(theta: ParamLike, t: QArg, o?: GateOptions): this {
    return this.gate('rz', [t], [theta], o);
  }
  r1(lambda: ParamLike, t: QArg, o?: GateOptions): this {
    return this.gate('r1', [t], [lambda], o);
  }
  u3(theta: ParamLike, phi: ParamLike, lambda: ParamLike, t: QArg, o?: GateOptions): this {
    return this.gate('u3', [t], [theta, phi, lambda], o);
  }
  swap(a: QArg, b: QArg, o?: GateOptions): this {
    return this.gate('swap', [a, b], [], o);
  }

  // controlled forms; `c` may be one qubit or a list (any number of controls)
  cx(c: QArg | QArg[], t: QArg): this {
    return this.gate('x', [t], [], { controls: c });
  }
  cy(c: QArg | QArg[], t: QArg): this {
    return this.gate('y', [t], [], { controls: c });
  }
  cz(c: QArg | QArg[], t: QArg): this {
    return this.gate('z', [t], [], { controls: c });
  }
  ch(c: QArg | QArg[], t: QArg): this {
    return this.gate('h', [t], [], { controls: c });
  }
  cs(c: QArg | QArg[], t: QArg): this {
    return this.gate('s', [t], [], { controls: c });
  }
  ct(c: QArg | QArg[], t: QArg): this {
    return this.gate('t', [t], [], { controls: c });
  }
  crx(theta: ParamLike, c: QArg | QArg[], t: QArg): this {
    return this.gate('rx', [t], [theta], { controls: c });
  }
  cry(theta: ParamLike, c: QArg | QArg[], t: QArg): this {
    return this.gate('ry', [t], [theta], { controls: c });
  }
  crz(theta: ParamLike, c: QArg | QArg[], t: QArg): this {
    return this.gate('rz', [t], [theta], { controls: c });
  }
  cr1(lambda: ParamLike, c: QArg | QArg[], t: QArg): this {
    return this.gate('r1', [t], [lambda], { controls: c });
  }
  ccx(c1: QArg, c2: QArg, t: QArg): this {
    return this.gate('x', [t], [], { controls: [c1, c2] });
  }
  cswap(c: QArg | QArg[], a: QArg, b: QArg): this {
    return this.gate('swap', [a, b], [], { controls: c });
  }

  /** Any gate by name, with explicit controls and adjoint. */
  gate(name: GateName, targets: QArg[], params: ParamLike[], o: GateOptions = {}): this {
    for (const t of targets) this.checkQArg(name, t, 'target');
    for (const p of params) {
      if (typeof p !== 'number' && !(p instanceof Param)) {
        throw new TypeError(`${name}: angle must be a number or a kernel argument, got ${describe(p)}`);
      }
    }
    const controls = o.controls === undefined ? [] : Array.isArray(o.controls) ? o.controls : [o.controls];
    for (const c of controls) this.checkQArg(name, c, 'control');
    if (name === 'swap' && targets.some((t) => t instanceof QVector))
      throw new TypeError('swap: targets must be single qubits, not whole qvectors');
    if (controls.length && targets.some((t) => t instanceof QVector && name !== 'swap')) {
      throw new TypeError(`${name}: a controlled gate needs a single target qubit, not a whole qvector`);
    }
    this.body.push({ k: 'gate', name, targets, controls, params, adjoint: o.adjoint ?? false });
    return this;
  }

  /** exp(i·theta·P) for the Pauli word P ("XXYZ"), word[k] acting on the k-th qubit given. */
  expPauli(theta: ParamLike, qubits: QArg | QArg[], word: string): this {
    const qs = Array.isArray(qubits) ? qubits : [qubits];
    for (const q of qs) this.checkQArg('expPauli', q, 'target');
    if (typeof word !== 'string' || !/^[IXYZ]+$/.test(word))
      throw new TypeError(`expPauli: word must be a string of I, X, Y, Z, got ${describe(word)}`);
    if (typeof theta !== 'number' && !(theta instanceof Param))
      throw new TypeError(`expPauli: theta must be a number or a kernel argument, got ${describe(theta)}`);
    this.body.push({ k: 'pauli', theta, qubits: qs, word });
    return this;
  }

  // ---- measurement -------------------------------------------------------------------------------------
  mz(t: QArg, register?: string): MeasureHandle {
    return this.measure('z', t, register);
  }
  mx(t: QArg, register?: string): MeasureHandle {
    return this.measure('x', t, register);
  }
  my(t: QArg, register?: string): MeasureHandle {
    return this.measure('y', t, register);
  }

  private measure(basis: Basis, t: QArg, register?: string): MeasureHandle {
    this.checkQArg(`m${basis}`, t, 'target');
    if (
      register !== undefined &&
      (typeof register !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(register))
    ) {
      throw new TypeError(
        `m${basis}: register name must be an identifier like "result", got ${describe(register)}`,
      );
    }
    const width = t instanceof QubitRef ? 1 : t.size;
    const handle = new MeasureHandle(this.measureCount++, register ?? '__global__', width);
    this.body.push({ k: 'measure', basis, target: t, handle });
    return handle;
  }

  reset(t: QArg): this {
    this.checkQArg('reset', t, 'target');
    this.body.push({ k: 'reset', target: t });
    return this;
  }

  /** Gates recorded inside `body` run only in shots where the single-qubit measurement `m` gave 1. */
  cIf(m: MeasureHandle, body: () => void): this {
    if (!(m instanceof MeasureHandle))
      throw new TypeError('cIf: first argument must be the result of mz/mx/my in this kernel');
    if (m.width !== 1)
      throw new TypeError('cIf: condition on the measurement of a single qubit, not a whole register');
    const saved = this.body;
    const inner: Instr[] = [];
    this.body = inner;
    try {
      body();
    } finally {
      this.body = saved;
    }
    this.body.push({ k: 'cif', handle: m, body: inner });
    return this;
  }

  // ---- calling other kernels ---------------------------------------------------------------------------
  apply<B extends unknown[]>(other: Kernel<B>, ...args: B): this {
    return this.call(other, args, [], false);
  }
  /** Runs `other` with every gate controlled on `controls`. */
  control<B extends unknown[]>(other: Kernel<B>, controls: QArg | QArg[], ...args: B): this {
    return this.call(other, args, Array.isArray(controls) ? controls : [controls], false);
  }
  /** Runs the inverse of `other` (gates reversed and inverted). */
  adjoint<B extends unknown[]>(other: Kernel<B>, ...args: B): this {
    return this.call(other, args, [], true);
  }

  private call(other: Kernel<unknown[]>, args: unknown[], controls: QArg[], adjoint: boolean): this {
    if (!(other instanceof Kernel)) throw new TypeError(`expected a kernel to call, got ${describe(other)}`);
    if (other === (this as unknown)) throw new Error(`kernel ${this.name} cannot call itself`);
    if (args.length !== other.arity)
      throw new TypeError(
        `${other.name} takes ${other.arity} argument(s) (${other.argTypes.join(', ')}), got ${args.length}`,
      );
    for (const c of controls) this.checkQArg('control', c, 'control');
    other.argTypes.forEach((t, i) => {
      const a = args[i];
      if ((t === 'qubit' || t === 'qvector') && !isQArg(a))
        throw new TypeError(`${other.name}: argument ${i} must be a ${t}, got ${describe(a)}`);
      if (isQArg(a)) this.checkQArg(other.name, a, `argument ${i}`);
      if (t === 'qubit' && !(a instanceof QubitRef))
        throw new TypeError(`${other.name}: argument ${i} must be a single qubit`);
    });
    this.body.push({ k: 'call', kernel: other, args, controls, adjoint });
    return this;
  }

  private checkQArg(what: string, q: unknown, role: string): asserts q is QArg {
    if (!isQArg(q))
      throw new TypeError(
        `${what}: ${role} must be a qubit (q[i]) or a qvector from qalloc, got ${describe(q)}`,
      );
    if ((q instanceof QubitRef ? q.reg.owner : q.owner) !== this) {
      throw new Error(
        `${what}: ${role} ${String(q)} belongs to another kernel; pass it as a kernel argument instead`,
      );
    }
  }

  // ---- lowering ----------------------------------------------------------------------------------------
  /** Checks arguments and resolves the kernel into the circuit IR. */
  toCircuit(...args: A): Circuit {
    this.checkArgs(args);
    if (this.argTypes.some((t) => t === 'qubit' || t === 'qvector')) {
      throw new TypeError(
        `${this.name} takes qubit arguments; call it from another kernel with apply(), control() or adjoint()`,
      );
    }
    const ctx: LowerCtx = { next: 0, measureIds: 0 };
    const ops = this.lower(args, new Map(), ctx);
    if (ctx.next === 0) throw new Error(`${this.name} allocates no qubits; call qalloc(n) first`);
    return { numQubits: ctx.next, ops };
  }

  checkArgs(args: readonly unknown[]): void {
    if (args.length !== this.arity) {
      throw new TypeError(
        `${this.name} takes ${this.arity} argument(s) (${this.argTypes.join(', ') || 'none'}), got ${args.length}`,
      );
    }
    this.argTypes.forEach((t, i) => {
      const a = args[i];
      const ok =
        t === 'number'
          ? typeof a === 'number' && Number.isFinite(a)
          : t === 'int'
            ? Number.isInteger(a)
            : t === 'number[]'
              ? (Array.isArray(a) || a instanceof Float64Array) &&
                Array.from(a as number[]).every((v) => typeof v === 'number' && Number.isFinite(v))
              : true;
      if (!ok)
        throw new TypeError(
          `${this.name}: argument ${i} must be ${t === 'number[]' ? 'an array of finite numbers' : t === 'int' ? 'an integer' : 'a finite number'}, got ${describe(a)}`,
        );
    });
  }

  /** Lowers the body with the given argument values; `qubitArgs` binds qubit/qvector args to global indices. */
  private lower(args: readonly unknown[], bound: Map<number, number[]>, ctx: LowerCtx): Op[] {
    const regs = new Map<number, number[]>();
    const measures = new Map<number, number>();
    for (const reg of this.allocs) {
      const size = reg.size as number;
      regs.set(
        reg.regId,
        Array.from({ length: size }, (_, i) => ctx.next + i),
      );
      ctx.next += size;
    }
    const qubitsOf = (q: QArg): number[] => {
      const reg = q instanceof QubitRef ? q.reg : q;
      const src = reg.source;
      const all = src.kind === 'alloc' ? regs.get(reg.regId) : bound.get(src.arg);
      if (!all) throw new Error(`internal: register ${reg.name} has no binding`);
      if (q instanceof QubitRef) {
        if (q.index >= all.length)
          throw new RangeError(
            `qubit index ${q.index} is out of range for ${reg.name}, which holds ${all.length} qubit(s)`,
          );
        return [all[q.index]];
      }
      return all;
    };
    const one = (q: QArg, what: string): number => {
      const qs = qubitsOf(q);
      if (qs.length !== 1)
        throw new TypeError(`${what}: expected a single qubit, got a qvector of ${qs.length}`);
      return qs[0];
    };
    const lowerList = (list: Instr[]): Op[] => {
      const out: Op[] = [];
      for (const ins of list) {
        switch (ins.k) {
          case 'gate': {
            const params = ins.params.map((p) => resolveParam(p, args, ins.name));
            const controls = ins.controls.flatMap(qubitsOf);
            if (ins.name === 'swap') {
              const targets = [one(ins.targets[0], 'swap'), one(ins.targets[1], 'swap')];
              checkQubits('swap', [...targets, ...controls], ctx.next);
              out.push({ type: 'gate', name: 'swap', targets, controls, params, adjoint: ins.adjoint });
            } else {
              for (const t of qubitsOf(ins.targets[0])) {
                checkQubits(controls.length ? `c${ins.name}` : ins.name, [t, ...controls], ctx.next);
                out.push({
                  type: 'gate',
                  name: ins.name,
                  targets: [t],
                  controls,
                  params,
                  adjoint: ins.adjoint,
                });
              }
            }
            break;
          }
          case 'pauli': {
            const targets = ins.qubits.flatMap(qubitsOf);
            if (targets.length !== ins.word.length) {
              throw new TypeError(
                `expPauli: word "${ins.word}" has ${ins.word.length} letters but ${targets.length} qubit(s) were given`,
              );
            }
            checkQubits('expPauli', targets, ctx.next);
            out.push({
              type: 'pauli',
              theta: resolveParam(ins.theta, args, 'expPauli'),
              targets,
              word: ins.word,
              controls: [],
            });
            break;
          }
          case 'measure':
            for (const q of qubitsOf(ins.target)) {
              const id = ctx.measureIds++;
              if (ins.handle.width === 1) measures.set(ins.handle.id, id);
              out.push({ type: 'measure', basis: ins.basis, qubit: q, register: ins.handle.register, id });
            }
            break;
          case 'reset':
            for (const q of qubitsOf(ins.target)) out.push({ type: 'reset', qubit: q });
            break;
          case 'cif': {
            const id = measures.get(ins.handle.id);
            if (id === undefined)
              throw new Error('cIf: the measurement it depends on has not been recorded before it');
            out.push({ type: 'cond', measureId: id, ops: lowerList(ins.body) });
            break;
          }
          case 'call': {
            const callee = ins.kernel;
            const calleeArgs = ins.args.map((a) =>
              isQArg(a) ? a : a instanceof Param ? resolveParam(a, args, callee.name) : a,
            );
            callee.checkArgs(calleeArgs);
            const binding = new Map<number, number[]>();
            calleeArgs.forEach((a, i) => {
              if (isQArg(a)) binding.set(i, qubitsOf(a));
            });
            let ops = callee.lower(calleeArgs, binding, ctx);
            if (ins.adjoint) ops = adjointOps(ops, callee.name);
            const controls = ins.controls.flatMap(qubitsOf);
            if (controls.length) ops = controlOps(ops, controls, callee.name, ctx.next);
            out.push(...ops);
            break;
          }
        }
      }
      return out;
    };
    return lowerList(this.body);
  }
}

interface LowerCtx {
  next: number;
  measureIds: number;
}

function adjointOps(ops: Op[], name: string): Op[] {
  return ops
    .slice()
    .reverse()
    .map((op): Op => {
      if (op.type === 'gate') return { ...op, adjoint: !op.adjoint };
      if (op.type === 'pauli') return { ...op, theta: -op.theta };
      throw new Error(`adjoint(${name}): a kernel with measurement, reset or conditionals has no adjoint`);
    });
}

function controlOps(ops: Op[], controls: number[], name: string, numQubits: number): Op[] {
  return ops.map((op): Op => {
    if (op.type === 'gate' || op.type === 'pauli') {
      const c = [...op.controls, ...controls];
      checkQubits(`control(${name})`, [...op.targets, ...c], numQubits);
      return { ...op, controls: c };
    }
    throw new Error(
      `control(${name}): a kernel with measurement, reset or conditionals cannot be controlled`,
    );
  });
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'string') return `the string "${v}"`;
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  return `${typeof v} ${String(v)}`;
}

/**
 * Creates a kernel and handles for its arguments, as cudaq.make_kernel does:
 * `const [k, theta] = makeKernel('number')`.
 */
export function makeKernel<const T extends ArgType[]>(
  ...types: T
): [Kernel<{ [K in keyof T]: ArgValue<T[K]> }>, ...{ [K in keyof T]: ArgHandle<T[K]> }] {
  const k = new Kernel<{ [K in keyof T]: ArgValue<T[K]> }>(types);
  return [k, ...k.argHandles] as never;
}
