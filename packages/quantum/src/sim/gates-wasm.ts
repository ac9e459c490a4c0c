/**
 * WebAssembly-SIMD gate kernels, assembled here byte by byte (wasm-asm.ts; no toolchain, no download). They
 * run on split re/im arrays in the module's own memory: a segment's chunk is copied in once (segments.ts) and
 * every gate of the segment then runs on it with f64x2 vectors, two neighbouring amplitudes per vector.
 *
 * The 2x2 kernel comes in one variant per matrix pattern: each entry is zero, one, real, imaginary or complex,
 * and a variant multiplies only what its pattern needs (rx, ry, rz and the CX-fused forms of them take half
 * the multiplies of a dense complex matrix, the bound on this machine's two multiply pipes). On local qubit 0,
 * whose pairs sit inside one vector, the same patterns run on two vectors transposed (g0); X, swaps and
 * patterns without a kernel there have their own shuffle kernels. The products are formed in the
 * same order as the JavaScript kernels (kernels.ts; no fused multiply-add), so the two agree to rounding.
 */
import {
  ADD,
  AND,
  assembleModule,
  BRIF,
  END,
  ensureMemory,
  F64X2_ADD,
  F64X2_MUL,
  F64X2_SUB,
  I32,
  I32_LOAD,
  I32C,
  LGET,
  LOOP,
  LSET,
  LTEE,
  LTU,
  lazyModule,
  type MemoryKind,
  SHL,
  SHRU,
  SUB,
  simd,
  sleb,
  uleb,
  V_BITSELECT,
  V_CONST,
  V_LOAD,
  V_LOAD64_SPLAT,
  V_SHUFFLE,
  V_STORE,
  V128,
  VOID,
  type WasmFunction,
} from './wasm-asm.js';

const load = (offset = 0) => simd(V_LOAD, 3, ...uleb(offset));
const store = (offset = 0) => simd(V_STORE, 3, ...uleb(offset));
const MUL = simd(F64X2_MUL),
  VADD = simd(F64X2_ADD),
  VSUB = simd(F64X2_SUB);

/** i32 locals (params included) come first, v128 locals after this many. */
const MAX_I32 = 24;

/** A function body builder: i32 params, then i32 and v128 locals handed out by number. */
class Fn {
  private nI32: number;
  private nV = 0;
  private readonly code: number[] = [];
  private static readonly V = 1000;
  constructor(
    readonly name: string,
    readonly params: number,
  ) {
    this.nI32 = params;
  }
  i32(): number {
    return this.nI32++;
  }
  v(): number {
    return Fn.V + this.nV++;
  }
  emit(...b: number[]): void {
    for (let i = 0; i < b.length; i++) this.code.push(b[i]);
  }
  get(...ls: number[]): void {
    for (const l of ls) this.emit(LGET, ...uleb(this.idx(l)));
  }
  set(l: number): void {
    this.emit(LSET, ...uleb(this.idx(l)));
  }
  tee(l: number): void {
    this.emit(LTEE, ...uleb(this.idx(l)));
  }
  private idx(l: number): number {
    return l >= Fn.V ? MAX_I32 + (l - Fn.V) : l;
  }
  build(): WasmFunction {
    if (this.nI32 > MAX_I32) throw new Error(`gates-wasm ${this.name}: too many i32 locals`);
    const locals = [2, ...uleb(MAX_I32 - this.params), I32, ...uleb(this.nV), V128];
    const body = [...locals, ...this.code, END];
    return {
      name: this.name,
      params: new Array(this.params).fill(I32),
      results: [],
      body: [...uleb(body.length), ...body],
    };
  }
}

/** x <<= 3: amplitude counts to byte counts. */
function toBytes(f: Fn, ...ls: number[]): void {
  for (const l of ls) {
    f.get(l);
    f.emit(I32C, 3, SHL);
    f.set(l);
  }
}

/**
 * for (hi = 0; hi < len; hi += 2sb) for (mid = hi; mid < hi + sb; mid += 2sa) for (off = mid; off < mid + sa; off += 16):
 * the byte offsets of the vectors whose bits sa and sb are both 0 (sa < sb, strides in bytes, sa >= 16).
 * sb = len gives the loop over bit sa alone.
 */
