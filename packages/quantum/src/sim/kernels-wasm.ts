import {
  type Area,
  COEF_BYTES,
  type GateWasm,
  gateWasm,
  PARAM_BYTES,
  patternKey,
  patternOf,
} from './gates-wasm.js';
import {
  applyProgram,
  OP_DENSE,
  OP_DENSE2,
  OP_DIAG,
  OP_MUX,
  OP_PHASEFAN,
  OP_SWAP,
  OP_X,
  opLength,
} from './kernels.js';

/** Where the phase-fan tables go in the parameter area (coefficients sit below). */
const TABLES = 1024;

/**
 * Runs a program on split arrays that live in this thread's private SIMD memory (gates-wasm.ts wasmScratch).
 */
export function applyProgramWasm(re: Float64Array, im: Float64Array, len: number, prog: Float64Array): void {
  const w = gateWasm();
  if (!w || re.buffer !== w.mem.buffer || im.buffer !== w.mem.buffer)
    throw new Error('applyProgramWasm: the arrays must live in this thread’s gate module memory');
  applyProgramAt(w, 0, re.byteOffset, im.byteOffset, len, prog);
}

/**
 * Runs a program in place on the split arrays at byte offsets `ro` and `io` of the kernels' memory (a chunk
 * of a state that lives there, or scratch), the op parameters going to the area at `par`. Ops with a vector
 * kernel run there; the rest (Pauli exponentials, multi-controlled gates, a few shapes on local qubit 0) run
 * the JavaScript kernels on views of the same bytes.
 */
export function applyProgramAt(
  w: GateWasm,
  par: number,
  ro: number,
  io: number,
  len: number,
  prog: Float64Array,
): void {
  const k = new Kernels(w, par, ro, io, len);
  for (let p = 0; p < prog.length; ) {
    const next = p + opLength(prog, p);
    if (!k.run(prog, p)) {
      const buf = w.mem.buffer;
      applyProgram(new Float64Array(buf, ro, len), new Float64Array(buf, io, len), len, prog, p, next);
    }
    p = next;
  }
}

/** A program in place on an area's memory (see applyProgramAt). */
export function applyProgramIn(area: Area, ro: number, io: number, len: number, prog: Float64Array): void {
  applyProgramAt(area.w, area.par, ro, io, len, prog);
}

class Kernels {
  private readonly par: Float64Array;
  constructor(
    private readonly w: GateWasm,
    /** byte offset of the parameter area */
    private readonly base: number,
    private readonly ro: number,
    private readonly io: number,
    private readonly len: number,
  ) {
    this.par = new Float64Array(w.mem.buffer, base, PARAM_BYTES / 8);
  }

  /** Runs the op at p with a vector kernel; false when there is none for its shape. */
  run(prog: Float64Array, p: number): boolean {
    const code = prog[p];
    if (code === OP_DENSE || code === OP_DIAG) {
      const m =
        code === OP_DENSE
          ? prog.subarray(p + 3, p + 11)
          : [prog[p + 3], prog[p + 4], 0, 0, 0, 0, prog[p + 5], prog[p + 6]];
      return this.controlled2x2(prog[p + 1], prog[p + 2], m);
    }
    if (code === OP_MUX)
      return this.mux(prog[p + 1], prog[p + 2], prog.subarray(p + 3, p + 11), prog.subarray(p + 11, p + 19));
    if (code === OP_X) return this.x(prog[p + 1], prog[p + 2]);
    if (code === OP_SWAP) return prog[p + 3] === 0 && this.swap(prog[p + 1], prog[p + 2]);
    if (code === OP_DENSE2) {
      if (prog[p + 1] < 1) return false;
      this.par.set(prog.subarray(p + 3, p + 35));
      this.w.d2(this.ro, this.io, this.len, 1 << prog[p + 1], 1 << prog[p + 2], this.base);
      return true;
    }
    if (code === OP_PHASEFAN) return this.phaseFan(prog, p);
    return false;
  }

