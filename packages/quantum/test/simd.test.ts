import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { getState, StatePool, setPlatform, type TargetOptions } from '../src/index.js';
import { gateMatrix } from '../src/ir/gates.js';
import { installNodePlatform } from '../src/node/platform.js';
import { WASM_MIN_QUBITS } from '../src/sim/engine.js';
import { gateWasm, wasmScratch } from '../src/sim/gates-wasm.js';
import { applyProgram } from '../src/sim/kernels.js';
import { applyProgramWasm } from '../src/sim/kernels-wasm.js';
import type { LOp } from '../src/sim/lowered.js';
import { encodeOps } from '../src/sim/segments.js';
import { assembleModule, I32, lazyInstance, sleb } from '../src/sim/wasm-asm.js';
import { buildKernel, gateArb, preparedState } from './circuits.js';
import { type RefGate, simulate } from './dense-reference.js';
import { simulateDirect } from './direct-reference.js';

after(() => installNodePlatform());

test('Node has WebAssembly SIMD, so the gate kernels below run; a host without it gets null and JavaScript', () => {
  assert.ok(gateWasm() !== null);
  // what a host without SIMD sees: bytes that do not validate give no instance (the engine then runs JavaScript)
  const broken = lazyInstance<{ mem: WebAssembly.Memory }>(() => new Uint8Array([0, 0x61, 0x73, 0x6d, 9]));
  assert.equal(broken.get(), null);
});

test('a module of more than 127 functions assembles (counts and indices are LEB128, not one byte)', () => {
  // f{i}(x) = x + i: each function its own type, so the type, function, export and code sections all pass 127
  const fns = Array.from({ length: 300 }, (_, i) => {
    const code = [0x20, 0, 0x41, ...sleb(i), 0x6a, 0x0b];
    return { name: `f${i}`, params: [I32], results: [I32], body: [code.length + 1, 0, ...code] };
  });
  const bytes = assembleModule(fns);
  assert.ok(WebAssembly.validate(bytes));
  const e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as Record<
    string,
    (x: number) => number
  >;
  assert.equal(e.f0(5), 5);
  assert.equal(e.f127(1), 128);
  assert.equal(e.f299(1), 300);
});

/** Runs `prog` from `start` with the JavaScript and the SIMD kernels; every amplitude agrees to 1e-12 relative. */
function assertSimdMatchesJs(
  prog: Float64Array,
  start: { re: Float64Array; im: Float64Array },
  what: string,
) {
  const N = start.re.length;
  const js = { re: start.re.slice(), im: start.im.slice() };
  const w = wasmScratch(N);
  assert.ok(w);
  w.re.set(js.re);
  w.im.set(js.im);
  applyProgram(js.re, js.im, N, prog);
  applyProgramWasm(w.re, w.im, N, prog);
  for (let i = 0; i < N; i++) {
    const tol = 1e-12 * (1 + Math.abs(js.re[i]) + Math.abs(js.im[i]));
    if (Math.abs(w.re[i] - js.re[i]) > tol || Math.abs(w.im[i] - js.im[i]) > tol)
      assert.fail(`amplitude ${i}: SIMD ${w.re[i]},${w.im[i]} JavaScript ${js.re[i]},${js.im[i]} (${what})`);
  }
}

// ---- kernels: every op the SIMD dispatcher handles, against the JavaScript kernels ---------------------

const NAMES = ['x', 'y', 'z', 'h', 's', 't', 'sdg', 'rx', 'ry', 'rz', 'r1', 'u3'] as const;
const NPARAMS: Record<string, number> = { rx: 1, ry: 1, rz: 1, r1: 1, u3: 3 };

function matArb() {
  return fc
    .record({
      name: fc.constantFrom(...NAMES),
      p: fc.array(fc.double({ min: -7, max: 7, noNaN: true }), { minLength: 3, maxLength: 3 }),
      adjoint: fc.boolean(),
    })
    .map(({ name, p, adjoint }) => gateMatrix(name, p.slice(0, NPARAMS[name] ?? 0), adjoint));
}

