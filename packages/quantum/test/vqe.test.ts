import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Adam,
  CentralDifference,
  LBFGS,
  makeKernel,
  NelderMead,
  type Optimizer,
  observe,
  ParameterShift,
  PatternSearch,
  SPSA,
  SpinOperator,
  vqe,
} from '../src/index.js';

const DEUTERON = SpinOperator.parse('5.907 - 2.1433 X0 X1 - 2.1433 Y0 Y1 + 0.21829 Z0 - 6.125 Z1');
const GROUND = -1.748865;

function ansatz() {
  const [k, theta] = makeKernel('number');
  const q = k.qalloc(2);
  k.x(q[0]);
  k.ry(theta, q[1]);
  k.cx(q[1], q[0]);
  return k;
}

test('the deuteron ground energy from exact diagonalisation of the 2-qubit matrix is −1.748865', () => {
  // independent check of the target value: the ansatz spans the {|01⟩,|10⟩} block; its lowest eigenvalue
  const m = DEUTERON.toMatrix(2);
  const a = m.re[1 * 4 + 1],
    d = m.re[2 * 4 + 2],
    b = m.re[1 * 4 + 2];
  const low = (a + d) / 2 - Math.sqrt(((a - d) / 2) ** 2 + b * b);
  assert.ok(Math.abs(low - GROUND) < 1e-6, `${low}`);
});

const cases: Array<[string, Optimizer, ParameterShift | CentralDifference | undefined]> = [
  ['Nelder–Mead', new NelderMead(), undefined],
  ['pattern search', new PatternSearch(), undefined],
  ['L-BFGS + parameter shift', new LBFGS(), new ParameterShift()],
  ['L-BFGS + central difference', new LBFGS(), new CentralDifference()],
  ['Adam + parameter shift', new Adam({ learningRate: 0.05, maxIterations: 400 }), new ParameterShift()],
  ['SPSA', new SPSA({ maxIterations: 300, seed: 3 }), undefined],
];

for (const [name, opt, gradient] of cases) {
  test(`VQE on the deuteron with ${name} reaches −1.748865 within 1e-4`, () => {
    const r = vqe(ansatz(), DEUTERON, opt, { initialParameters: [0], gradient });
    assert.ok(Math.abs(r.energy - GROUND) < 1e-4, `${name}: ${r.energy} at θ=${r.parameters}`);
    assert.ok(r.evaluations > 0 && r.history.length > 0);
  });
}

test('parameter-shift gradient equals the analytic derivative of the deuteron energy', () => {
  const k = ansatz();
  const f = (x: number[]) => observe(k, DEUTERON, x[0]).expectation();
  for (const th of [-1, 0.2, 0.594, 2.5]) {
    const ps = new ParameterShift().gradient(f, [th])[0];
    const cd = new CentralDifference(1e-6).gradient(f, [th])[0];
    assert.ok(Math.abs(ps - cd) < 1e-6, `θ=${th}: ${ps} vs ${cd}`);
  }
});

test('optimizers find the Rosenbrock minimum (1, 1)', () => {
  const rosen = (x: number[]) => (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2;
  const grad = (x: number[]) => [-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)];
  for (const opt of [
    new NelderMead({ maxIterations: 2000, tolerance: 1e-14 }),
    new LBFGS({ maxIterations: 500 }),
  ]) {
    const r = opt.minimize(rosen, [-1.2, 1], grad);
    assert.ok(Math.abs(r.x[0] - 1) < 1e-3 && Math.abs(r.x[1] - 1) < 1e-3, `${opt.name}: ${r.x}`);
  }
});

test('vqe with a number[] kernel, a shot-based estimate, and clear errors', () => {
  const [k, th] = makeKernel('number[]');
  const q = k.qalloc(2);
  k.x(q[0]);
  k.ry(th.at(0), q[1]);
  k.cx(q[1], q[0]);
  const r = vqe(k, DEUTERON, new NelderMead(), { initialParameters: [0.1] });
  assert.ok(Math.abs(r.energy - GROUND) < 1e-4);
  const sampled = vqe(k, DEUTERON, new SPSA({ maxIterations: 60, seed: 2 }), {
    initialParameters: [0.3],
    shots: 4000,
    seed: 5,
  });
  assert.ok(Math.abs(sampled.energy - GROUND) < 0.3, `${sampled.energy}`);
  assert.throws(() => vqe(ansatz(), DEUTERON, new LBFGS(), { initialParameters: [0] }), /needs \{ gradient/);
  assert.throws(
    () => vqe(ansatz(), DEUTERON, new NelderMead(), { initialParameters: [0, 1] }),
    /has 1 parameter\(s\) but initialParameters has 2/,
  );
});
