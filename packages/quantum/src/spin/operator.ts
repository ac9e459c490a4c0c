import { Rng } from '../util/rng.js';
import { type Complex, formatComplex } from './complex.js';

/**
 * A sum of Pauli words with complex coefficients. A word is stored as two bit masks: x (X or Y on that qubit)
 * and z (Z or Y), so products are XOR plus a phase from popcounts, and like terms merge through a hash map.
 * The word for masks (x, z) means i^{|x∧z|}·X^x·Z^z, i.e. exactly the tensor product of X, Y, Z letters.
 */
export interface SpinTerm {
  x: bigint;
  z: bigint;
  re: number;
  im: number;
}

const ZERO_TOL = 0;

function key(x: bigint, z: bigint): string {
  return x === 0n && z === 0n ? '' : `${x.toString(36)}:${z.toString(36)}`;
}

export function popcount(v: bigint): number {
  let n = 0;
  while (v > 0n) {
    let w = Number(v & 0xffffffffn);
    w -= (w >>> 1) & 0x55555555;
    w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
    n += Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    v >>= 32n;
  }
  return n;
}

function highestBit(v: bigint): number {
  return v === 0n ? -1 : v.toString(2).length - 1;
}

export class SpinOperator implements Iterable<SpinTermView> {
  private readonly map: Map<string, SpinTerm>;

  private constructor(map: Map<string, SpinTerm>) {
    this.map = map;
  }

  static fromTerms(terms: Iterable<SpinTerm>): SpinOperator {
    const map = new Map<string, SpinTerm>();
    for (const t of terms) addInto(map, t.x, t.z, t.re, t.im);
    return new SpinOperator(prune(map));
  }

  /** Single Pauli on qubit k. */
  static pauli(letter: 'I' | 'X' | 'Y' | 'Z', k: number): SpinOperator {
    if (!Number.isInteger(k) || k < 0)
      throw new RangeError(
        `spin.${letter.toLowerCase()}: qubit index must be a non-negative integer, got ${k}`,
      );
    const bit = 1n << BigInt(k);
    const x = letter === 'X' || letter === 'Y' ? bit : 0n;
    const z = letter === 'Z' || letter === 'Y' ? bit : 0n;
    return SpinOperator.fromTerms([{ x, z, re: 1, im: 0 }]);
  }

  /** A word like "XXYZ" acting on qubits 0..len-1, with a coefficient. */
  static fromWord(word: string, coefficient: number | Complex = 1): SpinOperator {
    if (!/^[IXYZ]+$/.test(word))
      throw new SyntaxError(`Pauli word must contain only I, X, Y, Z, got "${word}"`);
    let x = 0n,
      z = 0n;
    for (let k = 0; k < word.length; k++) {
      const b = 1n << BigInt(k);
      if (word[k] === 'X' || word[k] === 'Y') x |= b;
      if (word[k] === 'Z' || word[k] === 'Y') z |= b;
    }
    const c = toComplex(coefficient);
    return SpinOperator.fromTerms([{ x, z, re: c.re, im: c.im }]);
  }

  static identity(coefficient: number | Complex = 1): SpinOperator {
    const c = toComplex(coefficient);
    return SpinOperator.fromTerms([{ x: 0n, z: 0n, re: c.re, im: c.im }]);
  }

  /**
   * nTerms distinct random Pauli words on nQubits with coefficients uniform in [-1, 1); same seed, same operator.
   * Words come from 32-bit random draws (two bits per qubit), not per-qubit calls, so 10^5 terms take well under a second.
   */
  static random(nQubits: number, nTerms: number, seed = 0): SpinOperator {
    if (!Number.isInteger(nQubits) || nQubits < 1)
      throw new RangeError(`random: nQubits must be a positive integer, got ${nQubits}`);
    if (!Number.isInteger(nTerms) || nTerms < 1)
      throw new RangeError(`random: nTerms must be a positive integer, got ${nTerms}`);
    if (nQubits < 32 && nTerms > 4 ** nQubits)
      throw new RangeError(
        `random: only ${4 ** nQubits} distinct words exist on ${nQubits} qubits, asked for ${nTerms}`,
      );
    const rng = new Rng(seed);
    const map = new Map<string, SpinTerm>();
    while (map.size < nTerms) {
      let x = 0n,
        z = 0n;
      for (let base = 0; base < nQubits; base += 16) {
        const bits = Math.min(16, nQubits - base);
        const r = rng.nextU32();
        let xs = 0,
          zs = 0;
        for (let b = 0; b < bits; b++) {
          const p = (r >>> (2 * b)) & 3; // 0 I, 1 X, 2 Z, 3 Y
          if (p & 1) xs |= 1 << b;
          if (p & 2) zs |= 1 << b;
        }
        x |= BigInt(xs) << BigInt(base);
        z |= BigInt(zs) << BigInt(base);
      }
      const k = key(x, z);
      if (map.has(k)) continue;
      map.set(k, { x, z, re: rng.next() * 2 - 1, im: 0 });
    }
    return new SpinOperator(map);
  }

