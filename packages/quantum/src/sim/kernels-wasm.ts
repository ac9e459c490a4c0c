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
  programOnScratch(re, im, len, prog)();
}

/** A program compiled once for split arrays in this thread's private SIMD memory (run it on each chunk copied there). */
export function programOnScratch(
  re: Float64Array,
  im: Float64Array,
  len: number,
  prog: Float64Array,
): () => void {
  const w = gateWasm();
  if (!w || re.buffer !== w.mem.buffer || im.buffer !== w.mem.buffer)
    throw new Error('applyProgramWasm: the arrays must live in this thread’s gate module memory');
  const run = compileProgram(w, 0, len, prog);
  const [ro, io] = [re.byteOffset, im.byteOffset];
  return () => run(ro, io);
}

/**
 * Runs a program in place on the split arrays at byte offsets `ro` and `io` of the kernels' memory (a chunk
 * of a state that lives there, or scratch), the op parameters going to the area at `par`. Ops with a vector
 * kernel run there; the rest (Pauli exponentials, gates with two or more controls) run
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
  compileProgram(w, par, len, prog)(ro, io);
}

/** A program in place on an area's memory (see applyProgramAt). */
export function applyProgramIn(area: Area, ro: number, io: number, len: number, prog: Float64Array): void {
  applyProgramAt(area.w, area.par, ro, io, len, prog);
}

/** A compiled program: runs on the chunk whose re and im arrays start at byte offsets ro and io. */
export type ChunkProgram = (ro: number, io: number) => void;

/**
 * Decodes a program once for chunks of `len` amplitudes — each op's kernel, coefficients and strides — so
 * that running it on each of a segment's chunks is only the kernel calls (decoding per chunk was ~8 % of a
 * layered circuit's time: pattern lookups and coefficient tables for every op of every chunk).
 */
export function compileProgram(w: GateWasm, par: number, len: number, prog: Float64Array): ChunkProgram {
  const k = new Kernels(w, par, len);
  const steps: ChunkProgram[] = [];
  for (let p = 0; p < prog.length; ) {
    const next = p + opLength(prog, p);
    const step = k.compile(prog, p);
    if (step) steps.push(step);
    else {
      const from = p;
      steps.push((ro, io) => {
        const buf = w.mem.buffer;
        applyProgram(new Float64Array(buf, ro, len), new Float64Array(buf, io, len), len, prog, from, next);
      });
    }
    p = next;
  }
  if (steps.length === 1) return steps[0];
  return (ro, io) => {
    for (const step of steps) step(ro, io);
  };
}

class Kernels {
  private readonly par: Float64Array;
  constructor(
    private readonly w: GateWasm,
    /** byte offset of the parameter area */
    private readonly base: number,
    private readonly len: number,
  ) {
    this.par = new Float64Array(w.mem.buffer, base, PARAM_BYTES / 8);
  }

  /** The op at p as a vector-kernel call; null when there is none for its shape. */
  compile(prog: Float64Array, p: number): ChunkProgram | null {
    const code = prog[p];
    if (code === OP_DENSE || code === OP_DIAG) {
      const m =
        code === OP_DENSE
          ? prog.slice(p + 3, p + 11)
          : [prog[p + 3], prog[p + 4], 0, 0, 0, 0, prog[p + 5], prog[p + 6]];
      return this.controlled2x2(prog[p + 1], prog[p + 2], m);
    }
    if (code === OP_MUX)
      return this.mux(prog[p + 1], prog[p + 2], prog.slice(p + 3, p + 11), prog.slice(p + 11, p + 19));
    if (code === OP_X) return this.x(prog[p + 1], prog[p + 2]);
    if (code === OP_SWAP) return prog[p + 3] === 0 ? this.swap(prog[p + 1], prog[p + 2]) : null;
    if (code === OP_DENSE2) {
      if (prog[p + 1] < 1) return null;
      const coef = prog.slice(p + 3, p + 35);
      const [sa, sb, len, base, par, d2] = [
        1 << prog[p + 1],
        1 << prog[p + 2],
        this.len,
        this.base,
        this.par,
        this.w.d2,
      ];
      return (ro, io) => {
        par.set(coef);
        d2(ro, io, len, sa, sb, base);
      };
    }
    if (code === OP_PHASEFAN) return this.phaseFan(prog, p);
    return null;
  }

  /** A 2x2 on t, uncontrolled or with one control. */
  private controlled2x2(t: number, cm: number, m: ArrayLike<number>): ChunkProgram | null {
    if ((cm & (cm - 1)) !== 0) return null;
    if (cm === 0) return this.g1(t, this.len, 0, m, m) ?? (t === 0 ? this.dense0(m) : null);
    const c = 31 - Math.clz32(cm);
    // the lane bit (qubit 0 above qubit 0, qubit 1 on it) gives per-lane matrices; another control bit
    // restricts the pass to the positions where it is set
    return c === lane(t) ? this.g1(t, this.len, 0, identity, m) : this.g1(t, 1 << c, 1 << c, m, m);
  }

