import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  makeKernel,
  observe,
  observeAsync,
  SpinOperator,
  StatePool,
  sample,
  sampleAsync,
  setPlatform,
} from '../src/index.js';
import { installNodePlatform } from '../src/node/platform.js';
import { preparedState } from './circuits.js';

function layered(n: number, layers: number, seed = 1) {
  const [k] = makeKernel();
  const q = k.qalloc(n);
  let s = seed;
  const r = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < n; i++) k.gate((['rx', 'ry', 'rz'] as const)[Math.floor(r() * 3)], [q[i]], [r() * 6]);
    for (let i = 0; i + 1 < n; i++) k.cx(q[i], q[i + 1]);
    for (let i = 0; i < n; i++) k.t(q[i]);
    k.cr1(0.3, q[0], q[n - 1]);
  }
  return k;
}

after(() => installNodePlatform());

test('worker-thread execution gives bitwise the same state as the calling thread alone (17 qubits)', () => {
  // a pool with a low threshold so that the shared-memory path runs on a small state
  const pool = new StatePool({ threads: 3, minQubits: 10 });
  setPlatform({ parallel: pool });
  const k = layered(17, 3);
  const threaded = preparedState(k, { blockQubits: 12 });
  assert.ok(
    threaded.home?.mem.buffer instanceof SharedArrayBuffer,
    'state lives in shared WebAssembly memory',
  );
  const single = preparedState(k, { blockQubits: 12, threads: false });
  for (let i = 0; i < threaded.re.length; i++) {
    if (threaded.re[i] !== single.re[i] || threaded.im[i] !== single.im[i])
      assert.fail(`amplitude ${i} differs`);
  }
  const H = SpinOperator.random(17, 200, 4);
  const a = observe(k, H);
  const b = observe(k, H, { target: { name: 'cpu', options: { threads: false } } });
  assert.deepEqual(
    a.terms.map((t) => t.value),
    b.terms.map((t) => t.value),
  );
  void pool.close();
});

test('cpu-mqpu: observe spreads terms over QPUs; async calls match synchronous results exactly', async () => {
  installNodePlatform();
  const k = layered(8, 2, 9);
  const H = SpinOperator.random(8, 300, 2);
  const one = observe(k, H);
  const multi = observe(k, H, { target: { name: 'cpu-mqpu', options: { qpus: 3 } } });
  assert.equal(multi.expectation(), one.expectation());
  const [s0, s1, o2] = await Promise.all([
    sampleAsync(k, { shots: 2000, seed: 5, target: { name: 'cpu-mqpu', options: { qpus: 3 } }, qpuId: 0 }),
    sampleAsync(k, { shots: 2000, seed: 6, target: { name: 'cpu-mqpu', options: { qpus: 3 } }, qpuId: 1 }),
    observeAsync(k, H, { target: { name: 'cpu-mqpu', options: { qpus: 3 } }, qpuId: 2 }),
  ]);
  assert.deepEqual(s0.toJSON(), sample(k, { shots: 2000, seed: 5 }).toJSON());
  assert.deepEqual(s1.toJSON(), sample(k, { shots: 2000, seed: 6 }).toJSON());
  assert.equal(o2.expectation(), one.expectation());
  await assert.rejects(
    sampleAsync(k, { target: { name: 'cpu-mqpu', options: { qpus: 3 } }, qpuId: 7 }),
    /qpuId 7 does not exist; target 'cpu-mqpu' has QPUs 0..2/,
  );
});