  /** Parses the output of toString, e.g. "5.907 - 2.1433 X0 X1 + (1+2i) Y0 Z3". */
  static parse(text: string): SpinOperator {
    return parseSpin(text);
  }

  get termCount(): number {
    return this.map.size;
  }

  /** Highest qubit index used plus one (identity alone: 1). */
  get numQubits(): number {
    let hi = -1;
    for (const t of this.map.values()) hi = Math.max(hi, highestBit(t.x | t.z));
    return Math.max(hi + 1, 1);
  }

  add(other: SpinOperator | number | Complex): SpinOperator {
    const o = toOperator(other);
    const map = cloneMap(this.map);
    for (const t of o.map.values()) addInto(map, t.x, t.z, t.re, t.im);
    return new SpinOperator(prune(map));
  }

  sub(other: SpinOperator | number | Complex): SpinOperator {
    return this.add(toOperator(other).mul(-1));
  }

  neg(): SpinOperator {
    return this.mul(-1);
  }

  /** Product with a real or complex scalar, or operator product (this · other) with Pauli phases. */
  mul(other: SpinOperator | number | Complex): SpinOperator {
    if (typeof other === 'number' || isComplex(other)) {
      const c = toComplex(other);
      const map = new Map<string, SpinTerm>();
      for (const [k, t] of this.map)
        map.set(k, { x: t.x, z: t.z, re: t.re * c.re - t.im * c.im, im: t.re * c.im + t.im * c.re });
      return new SpinOperator(prune(map));
    }
    if (!(other instanceof SpinOperator))
      throw new TypeError(
        `SpinOperator.mul: expected a number, {re, im} or SpinOperator, got ${typeof other}`,
      );
    const map = new Map<string, SpinTerm>();
    for (const a of this.map.values()) {
      for (const b of other.map.values()) {
        const x = a.x ^ b.x,
          z = a.z ^ b.z;
        // (i^{|xa∧za|} X^xa Z^za)(i^{|xb∧zb|} X^xb Z^zb) = i^{...} (−1)^{|za∧xb|} X^x Z^z, and X^x Z^z = i^{−|x∧z|}·word(x,z)
        const e = (popcount(a.x & a.z) + popcount(b.x & b.z) + 2 * popcount(a.z & b.x) - popcount(x & z)) & 3;
        const pr = e === 0 ? 1 : e === 2 ? -1 : 0;
        const pi = e === 1 ? 1 : e === 3 ? -1 : 0;
        const cr = a.re * b.re - a.im * b.im,
          ci = a.re * b.im + a.im * b.re;
        addInto(map, x, z, cr * pr - ci * pi, cr * pi + ci * pr);
      }
    }
    return new SpinOperator(prune(map));
  }

  *[Symbol.iterator](): Iterator<SpinTermView> {
    for (const t of this.map.values()) yield new SpinTermView(t);
  }

  /** Raw terms (masks and coefficients). */
  rawTerms(): SpinTerm[] {
    return [...this.map.values()];
  }

  coefficientOf(word: SpinOperator): Complex {
    if (word.termCount !== 1) throw new Error('coefficientOf: pass a single Pauli word');
    const [t] = word.map.values();
    const m = this.map.get(key(t.x, t.z));
    return m ? { re: m.re, im: m.im } : { re: 0, im: 0 };
  }