function loops(f: Fn, len: number, sa: number, sb: number, body: (off: number) => void): void {
  const hi = f.i32(),
    mid = f.i32(),
    off = f.i32(),
    end = f.i32();
  f.emit(I32C, 0);
  f.set(hi);
  f.emit(LOOP, VOID);
  f.get(hi);
  f.set(mid);
  f.emit(LOOP, VOID);
  f.get(mid);
  f.set(off);
  f.get(mid, sa);
  f.emit(ADD);
  f.set(end);
  f.emit(LOOP, VOID);
  body(off);
  f.get(off);
  f.emit(I32C, 16, ADD);
  f.tee(off);
  f.get(end);
  f.emit(LTU, BRIF, 0, END);
  f.get(mid, sa);
  f.emit(I32C, 1, SHL, ADD);
  f.tee(mid);
  f.get(hi, sb);
  f.emit(ADD, LTU, BRIF, 0, END);
  f.get(hi, sb);
  f.emit(I32C, 1, SHL, ADD);
  f.tee(hi);
  f.get(len);
  f.emit(LTU, BRIF, 0, END);
}

/** base + off (+ extra) into a new local. */
function addr(f: Fn, base: number, off: number, extra?: number): number {
  const p = f.i32();
  f.get(base, off);
  f.emit(ADD);
  if (extra !== undefined) {
    f.get(extra);
    f.emit(ADD);
  }
  f.set(p);
  return p;
}

/**
 * The vectors of D amplitudes at off + offs[k] (null: off itself): their re and im addresses and, where
 * `used[k]`, their values loaded into R[k], J[k]. `at(part, k)` pushes the address of amplitude k.
 */
function loadAmplitudes(
  f: Fn,
  re: number,
  im: number,
  off: number,
  offs: Array<number | null>,
  used: boolean[] = offs.map(() => true),
): { R: number[]; J: number[]; at: (part: 're' | 'im', k: number) => void } {
  const pr = addr(f, re, off),
    pi = addr(f, im, off);
  const at = (part: 're' | 'im', k: number) => {
    f.get(part === 're' ? pr : pi);
    const o = offs[k];
    if (o !== null) {
      f.get(o);
      f.emit(ADD);
    }
  };
  const R = offs.map(() => f.v()),
    J = offs.map(() => f.v());
  offs.forEach((_, k) => {
    if (!used[k]) return;
    at('re', k);
    f.emit(...load());
    f.set(R[k]);
    at('im', k);
    f.emit(...load());
    f.set(J[k]);
  });
  return { R, J, at };
}

// ---- 2x2 on a qubit >= 1, by matrix pattern -----------------------------------------------------------

/** Kind of a matrix entry: what its products need. */
export const ZERO = 0,
  ONE = 1,
  REAL = 2,
  IMAG = 3,
  CPLX = 4;
const KINDS = 5;

function kindOf(r: number, i: number): number {
  if (i === 0) return r === 0 ? ZERO : r === 1 ? ONE : REAL;
  return r === 0 ? IMAG : CPLX;
}

/** Pattern of a 2x2 (a, b, c, d as re/im pairs): its entries' kinds. Per-lane matrices take the wider kind. */
export function patternOf(...mats: ArrayLike<number>[]): number[] {
  const kinds = [ZERO, ZERO, ZERO, ZERO];
  for (const m of mats) {
    for (let e = 0; e < 4; e++) kinds[e] = widen(kinds[e], kindOf(m[2 * e], m[2 * e + 1]));
  }
  return kinds;
}

/** The kind that covers both lanes: 1 next to 0 needs a real multiply; real next to imaginary a complex one. */
function widen(a: number, b: number): number {
  if (a === b) return a;
  if (a === ZERO || b === ZERO) return a + b === ONE ? REAL : a + b;
  if ((a === ONE || a === REAL) && (b === ONE || b === REAL)) return REAL;
  return CPLX;
}

