import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WeightsMap } from '../src/core/contracts.js';
import {
  applyFilters,
  createFilter,
  ExcludeVariables,
  GaussianDifferentialPrivacy,
  PercentilePrivacy,
  percentileOf,
} from '../src/filters/index.js';
import { createExecutor, initialWeights } from '../src/learners/index.js';
import { l2Norm, subtract } from '../src/numeric/weights.js';
import { InProcessCommunicator, MemorySnapshotStore } from '../src/simulator/in-process.js';
import { createController } from '../src/workflows/index.js';

const ctx = { site: 'site-1', round: 3, point: 'client-before-send' as const };

describe('exclude variables', () => {
  it('drops matching variables, and FedAvg then keeps the global value of a variable no site sends', async () => {
    const w: WeightsMap = {
      'dense_0/kernel': { shape: [1], data: new Float32Array([1]) },
      'dense_0/bias': { shape: [1], data: new Float32Array([2]) },
      'dense_1/bias': { shape: [1], data: new Float32Array([3]) },
    };
    assert.deepEqual(Object.keys(new ExcludeVariables(['/bias$']).apply(w)), ['dense_0/kernel']);
    assert.deepEqual(Object.keys(new ExcludeVariables(['^dense_1/']).apply(w)), [
      'dense_0/kernel',
      'dense_0/bias',
    ]);
    assert.throws(() => new ExcludeVariables(['(']), /not a valid regular expression/);

    const client = {
      dataset: {
        name: 'mnist',
        partition: { kind: 'iid', numSites: 2, samplesPerSite: 64, seed: 1 },
        validationSamples: 20,
      },
      filters: [{ type: 'exclude-vars', point: 'client-before-send', names: ['^dense_0/'] }],
    };
    const model = { type: 'mlp', layers: [784, 8, 10], seed: 4 } as const;
    const comm = new InProcessCommunicator((s) => createExecutor(client, s), ['site-1', 'site-2']);
    const state = await createController({
      workflow: 'fedavg',
      rounds: 1,
      minClients: 2,
      validateEveryRound: false,
      initialModel: { ...model, layers: [784, 8, 10] },
    }).run({
      jobId: 'x',
      comm,
      snapshot: new MemorySnapshotStore(),
      progress: () => {},
      signal: new AbortController().signal,
    });
    const start = initialWeights({ ...model, layers: [784, 8, 10] });
    assert.deepEqual(state.weights['dense_0/kernel']?.data, start['dense_0/kernel']?.data);
    assert.notDeepEqual(state.weights['dense_1/kernel']?.data, start['dense_1/kernel']?.data);
  });
});

describe('percentile privacy', () => {
  it('zeroes updates at or below the percentile and clips the rest to gamma, as computed by hand', () => {
    const n = 100;
    const reference: WeightsMap = { a: { shape: [n], data: new Float32Array(n).fill(5) } };
    // updates of magnitude 0.001 .. 0.1, alternating sign
    const updates = Array.from({ length: n }, (_, i) => ((i % 2 ? -1 : 1) * (i + 1)) / 1000);
    const weights: WeightsMap = { a: { shape: [n], data: Float32Array.from(updates, (u) => 5 + u) } };
    const out = new PercentilePrivacy(25, 0.05).apply(weights, { ...ctx, reference });
    const got = Array.from((out.a as { data: Float32Array }).data, (v) => v - 5);
    // numpy.percentile(1..100, 25) = 25.75, so magnitudes 1..25 (thousandths) are zeroed
    for (let i = 0; i < n; i++) {
      const mag = (i + 1) / 1000;
      const expected = mag <= 0.02575 ? 0 : Math.sign(updates[i] as number) * Math.min(mag, 0.05);
      assert.ok(Math.abs((got[i] as number) - expected) < 1e-6, `entry ${i}: ${got[i]} vs ${expected}`);
    }
    assert.equal(
      percentileOf(
        Float32Array.from({ length: 100 }, (_, i) => i + 1),
        25,
      ),
      25.75,
    );
    assert.throws(
      () => new PercentilePrivacy(25, 0.05).apply(weights, ctx),
      /needs the model the weights were trained from/,
    );
    assert.throws(() => new PercentilePrivacy(100, 1), /percentile must be in \[0, 100\)/);
  });
});