  equals(other: SpinOperator, tol = 1e-12): boolean {
    const d = this.sub(other);
    for (const t of d.map.values()) if (Math.hypot(t.re, t.im) > tol) return false;
    return true;
  }

  toString(): string {
    if (this.map.size === 0) return '0';
    const parts: string[] = [];
    for (const t of this.map.values()) {
      const word = new SpinTermView(t).toString();
      let coef: string;
      let neg = false;
      if (t.im === 0) {
        neg = t.re < 0 || Object.is(t.re, -0);
        coef = String(Math.abs(t.re));
      } else coef = formatComplex({ re: t.re, im: t.im });
      const body = word === 'I' ? coef : coef === '1' && t.im === 0 ? word : `${coef} ${word}`;
      if (parts.length === 0) parts.push(neg ? `-${body}` : body);
      else parts.push(neg ? `- ${body}` : `+ ${body}`);
    }
    return parts.join(' ');
  }

  /** Dense 2^n x 2^n matrix, row-major, split real/imaginary (small n only). */
  toMatrix(nQubits = this.numQubits): { dim: number; re: Float64Array; im: Float64Array } {
    if (nQubits > 13)
      throw new RangeError(
        `toMatrix: ${nQubits} qubits gives a ${2 ** nQubits}-square matrix; use at most 13`,
      );
    if (nQubits < this.numQubits)
      throw new RangeError(`toMatrix: operator acts on ${this.numQubits} qubits, asked for ${nQubits}`);
    const dim = 2 ** nQubits;
    const re = new Float64Array(dim * dim),
      im = new Float64Array(dim * dim);
    for (const t of this.map.values()) {
      const x = Number(t.x),
        z = Number(t.z);
      const ny = popcount(t.x & t.z) & 3;
      for (let c = 0; c < dim; c++) {
        // P|c⟩ = i^ny (−1)^{|c∧z|} |c⊕x⟩
        const sign = popcount(BigInt(c & z)) & 1 ? -1 : 1;
        const pr = (ny === 0 ? 1 : ny === 2 ? -1 : 0) * sign,
          pi = (ny === 1 ? 1 : ny === 3 ? -1 : 0) * sign;
        const r = c ^ x;
        re[r * dim + c] += t.re * pr - t.im * pi;
        im[r * dim + c] += t.re * pi + t.im * pr;
      }
    }
    return { dim, re, im };
  }
}

/** One term: coefficient and Pauli word. */
export class SpinTermView {
  constructor(private readonly t: SpinTerm) {}
  get coefficient(): Complex {
    return { re: this.t.re, im: this.t.im };
  }
  get x(): bigint {
    return this.t.x;
  }
  get z(): bigint {
    return this.t.z;
  }
  isIdentity(): boolean {
    return this.t.x === 0n && this.t.z === 0n;
  }
  /** Letter on qubit k. */
  pauliAt(k: number): 'I' | 'X' | 'Y' | 'Z' {
    const b = 1n << BigInt(k);
    const xb = (this.t.x & b) !== 0n,
      zb = (this.t.z & b) !== 0n;
    return xb ? (zb ? 'Y' : 'X') : zb ? 'Z' : 'I';
  }
  /** Dense word over n qubits, e.g. "XIZ". */
  word(n: number): string {
    let s = '';
    for (let k = 0; k < n; k++) s += this.pauliAt(k);
    return s;
  }
  /** Sparse form "X0 Z2" ("I" for identity). */
  toString(): string {
    const hi = highestBit(this.t.x | this.t.z);
    const parts: string[] = [];
    for (let k = 0; k <= hi; k++) {
      const p = this.pauliAt(k);
      if (p !== 'I') parts.push(`${p}${k}`);
    }
    return parts.length ? parts.join(' ') : 'I';
  }
  toOperator(): SpinOperator {
    return SpinOperator.fromTerms([{ ...this.t, re: 1, im: 0 }]);
  }
}

function isComplex(v: unknown): v is Complex {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Complex).re === 'number' &&
    typeof (v as Complex).im === 'number'
  );
}

function toComplex(v: number | Complex): Complex {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`coefficient must be finite, got ${v}`);
    return { re: v, im: 0 };
  }
  if (!isComplex(v)) throw new TypeError('coefficient must be a number or {re, im}');
  return v;
}