/**
 * Patterns with a kernel: any diagonal but the identity, any anti-diagonal, and any full matrix without ONE
 * entries (a unitary with a 1 on the diagonal has zeros beside it, and per-lane matrices widen 1 to real).
 */
function hasKernel(k: number[]): boolean {
  const [a, b, c, d] = k;
  if (b === ZERO && c === ZERO) return a !== ZERO && d !== ZERO && !(a === ONE && d === ONE);
  if (a === ZERO && d === ZERO) return b !== ZERO && c !== ZERO;
  return ![a, b, c, d].some((e) => e === ZERO || e === ONE);
}

export function patternKey(k: number[]): number {
  return ((k[0] * KINDS + k[1]) * KINDS + k[2]) * KINDS + k[3];
}

/** Bytes per coefficient vector; a 2x2 takes 4 entries × (re, im) vectors. */
export const COEF_BYTES = 16;

/**
 * g1(re, im, len, sa, sb, st, m): the 2x2 at m (per entry a vector of re parts, then one of im parts, one lane
 * per amplitude of a vector) on the pairs (off, off + st) for every off whose bits sa and sb are 0.
 */
function g1(kinds: number[]): Fn {
  return pattern2x2(kinds, false);
}

/**
 * g0 variant of a pattern (h{key}, same parameters with st = 2): the 2x2 on local qubit 0. Two neighbouring
 * vectors (a0, a1), (a2, a3) are transposed into (a0, a2) and (a1, a3), the pairs of qubit 0 side by side,
 * so the pattern's arithmetic is g1's (half the multiplies of d0's dense 2x2 for a rotation), then transposed
 * back. A lane is now qubit 1: a per-lane matrix is a gate controlled by (or muxed on) qubit 1.
 */
function g0(kinds: number[]): Fn {
  return pattern2x2(kinds, true);
}

function pattern2x2(kinds: number[], transposed: boolean): Fn {
  const f = new Fn(`${transposed ? 'h' : 'g'}${patternKey(kinds)}`, 7);
  const [re, im, len, sa, sb, st, m] = [0, 1, 2, 3, 4, 5, 6];
  toBytes(f, len, sa, sb, st);
  const coef: Array<[number, number]> = kinds.map((kind, e) => {
    const pair: [number, number] = [-1, -1];
    if (kind === REAL || kind === CPLX) pair[0] = loadCoef(f, m, 2 * e);
    if (kind === IMAG || kind === CPLX) pair[1] = loadCoef(f, m, 2 * e + 1);
    return pair;
  });
  const rowIdentity = (r: number) => kinds[3 * r] === ONE && kinds[1 + r] === ZERO;
  const used = [0, 1].map(
    (k) => transposed || (kinds[k] !== ZERO && !rowIdentity(0)) || (kinds[2 + k] !== ZERO && !rowIdentity(1)),
  );
  loops(f, len, sa, sb, (off) => {
    const loaded = loadAmplitudes(f, re, im, off, [null, st], used);
    const { at } = loaded;
    let { R, J } = loaded;
    if (transposed) {
      R = [interleave(f, R[0], R[1], 0), interleave(f, R[0], R[1], 1)];
      J = [interleave(f, J[0], J[1], 0), interleave(f, J[0], J[1], 1)];
    }
    const out: Record<'re' | 'im', number[]> = { re: [...R], im: [...J] };
    for (let r = 0; r < 2; r++) {
      if (rowIdentity(r)) continue;
      for (const part of ['re', 'im'] as const) {
        if (!transposed) at(part, r);
        let first = true;
        for (let k = 0; k < 2; k++) {
          const kind = kinds[2 * r + k];
          const [cr, ci] = coef[2 * r + k];
          // re += cr·R − ci·J ; im += cr·J + ci·R, the JavaScript kernel's order
          if (kind === ONE) {
            f.get(part === 're' ? R[k] : J[k]);
            if (!first) f.emit(...VADD);
            first = false;
          }
          if (kind === REAL || kind === CPLX) {
            f.get(cr, part === 're' ? R[k] : J[k]);
            f.emit(...MUL);
            if (!first) f.emit(...VADD);
            first = false;
          }
          if (kind === IMAG || kind === CPLX) {
            f.get(ci, part === 're' ? J[k] : R[k]);
            f.emit(...MUL);
            if (first) {
              if (part === 're') negate(f);
            } else f.emit(...(part === 're' ? VSUB : VADD));
            first = false;
          }
        }
        if (transposed) {
          out[part][r] = f.v();
          f.set(out[part][r]);
        } else f.emit(...store());
      }
    }
    if (transposed) {
      // back to (a0', a1') and (a2', a3')
      for (const part of ['re', 'im'] as const) {
        for (let v = 0; v < 2; v++) {
          at(part, v);
          f.get(interleave(f, out[part][0], out[part][1], v));
          f.emit(...store());
        }
      }
    }
  });
  return f;
}