  /** A 2x2 on t, uncontrolled or with one control. */
  private controlled2x2(t: number, cm: number, m: ArrayLike<number>): boolean {
    if (cm === 0) {
      if (t === 0) {
        // lane 0 computes row 0, lane 1 row 1: vectors (ar, cr), (ai, ci), (br, dr), (bi, di)
        const par = this.par;
        for (let k = 0; k < 4; k++) {
          par[2 * k] = m[k];
          par[2 * k + 1] = m[4 + k];
        }
        this.w.d0(this.ro, this.io, this.len, this.base);
        return true;
      }
      return this.g1(t, this.len, 0, m, m);
    }
    if (t === 0 || (cm & (cm - 1)) !== 0) return false;
    const c = 31 - Math.clz32(cm);
    // positions with the control bit set: start one control stride in
    return c === 0 ? this.g1(t, this.len, 0, identity, m) : this.g1(t, 1 << c, 1 << c, m, m);
  }

  private mux(t: number, c: number, m0: ArrayLike<number>, m1: ArrayLike<number>): boolean {
    if (t === 0) return false;
    if (c === 0) return this.g1(t, this.len, 0, m0, m1);
    // both halves in SIMD or neither (the caller then runs the whole op in JavaScript)
    if (!this.has(m0, m0) || !this.has(m1, m1)) return false;
    return this.g1(t, 1 << c, 0, m0, m0) && this.g1(t, 1 << c, 1 << c, m1, m1);
  }

  private has(lane0: ArrayLike<number>, lane1: ArrayLike<number>): boolean {
    return this.w.g1[patternKey(patternOf(lane0, lane1))] !== undefined;
  }

  /**
   * The pattern kernel for a 2x2 on t ≥ 1 over the positions whose bit `sc` (a stride; `len` for none) equals
   * `start`/`sc`; lane 0 (even index) takes `lane0`, lane 1 `lane1`.
   */
  private g1(
    t: number,
    sc: number,
    start: number,
    lane0: ArrayLike<number>,
    lane1: ArrayLike<number>,
  ): boolean {
    const kernel = this.w.g1[patternKey(patternOf(lane0, lane1))];
    if (!kernel) return false;
    const par = this.par;
    for (let e = 0; e < 8; e++) {
      // coefficient slot e (entry e >> 1, re or im) as one vector
      par[(COEF_BYTES / 8) * e] = lane0[e];
      par[(COEF_BYTES / 8) * e + 1] = lane1[e];
    }
    const st = 1 << t;
    kernel(
      this.ro + 8 * start,
      this.io + 8 * start,
      this.len,
      Math.min(st, sc),
      Math.max(st, sc),
      st,
      this.base,
    );
    return true;
  }

  private x(t: number, cm: number): boolean {
    if (t === 0) return false;
    const st = 1 << t;
    if (cm === 0) {
      this.w.sw(this.ro, this.io, this.len, st, this.len, 0, st);
      return true;
    }
    if ((cm & (cm - 1)) !== 0) return false;
    if (cm === 1) {
      this.w.cx0(this.ro, this.io, this.len, st);
      return true;
    }
    this.w.sw(this.ro, this.io, this.len, Math.min(st, cm), Math.max(st, cm), cm, cm + st);
    return true;
  }

  private swap(qa: number, qb: number): boolean {
    const a = Math.min(qa, qb),
      b = Math.max(qa, qb);
    if (a === 0) this.w.sw0(this.ro, this.io, this.len, 1 << b);
    else this.w.sw(this.ro, this.io, this.len, 1 << a, 1 << b, 1 << a, 1 << b);
    return true;
  }

  private phaseFan(prog: Float64Array, p: number): boolean {
    const j = prog[p + 1],
      loBits = prog[p + 2],
      loLen = prog[p + 3],
      hiLen = prog[p + 4];
    if (j === 0 || TABLES + 16 * (loLen + hiLen) > PARAM_BYTES) return false;
    // split the interleaved (cos, sin) tables: cos runs load as vectors of neighbouring entries
    const par = this.par;
    const loC = TABLES / 8,
      loS = loC + loLen,
      hiC = loS + loLen,
      hiS = hiC + hiLen;
    for (let l = 0; l < loLen; l++) {
      par[loC + l] = prog[p + 5 + 2 * l];
      par[loS + l] = prog[p + 6 + 2 * l];
    }
    const h0 = p + 5 + 2 * loLen;
    for (let h = 0; h < hiLen; h++) {
      par[hiC + h] = prog[h0 + 2 * h];
      par[hiS + h] = prog[h0 + 2 * h + 1];
    }
    const b = this.base;
    this.w.pf(this.ro, this.io, this.len, 1 << j, loBits, b + 8 * loC, b + 8 * loS, b + 8 * hiC, b + 8 * hiS);
    return true;
  }
}

const identity = [1, 0, 0, 0, 0, 0, 1, 0];