function toOperator(v: SpinOperator | number | Complex): SpinOperator {
  if (v instanceof SpinOperator) return v;
  return SpinOperator.identity(toComplex(v));
}

function cloneMap(m: Map<string, SpinTerm>): Map<string, SpinTerm> {
  const out = new Map<string, SpinTerm>();
  for (const [k, t] of m) out.set(k, { ...t });
  return out;
}

function addInto(map: Map<string, SpinTerm>, x: bigint, z: bigint, re: number, im: number): void {
  const k = key(x, z);
  const t = map.get(k);
  if (t) {
    t.re += re;
    t.im += im;
  } else map.set(k, { x, z, re, im });
}

function prune(map: Map<string, SpinTerm>): Map<string, SpinTerm> {
  for (const [k, t] of map)
    if (Math.abs(t.re) <= ZERO_TOL && Math.abs(t.im) <= ZERO_TOL && map.size > 1) map.delete(k);
  return map;
}

function parseSpin(text: string): SpinOperator {
  if (typeof text !== 'string') throw new TypeError('SpinOperator.parse expects a string');
  const src = text.trim();
  if (src === '' || src === '0') return SpinOperator.identity(0);
  const terms: SpinTerm[] = [];
  let i = 0;
  const fail = (msg: string): never => {
    throw new SyntaxError(`cannot parse spin operator at character ${i + 1} of "${text}": ${msg}`);
  };
  const ws = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  let first = true;
  while (i < src.length) {
    ws();
    let sign = 1;
    if (src[i] === '+' || src[i] === '-') {
      sign = src[i] === '-' ? -1 : 1;
      i++;
      ws();
    } else if (!first) fail('expected + or - between terms');
    first = false;
    let c: Complex = { re: 1, im: 0 };
    let hasCoef = false;
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
    if (src[i] === '(') {
      const end = src.indexOf(')', i);
      if (end < 0) fail('unclosed parenthesis');
      const inner = src.slice(i + 1, end).replace(/\s+/g, '');
      const m =
        /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([+-](?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)i$/.exec(
          inner,
        );
      const mi = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)i?$/.exec(inner);
      if (m) c = { re: Number(m[1]), im: Number(m[2]) };
      else if (mi) c = inner.endsWith('i') ? { re: 0, im: Number(mi[1]) } : { re: Number(mi[1]), im: 0 };
      else fail(`bad complex coefficient "(${inner})"`);
      i = end + 1;
      hasCoef = true;
    } else {
      const m = num.exec(src.slice(i));
      if (m) {
        i += m[0].length;
        if (src[i] === 'i') {
          c = { re: 0, im: Number(m[0]) };
          i++;
        } else c = { re: Number(m[0]), im: 0 };
        hasCoef = true;
      }
    }
    ws();
    if (src[i] === '*') {
      i++;
      ws();
    }
    let x = 0n,
      z = 0n;
    let hasWord = false;
    while (i < src.length && /[IXYZ]/.test(src[i])) {
      const letter = src[i];
      i++;
      const m = /^\d+/.exec(src.slice(i));
      if (!m) {
        if (letter === 'I') {
          hasWord = true;
          ws();
          continue;
        }
        fail(`Pauli ${letter} needs a qubit index, like ${letter}0`);
      } else {
        i += m[0].length;
        const b = 1n << BigInt(m[0]);
        if ((x | z) & b) fail(`qubit ${m[0]} appears twice in one term`);
        if (letter === 'X' || letter === 'Y') x |= b;
        if (letter === 'Z' || letter === 'Y') z |= b;
      }
      hasWord = true;
      ws();
    }
    if (!hasCoef && !hasWord) fail('expected a coefficient or a Pauli word');
    terms.push({ x, z, re: sign * c.re, im: sign * c.im });
    ws();
  }
  return SpinOperator.fromTerms(terms);
}

/** spin.x(k) etc., as cudaq.spin. */
export const spin = {
  x: (k: number) => SpinOperator.pauli('X', k),
  y: (k: number) => SpinOperator.pauli('Y', k),
  z: (k: number) => SpinOperator.pauli('Z', k),
  i: (k: number) => SpinOperator.pauli('I', k),
};