/** Shuffles taking lane l of both operands: bytes 8l..8l+7 of the first, then of the second. */
const INTERLEAVE = [0, 1].map((l) => {
  const lane = (base: number) => Array.from({ length: 8 }, (_, i) => base + 8 * l + i);
  return simd(V_SHUFFLE, ...lane(0), ...lane(16));
});

/** A new local (lane l of a, lane l of b). */
function interleave(f: Fn, a: number, b: number, l: number): number {
  f.get(a, b);
  f.emit(...INTERLEAVE[l]);
  const v = f.v();
  f.set(v);
  return v;
}

/** v on the stack → −v (0 − v is +0 for v = +0, as the JavaScript kernel's 0·x − v gives). */
function negate(f: Fn): void {
  const t = f.v();
  f.set(t);
  f.emit(...simd(V_CONST, ...new Array(16).fill(0)));
  f.get(t);
  f.emit(...VSUB);
}

function loadCoef(f: Fn, m: number, slot: number): number {
  const v = f.v();
  f.get(m);
  f.emit(...load(COEF_BYTES * slot));
  f.set(v);
  return v;
}

/** Every 2x2 pattern with a kernel. */
function patterns(): number[][] {
  const out: number[][] = [];
  for (let a = 0; a < KINDS; a++)
    for (let b = 0; b < KINDS; b++)
      for (let c = 0; c < KINDS; c++)
        for (let d = 0; d < KINDS; d++) if (hasKernel([a, b, c, d])) out.push([a, b, c, d]);
  return out;
}

// ---- gates on qubit 0, 4x4, X, swap, phase fan ----------------------------------------------------------

/** Both lanes = lane `l` of v. */
function dup(f: Fn, v: number, l: number): void {
  f.get(v, v);
  const b = Array.from({ length: 8 }, (_, i) => 8 * l + i);
  f.emit(...simd(V_SHUFFLE, ...b, ...b));
}

/**
 * d0(re, im, len, m): dense 2x2 on local qubit 0, where a vector holds the pair (x, y). m holds the vectors
 * (ar, cr), (ai, ci), (br, dr), (bi, di): lane 0 computes ar·x + br·y, lane 1 cr·x + dr·y.
 */
function d0(): Fn {
  const f = new Fn('d0', 4);
  const [re, im, len, m] = [0, 1, 2, 3];
  toBytes(f, len);
  const [c1, c1i, c2, c2i] = [0, 1, 2, 3].map((k) => loadCoef(f, m, k));
  const r = f.v(),
    i = f.v(),
    xr = f.v(),
    xi = f.v(),
    yr = f.v(),
    yi = f.v();
  loops(f, len, len, len, (off) => {
    // (sa = sb = len: one run over every vector)
    const pr = addr(f, re, off),
      pi = addr(f, im, off);
    f.get(pr);
    f.emit(...load());
    f.set(r);
    f.get(pi);
    f.emit(...load());
    f.set(i);
    dup(f, r, 0);
    f.set(xr);
    dup(f, r, 1);
    f.set(yr);
    dup(f, i, 0);
    f.set(xi);
    dup(f, i, 1);
    f.set(yi);
    const mul = (a: number, b: number) => {
      f.get(a, b);
      f.emit(...MUL);
    };
    f.get(pr);
    mul(c1, xr);
    mul(c1i, xi);
    f.emit(...VSUB);
    mul(c2, yr);
    f.emit(...VADD);
    mul(c2i, yi);
    f.emit(...VSUB, ...store());
    f.get(pi);
    mul(c1, xi);
    mul(c1i, xr);
    f.emit(...VADD);
    mul(c2, yi);
    f.emit(...VADD);
    mul(c2i, yr);
    f.emit(...VADD, ...store());
  });
  return f;
}

