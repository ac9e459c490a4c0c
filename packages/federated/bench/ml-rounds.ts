/**
 * Rounds per minute: FedAvg, 10 clients x 6,000 MNIST images each, MLP 784-64-10, one local epoch, on the
 * worker-thread simulator. The physical limit it is compared with: the same trainer's single-thread
 * throughput (images/s) times the thread count, i.e. 60,000 images of pure training per round and no
 * federated overhead at all.
 */
import os from 'node:os';
import {
  initialWeights,
  loadSiteData,
  loadTf,
  parseClientAppConfig,
  trainDense,
} from '../src/learners/index.js';
import { formatProgress, runSimulation } from '../src/simulator/index.js';
import { argNumber, machine, writeResult } from './ml-machine.js';

const clients = argNumber('clients', 10);
const perClient = argNumber('samples', 6000);
const rounds = argNumber('rounds', 4);
const threads = argNumber('threads', Math.max(1, os.cpus().length));
const model = { type: 'mlp', layers: [784, 64, 10], seed: 1 } as const;
const client = {
  dataset: {
    name: 'mnist',
    partition: { kind: 'iid', numSites: clients, samplesPerSite: perClient, seed: 1 },
    validationSamples: 500,
  },
  train: { epochs: 1, batchSize: 32, lr: 0.1 },
};

console.log(
  `ml-rounds: ${clients} clients x ${perClient} MNIST images, MLP 784-64-10, ${threads} thread(s), ${rounds} rounds`,
);
console.log(`machine: ${machine()}`);

// Physical limit: single-thread training throughput of the same code on one client's shard.
await loadTf();
const shard = loadSiteData(parseClientAppConfig(client), 'site-1').train;
let w = initialWeights({ ...model, layers: [784, 64, 10] });
w = (await trainDense(w, shard, { epochs: 1, batchSize: 32, lr: 0.1, mu: 0, seed: 0 })).weights; // warm-up
const t0 = performance.now();
w = (await trainDense(w, shard, { epochs: 1, batchSize: 32, lr: 0.1, mu: 0, seed: 1 })).weights;
const perSecond = shard.count / ((performance.now() - t0) / 1000);
const limit = (60 * perSecond * Math.min(threads, os.cpus().length)) / (clients * perClient);

const result = await runSimulation({
  config: {
    name: 'rounds-bench',
    server: {
      workflow: 'fedavg',
      rounds,
      minClients: clients,
      seed: 1,
      initialModel: { ...model, layers: [784, 64, 10] },
      validateEveryRound: false,
    },
    client,
  },
  clients,
  threads,
  onProgress: (e) => {
    if (e.kind === 'round-end') console.log(`  ${formatProgress(e)}`);
  },
});
const durations = result.history.map((h) => (h.finishedAt - h.startedAt) / 1000);
const steady = durations.slice(1);
const steadyPerMin = 60 / (steady.reduce((a, b) => a + b, 0) / Math.max(1, steady.length));
const overallPerMin = (60 * rounds) / (result.durationMs / 1000);
console.log('');
console.log('| measure | value |');
console.log('|---|---|');
console.log(`| single-thread training throughput | ${perSecond.toFixed(0)} images/s |`);
console.log(
  `| physical limit (pure training on ${Math.min(threads, os.cpus().length)} core(s)) | ${limit.toFixed(1)} rounds/min |`,
);
console.log(
  `| FedAvg rounds/min, steady state (rounds 2..${rounds}) | ${steadyPerMin.toFixed(1)} (${((100 * steadyPerMin) / limit).toFixed(0)}% of the limit) |`,
);
console.log(`| FedAvg rounds/min incl. thread start and data loading | ${overallPerMin.toFixed(1)} |`);
console.log(`| peak RSS | ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MiB |`);
console.log(`| aim | >= 8 rounds/min: ${steadyPerMin >= 8 ? 'met' : 'NOT met'} |`);
writeResult('ml-rounds', {
  clients,
  perClient,
  rounds,
  threads,
  imagesPerSecond: perSecond,
  limitRoundsPerMin: limit,
  steadyPerMin,
  overallPerMin,
  roundSeconds: durations,
  peakRssBytes: result.peakRssBytes,
});
