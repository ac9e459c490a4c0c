/** Build-time handles: symbolic parameters (resolved when a kernel is called) and qubit references. */

let nextRegisterId = 1;

export type ParamLike = number | Param;

/** An affine expression of kernel arguments: constant + Σ coef·arg[index]. */
export class Param {
  constructor(
    readonly terms: ReadonlyArray<{ arg: number; index: number | null; coef: number }>,
    readonly constant = 0,
  ) {}

  add(v: ParamLike): Param {
    if (typeof v === 'number') return new Param(this.terms, this.constant + v);
    return new Param([...this.terms, ...v.terms], this.constant + v.constant);
  }
  sub(v: ParamLike): Param {
    return this.add(typeof v === 'number' ? -v : v.mul(-1));
  }
  mul(k: number): Param {
    if (typeof k !== 'number')
      throw new TypeError('Param.mul takes a number; products of two kernel arguments are not affine');
    return new Param(
      this.terms.map((t) => ({ ...t, coef: t.coef * k })),
      this.constant * k,
    );
  }
  div(k: number): Param {
    return this.mul(1 / k);
  }
  neg(): Param {
    return this.mul(-1);
  }
  toString(): string {
    const parts = this.terms.map(
      (t) => `${t.coef === 1 ? '' : `${t.coef}*`}arg${t.arg}${t.index === null ? '' : `[${t.index}]`}`,
    );
    if (this.constant) parts.push(String(this.constant));
    return parts.join(' + ');
  }
}

/** A number[] kernel argument; elements are Params. */
export class ParamList {
  constructor(readonly arg: number) {}
  at(i: number): Param {
    if (!Number.isInteger(i) || i < 0)
      throw new RangeError(`parameter index must be a non-negative integer, got ${i}`);
    return new Param([{ arg: this.arg, index: i, coef: 1 }]);
  }
}

export function resolveParam(p: ParamLike, args: readonly unknown[], what: string): number {
  if (typeof p === 'number') {
    if (!Number.isFinite(p)) throw new TypeError(`${what}: parameter must be a finite number, got ${p}`);
    return p;
  }
  let v = p.constant;
  for (const t of p.terms) {
    const a = args[t.arg];
    let x: unknown = a;
    if (t.index !== null) {
      if (!Array.isArray(a) && !(a instanceof Float64Array))
        throw new TypeError(`${what}: argument ${t.arg} must be a number array`);
      if (t.index >= a.length)
        throw new RangeError(
          `${what}: parameter index ${t.index} is out of range for an array of ${a.length} values`,
        );
      x = a[t.index];
    }
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new TypeError(`${what}: argument ${t.arg} must be a finite number, got ${String(x)}`);
    v += t.coef * x;
  }
  return v;
}

/** Where a register's qubits come from: a qalloc in the kernel, or a kernel argument. */
export type RegisterSource =
  | { kind: 'alloc'; id: number; size: number }
  | { kind: 'arg'; arg: number; single: boolean };

export class QubitRef {
  readonly kind = 'qubit' as const;
  constructor(
    readonly reg: QVector,
    readonly index: number,
  ) {}
  toString(): string {
    return `${this.reg.name}[${this.index}]`;
  }
}

/** A register of qubits. Index it with q[i] or q.at(i); negative indices count from the end when the size is known. */
export class QVector {
  readonly kind = 'qvector' as const;
  readonly regId = nextRegisterId++;
  [index: number]: QubitRef;

  constructor(
    readonly owner: object,
    readonly source: RegisterSource,
    readonly name: string,
  ) {
    // biome-ignore lint/correctness/noConstructorReturn: numeric indexing q[i] like CUDA-Q
    return new Proxy(this, {
      get(target, prop, recv) {
        if (typeof prop === 'string' && /^-?\d+$/.test(prop)) return target.at(Number(prop));
        return Reflect.get(target, prop, recv);
      },
    });
  }

  /** Number of qubits, when known at build time (qalloc(n)); undefined for a qvector argument. */
  get size(): number | undefined {
    return this.source.kind === 'alloc' ? this.source.size : undefined;
  }

  at(i: number): QubitRef {
    if (!Number.isInteger(i)) throw new TypeError(`qubit index must be an integer, got ${i}`);
    const size = this.size;
    if (size !== undefined) {
      if (i < 0) i += size;
      if (i < 0 || i >= size)
        throw new RangeError(
          `qubit index ${i} is out of range for ${this.name}, a qvector of ${size} qubits (0..${size - 1})`,
        );
    } else if (i < 0) {
      throw new RangeError(`negative index ${i} needs a known size; ${this.name} is a kernel argument`);
    }
    return new QubitRef(this, i);
  }

  front(): QubitRef {
    return this.at(0);
  }
  back(): QubitRef {
    return this.at(-1);
  }

  /** Qubit references of the whole register (size must be known). */
  qubits(): QubitRef[] {
    const size = this.size;
    if (size === undefined)
      throw new Error(`${this.name} is a kernel argument whose size is only known when the kernel is called`);
    return Array.from({ length: size }, (_, i) => new QubitRef(this, i));
  }
}

export type QArg = QubitRef | QVector;

export function isQArg(v: unknown): v is QArg {
  return v instanceof QubitRef || v instanceof QVector;
}

/** Result of a measurement at build time; pass it to cIf. */
export class MeasureHandle {
  constructor(
    readonly id: number,
    readonly register: string,
    readonly width: number | undefined,
  ) {}
}
