import assert from 'node:assert/strict';
import { test } from 'node:test';
import { draw, getState, listTargets, makeKernel, observe, sample, setTarget, spin } from '../src/index.js';
import { simulate } from './dense-reference.js';

test('kernel arguments: number and number[] parameters resolve at call time', () => {
  const [k, theta, phis] = makeKernel('number', 'number[]');
  const q = k.qalloc(2);
  k.ry(theta, q[0]);
  k.rz(phis.at(1).mul(2).add(0.5), q[1]);
  k.h(q[1]);
  const s = getState(k, 0.7, [0, 0.3]);
  const ref = simulate(2, [
    { name: 'ry', targets: [0], controls: [], params: [0.7], adjoint: false },
    { name: 'rz', targets: [1], controls: [], params: [1.1], adjoint: false },
    { name: 'h', targets: [1], controls: [], params: [], adjoint: false },
  ]);
  ref.forEach((a, i) => {
    assert.ok(Math.abs(a[0] - s.amplitude(i).re) < 1e-12 && Math.abs(a[1] - s.amplitude(i).im) < 1e-12);
  });
});

test('calling, controlling and inverting another kernel', () => {
  const [sub, reg, angle] = makeKernel('qvector', 'number');
  sub.h(reg[0]);
  sub.ry(angle, reg[1]);
  sub.cx(reg[0], reg[1]);
  sub.t(reg[1]);

  const [main] = makeKernel();
  const q = main.qalloc(3);
  main.h(q[2]);
  main.control(sub, q[2], q, 0.4);
  const s = getState(main);
  const ref = simulate(3, [
    { name: 'h', targets: [2], controls: [], params: [], adjoint: false },
    { name: 'h', targets: [0], controls: [2], params: [], adjoint: false },
    { name: 'ry', targets: [1], controls: [2], params: [0.4], adjoint: false },
    { name: 'x', targets: [1], controls: [0, 2], params: [], adjoint: false },
    { name: 't', targets: [1], controls: [2], params: [], adjoint: false },
  ]);
  ref.forEach((a, i) => {
    assert.ok(
      Math.abs(a[0] - s.amplitude(i).re) < 1e-12 && Math.abs(a[1] - s.amplitude(i).im) < 1e-12,
      `amp ${i}`,
    );
  });

  const [round] = makeKernel('number');
  const r = round.qalloc(2);
  const [, th] = [round, 0];
  round.apply(sub, r, 1.3);
  round.adjoint(sub, r, 1.3);
  void th;
  const id = getState(round, 0);
  assert.ok(Math.abs(id.probability(0) - 1) < 1e-12);
});

test('expPauli(θ, qubits, "XY") equals cos θ·I + i sin θ·XY', () => {
  const [k] = makeKernel();
  const q = k.qalloc(2);
  k.h(q[0]);
  k.expPauli(0.3, [q[0], q[1]], 'XY');
  const s = getState(k);
  const ref = simulate(2, [
    { name: 'h', targets: [0], controls: [], params: [], adjoint: false },
    { name: 'pauli', targets: [0, 1], controls: [], params: [0.3], adjoint: false, word: 'XY' },
  ]);
  ref.forEach((a, i) => {
    assert.ok(Math.abs(a[0] - s.amplitude(i).re) < 1e-12 && Math.abs(a[1] - s.amplitude(i).im) < 1e-12);
  });
});

test('teleportation: gates conditioned on mid-circuit measurements move ry(θ)|0⟩ to qubit 2', () => {
  const theta = 1.1;
  const [k] = makeKernel();
  const q = k.qalloc(3);
  k.ry(theta, q[0]);
  k.h(q[1]);
  k.cx(q[1], q[2]);
  k.cx(q[0], q[1]);
  k.h(q[0]);
  const m0 = k.mz(q[0], 'm0');
  const m1 = k.mz(q[1], 'm1');
  k.cIf(m1, () => k.x(q[2]));
  k.cIf(m0, () => k.z(q[2]));
  k.mz(q[2], 'out');
  const r = sample(k, { shots: 4000, seed: 11 });
  const p1 = r.register('out').probability('1');
  const want = Math.sin(theta / 2) ** 2;
  assert.ok(Math.abs(p1 - want) < 4 * Math.sqrt((want * (1 - want)) / 4000), `P(1) = ${p1}, want ${want}`);
  // m0 and m1 are uniform and independent of the output
  assert.ok(Math.abs(r.register('m0').probability('1') - 0.5) < 0.05);
  assert.deepEqual(r.registerNames.sort(), ['m0', 'm1', 'out']);
});

test('reset returns a qubit to |0⟩; mx and my read eigenstates deterministically', () => {
  const [k] = makeKernel();
  const q = k.qalloc(3);
  k.x(q[0]);
  k.h(q[0]);
  k.reset(q[0]);
  k.h(q[1]); // |+⟩
  k.h(q[2]);
  k.s(q[2]); // |+i⟩
  k.mz(q[0]);
  k.mx(q[1]);
  k.my(q[2]);
  const r = sample(k, { shots: 200, seed: 1 });
  assert.deepEqual(r.toJSON(), { '000': 200 });
});

