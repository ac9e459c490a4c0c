import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SpinOperator, spin } from '../src/index.js';
import { add, type M, matmul, onQubits, scale, X, Y, Z } from './dense-reference.js';

function dense(op: SpinOperator, n: number): M {
  const m = op.toMatrix(n);
  return Array.from({ length: m.dim }, (_, i) =>
    Array.from({ length: m.dim }, (_, j) => [m.re[i * m.dim + j], m.im[i * m.dim + j]] as [number, number]),
  );
}

function close(a: M, b: M, tol = 1e-12): boolean {
  return a.every((row, i) =>
    row.every((v, j) => Math.abs(v[0] - b[i][j][0]) < tol && Math.abs(v[1] - b[i][j][1]) < tol),
  );
}

test('Pauli algebra: XY = iZ, YZ = iX, ZX = iY, YX = −iZ, X² = I', () => {
  const i = (k: number) => spin.i(k);
  assert.ok(
    spin
      .x(0)
      .mul(spin.y(0))
      .equals(spin.z(0).mul({ re: 0, im: 1 })),
  );
  assert.ok(
    spin
      .y(0)
      .mul(spin.z(0))
      .equals(spin.x(0).mul({ re: 0, im: 1 })),
  );
  assert.ok(
    spin
      .z(0)
      .mul(spin.x(0))
      .equals(spin.y(0).mul({ re: 0, im: 1 })),
  );
  assert.ok(
    spin
      .y(0)
      .mul(spin.x(0))
      .equals(spin.z(0).mul({ re: 0, im: -1 })),
  );
  assert.ok(spin.x(3).mul(spin.x(3)).equals(i(0)));
  assert.equal(spin.x(0).mul(spin.y(0)).toString(), '1i Z0');
});

test('like terms merge and cancel; term count, qubit count, iteration', () => {
  const h = spin.x(0).add(spin.x(0)).add(spin.z(2).mul(3)).sub(spin.z(2).mul(3));
  assert.equal(h.termCount, 1);
  assert.deepEqual(h.coefficientOf(spin.x(0)), { re: 2, im: 0 });
  const g = spin.x(0).mul(spin.z(4)).add(1.5);
  assert.equal(g.numQubits, 5);
  const words = [...g].map((t) => t.toString()).sort();
  assert.deepEqual(words, ['I', 'X0 Z4']);
});

test('operator products agree with dense matrix products (random operators)', () => {
  const letter = fc.constantFrom('I', 'X', 'Y', 'Z');
  const opArb = fc
    .array(
      fc.record({
        w: fc.array(letter, { minLength: 3, maxLength: 3 }),
        re: fc.integer({ min: -3, max: 3 }),
        im: fc.integer({ min: -3, max: 3 }),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((ts) =>
      ts.reduce(
        (acc, t) => acc.add(SpinOperator.fromWord(t.w.join(''), { re: t.re, im: t.im })),
        SpinOperator.identity(0),
      ),
    );
  fc.assert(
    fc.property(opArb, opArb, (a, b) => {
      assert.ok(close(dense(a.mul(b), 3), matmul(dense(a, 3), dense(b, 3))));
      assert.ok(close(dense(a.add(b), 3), add(dense(a, 3), dense(b, 3))));
      assert.ok(close(dense(a.sub(b), 3), add(dense(a, 3), dense(b, 3), -1)));
    }),
    { numRuns: 100, seed: 5 },
  );
});

test('dense matrix of a word is the Kronecker product of its letters', () => {
  const op = SpinOperator.fromWord('XYZ', 2);
  const want = scale(
    onQubits(
      3,
      new Map([
        [0, X],
        [1, Y],
        [2, Z],
      ]),
    ),
    [2, 0],
  );
  assert.ok(close(dense(op, 3), want));
});

test('toString parses back to the same operator, including complex coefficients', () => {
  const deuteron = SpinOperator.parse('5.907 - 2.1433 X0 X1 - 2.1433 Y0 Y1 + 0.21829 Z0 - 6.125 Z1');
  assert.equal(deuteron.termCount, 5);
  assert.ok(SpinOperator.parse(deuteron.toString()).equals(deuteron, 0));
  const c = spin
    .x(0)
    .mul({ re: 1, im: -2 })
    .add(spin.y(1).mul(spin.z(2)).mul({ re: 0, im: 0.5 }))
    .sub(3);
  assert.ok(SpinOperator.parse(c.toString()).equals(c, 0), c.toString());
  const r = SpinOperator.random(6, 40, 9);
  assert.ok(SpinOperator.parse(r.toString()).equals(r, 0));
});

test('parse rejects malformed text with the position', () => {
  assert.throws(() => SpinOperator.parse('2 X0 + Q1'), /character 8/);
  assert.throws(() => SpinOperator.parse('X'), /needs a qubit index/);
  assert.throws(() => SpinOperator.parse('X0 X0'), /appears twice/);
});

test('random(n, terms, seed) is deterministic, distinct, and sized as asked', () => {
  const a = SpinOperator.random(10, 500, 42);
  const b = SpinOperator.random(10, 500, 42);
  assert.equal(a.termCount, 500);
  assert.ok(a.equals(b, 0));
  assert.ok(!a.equals(SpinOperator.random(10, 500, 43)));
  assert.ok(a.numQubits <= 10);
  assert.throws(() => SpinOperator.random(1, 5), /only 4 distinct/);
});

test('random(30, 100000) builds (speed is in the benchmark; here only correctness of size)', () => {
  const h = SpinOperator.random(30, 100000, 1);
  assert.equal(h.termCount, 100000);
  assert.equal(h.numQubits, 30);
});
