/**
 * Accuracy per round: FedAvg on IID and on non-IID (Dirichlet alpha 0.5) MNIST splits over 10 clients, and
 * FedProx (mu 0.01) on the non-IID split,
 * against centralised training of the same MLP on the same 60,000 images (one epoch per round), all measured
 * on the 10,000 MNIST test images. Writes docs/ml-accuracy.svg.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Dataset } from '../src/learners/dense-trainer.js';
import {
  evaluateDense,
  initialWeights,
  loadMnist,
  loadSiteData,
  mnistRows,
  parseClientAppConfig,
  trainDense,
} from '../src/learners/index.js';
import { renderLineChart, type Series } from '../src/plot/index.js';
import { runSimulation } from '../src/simulator/index.js';
import { argNumber, machine, writeResult } from './ml-machine.js';

const clients = argNumber('clients', 10);
const perClient = argNumber('samples', 6000);
const rounds = argNumber('rounds', 10);
const threads = argNumber('threads', Math.max(1, os.cpus().length));
const lr = 0.1;
const model = { type: 'mlp' as const, layers: [784, 64, 10], seed: 1 };
console.log(
  `ml-accuracy: ${clients} clients x ${perClient} MNIST images, ${rounds} rounds, ${threads} thread(s)`,
);
console.log(`machine: ${machine()}`);

const testSplit = loadMnist('test');
const testRows = mnistRows(
  testSplit,
  Array.from({ length: testSplit.count }, (_, i) => i),
);
const test: Dataset = { x: testRows.x, y: testRows.y, count: testSplit.count, features: 784 };
const evaluate = async (w: Parameters<typeof evaluateDense>[0]) => evaluateDense(w, test, '');

const splits = {
  iid: { kind: 'iid', numSites: clients, samplesPerSite: perClient, seed: 1 },
  'non-iid': { kind: 'dirichlet', alpha: 0.5, numSites: clients, seed: 1 },
} as const;

const runs: Array<{
  label: string;
  partition: (typeof splits)[keyof typeof splits];
  workflow: Record<string, unknown>;
}> = [
  { label: 'FedAvg iid', partition: splits.iid, workflow: { workflow: 'fedavg' } },
  { label: 'FedAvg non-iid', partition: splits['non-iid'], workflow: { workflow: 'fedavg' } },
  { label: 'FedProx non-iid', partition: splits['non-iid'], workflow: { workflow: 'fedprox', mu: 0.01 } },
];
const series: Series[] = [];
const table: Record<string, number[]> = {};
for (const { label, partition, workflow } of runs) {
  const client = {
    dataset: { name: 'mnist', partition, validationSamples: 200 },
    train: { epochs: 1, batchSize: 32, lr },
  };
  const t0 = Date.now();
  const r = await runSimulation({
    config: {
      name: label,
      server: {
        ...workflow,
        rounds,
        minClients: clients,
        seed: 1,
        initialModel: model,
        validateEveryRound: false,
      },
      client,
    },
    clients,
    threads,
    evaluate,
    onProgress: (e) => {
      if (e.kind === 'round-end')
        console.log(
          `  ${label} round ${e.record.round + 1}: test accuracy ${(100 * (e.record.metrics.global_accuracy as number)).toFixed(2)}%`,
        );
    },
  });
  table[label] = r.history.map((h) => h.metrics.global_accuracy as number);
  series.push({
    name: label,
    points: r.history.map((h) => [h.round + 1, h.metrics.global_accuracy as number]),
  });
  console.log(`  ${label}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

// Centralised: the pooled IID shards, same model and optimiser, one epoch per "round".
const cfg = parseClientAppConfig({ dataset: { name: 'mnist', partition: splits.iid, validationSamples: 1 } });
const shards = Array.from({ length: clients }, (_, i) => loadSiteData(cfg, `site-${i + 1}`).train);
const pooled: Dataset = {
  x: new Float32Array(shards.reduce((a, s) => a + s.x.length, 0)),
  y: new Int32Array(shards.reduce((a, s) => a + s.count, 0)),
  count: 0,
  features: 784,
};
for (const s of shards) {
  pooled.x.set(s.x, pooled.count * 784);
  pooled.y.set(s.y, pooled.count);
  pooled.count += s.count;
}
let w = initialWeights(model);
const central: number[] = [];
for (let e = 0; e < rounds; e++) {
  w = (await trainDense(w, pooled, { epochs: 1, batchSize: 32, lr, mu: 0, seed: e })).weights;
  central.push((await evaluate(w)).accuracy as number);
  console.log(
    `  centralised epoch ${e + 1}: test accuracy ${(100 * (central.at(-1) as number)).toFixed(2)}%`,
  );
}
table.centralised = central;
series.push({ name: 'centralised', points: central.map((a, i) => [i + 1, a]), dashed: true });

console.log('');
console.log(`| round | ${Object.keys(table).join(' | ')} |`);
console.log(
  `|---|${Object.keys(table)
    .map(() => '---')
    .join('|')}|`,
);
for (let r = 0; r < rounds; r++)
  console.log(
    `| ${r + 1} | ${Object.values(table)
      .map((v) => `${(100 * (v[r] as number)).toFixed(2)}%`)
      .join(' | ')} |`,
  );
const last = (k: string): number => (table[k]?.at(-1) as number) * 100;
for (const { label } of runs)
  console.log(`${label} ends ${(last('centralised') - last(label)).toFixed(2)} points below centralised.`);
const svg = renderLineChart(series, {
  title: `MNIST MLP, ${clients} clients: test accuracy per round`,
  xLabel: 'round (centralised: epoch)',
  yLabel: 'test accuracy',
});
const plot = path.join(import.meta.dirname, '..', 'docs', 'ml-accuracy.svg');
writeFileSync(plot, svg);
console.log(`plot: ${plot}`);
writeResult('ml-accuracy', { clients, perClient, rounds, threads, accuracy: table });
