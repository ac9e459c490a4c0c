import type { GateName } from '../ir/circuit.js';
import { Kernel } from '../kernel/kernel.js';
import type { MeasureHandle, QVector } from '../kernel/values.js';

export class QasmError extends SyntaxError {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

interface Stmt {
  text: string;
  line: number;
}

/** Splits source into statements (`;`-terminated, or `{ ... }` gate bodies), remembering each one's line. */
function statements(src: string): Stmt[] {
  const out: Stmt[] = [];
  let cur = '';
  let line = 1;
  let start = 1;
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      i--;
      continue;
    }
    if (ch === '\n') line++;
    if (cur.trim() === '' && !/\s/.test(ch)) start = line;
    cur += ch;
    if (ch === '{') depth++;
    if (ch === '}') {
      depth--;
      if (depth === 0) {
        out.push({ text: cur.trim(), line: start });
        cur = '';
      }
    }
    if (ch === ';' && depth === 0) {
      out.push({ text: cur.trim(), line: start });
      cur = '';
    }
  }
  if (cur.trim() !== '')
    throw new QasmError(start, `statement "${cur.trim()}" is missing its terminating ';'`);
  return out;
}

/** Arithmetic on numbers, pi, gate parameters, + - * / ^, unary minus, and sin cos tan exp ln sqrt. */
function evalExpr(text: string, vars: Map<string, number>, line: number): number {
  const toks =
    text.match(/\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|\*\*|[-+*/^()]/g) ??
    [];
  if (toks.join('') !== text.replace(/\s+/g, '')) throw new QasmError(line, `malformed expression "${text}"`);
  let i = 0;
  const peek = () => toks[i];
  const fail = (m: string): never => {
    throw new QasmError(line, `malformed expression "${text}": ${m}`);
  };
  const FUNCS: Record<string, (x: number) => number> = {
    sin: Math.sin,
    cos: Math.cos,
    tan: Math.tan,
    exp: Math.exp,
    ln: Math.log,
    sqrt: Math.sqrt,
  };
  const primary = (): number => {
    const t = toks[i++];
    if (t === undefined) return fail('unexpected end');
    if (t === '(') {
      const v = sum();
      if (toks[i++] !== ')') fail("expected ')'");
      return v;
    }
    if (t === '-') return -power();
    if (t === '+') return power();
    if (/^[\d.]/.test(t)) return Number(t);
    if (t === 'pi') return Math.PI;
    if (FUNCS[t]) {
      if (toks[i++] !== '(') fail(`expected '(' after ${t}`);
      const v = sum();
      if (toks[i++] !== ')') fail("expected ')'");
      return FUNCS[t](v);
    }
    const v = vars.get(t);
    if (v === undefined) return fail(`unknown name '${t}'`);
    return v;
  };
  const power = (): number => {
    const b = primary();
    if (peek() === '^' || peek() === '**') {
      i++;
      return b ** power();
    }
    return b;
  };
  const product = (): number => {
    let v = power();
    while (peek() === '*' || peek() === '/') v = toks[i++] === '*' ? v * power() : v / power();
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (peek() === '+' || peek() === '-') v = toks[i++] === '+' ? v + product() : v - product();
    return v;
  };
  const v = sum();
  if (i !== toks.length) fail(`unexpected '${toks[i]}'`);
  return v;
}