/** A lowered op on local qubits of a 2^L chunk: every kind, qubit 0 included, with 0–2 controls. */
function lopArb(L: number): fc.Arbitrary<LOp> {
  const perm = fc.shuffledSubarray(
    Array.from({ length: L }, (_, i) => i),
    { minLength: L, maxLength: L },
  );
  const nc = fc.integer({ min: 0, max: Math.min(2, L - 1) });
  return fc.oneof(
    fc
      .record({ perm, nc, mat: matArb() })
      .map(({ perm, nc, mat }): LOp => ({ k: 'm', t: perm[0], c: perm.slice(1, 1 + nc), mat })),
    fc
      .record({ perm, m0: matArb(), m1: matArb() })
      .map(({ perm, m0, m1 }): LOp => ({ k: 'mx', t: perm[0], c: perm[1], m0, m1 })),
    fc
      .record({ perm, nc: fc.integer({ min: 0, max: Math.min(1, L - 2) }) })
      .map(({ perm, nc }): LOp => ({ k: 'sw', a: perm[0], b: perm[1], c: perm.slice(2, 2 + nc) })),
    fc
      .record({
        perm,
        mat: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 32, maxLength: 32 }),
      })
      .map(
        ({ perm, mat }): LOp => ({
          k: 'd2',
          a: Math.min(perm[0], perm[1]),
          b: Math.max(perm[0], perm[1]),
          mat: Float64Array.from(mat),
        }),
      ),
    fc
      .record({
        perm,
        self: fc.double({ min: -4, max: 4, noNaN: true }),
        th: fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { maxLength: L - 1 }),
      })
      .map(
        ({ perm, self, th }): LOp => ({
          k: 'pf',
          j: perm[0],
          self,
          terms: th.map((t, i) => [perm[1 + i], t]),
        }),
      ),
    fc
      .record({
        perm,
        nx: fc.integer({ min: 0, max: 2 }),
        theta: fc.double({ min: -4, max: 4, noNaN: true }),
      })
      .map(
        ({ perm, nx, theta }): LOp => ({
          k: 'pe',
          xq: perm.slice(0, nx),
          zq: perm.slice(nx, nx + 2),
          ny: 0,
          c: [],
          cos: Math.cos(theta),
          sin: Math.sin(theta),
        }),
      ),
  );
}

test('SIMD kernels match the JavaScript kernels on random programs (every op kind, qubit 0, controls)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 9 }).chain((L) =>
        fc.record({
          L: fc.constant(L),
          ops: fc.array(lopArb(L), { minLength: 1, maxLength: 12 }),
          seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        }),
      ),
      ({ L, ops, seed }) => {
        const N = 2 ** L;
        const toLocal = new Map(Array.from({ length: L }, (_, q) => [q, q] as [number, number]));
        const prog = encodeOps(ops, toLocal);
        let s = seed;
        const r = () => {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          return s / 2 ** 32 - 0.5;
        };
        const start = { re: new Float64Array(N).map(r), im: new Float64Array(N).map(r) };
        assertSimdMatchesJs(prog, start, JSON.stringify(ops.map((o) => o.k)));
      },
    ),
    { numRuns: 400, seed: 4242 },
  );
});

test('2x2s on local qubit 0 (plain, controlled by qubit 1 or 5, muxed on qubit 1 or 5) match the JavaScript kernels', () => {
  // these run in the transposed-pair kernels (g0): qubit 1 is their lane, a higher control splits the pass
  const L = 10;
  const N = 2 ** L;
  const toLocal = new Map(Array.from({ length: L }, (_, q) => [q, q] as [number, number]));
  const mats = NAMES.map((name) => gateMatrix(name, [0.3, -1.1, 2.5].slice(0, NPARAMS[name] ?? 0), false));
  const ops: LOp[] = [];
  mats.forEach((mat, i) => {
    const other = mats[(i + 5) % mats.length];
    ops.push(
      { k: 'm', t: 0, c: [], mat },
      { k: 'm', t: 0, c: [1], mat },
      { k: 'm', t: 0, c: [5], mat },
      { k: 'mx', t: 0, c: 1, m0: mat, m1: other },
      { k: 'mx', t: 0, c: 5, m0: mat, m1: other },
    );
  });
  for (const op of ops) {
    const start = {
      re: Float64Array.from({ length: N }, (_, i) => Math.sin(i + 1)),
      im: Float64Array.from({ length: N }, (_, i) => Math.cos(3 * i)),
    };
    assertSimdMatchesJs(
      encodeOps([op], toLocal),
      start,
      JSON.stringify({ ...op, mat: undefined, m0: undefined, m1: undefined }),
    );
  }
});

// ---- the engine: SIMD on both sides of WASM_MIN_QUBITS, against an independent reference --------------

