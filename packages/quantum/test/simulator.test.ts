import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { getState, makeKernel, type TargetOptions } from '../src/index.js';
import { buildKernel, gateArb } from './circuits.js';
import { type RefGate, simulate } from './dense-reference.js';

function circuitArb(maxQubits: number, maxGates: number) {
  return fc
    .integer({ min: 1, max: maxQubits })
    .chain((n) => fc.record({ n: fc.constant(n), gates: fc.array(gateArb(n), { maxLength: maxGates }) }));
}

function assertClose(n: number, gates: RefGate[], target: TargetOptions, tol: number): void {
  const ref = simulate(n, gates);
  const got = getState(buildKernel(n, gates), { target: { name: 'cpu', options: target } }).vector;
  for (let i = 0; i < ref.length; i++) {
    if (Math.abs(ref[i][0] - got.re[i]) > tol || Math.abs(ref[i][1] - got.im[i]) > tol) {
      assert.fail(
        `amplitude ${i}: reference ${ref[i]} engine ${got.re[i]},${got.im[i]} (target ${JSON.stringify(target)})`,
      );
    }
  }
}

test('random circuits up to 6 qubits match the dense Kronecker reference (fused, blocked, unfused, complex64)', () => {
  fc.assert(
    fc.property(circuitArb(6, 24), ({ n, gates }) => {
      assertClose(n, gates, {}, 1e-10);
      assertClose(n, gates, { blockQubits: 2 }, 1e-10);
      assertClose(n, gates, { blockQubits: 3 }, 1e-10);
      assertClose(n, gates, { fusion: false }, 1e-10);
      assertClose(n, gates, { precision: 'complex64' }, 2e-5);
    }),
    { numRuns: 120, seed: 20261123 },
  );
});

test('random 7–8 qubit circuits match the reference with cache blocking across chunks', () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 7, max: 8 })
        .chain((n) =>
          fc.record({ n: fc.constant(n), gates: fc.array(gateArb(n), { minLength: 5, maxLength: 14 }) }),
        ),
      ({ n, gates }) => {
        assertClose(n, gates, { blockQubits: 4 }, 1e-10);
      },
    ),
    { numRuns: 12, seed: 7 },
  );
});

test('Bell and GHZ states have the analytic amplitudes', () => {
  for (const n of [2, 3, 5, 9]) {
    const [k] = makeKernel();
    const q = k.qalloc(n);
    k.h(q[0]);
    for (let i = 0; i + 1 < n; i++) k.cx(q[i], q[i + 1]);
    const s = getState(k);
    const r = Math.SQRT1_2;
    assert.ok(Math.abs(s.amplitude(0).re - r) < 1e-12);
    assert.ok(Math.abs(s.amplitude('1'.repeat(n)).re - r) < 1e-12);
    let rest = 0;
    for (let i = 1; i < 2 ** n - 1; i++) rest += s.probability(i);
    assert.ok(rest < 1e-20, `GHZ(${n}) leaks ${rest}`);
  }
});

test('QFT of every basis state |x⟩ gives amplitudes e^{2πi·xk/N}/√N', () => {
  const n = 4;
  const N = 2 ** n;
  const [k, xs] = makeKernel('number[]');
  const q = k.qalloc(n);
  // prepare |x⟩ with rx(π·bit): global phase −i per set bit, removed below by comparing up to a phase
  for (let b = 0; b < n; b++) k.rx(xs.at(b), q[b]);
  for (let j = n - 1; j >= 0; j--) {
    k.h(q[j]);
    for (let m = j - 1; m >= 0; m--) k.cr1(Math.PI / 2 ** (j - m), q[m], q[j]);
  }
  for (let i = 0; i < n / 2; i++) k.swap(q[i], q[n - 1 - i]);
  for (let x = 0; x < N; x++) {
    const bits = Array.from({ length: n }, (_, b) => ((x >> b) & 1) * Math.PI);
    const s = getState(k, bits);
    const a0 = s.amplitude(0);
    const phase = Math.atan2(a0.im, a0.re);
    for (let kk = 0; kk < N; kk++) {
      const a = s.amplitude(kk);
      const want = (2 * Math.PI * x * kk) / N + phase;
      assert.ok(
        Math.abs(a.re - Math.cos(want) / 4) < 1e-12 && Math.abs(a.im - Math.sin(want) / 4) < 1e-12,
        `x=${x} k=${kk}`,
      );
    }
  }
});

test('random circuits are unitary: columns from every basis input are orthonormal', () => {
  const n = 4;
  fc.assert(
    fc.property(fc.array(gateArb(n), { minLength: 1, maxLength: 20 }), (gates) => {
      const cols = [];
      for (let x = 0; x < 2 ** n; x++) {
        const prep: RefGate[] = [];
        for (let b = 0; b < n; b++)
          if ((x >> b) & 1) prep.push({ name: 'x', targets: [b], controls: [], params: [], adjoint: false });
        cols.push(getState(buildKernel(n, [...prep, ...gates])).vector);
      }
      for (let a = 0; a < cols.length; a++) {
        for (let b = a; b < cols.length; b++) {
          let re = 0,
            im = 0;
          for (let i = 0; i < 2 ** n; i++) {
            re += cols[a].re[i] * cols[b].re[i] + cols[a].im[i] * cols[b].im[i];
            im += cols[a].re[i] * cols[b].im[i] - cols[a].im[i] * cols[b].re[i];
          }
          assert.ok(
            Math.abs(re - (a === b ? 1 : 0)) < 1e-10 && Math.abs(im) < 1e-10,
            `⟨col${a}|col${b}⟩ = ${re}+${im}i`,
          );
        }
      }
    }),
    { numRuns: 15, seed: 3 },
  );
});

test('phase-gate runs (fused into one pass per shared qubit) match the reference', () => {
  const phaseGate = (n: number) =>
    fc
      .record({
        name: fc.constantFrom('s', 't', 'z', 'r1', 'sdg', 'tdg', 'h', 'rz'),
        t: fc.integer({ min: 0, max: n - 1 }),
        c: fc.integer({ min: 0, max: n - 1 }),
        controlled: fc.boolean(),
        angle: fc.double({ min: -4, max: 4, noNaN: true }),
      })
      .map(
        ({ name, t, c, controlled, angle }): RefGate => ({
          name,
          targets: [t],
          controls: controlled && c !== t ? [c] : [],
          params: name === 'r1' || name === 'rz' ? [angle] : [],
          adjoint: false,
        }),
      );
  fc.assert(
    fc.property(
      fc
        .integer({ min: 2, max: 6 })
        .chain((n) =>
          fc.record({ n: fc.constant(n), gates: fc.array(phaseGate(n), { minLength: 3, maxLength: 30 }) }),
        ),
      ({ n, gates }) => {
        const prep: RefGate[] = Array.from({ length: n }, (_, q) => ({
          name: 'h',
          targets: [q],
          controls: [],
          params: [],
          adjoint: false,
        }));
        assertClose(n, [...prep, ...gates], {}, 1e-10);
        assertClose(n, [...prep, ...gates], { blockQubits: 2 }, 1e-10);
      },
    ),
    { numRuns: 150, seed: 11 },
  );
});
