/**
 * Memory per round: a 30-round FedAvg job run in-process (server, 10 clients and tfjs all in this thread) with
 * resident memory, JS heap and live tfjs tensors recorded after every round. A leak shows as growth between
 * the early and late rounds; the reference is zero growth.
 */
import { loadTf } from '../src/learners/index.js';
import { runSimulation } from '../src/simulator/index.js';
import { argNumber, machine, writeResult } from './ml-machine.js';

const rounds = argNumber('rounds', 30);
const clients = argNumber('clients', 10);
console.log(`ml-memory: ${rounds} rounds, ${clients} in-process clients x 600 MNIST images, MLP 784-64-10`);
console.log(`machine: ${machine()}`);
const tf = await loadTf();
const samples: Array<{ round: number; rssMiB: number; heapMiB: number; tensors: number; tfMiB: number }> = [];
await runSimulation({
  config: {
    name: 'memory',
    server: {
      workflow: 'fedavg',
      rounds,
      minClients: clients,
      seed: 1,
      initialModel: { type: 'mlp', layers: [784, 64, 10], seed: 1 },
    },
    client: {
      dataset: {
        name: 'mnist',
        partition: { kind: 'iid', numSites: clients, samplesPerSite: 600, seed: 1 },
        validationSamples: 100,
      },
    },
  },
  clients,
  threads: 0,
  onProgress: (e) => {
    if (e.kind !== 'round-end') return;
    const m = process.memoryUsage();
    const t = tf.memory();
    samples.push({
      round: e.record.round + 1,
      rssMiB: m.rss / 2 ** 20,
      heapMiB: m.heapUsed / 2 ** 20,
      tensors: t.numTensors,
      tfMiB: t.numBytes / 2 ** 20,
    });
  },
});
const at = (r: number) => samples[Math.min(samples.length, r) - 1] as (typeof samples)[number];
const early = at(5);
const late = at(rounds);
console.log('');
console.log('| after round | RSS | JS heap | live tfjs tensors | tfjs bytes |');
console.log('|---|---|---|---|---|');
for (const s of [at(1), early, at(Math.ceil(rounds / 2)), late]) {
  console.log(
    `| ${s.round} | ${s.rssMiB.toFixed(0)} MiB | ${s.heapMiB.toFixed(0)} MiB | ${s.tensors} | ${s.tfMiB.toFixed(2)} MiB |`,
  );
}
console.log(
  `growth from round ${early.round} to ${late.round}: RSS ${(late.rssMiB - early.rssMiB).toFixed(0)} MiB, heap ${(late.heapMiB - early.heapMiB).toFixed(1)} MiB, tensors ${late.tensors - early.tensors} (reference: 0)`,
);
writeResult('ml-memory', { rounds, clients, samples });
