import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Dataset } from '../src/learners/dense-trainer.js';
import {
  createExecutor,
  evaluateDense,
  initialWeights,
  loadMnist,
  loadSiteData,
  type ModelSpec,
  mnistRows,
  trainDense,
} from '../src/learners/index.js';
import { l2Norm, maxAbsDifference, subtract } from '../src/numeric/weights.js';
import { InProcessCommunicator, MemorySnapshotStore } from '../src/simulator/in-process.js';
import { createController } from '../src/workflows/index.js';

const SITES = 3;
const ROUNDS = 15;
const model: ModelSpec = { type: 'mlp', layers: [784, 64, 10], seed: 1 };
const clientConfig = {
  dataset: {
    name: 'mnist',
    partition: { kind: 'iid', numSites: SITES, samplesPerSite: 2000, seed: 1 },
    validationSamples: 200,
  },
  train: { epochs: 1, batchSize: 32, lr: 0.2 },
};
const sites = Array.from({ length: SITES }, (_, i) => `site-${i + 1}`);

function testSet(): Dataset {
  const test = loadMnist('test');
  const rows = mnistRows(
    test,
    Array.from({ length: test.count }, (_, i) => i),
  );
  return { x: rows.x, y: rows.y, count: test.count, features: 784 };
}

describe('MNIST MLP on the wasm backend', () => {
  it('FedAvg on IID MNIST gets within 1.5 points of centralised training of the same model on the same data', async () => {
    const test = testSet();
    // Centralised: the union of the three sites' shards, same model, same optimiser settings, one epoch per round.
    const shards = sites.map((s) => loadSiteData({ ...clientConfig, filters: [] } as never, s).train);
    const union: Dataset = {
      x: new Float32Array(shards.flatMap((d) => Array.from(d.x))),
      y: Int32Array.from(shards.flatMap((d) => Array.from(d.y))),
      count: shards.reduce((a, d) => a + d.count, 0),
      features: 784,
    };
    assert.equal(union.count, 6000);
    let central = initialWeights(model);
    for (let epoch = 0; epoch < ROUNDS; epoch++) {
      central = (await trainDense(central, union, { epochs: 1, batchSize: 32, lr: 0.2, mu: 0, seed: epoch }))
        .weights;
    }
    const centralAcc = (await evaluateDense(central, test, '')).accuracy as number;

    const comm = new InProcessCommunicator((site) => createExecutor(clientConfig, site), sites);
    const controller = createController(
      {
        workflow: 'fedavg',
        rounds: ROUNDS,
        minClients: SITES,
        seed: 3,
        initialModel: model,
        validateEveryRound: false,
      },
      { evaluate: async (w, round) => (round === ROUNDS - 1 ? evaluateDense(w, test, '') : {}) },
    );
    const state = await controller.run({
      jobId: 'mnist',
      comm,
      snapshot: new MemorySnapshotStore(),
      progress: () => {},
      signal: new AbortController().signal,
    });
    const fedAcc = state.history[ROUNDS - 1]?.metrics.global_accuracy as number;
    console.log(
      `centralised ${(centralAcc * 100).toFixed(2)}%, FedAvg ${(fedAcc * 100).toFixed(2)}% on the 10,000 MNIST test images`,
    );
    assert.ok(centralAcc > 0.9, `centralised baseline trained: ${centralAcc}`);
    assert.ok(Math.abs(centralAcc - fedAcc) <= 0.015, `FedAvg ${fedAcc} vs centralised ${centralAcc}`);
    assert.equal(state.history[0]?.metrics.samples, 6000);
  });

  it('FedProx: a larger proximal term keeps the local model closer to the global one', async () => {
    const ex = createExecutor(clientConfig, 'site-2');
    const start = initialWeights(model);
    const drift = async (mu: number) => {
      const r = await ex.execute(
        { name: 'train', jobId: 'p', round: 0, weights: start, config: { mu, lr: 0.1, seed: 1 } },
        { site: 'site-2', signal: new AbortController().signal },
      );
      assert.equal(r.status, 'ok', r.error);
      return l2Norm(subtract(r.weights ?? {}, start));
    };
    const free = await drift(0);
    const tied = await drift(1);
    assert.ok(tied < free * 0.8, `mu=1 drift ${tied} vs mu=0 drift ${free}`);
  });

  it('training is deterministic for a seed, different for another; bad tasks get clear errors', async () => {
    const ex = createExecutor(clientConfig, 'site-1');
    const signal = new AbortController().signal;
    const task = {
      name: 'train',
      jobId: 'd',
      round: 2,
      weights: initialWeights(model),
      config: { seed: 9, lr: 0.1 },
    };
    const a = await ex.execute(task, { site: 'site-1', signal });
    const b = await ex.execute(task, { site: 'site-1', signal });
    const c = await ex.execute({ ...task, config: { seed: 10, lr: 0.1 } }, { site: 'site-1', signal });
    assert.equal(maxAbsDifference(a.weights ?? {}, b.weights ?? {}), 0);
    assert.ok(maxAbsDifference(a.weights ?? {}, c.weights ?? {}) > 0);
    assert.equal(a.numSamples, 2000);

    const wrongModel = await ex.execute(
      { ...task, weights: initialWeights({ type: 'mlp', layers: [100, 10], seed: 1 }) },
      { site: 'site-1', signal },
    );
    assert.equal(wrongModel.status, 'error');
    assert.match(wrongModel.error ?? '', /takes 100 inputs but this site's data has 784 features/);
    const badLr = await ex.execute({ ...task, config: { lr: 'fast' } }, { site: 'site-1', signal });
    assert.match(badLr.error ?? '', /task config lr must be a number/);
    const unknown = await ex.execute({ ...task, name: 'dance' }, { site: 'site-1', signal });
    assert.match(unknown.error ?? '', /unknown task "dance"/);
    assert.throws(
      () => createExecutor({ ...clientConfig, train: { epochs: 0 } }, 'site-1'),
      /invalid client app config: train\.epochs/,
    );
    const outside = await createExecutor(clientConfig, 'site-9').execute(task, { site: 'site-9', signal });
    assert.match(outside.error ?? '', /site site-9: number 9 is outside 1\.\.3/);
  });
});