  /** d0: any dense 2x2 on qubit 0, for patterns without a transposed kernel. */
  private dense0(m: ArrayLike<number>): ChunkProgram {
    // lane 0 computes row 0, lane 1 row 1: vectors (ar, cr), (ai, ci), (br, dr), (bi, di)
    const coef = new Float64Array(8);
    for (let k = 0; k < 4; k++) {
      coef[2 * k] = m[k];
      coef[2 * k + 1] = m[4 + k];
    }
    const [len, base, par, d0] = [this.len, this.base, this.par, this.w.d0];
    return (ro, io) => {
      par.set(coef);
      d0(ro, io, len, base);
    };
  }

  private mux(t: number, c: number, m0: ArrayLike<number>, m1: ArrayLike<number>): ChunkProgram | null {
    if (c === lane(t)) return this.g1(t, this.len, 0, m0, m1);
    // both halves in SIMD or neither (the caller then runs the whole op in JavaScript)
    const lo = this.g1(t, 1 << c, 0, m0, m0),
      hi = this.g1(t, 1 << c, 1 << c, m1, m1);
    if (!lo || !hi) return null;
    return (ro, io) => {
      lo(ro, io);
      hi(ro, io);
    };
  }

  /**
   * The pattern kernel for a 2x2 on t over the positions whose bit `sc` (a stride; `len` for none) equals
   * `start`/`sc`; lane 0 takes `lane0`, lane 1 `lane1` (the lane is qubit 0, or qubit 1 for t = 0, whose
   * kernels pair transposed vectors).
   */
  private g1(
    t: number,
    sc: number,
    start: number,
    lane0: ArrayLike<number>,
    lane1: ArrayLike<number>,
  ): ChunkProgram | null {
    const key = patternKey(patternOf(lane0, lane1));
    const kernel = t === 0 ? this.w.g0[key] : this.w.g1[key];
    if (!kernel) return null;
    const slot = COEF_BYTES / 8;
    const coef = new Float64Array(8 * slot);
    for (let e = 0; e < 8; e++) {
      // coefficient slot e (entry e >> 1, re or im) as one vector
      coef[slot * e] = lane0[e];
      coef[slot * e + 1] = lane1[e];
    }
    // on qubit 0 the kernel pairs the vectors at off and off + 2 amplitudes
    const st = t === 0 ? 2 : 1 << t;
    const [off, len, sa, sb, base, par] = [
      8 * start,
      this.len,
      Math.min(st, sc),
      Math.max(st, sc),
      this.base,
      this.par,
    ];
    return (ro, io) => {
      par.set(coef);
      kernel(ro + off, io + off, len, sa, sb, st, base);
    };
  }

  private x(t: number, cm: number): ChunkProgram | null {
    // on qubit 0 the pair sits inside one vector: the transposed-pair kernels take it as a 2x2
    if (t === 0) return this.controlled2x2(0, cm, pauliX);
    const st = 1 << t;
    const [len, w] = [this.len, this.w];
    if (cm === 0) return (ro, io) => w.sw(ro, io, len, st, len, 0, st);
    if ((cm & (cm - 1)) !== 0) return null;
    if (cm === 1) return (ro, io) => w.cx0(ro, io, len, st);
    const [sa, sb] = [Math.min(st, cm), Math.max(st, cm)];
    return (ro, io) => w.sw(ro, io, len, sa, sb, cm, cm + st);
  }

  private swap(qa: number, qb: number): ChunkProgram {
    const a = Math.min(qa, qb),
      b = Math.max(qa, qb);
    const [len, w] = [this.len, this.w];
    if (a === 0) return (ro, io) => w.sw0(ro, io, len, 1 << b);
    return (ro, io) => w.sw(ro, io, len, 1 << a, 1 << b, 1 << a, 1 << b);
  }

  private phaseFan(prog: Float64Array, p: number): ChunkProgram | null {
    const j = prog[p + 1],
      loBits = prog[p + 2],
      loLen = prog[p + 3],
      hiLen = prog[p + 4];
    if (j === 0 || TABLES + 16 * (loLen + hiLen) > PARAM_BYTES) return null;
    // split the interleaved (cos, sin) tables: cos runs load as vectors of neighbouring entries
    const tables = new Float64Array(2 * (loLen + hiLen));
    const loC = 0,
      loS = loLen,
      hiC = 2 * loLen,
      hiS = hiC + hiLen;
    for (let l = 0; l < loLen; l++) {
      tables[loC + l] = prog[p + 5 + 2 * l];
      tables[loS + l] = prog[p + 6 + 2 * l];
    }
    const h0 = p + 5 + 2 * loLen;
    for (let h = 0; h < hiLen; h++) {
      tables[hiC + h] = prog[h0 + 2 * h];
      tables[hiS + h] = prog[h0 + 2 * h + 1];
    }
    const t = this.base + TABLES;
    const [len, par, pf, st] = [this.len, this.par, this.w.pf, 1 << j];
    return (ro, io) => {
      par.set(tables, TABLES / 8);
      pf(ro, io, len, st, loBits, t + 8 * loC, t + 8 * loS, t + 8 * hiC, t + 8 * hiS);
    };
  }
}

const identity = [1, 0, 0, 0, 0, 0, 1, 0];
const pauliX = [0, 0, 1, 0, 1, 0, 0, 0];

/** The qubit a vector's two lanes differ in, for a 2x2 on t: 0, or 1 for t = 0 (transposed pairs). */
function lane(t: number): number {
  return t === 0 ? 1 : 0;
}
