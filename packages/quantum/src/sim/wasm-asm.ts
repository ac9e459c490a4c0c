/**
 * The little WebAssembly assembler the SIMD kernels share (expectation-wasm.ts, gates-wasm.ts): LEB128
 * numbers, sections, a module with one exported memory, and lazy compilation that answers null where the host
 * has no WebAssembly SIMD (the kernels' callers then run JavaScript). No toolchain, nothing downloaded.
 */

export const I32 = 0x7f,
  F64 = 0x7c,
  V128 = 0x7b;

// opcodes the kernels use
export const LGET = 0x20,
  LSET = 0x21,
  LTEE = 0x22,
  I32C = 0x41,
  I32_LOAD = 0x28,
  F64C = 0x44,
  LTU = 0x49,
  POPCNT = 0x69,
  ADD = 0x6a,
  SUB = 0x6b,
  AND = 0x71,
  XOR = 0x73,
  SHL = 0x74,
  SHRU = 0x76,
  F64NEG = 0x9a,
  F64ADD = 0xa0,
  F64SUB = 0xa1,
  SELECT = 0x1b,
  LOOP = 0x03,
  BRIF = 0x0d,
  END = 0x0b,
  VOID = 0x40;
// SIMD opcodes (after the 0xfd prefix)
export const V_LOAD = 0x00,
  V_LOAD64_SPLAT = 0x0a,
  V_STORE = 0x0b,
  V_CONST = 0x0c,
  V_SHUFFLE = 0x0d,
  F64X2_EXTRACT = 0x21,
  V_XOR = 0x51,
  V_BITSELECT = 0x52,
  F64X2_ADD = 0xf0,
  F64X2_SUB = 0xf1,
  F64X2_MUL = 0xf2;

/** A SIMD instruction: prefix, opcode, immediates. */
export const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];

export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

export function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function str(s: string): number[] {
  return [...uleb(s.length), ...[...s].map((ch) => ch.charCodeAt(0))];
}

export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  /** Encoded body: size, locals, code, end. */
  body: number[];
}

/**
 * Where a module's one memory comes from: its own (one page to start, growable), or imported as `env.mem`
 * — `shared` for a SharedArrayBuffer-backed memory that worker threads instantiate the same module over.
 */
export type MemoryKind = 'own' | 'import' | 'import-shared';

/** Page limit of a 32-bit WebAssembly memory (4 GiB). */
export const MAX_PAGES = 65536;

/** A module exporting its memory as `mem` and each function under its name. */
export function assembleModule(fns: WasmFunction[], memory: MemoryKind = 'own'): Uint8Array<ArrayBuffer> {
  const types = [...uleb(fns.length)];
  for (const f of fns)
    types.push(0x60, ...uleb(f.params.length), ...f.params, ...uleb(f.results.length), ...f.results);
  const funcs = [...uleb(fns.length), ...fns.flatMap((_, i) => uleb(i))];
  // limits: 0x00 min; 0x03 min max shared (a shared memory must declare its maximum)
  const limits = memory === 'import-shared' ? [0x03, 1, ...uleb(MAX_PAGES)] : [0x00, 1];
  const imports = memory === 'own' ? [] : section(2, [1, ...str('env'), ...str('mem'), 2, ...limits]);
  const ownMemory = memory === 'own' ? section(5, [1, ...limits]) : [];
  const exports = [...uleb(fns.length + 1), ...str('mem'), 2, 0];
  fns.forEach((f, i) => {
    exports.push(...str(f.name), 0, ...uleb(i));
  });
  // the code section is most of the module: its bodies are copied once, into the result
  let codeBytes = 0;
  for (const f of fns) codeBytes += f.body.length;
  const codeHead = uleb(fns.length);
  const head = [
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, types),
    ...imports,
    ...section(3, funcs),
    ...ownMemory,
    ...section(7, exports),
    10,
    ...uleb(codeHead.length + codeBytes),
    ...codeHead,
  ];
  const out = new Uint8Array(head.length + codeBytes);
  out.set(head);
  let at = head.length;
  for (const f of fns) {
    out.set(f.body, at);
    at += f.body.length;
  }
  return out;
}

/**
 * A module compiled on first use; null where WebAssembly or its SIMD is missing (validation fails) so callers
 * fall back to JavaScript.
 */
export function lazyModule(bytes: () => Uint8Array<ArrayBuffer>): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        const b = bytes();
        compiled =
          typeof WebAssembly === 'object' && WebAssembly.validate(b) ? new WebAssembly.Module(b) : null;
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/**
 * This thread's instance of a module with its own memory, compiled on first use (null without WebAssembly
 * SIMD). `drop` forgets the instance, releasing its memory.
 */
export function lazyInstance<T extends { mem: WebAssembly.Memory }>(
  bytes: () => Uint8Array<ArrayBuffer>,
): { get(): T | null; drop(): void } {
  const compiled = lazyModule(bytes);
  let inst: T | null = null;
  return {
    get() {
      const m = compiled();
      if (!m) return null;
      if (!inst) inst = new WebAssembly.Instance(m).exports as unknown as T;
      return inst;
    },
    drop() {
      inst = null;
    },
  };
}

/** Grows `mem` to at least `bytes`; false when the host refuses. */
export function ensureMemory(mem: WebAssembly.Memory, bytes: number): boolean {
  const have = mem.buffer.byteLength;
  if (have >= bytes) return true;
  try {
    mem.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch {
    return false;
  }
}