/** d2(re, im, len, sa, sb, m): dense 4x4 (32 doubles, row-major, interleaved, at m) on local qubits a < b, a >= 1. */
function d2(): Fn {
  const f = new Fn('d2', 6);
  const [re, im, len, sa, sb, m] = [0, 1, 2, 3, 4, 5];
  toBytes(f, len, sa, sb);
  const sab = f.i32();
  f.get(sa, sb);
  f.emit(ADD);
  f.set(sab);
  const M: number[] = [];
  for (let i = 0; i < 32; i++) {
    const v = f.v();
    f.get(m);
    f.emit(...simd(V_LOAD64_SPLAT, 3, ...uleb(8 * i)));
    f.set(v);
    M.push(v);
  }
  loops(f, len, sa, sb, (off) => {
    const { R, J, at } = loadAmplitudes(f, re, im, off, [null, sa, sb, sab]);
    for (let r = 0; r < 4; r++) {
      for (const part of ['re', 'im'] as const) {
        at(part, r);
        for (let k = 0; k < 4; k++) {
          const mr = M[2 * (r * 4 + k)],
            mi = M[2 * (r * 4 + k) + 1];
          f.get(mr, part === 're' ? R[k] : J[k]);
          f.emit(...MUL);
          if (k > 0) f.emit(...VADD);
          f.get(mi, part === 're' ? J[k] : R[k]);
          f.emit(...MUL, ...(part === 're' ? VSUB : VADD));
        }
        f.emit(...store());
      }
    }
  });
  return f;
}

/**
 * For re and im: loads the vectors at off + s1 (x) and off + s2 (y), stores toP(x, y) at the first place and
 * toQ(x, y) at the second (each pushes one vector). The body of the X, CX and swap kernels.
 */
function exchange(
  f: Fn,
  bases: number[],
  off: number,
  s1: number | undefined,
  s2: number | undefined,
  toP: (x: number, y: number) => void,
  toQ: (x: number, y: number) => void,
): void {
  const x = f.v(),
    y = f.v();
  for (const base of bases) {
    const p = addr(f, base, off, s1),
      q = addr(f, base, off, s2);
    f.get(p);
    f.emit(...load());
    f.set(x);
    f.get(q);
    f.emit(...load());
    f.set(y);
    f.get(p);
    toP(x, y);
    f.emit(...store());
    f.get(q);
    toQ(x, y);
    f.emit(...store());
  }
}

/** sw(re, im, len, sa, sb, s1, s2): exchanges the vectors at off + s1 and off + s2 (X, CX, swap on qubits >= 1). */
function sw(): Fn {
  const f = new Fn('sw', 7);
  const [re, im, len, sa, sb, s1, s2] = [0, 1, 2, 3, 4, 5, 6];
  toBytes(f, len, sa, sb, s1, s2);
  loops(f, len, sa, sb, (off) =>
    exchange(
      f,
      [re, im],
      off,
      s1,
      s2,
      (_x, y) => f.get(y),
      (x) => f.get(x),
    ),
  );
  return f;
}

/**
 * cx0(re, im, len, st): X on the qubit of stride st >= 2 where local qubit 0 is 1: lane 1 of the vectors at off
 * and off + st swaps, lane 0 stays (v128.bitselect(a, b, m) = (a & m) | (b & ~m)).
 */