test('sample: qubit 0 first, seeded reproducibility, most probable, Z parity', () => {
  const [k] = makeKernel();
  const q = k.qalloc(3);
  k.x(q[0]);
  k.ry(0.4, q[2]);
  const a = sample(k, { shots: 5000, seed: 99 });
  const b = sample(k, { shots: 5000, seed: 99 });
  assert.deepEqual(a.toJSON(), b.toJSON());
  assert.equal(a.mostProbable(), '100');
  const c = sample(k, { shots: 5000, seed: 100 });
  assert.notDeepEqual(a.toJSON(), c.toJSON());
  // ⟨Z0 Z1 Z2⟩ = −cos(0.4)
  assert.ok(Math.abs(a.expectation() + Math.cos(0.4)) < 0.05);
});

test('seeded sampling passes a chi-square test against exact probabilities', () => {
  const angles = [0.3, 1.2, 2.0];
  const [k] = makeKernel();
  const q = k.qalloc(3);
  angles.forEach((a, i) => {
    k.ry(a, q[i]);
  });
  const shots = 20000;
  for (const seed of [1, 2, 3]) {
    const r = sample(k, { shots, seed });
    let chi = 0;
    for (let i = 0; i < 8; i++) {
      let p = 1;
      let bits = '';
      for (let b = 0; b < 3; b++) {
        const one = (i >> b) & 1;
        bits += one;
        p *= one ? Math.sin(angles[b] / 2) ** 2 : Math.cos(angles[b] / 2) ** 2;
      }
      chi += (r.get(bits) - shots * p) ** 2 / (shots * p);
    }
    assert.ok(
      chi < 24.32,
      `chi-square ${chi} exceeds the 99.9% bound for 7 degrees of freedom (seed ${seed})`,
    );
  }
});

test('draw shows every qubit and gate', () => {
  const [k] = makeKernel();
  const q = k.qalloc(3);
  k.h(q[0]);
  k.cx(q[0], q[2]);
  k.rz(0.5, q[1]);
  k.mz(q[2], 'c');
  const d = draw(k);
  assert.match(d, /q0 : .*h.*●/);
  assert.match(d, /q1 : .*┼.*rz\(0\.5\)/);
  assert.match(d, /q2 : .*⊕.*M:c/);
});

test('bad input: out-of-range qubit, repeated qubit, wrong arguments, non-qubit targets', () => {
  const [k, theta] = makeKernel('number');
  const q = k.qalloc(3);
  assert.throws(() => q[5], /qubit index 5 is out of range for q, a qvector of 3 qubits/);
  k.cx(q[1], q[1]);
  assert.throws(() => sample(k, 0.1), /qubit 1 is used more than once/);
  const [k2, th2] = makeKernel('number');
  const r = k2.qalloc(2);
  k2.rx(th2, r[0]);
  const untyped = sample as unknown as (...a: unknown[]) => unknown;
  assert.throws(() => untyped(k2), /takes 1 argument\(s\) \(number\), got 0/);
  assert.throws(
    () => sample(k2, 'a' as unknown as number),
    /argument 0 must be a finite number, got the string "a"/,
  );
  assert.throws(() => sample(k2, 0.1, 0.2 as never), /takes 1 argument/);
  assert.throws(
    () => k2.x(3 as never),
    /target must be a qubit \(q\[i\]\) or a qvector from qalloc, got number 3/,
  );
  assert.throws(() => k2.rx('pi' as never, r[0]), /angle must be a number/);
  assert.throws(() => k.x(r[0]), /belongs to another kernel/);
  assert.throws(() => sample(k2, 0.1, { shots: 0 }), /shots must be a positive integer/);
  assert.throws(() => sample(k2, 0.1, { shot: 5 } as never), /unknown option 'shot'/);
  void theta;
});

test('bad input: state too large for memory is refused before allocating', () => {
  const [k] = makeKernel();
  const q = k.qalloc(34);
  k.h(q[0]);
  assert.throws(() => getState(k), /34-qubit state .* beyond this simulator's limit of 30 qubits/);
  const [k2] = makeKernel();
  k2.h(k2.qalloc(22)[0]);
  assert.throws(
    () => getState(k2, { target: { name: 'cpu', options: { maxMemoryBytes: 2 ** 25 } } }),
    /22-qubit state needs 64\.0 MiB at complex128 .*use at most 21 qubits, or \{ precision: 'complex64' \}/,
  );
});

test('targets: listing, per-call override, unknown target and option errors', () => {
  const names = listTargets().map((t) => t.name);
  assert.ok(names.includes('cpu'));
  assert.throws(() => setTarget('quantinuum-h1'), /unknown target 'quantinuum-h1'; available targets: cpu/);
  assert.throws(
    () => setTarget('cpu', { precision: 'fp16' as never }),
    /precision must be 'complex128' or 'complex64'/,
  );
  assert.throws(() => setTarget('cpu', { bogus: 1 } as never), /unknown option 'bogus'/);
  const [k] = makeKernel();
  const q = k.qalloc(1);
  k.h(q[0]);
  const s = getState(k, { target: { name: 'cpu', options: { precision: 'complex64' } } });
  assert.ok(s.vector.re instanceof Float32Array);
  setTarget('cpu', { precision: 'complex64' });
  assert.ok(getState(k).vector.re instanceof Float32Array);
  setTarget('cpu');
  assert.ok(getState(k).vector.re instanceof Float64Array);
  assert.ok(Math.abs(observe(k, spin.x(0)).expectation() - 1) < 1e-12);
});
