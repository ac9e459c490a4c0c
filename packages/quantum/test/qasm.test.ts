import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fromQasm, getState, kernelToQasm, makeKernel, QasmError, sample } from '../src/index.js';
import { buildKernel } from './circuits.js';
import type { RefGate } from './dense-reference.js';

const NAMES = ['x', 'y', 'z', 'h', 's', 't', 'sdg', 'tdg', 'rx', 'ry', 'rz', 'r1', 'u3', 'swap', 'pauli'];
const NP: Record<string, number> = { rx: 1, ry: 1, rz: 1, r1: 1, u3: 3 };

function gateArb(n: number): fc.Arbitrary<RefGate> {
  return fc
    .record({
      name: fc.constantFrom(...NAMES),
      perm: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      controlled: fc.boolean(),
      p: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
      adjoint: fc.boolean(),
      word: fc.array(fc.constantFrom('I', 'X', 'Y', 'Z'), { minLength: 3, maxLength: 3 }),
    })
    .map(({ name, perm, controlled, p, adjoint, word }) => {
      const nt = name === 'swap' ? 2 : name === 'pauli' ? 3 : 1;
      const nc = name === 'pauli' ? 0 : controlled ? (name === 'x' ? 2 : 1) : 0;
      return {
        name,
        targets: perm.slice(0, nt),
        controls: perm.slice(nt, nt + nc),
        params: name === 'pauli' ? [p[0]] : p.slice(0, NP[name] ?? 0),
        adjoint: name === 'pauli' ? false : adjoint,
        word: name === 'pauli' ? word.join('') : undefined,
      };
    });
}

test('export → import round trip reproduces the state of random circuits (every gate, controls, adjoint, expPauli)', () => {
  fc.assert(
    fc.property(fc.array(gateArb(4), { maxLength: 20 }), (gates) => {
      const k = buildKernel(4, gates);
      const text = kernelToQasm(k);
      const back = fromQasm(text);
      const a = getState(k),
        b = getState(back);
      for (let i = 0; i < 16; i++) {
        const x = a.amplitude(i),
          y = b.amplitude(i);
        assert.ok(Math.abs(x.re - y.re) < 1e-9 && Math.abs(x.im - y.im) < 1e-9, `amplitude ${i}\n${text}`);
      }
    }),
    { numRuns: 80, seed: 8 },
  );
});

test('imports hand-written OpenQASM 2.0: Bell pair, gate definitions, broadcast, expressions, if', () => {
  const src = `OPENQASM 2.0;
include "qelib1.inc";
// a Bell pair plus a custom gate
gate bell a, b { h a; cx a, b; }
gate myrot(theta) a { rz(theta/2) a; rz(theta - theta/2) a; }
qreg q[2];
qreg r[2];
creg c[2];
creg flag[1];
bell q[0], q[1];
myrot(2*pi/3) q[0];
x r;
barrier q;
measure q -> c;
measure r[0] -> flag[0];
if(flag==1) x r[1];
`;
  const k = fromQasm(src);
  const res = sample(k, { shots: 1000, seed: 1 });
  const c = res.register('c');
  assert.deepEqual([...c.counts.keys()].sort(), ['00', '11']);
  assert.ok(Math.abs(c.probability('00') - 0.5) < 0.06);
  assert.deepEqual(res.register('flag').toJSON(), { 1: 1000 });
});

test('QASM errors name the line: unknown gate, malformed statement, wrong arity, bad index', () => {
  const head = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n';
  assert.throws(
    () => fromQasm(`${head}h q[0];\nfoo q[1];\n`),
    (e: unknown) => e instanceof QasmError && e.line === 5 && /unknown gate 'foo'/.test(e.message),
  );
  assert.throws(
    () => fromQasm(`${head}creg c[;\n`),
    /line 4: malformed statement "creg c\[;": expected creg name\[size\];/,
  );
  assert.throws(() => fromQasm(`${head}rx q[0];\n`), /line 4: gate 'rx' takes 1 parameter\(s\), got 0/);
  assert.throws(() => fromQasm(`${head}cx q[0];\n`), /line 4: gate 'cx' acts on 2 qubit\(s\), got 1/);
  assert.throws(() => fromQasm(`${head}x q[7];\n`), /line 4: qubit index 7 is out of range for q\[2\]/);
  assert.throws(() => fromQasm(`${head}cx q[1], q[1];\n`), /line 4: gate 'cx' uses qubit .* more than once/);
  assert.throws(() => fromQasm(`${head}rx(pi/) q[0];\n`), /line 4: malformed expression/);
  assert.throws(
    () => fromQasm(`${head}h q[0]\n`),
    /line 4: statement "h q\[0\]" is missing its terminating ';'/,
  );
  assert.throws(() => fromQasm('OPENQASM 3.0;\nqreg q[1];\n'), /line 1: only OpenQASM 2.0/);
});

test('export refuses what OpenQASM 2.0 cannot say', () => {
  const [k] = makeKernel();
  const q = k.qalloc(4);
  k.ry(0.3, q[3], { controls: [q[0], q[1], q[2]] });
  assert.throws(() => kernelToQasm(k), /qelib1\.inc has no 3-controlled ry/);
});