function cx0(): Fn {
  const f = new Fn('cx0', 4);
  const [re, im, len, st] = [0, 1, 2, 3];
  toBytes(f, len, st);
  const mask = f.v();
  f.emit(...simd(V_CONST, ...new Array(8).fill(0), ...new Array(8).fill(0xff)));
  f.set(mask);
  const select = (a: number, b: number) => {
    f.get(a, b, mask);
    f.emit(...simd(V_BITSELECT));
  };
  loops(f, len, st, len, (off) =>
    exchange(
      f,
      [re, im],
      off,
      undefined,
      st,
      (x, y) => select(y, x),
      (x, y) => select(x, y),
    ),
  );
  return f;
}

/**
 * sw0(re, im, len, sb): swap of local qubit 0 with the qubit of stride sb >= 2: lane 1 of the vector at off
 * trades places with lane 0 of the vector at off + sb.
 */
function sw0(): Fn {
  const f = new Fn('sw0', 4);
  const [re, im, len, sb] = [0, 1, 2, 3];
  toBytes(f, len, sb);
  const lanes = (x: number, y: number, l0: number, l1: number) => {
    f.get(x, y);
    f.emit(
      ...simd(
        V_SHUFFLE,
        ...Array.from({ length: 8 }, (_, i) => l0 + i),
        ...Array.from({ length: 8 }, (_, i) => l1 + i),
      ),
    );
  };
  loops(f, len, sb, len, (off) =>
    exchange(
      f,
      [re, im],
      off,
      undefined,
      sb,
      (x, y) => lanes(x, y, 0, 16),
      (x, y) => lanes(x, y, 8, 24),
    ),
  );
  return f;
}

/**
 * pf(re, im, len, st, loBits, loC, loS, hiC, hiS): a phase fan on the qubit of stride st >= 2 (kernels.ts
 * phaseFan): amplitude i with that bit set gets (lo[i & loMask] · hi[i >> loBits]), the tables split into
 * cos and sin arrays at the given byte offsets.
 */
function pf(): Fn {
  const f = new Fn('pf', 9);
  const [re, im, len, st, loBits, loC, loS, hiC, hiS] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  toBytes(f, len, st);
  const loMask = f.i32();
  f.emit(I32C, 1);
  f.get(loBits);
  f.emit(SHL, I32C, 1, SUB);
  f.set(loMask);
  const lc = f.v(),
    ls = f.v(),
    hc = f.v(),
    hs = f.v(),
    fr = f.v(),
    fi = f.v(),
    xr = f.v(),
    xi = f.v();
  loops(f, len, st, len, (off) => {
    // y = off + st in bytes; amplitude index = y >> 3
    const y = f.i32(),
      lo = f.i32(),
      hi = f.i32();
    f.get(off, st);
    f.emit(ADD);
    f.set(y);
    f.get(y);
    f.emit(I32C, 3, SHRU);
    f.get(loMask);
    f.emit(AND, I32C, 3, SHL);
    f.set(lo);
    f.get(y);
    f.emit(I32C, 3, SHRU);
    f.get(loBits);
    f.emit(SHRU, I32C, 3, SHL);
    f.set(hi);
    for (const [v, tab] of [
      [lc, loC],
      [ls, loS],
    ]) {
      f.get(tab, lo);
      f.emit(ADD, ...load());
      f.set(v);
    }
    for (const [v, tab] of [
      [hc, hiC],
      [hs, hiS],
    ]) {
      f.get(tab, hi);
      f.emit(ADD, ...simd(V_LOAD64_SPLAT, 3, 0));
      f.set(v);
    }
    // f = lo·hi ; y ← f·y, the JavaScript kernel's order
    f.get(lc, hc);
    f.emit(...MUL);
    f.get(ls, hs);
    f.emit(...MUL, ...VSUB);
    f.set(fr);
    f.get(lc, hs);
    f.emit(...MUL);
    f.get(ls, hc);
    f.emit(...MUL, ...VADD);
    f.set(fi);
    const pr = addr(f, re, y),
      pi = addr(f, im, y);
    f.get(pr);
    f.emit(...load());
    f.set(xr);
    f.get(pi);
    f.emit(...load());
    f.set(xi);
    f.get(pr, fr, xr);
    f.emit(...MUL);
    f.get(fi, xi);
    f.emit(...MUL, ...VSUB, ...store());
    f.get(pi, fr, xi);
    f.emit(...MUL);
    f.get(fi, xr);
    f.emit(...MUL, ...VADD, ...store());
  });
  return f;
}

