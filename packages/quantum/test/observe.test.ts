import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { groupQubitWise, makeKernel, observe, SpinOperator } from '../src/index.js';
import { buildKernel } from './circuits.js';
import { type C, type RefGate, simulate } from './dense-reference.js';

function matrixExpectation(H: SpinOperator, n: number, psi: C[]): number {
  const m = H.toMatrix(n);
  let re = 0;
  for (let i = 0; i < m.dim; i++) {
    let hr = 0,
      hi = 0;
    for (let j = 0; j < m.dim; j++) {
      const ar = m.re[i * m.dim + j],
        ai = m.im[i * m.dim + j];
      hr += ar * psi[j][0] - ai * psi[j][1];
      hi += ar * psi[j][1] + ai * psi[j][0];
    }
    re += psi[i][0] * hr + psi[i][1] * hi;
  }
  return re;
}

function randomGates(n: number, count: number, seed: number): RefGate[] {
  let s = seed;
  const r = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const names = ['h', 'rx', 'ry', 'rz', 's', 't'];
  const gates: RefGate[] = [];
  for (let i = 0; i < count; i++) {
    const a = Math.floor(r() * n);
    if (r() < 0.3 && n > 1) {
      const b = (a + 1 + Math.floor(r() * (n - 1))) % n;
      gates.push({ name: 'x', targets: [b], controls: [a], params: [], adjoint: false });
    } else {
      const name = names[Math.floor(r() * names.length)];
      gates.push({
        name,
        targets: [a],
        controls: [],
        params: name.startsWith('r') ? [r() * 6] : [],
        adjoint: false,
      });
    }
  }
  return gates;
}

test('exact observe equals ⟨ψ|H|ψ⟩ from the explicit matrix, per term and in total', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 0, max: 1e6 }),
      (n, nTerms, seed) => {
        const H = SpinOperator.random(n, Math.min(nTerms, 4 ** n), seed);
        const gates = randomGates(n, 12, seed);
        const psi = simulate(n, gates);
        const res = observe(buildKernel(n, gates), H);
        assert.ok(Math.abs(res.expectation() - matrixExpectation(H, n, psi)) < 1e-10);
        for (const t of res.terms) {
          const single = SpinOperator.parse(t.term === 'I' ? '1' : t.term);
          assert.ok(Math.abs(t.value - matrixExpectation(single, n, psi)) < 1e-10, t.term);
        }
      },
    ),
    { numRuns: 60, seed: 1 },
  );
});

test('deuteron energy at the optimum angle', () => {
  const H = SpinOperator.parse('5.907 - 2.1433 X0 X1 - 2.1433 Y0 Y1 + 0.21829 Z0 - 6.125 Z1');
  const [k, theta] = makeKernel('number');
  const q = k.qalloc(2);
  k.x(q[0]);
  k.ry(theta, q[1]);
  k.cx(q[1], q[0]);
  assert.ok(Math.abs(observe(k, H, 0.594).expectation() + 1.748865) < 1e-4);
});

test('sampled observe is within statistical error and groups qubit-wise commuting terms', () => {
  const n = 4;
  const H = SpinOperator.random(n, 30, 77);
  const gates = randomGates(n, 16, 5);
  const exact = matrixExpectation(H, n, simulate(n, gates));
  const shots = 20000;
  const res = observe(buildKernel(n, gates), H, { shots, seed: 4 });
  let bound = 0;
  for (const t of H) bound += Math.abs(t.coefficient.re);
  assert.ok(
    Math.abs(res.expectation() - exact) < (4 * bound) / Math.sqrt(shots),
    `${res.expectation()} vs ${exact}`,
  );
  const groups = groupQubitWise(H.rawTerms());
  assert.ok(groups.length < H.termCount, 'groups share measurements');
  for (const g of groups) {
    for (const i of g.members) {
      const t = H.rawTerms()[i];
      const supp = t.x | t.z;
      assert.equal(t.x & supp, g.x & supp);
      assert.equal(t.z & supp, g.z & supp);
    }
  }
  assert.equal(res.counts(res.terms.find((t) => t.term !== 'I')?.term as string).shots, shots);
});

test('observe refuses kernels that measure and operators wider than the kernel', () => {
  const [k] = makeKernel();
  const q = k.qalloc(2);
  k.mz(q[0]);
  assert.throws(() => observe(k, SpinOperator.parse('Z0')), /must not measure/);
  const [k2] = makeKernel();
  k2.h(k2.qalloc(2)[0]);
  assert.throws(() => observe(k2, SpinOperator.parse('Z5')), /acts on 6 qubits but the kernel allocates 2/);
});

test('observe at 18 qubits (cache-blocked term groups) matches the analytic product-state value of every term', () => {
  const n = 18;
  const th = Array.from({ length: n }, (_, i) => 0.3 + 0.17 * i);
  const ph = Array.from({ length: n }, (_, i) => 1.1 - 0.23 * i);
  const [k] = makeKernel();
  const q = k.qalloc(n);
  for (let i = 0; i < n; i++) {
    k.ry(th[i], q[i]);
    k.rz(ph[i], q[i]);
  }
  const H = SpinOperator.random(n, 400, 3);
  const res = observe(k, H);
  let total = 0;
  for (const t of H) {
    let v = 1;
    for (let i = 0; i < n; i++) {
      const p = t.pauliAt(i);
      if (p === 'X') v *= Math.sin(th[i]) * Math.cos(ph[i]);
      else if (p === 'Y') v *= Math.sin(th[i]) * Math.sin(ph[i]);
      else if (p === 'Z') v *= Math.cos(th[i]);
    }
    total += t.coefficient.re * v;
    const got = res.terms.find((r) => r.term === t.toString());
    assert.ok(got && Math.abs(got.value - v) < 1e-10, `${t.toString()}: ${got?.value} vs ${v}`);
  }
  assert.ok(Math.abs(res.expectation() - total) < 1e-9);
});