/** Splits on top-level commas. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0,
    cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

type Builtin = { params: number; qubits: number; apply: (k: Kernel<[]>, p: number[], q: QRefs) => void };
type QRefs = ReturnType<QVector['at']>[];

const one = (name: GateName, np = 0): Builtin => ({
  params: np,
  qubits: 1,
  apply: (k, p, q) => k.gate(name, [q[0]], p),
});
const ctl = (name: GateName, np = 0): Builtin => ({
  params: np,
  qubits: 2,
  apply: (k, p, q) => k.gate(name, [q[1]], p, { controls: q[0] }),
});

const BUILTINS: Record<string, Builtin> = {
  id: { params: 0, qubits: 1, apply: () => {} },
  x: one('x'),
  y: one('y'),
  z: one('z'),
  h: one('h'),
  s: one('s'),
  sdg: one('sdg'),
  t: one('t'),
  tdg: one('tdg'),
  rx: one('rx', 1),
  ry: one('ry', 1),
  rz: one('rz', 1),
  u1: one('r1', 1),
  p: one('r1', 1),
  u3: one('u3', 3),
  u: one('u3', 3),
  U: one('u3', 3),
  u2: { params: 2, qubits: 1, apply: (k, p, q) => k.u3(Math.PI / 2, p[0], p[1], q[0]) },
  sx: { params: 0, qubits: 1, apply: (k, _p, q) => k.rx(Math.PI / 2, q[0]) },
  cx: ctl('x'),
  CX: ctl('x'),
  cy: ctl('y'),
  cz: ctl('z'),
  ch: ctl('h'),
  crx: ctl('rx', 1),
  cry: ctl('ry', 1),
  crz: ctl('rz', 1),
  cu1: ctl('r1', 1),
  cp: ctl('r1', 1),
  cu3: ctl('u3', 3),
  swap: { params: 0, qubits: 2, apply: (k, _p, q) => k.swap(q[0], q[1]) },
  ccx: { params: 0, qubits: 3, apply: (k, _p, q) => k.gate('x', [q[2]], [], { controls: [q[0], q[1]] }) },
  cswap: { params: 0, qubits: 3, apply: (k, _p, q) => k.gate('swap', [q[1], q[2]], [], { controls: q[0] }) },
};

interface GateDef {
  params: string[];
  qubits: string[];
  body: Stmt[];
}

/** Parses OpenQASM 2.0 (qelib1.inc gates, gate definitions, measure, reset, barrier, if) into a kernel. */
export function fromQasm(source: string): Kernel<[]> {
  if (typeof source !== 'string') throw new TypeError('fromQasm expects the OpenQASM source text');
  const stmts = statements(source);
  const qregs = new Map<string, { offset: number; size: number }>();
  const cregs = new Map<string, { size: number; handles: Array<MeasureHandle | undefined> }>();
  const defs = new Map<string, GateDef>();
  // first pass: registers (a kernel allocates its qubits once)
  let total = 0;
  for (const s of stmts) {
    const m = /^qreg\s+([A-Za-z_]\w*)\s*\[\s*(\d+)\s*\]\s*;$/.exec(s.text);
    if (m) {
      if (qregs.has(m[1])) throw new QasmError(s.line, `qreg '${m[1]}' is declared twice`);
      qregs.set(m[1], { offset: total, size: Number(m[2]) });
      total += Number(m[2]);
    } else if (/^qreg\b/.test(s.text))
      throw new QasmError(s.line, `malformed statement "${s.text}": expected qreg name[size];`);
  }
  if (total === 0) throw new QasmError(1, 'no qreg declared; expected e.g. qreg q[2];');
  const [k] = [new Kernel<[]>([], 'qasm')];
  const all = k.qalloc(total);

  const resolveOperand = (arg: string, line: number, scope?: Map<string, QRefs[number]>): QRefs => {
    if (scope) {
      const q = scope.get(arg);
      if (!q) throw new QasmError(line, `unknown qubit argument '${arg}' in gate body`);
      return [q];
    }
    const m = /^([A-Za-z_]\w*)\s*(?:\[\s*(\d+)\s*\])?$/.exec(arg);
    if (!m) throw new QasmError(line, `malformed qubit operand "${arg}": expected name or name[index]`);
    const reg = qregs.get(m[1]);
    if (!reg) throw new QasmError(line, `unknown qreg '${m[1]}'`);
    if (m[2] === undefined) return Array.from({ length: reg.size }, (_, i) => all[reg.offset + i]);
    const idx = Number(m[2]);
    if (idx >= reg.size)
      throw new QasmError(line, `qubit index ${idx} is out of range for ${m[1]}[${reg.size}]`);
    return [all[reg.offset + idx]];
  };

  const applyGate = (
    text: string,
    line: number,
    vars: Map<string, number>,
    scope?: Map<string, QRefs[number]>,
  ) => {
    const m = /^([A-Za-z_]\w*)\s*(?:\((.*)\))?\s+(.+?)\s*;?$/.exec(text);
    if (!m) throw new QasmError(line, `malformed statement "${text}": expected gate(params) qubits;`);
    const [, name, paramText, argText] = m;
    const params =
      paramText === undefined || paramText.trim() === ''
        ? []
        : splitArgs(paramText).map((p) => evalExpr(p, vars, line));
    const operands = splitArgs(argText).map((a) => resolveOperand(a, line, scope));
    const builtin = BUILTINS[name];
    const def = defs.get(name);
    if (!builtin && !def) {
      throw new QasmError(
        line,
        `unknown gate '${name}'; known gates: ${[...Object.keys(BUILTINS), ...defs.keys()].join(', ')}`,
      );
    }
    const nParams = builtin ? builtin.params : (def as GateDef).params.length;
    const nQubits = builtin ? builtin.qubits : (def as GateDef).qubits.length;
    if (params.length !== nParams)
      throw new QasmError(line, `gate '${name}' takes ${nParams} parameter(s), got ${params.length}`);
    if (operands.length !== nQubits)
      throw new QasmError(line, `gate '${name}' acts on ${nQubits} qubit(s), got ${operands.length}`);
    // register broadcast: registers of equal size apply the gate element-wise
    const width = Math.max(...operands.map((o) => o.length));
    for (const o of operands)
      if (o.length !== 1 && o.length !== width)
        throw new QasmError(line, `registers of different sizes in one gate application`);
    for (let w = 0; w < width; w++) {
      const qs = operands.map((o) => (o.length === 1 ? o[0] : o[w]));
      if (new Set(qs.map(String)).size !== qs.length)
        throw new QasmError(line, `gate '${name}' uses qubit ${String(qs[0])} more than once`);
      try {
        if (builtin) builtin.apply(k, params, qs);
        else {
          const d = def as GateDef;
          const inner = new Map(d.params.map((p, i) => [p, params[i]]));
          const qscope = new Map(d.qubits.map((p, i) => [p, qs[i]]));
          for (const b of d.body) applyGate(b.text, b.line, inner, qscope);
        }
      } catch (e) {
        if (e instanceof QasmError) throw e;
        throw new QasmError(line, (e as Error).message);
      }
    }
  };

  for (const s of stmts) {
    const t = s.text;
    if (/^OPENQASM\s+2(\.0)?\s*;$/.test(t)) continue;
    if (/^OPENQASM\b/.test(t)) throw new QasmError(s.line, `only OpenQASM 2.0 is supported, got "${t}"`);
    if (/^include\s+"[^"]+"\s*;$/.test(t)) continue;
    if (/^qreg\b/.test(t) || /^barrier\b/.test(t)) continue;
    let m = /^creg\s+([A-Za-z_]\w*)\s*\[\s*(\d+)\s*\]\s*;$/.exec(t);
    if (m) {
      cregs.set(m[1], { size: Number(m[2]), handles: new Array(Number(m[2])) });
      continue;
    }
    if (/^creg\b/.test(t))
      throw new QasmError(s.line, `malformed statement "${t}": expected creg name[size];`);
    m = /^gate\s+([A-Za-z_]\w*)\s*(?:\(([^)]*)\))?\s*([^{]*)\{([\s\S]*)\}$/.exec(t);
    if (m) {
      const body = m[4]
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean)
        .map((x) => ({ text: `${x};`, line: s.line }));
      defs.set(m[1], {
        params: m[2] ? splitArgs(m[2]) : [],
        qubits: splitArgs(m[3]),
        body,
      });
      continue;
    }
    if (/^opaque\b/.test(t)) throw new QasmError(s.line, 'opaque gates cannot be simulated');
    m = /^measure\s+(.+?)\s*->\s*(.+?)\s*;$/.exec(t);
    if (m) {
      const qs = resolveOperand(m[1], s.line);
      const cm = /^([A-Za-z_]\w*)\s*(?:\[\s*(\d+)\s*\])?$/.exec(m[2]);
      if (!cm) throw new QasmError(s.line, `malformed measure target "${m[2]}"`);
      const creg = cregs.get(cm[1]);
      if (!creg) throw new QasmError(s.line, `unknown creg '${cm[1]}'`);
      const bits = cm[2] === undefined ? Array.from({ length: creg.size }, (_, i) => i) : [Number(cm[2])];
      if (bits.length !== qs.length)
        throw new QasmError(s.line, `measure maps ${qs.length} qubit(s) to ${bits.length} bit(s)`);
      qs.forEach((q, i) => {
        if (bits[i] >= creg.size)
          throw new QasmError(s.line, `bit index ${bits[i]} is out of range for ${cm[1]}[${creg.size}]`);
        creg.handles[bits[i]] = k.mz(q, cm[1]);
      });
      continue;
    }
    if (/^measure\b/.test(t))
      throw new QasmError(s.line, `malformed statement "${t}": expected measure q[i] -> c[j];`);
    m = /^reset\s+(.+?)\s*;$/.exec(t);
    if (m) {
      for (const q of resolveOperand(m[1], s.line)) k.reset(q);
      continue;
    }
    m = /^if\s*\(\s*([A-Za-z_]\w*)\s*==\s*(\d+)\s*\)\s*(.+)$/.exec(t);
    if (m) {
      const creg = cregs.get(m[1]);
      if (!creg) throw new QasmError(s.line, `unknown creg '${m[1]}'`);
      if (creg.size !== 1 || Number(m[2]) !== 1) {
        throw new QasmError(
          s.line,
          `only if(c==1) on a one-bit creg is supported (a condition on one mid-circuit measurement)`,
        );
      }
      const h = creg.handles[0];
      if (!h) throw new QasmError(s.line, `creg '${m[1]}' is read before any measurement writes it`);
      const body = m[3];
      k.cIf(h, () => applyGate(body, s.line, new Map()));
      continue;
    }
    applyGate(t, s.line, new Map());
  }
  return k;
}