// ---- chunk gather / scatter -----------------------------------------------------------------------------

/**
 * gather(cre, cim, sre, sim, tab, tabEnd, runBytes) copies a chunk's runs from the state into contiguous
 * scratch: run k starts at sre/sim + i32 tab[k] (byte offsets, tab..tabEnd) and holds runBytes (a multiple
 * of 64). scatter(...) copies them back. One 4-vector step per 64 bytes: the copy that a JavaScript loop
 * over runs of 8 amplitudes made cost half of QFT's time.
 */
function copyRuns(toState: boolean): Fn {
  const f = new Fn(toState ? 'scatter' : 'gather', 7);
  const [cre, cim, sre, sim, tab, tabEnd, runBytes] = [0, 1, 2, 3, 4, 5, 6];
  const a = f.i32(),
    b = f.i32(),
    end = f.i32();
  f.emit(LOOP, VOID);
  // a, b: the run in the state; cre, cim advance through the scratch
  f.get(tab);
  f.emit(I32_LOAD, 2, 0);
  f.tee(a);
  f.get(sim);
  f.emit(ADD);
  f.set(b);
  f.get(a, sre);
  f.emit(ADD);
  f.tee(a);
  f.get(runBytes);
  f.emit(ADD);
  f.set(end);
  f.emit(LOOP, VOID);
  for (const [c, s] of [
    [cre, a],
    [cim, b],
  ]) {
    const [dst, src] = toState ? [s, c] : [c, s];
    for (let k = 0; k < 4; k++) {
      f.get(dst, src);
      f.emit(...load(16 * k), ...store(16 * k));
    }
  }
  for (const l of [cre, cim, a, b]) {
    f.get(l);
    f.emit(I32C, ...sleb(64), ADD);
    f.set(l);
  }
  f.get(a, end);
  f.emit(LTU, BRIF, 0, END);
  f.get(tab);
  f.emit(I32C, 4, ADD);
  f.tee(tab);
  f.get(tabEnd);
  f.emit(LTU, BRIF, 0, END);
  return f;
}

// ---- the module ---------------------------------------------------------------------------------------