describe('Gaussian differential privacy', () => {
  const n = 200_000;
  const reference: WeightsMap = { a: { shape: [n], data: new Float32Array(n) } };
  const raw = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 0.1); // update norm ~ 31.6
  const weights: WeightsMap = { a: { shape: [n], data: raw } };

  it('clips the update to clipNorm, keeping its direction', () => {
    const out = new GaussianDifferentialPrivacy(1, 0, 7).apply(weights, { ...ctx, reference });
    assert.ok(Math.abs(l2Norm(out) - 1) < 1e-4);
    const scale = 1 / l2Norm(weights);
    for (let i = 0; i < n; i += 997)
      assert.ok(Math.abs((out.a?.data[i] as number) - (raw[i] as number) * scale) < 1e-6);
    const small: WeightsMap = { a: { shape: [2], data: new Float32Array([0.3, 0.4]) } };
    assert.deepEqual(
      Array.from(
        new GaussianDifferentialPrivacy(1, 0, 7).apply(small, {
          ...ctx,
          reference: { a: { shape: [2], data: new Float32Array(2) } },
        }).a?.data ?? [],
      ),
      [0.30000001192092896, 0.4000000059604645],
    );
  });

  it('adds noise with mean 0 and standard deviation noiseMultiplier * clipNorm, normally distributed', () => {
    const clipNorm = 2;
    const f = new GaussianDifferentialPrivacy(clipNorm, 0.5, 7);
    const clipped = new GaussianDifferentialPrivacy(clipNorm, 0, 7).apply(weights, { ...ctx, reference });
    const noisy = f.apply(weights, { ...ctx, reference });
    const noise = subtract(noisy, clipped).a?.data as Float32Array;
    let sum = 0;
    let sq = 0;
    let within1 = 0;
    let within2 = 0;
    for (const v of noise) {
      sum += v;
      sq += v * v;
      if (Math.abs(v) <= 1) within1++;
      if (Math.abs(v) <= 2) within2++;
    }
    const mean = sum / n;
    const std = Math.sqrt(sq / n - mean * mean);
    assert.equal(f.noiseStd, 1);
    assert.ok(Math.abs(mean) < (4 * 1) / Math.sqrt(n), `mean ${mean}`);
    assert.ok(Math.abs(std - 1) < 0.01, `std ${std}`);
    assert.ok(Math.abs(within1 / n - 0.6827) < 0.005, `P(|z|<=1) = ${within1 / n}`);
    assert.ok(Math.abs(within2 / n - 0.9545) < 0.003, `P(|z|<=2) = ${within2 / n}`);
  });

  it('is reproducible per site and round and differs between them', () => {
    const f = new GaussianDifferentialPrivacy(1, 1, 42);
    const small: WeightsMap = { a: { shape: [4], data: new Float32Array([1, 2, 3, 4]) } };
    const a = f.apply(small, ctx).a?.data;
    assert.deepEqual(f.apply(small, ctx).a?.data, a);
    assert.notDeepEqual(f.apply(small, { ...ctx, round: 4 }).a?.data, a);
    assert.notDeepEqual(f.apply(small, { ...ctx, site: 'site-2' }).a?.data, a);
  });
});

describe('filter configuration', () => {
  it('places filters at their point and applies them in order', () => {
    const filters = [
      createFilter({ type: 'exclude-vars', point: 'client-before-send', names: ['b'] }),
      createFilter({
        type: 'gaussian-dp',
        point: 'server-after-receive',
        clipNorm: 1,
        noiseMultiplier: 0,
        seed: 0,
      }),
    ];
    const w: WeightsMap = {
      a: { shape: [1], data: new Float32Array([3]) },
      b: { shape: [1], data: new Float32Array([4]) },
    };
    assert.deepEqual(Object.keys(applyFilters(filters, w, ctx)), ['a']);
    const onServer = applyFilters(filters, w, { ...ctx, point: 'server-after-receive' });
    assert.ok(Math.abs(l2Norm(onServer) - 1) < 1e-6);
    assert.equal(applyFilters(filters, w, { ...ctx, point: 'client-after-receive' }), w);
    assert.throws(
      () =>
        createExecutor(
          {
            dataset: { name: 'mnist', partition: { kind: 'iid', numSites: 1 } },
            filters: [{ type: 'gaussian-dp', point: 'client-before-send', clipNorm: 1 }],
          },
          'site-1',
        ),
      /filters\.0\.noiseMultiplier/,
    );
  });
});