/** Per layer a rotation on every qubit, a CX ladder and a few random gates: rotation+CX fuse into muxes. */
function layeredArb(n: number): fc.Arbitrary<RefGate[]> {
  const rot = fc.record({
    name: fc.constantFrom('rx', 'ry', 'rz', 'h', 'u3'),
    p: fc.array(fc.double({ min: -7, max: 7, noNaN: true }), { minLength: 3, maxLength: 3 }),
  });
  return fc
    .record({
      layers: fc.array(
        fc.record({
          rots: fc.array(rot, { minLength: n, maxLength: n }),
          down: fc.boolean(),
          extra: fc.array(gateArb(n), { maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    })
    .map(({ layers }) =>
      layers.flatMap(({ rots, down, extra }) => [
        ...rots.map(
          (g, q): RefGate => ({
            name: g.name,
            targets: [q],
            controls: [],
            params: g.p.slice(0, NPARAMS[g.name] ?? 0),
            adjoint: false,
          }),
        ),
        ...Array.from(
          { length: n - 1 },
          (_, i): RefGate =>
            down
              ? { name: 'x', targets: [n - 1 - i - 1], controls: [n - 1 - i], params: [], adjoint: false }
              : { name: 'x', targets: [i + 1], controls: [i], params: [], adjoint: false },
        ),
        ...extra,
      ]),
    );
}

function assertMatches(n: number, gates: RefGate[], options: TargetOptions, label: string): void {
  const ref = simulateDirect(n, gates);
  const got = getState(buildKernel(n, gates), { target: { name: 'cpu', options } }).vector;
  for (let i = 0; i < ref.re.length; i++) {
    if (Math.abs(ref.re[i] - got.re[i]) > 1e-10 || Math.abs(ref.im[i] - got.im[i]) > 1e-10)
      assert.fail(
        `${label} n=${n} amplitude ${i}: reference ${ref.re[i]},${ref.im[i]} engine ${got.re[i]},${got.im[i]} (${JSON.stringify(options)})`,
      );
  }
}

test('the direct reference agrees with the Kronecker reference (so it can stand in above 8 qubits)', () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 1, max: 5 })
        .chain((n) => fc.record({ n: fc.constant(n), gates: fc.array(gateArb(n), { maxLength: 16 }) })),
      ({ n, gates }) => {
        const a = simulate(n, gates);
        const b = simulateDirect(n, gates);
        a.forEach(([re, im], i) => {
          assert.ok(Math.abs(re - b.re[i]) < 1e-12 && Math.abs(im - b.im[i]) < 1e-12, `amplitude ${i}`);
        });
      },
    ),
    { numRuns: 60, seed: 99 },
  );
});

test(`random and layered circuits on ${WASM_MIN_QUBITS - 1}–${WASM_MIN_QUBITS + 3} qubits match the direct reference with SIMD on and off, blocked and whole`, () => {
  fc.assert(
    fc.property(
      fc.integer({ min: WASM_MIN_QUBITS - 1, max: WASM_MIN_QUBITS + 3 }).chain((n) =>
        fc.record({
          n: fc.constant(n),
          gates: fc.oneof(fc.array(gateArb(n), { minLength: 5, maxLength: 40 }), layeredArb(n)),
        }),
      ),
      ({ n, gates }) => {
        assertMatches(n, gates, {}, 'default');
        assertMatches(n, gates, { blockQubits: 4 }, 'blocked');
        assertMatches(n, gates, { blockQubits: n - 2 }, 'blocked');
        assertMatches(n, gates, { simd: false }, 'JavaScript');
      },
    ),
    { numRuns: 30, seed: 31337 },
  );
});

test('worker threads running SIMD segments give bitwise the state of one thread, and match the reference', () => {
  const pool = new StatePool({ threads: 3, minQubits: 10 });
  setPlatform({ parallel: pool });
  try {
    fc.assert(
      fc.property(
        fc.integer({ min: 11, max: 13 }).chain((n) => fc.record({ n: fc.constant(n), gates: layeredArb(n) })),
        ({ n, gates }) => {
          const k = buildKernel(n, gates);
          for (const blockQubits of [5, n - 3]) {
            // the engine's own states: in shared WebAssembly memory, the SIMD kernels working in place
            const threaded = preparedState(k, { blockQubits });
            assert.ok(threaded.home?.mem.buffer instanceof SharedArrayBuffer);
            const one = preparedState(k, { blockQubits, threads: false });
            for (let i = 0; i < one.re.length; i++)
              if (threaded.re[i] !== one.re[i] || threaded.im[i] !== one.im[i])
                assert.fail(`amplitude ${i} differs (block ${blockQubits})`);
          }
          assertMatches(n, gates, { blockQubits: 5 }, 'threaded');
        },
      ),
      { numRuns: 8, seed: 5 },
    );
  } finally {
    void pool.close();
  }
});