type Kernel7 = (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => void;

export interface GateWasm {
  mem: WebAssembly.Memory;
  d0: (re: number, im: number, len: number, m: number) => void;
  d2: (re: number, im: number, len: number, sa: number, sb: number, m: number) => void;
  sw: Kernel7;
  cx0: (re: number, im: number, len: number, st: number) => void;
  sw0: (re: number, im: number, len: number, sb: number) => void;
  pf: (
    re: number,
    im: number,
    len: number,
    st: number,
    loBits: number,
    loC: number,
    loS: number,
    hiC: number,
    hiS: number,
  ) => void;
  /** 2x2 kernels by patternKey; undefined for patterns without one. */
  g1: Array<Kernel7 | undefined>;
  /** The same patterns on local qubit 0 (transposed pairs), by patternKey. */
  g0: Array<Kernel7 | undefined>;
  gather: Kernel7;
  scatter: Kernel7;
}

export function gateModuleBytes(memory: MemoryKind = 'import'): Uint8Array<ArrayBuffer> {
  const fns = [
    d0(),
    d2(),
    sw(),
    cx0(),
    sw0(),
    pf(),
    copyRuns(false),
    copyRuns(true),
    ...patterns().map(g1),
    ...patterns().map(g0),
  ];
  return assembleModule(
    fns.map((f) => f.build()),
    memory,
  );
}

// the kernels import their memory: a state's own (shared when worker threads work on it) or a thread's private one
const sharedModule = lazyModule(() => gateModuleBytes('import-shared'));
const plainModule = lazyModule(() => gateModuleBytes('import'));
const instances = new WeakMap<WebAssembly.Memory, GateWasm>();
let patternKeys: number[] | null = null;

/** Whether this host runs the SIMD gate kernels (WebAssembly with SIMD). */
export function hasGateWasm(): boolean {
  return plainModule() !== null;
}

/**
 * This thread's kernels over `mem` (instantiated once per memory), or null where WebAssembly SIMD, or shared
 * WebAssembly memory for a shared one, is missing.
 */
export function gateWasmOver(mem: WebAssembly.Memory): GateWasm | null {
  const hit = instances.get(mem);
  if (hit) return hit;
  const shared = typeof SharedArrayBuffer !== 'undefined' && mem.buffer instanceof SharedArrayBuffer;
  const compiled = (shared ? sharedModule : plainModule)();
  if (!compiled) return null;
  const e = new WebAssembly.Instance(compiled, { env: { mem } }).exports as unknown as GateWasm &
    Record<string, Kernel7>;
  patternKeys ??= patterns().map(patternKey);
  const g1: Array<Kernel7 | undefined> = [];
  const g0: Array<Kernel7 | undefined> = [];
  for (const k of patternKeys) {
    g1[k] = e[`g${k}`];
    g0[k] = e[`h${k}`];
  }
  const { d0, d2, sw, cx0, sw0, pf, gather, scatter } = e;
  const w: GateWasm = { mem, d0, d2, sw, cx0, sw0, pf, gather, scatter, g1, g0 };
  instances.set(mem, w);
  return w;
}

let privateMemory: WebAssembly.Memory | null = null;

/** This thread's kernels over its private memory (scratch for states outside WebAssembly memory), or null. */
export function gateWasm(): GateWasm | null {
  if (!hasGateWasm()) return null;
  privateMemory ??= new WebAssembly.Memory({ initial: 1 });
  return gateWasmOver(privateMemory);
}

/** Bytes of an area's parameters: the current op's coefficients, then its phase-fan tables. */
export const PARAM_BYTES = 1 << 17;
/** Largest chunk (log2 amplitudes) an area's scratch holds; the engine's SIMD block. */
export const SCRATCH_QUBITS = 15;
/** Runs of at least 8 amplitudes (64 bytes, the copy kernels' step): at most this many per chunk. */
const RUNTAB_BYTES = 4 * 2 ** (SCRATCH_QUBITS - 3);
/** One thread's area in a state's memory: parameters, a chunk's run table, re and im scratch. */
export const AREA_BYTES = PARAM_BYTES + RUNTAB_BYTES + 16 * 2 ** SCRATCH_QUBITS;

/** A thread's region of a memory that its kernels use (byte offsets). */
export interface Area {
  w: GateWasm;
  par: number;
  runTab: number;
  /** re scratch; im follows at scratch + 8·scratchAmps. */
  scratch: number;
  scratchAmps: number;
}

/** Area `index` of a memory laid out by AREA_BYTES (a state's memory), or null without SIMD kernels. */
export function areaOf(mem: WebAssembly.Memory, index: number): Area | null {
  const w = gateWasmOver(mem);
  if (!w) return null;
  const par = index * AREA_BYTES;
  const runTab = par + PARAM_BYTES;
  return { w, par, runTab, scratch: runTab + RUNTAB_BYTES, scratchAmps: 2 ** SCRATCH_QUBITS };
}

/** This thread's private area with scratch for `size` amplitudes (the memory grows to fit), or null. */
export function privateArea(size: number): Area | null {
  const w = gateWasm();
  if (!w || !ensureMemory(w.mem, PARAM_BYTES + 16 * size)) return null;
  return { w, par: 0, runTab: -1, scratch: PARAM_BYTES, scratchAmps: size };
}

/**
 * Split re/im scratch of `size` amplitudes in this thread's private memory (one pair at a time: a later call
 * reuses the same bytes), or null without WebAssembly SIMD.
 */
export function wasmScratch(size: number): { re: Float64Array; im: Float64Array } | null {
  const a = privateArea(size);
  if (!a) return null;
  const buf = a.w.mem.buffer;
  return {
    re: new Float64Array(buf, a.scratch, size),
    im: new Float64Array(buf, a.scratch + 8 * size, size),
  };
}
