/**
 * The largest simulator run: N virtual clients (default 10,000) over all of MNIST's 60,000 training images,
 * K sampled per round (default 100), on worker threads. Reports peak resident memory against the 4 GB aim.
 * Virtual clients are a shard index list plus seeds, built only when sampled.
 */
import os from 'node:os';
import { formatProgress, runSimulation } from '../src/simulator/index.js';
import { argNumber, machine, writeResult } from './ml-machine.js';

const clients = argNumber('clients', 10_000);
const perRound = argNumber('per-round', 100);
const rounds = argNumber('rounds', 3);
const threads = argNumber('threads', Math.max(1, os.cpus().length));
console.log(
  `ml-simulator-scale: ${clients} virtual clients, ${perRound} per round, ${rounds} rounds, ${threads} thread(s)`,
);
console.log(`machine: ${machine()}`);
const result = await runSimulation({
  config: {
    name: 'scale',
    server: {
      workflow: 'fedavg',
      rounds,
      minClients: perRound,
      clientsPerRound: perRound,
      seed: 1,
      initialModel: { type: 'mlp', layers: [784, 64, 10], seed: 1 },
    },
    client: {
      dataset: {
        name: 'mnist',
        partition: { kind: 'iid', numSites: clients, seed: 1 },
        validationSamples: 10,
      },
      train: { epochs: 1, batchSize: 8, lr: 0.05 },
    },
  },
  clients,
  threads,
  onProgress: (e) => {
    if (e.kind === 'round-end') console.log(`  ${formatProgress(e)}`);
  },
});
const gib = result.peakRssBytes / 2 ** 30;
console.log('');
console.log(
  '| virtual clients | sampled per round | rounds | threads | wall time | peak RSS | aim (< 4 GiB) |',
);
console.log('|---|---|---|---|---|---|---|');
console.log(
  `| ${clients} | ${perRound} | ${rounds} | ${threads} | ${(result.durationMs / 1000).toFixed(1)} s | ${(gib * 1024).toFixed(0)} MiB | ${gib < 4 ? 'met' : 'NOT met'} (${((100 * gib) / 4).toFixed(0)}% of 4 GiB) |`,
);
writeResult(`ml-simulator-scale-${clients}`, {
  clients,
  perRound,
  rounds,
  threads,
  durationMs: result.durationMs,
  peakRssBytes: result.peakRssBytes,
  history: result.history,
});
