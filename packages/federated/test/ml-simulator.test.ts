import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ProgressEvent } from '../src/core/contracts.js';
import { formatProgress, runSimulation } from '../src/simulator/index.js';

const job = {
  name: 'mnist-small',
  server: {
    workflow: 'fedavg',
    rounds: 2,
    minClients: 3,
    clientsPerRound: 3,
    seed: 11,
    initialModel: { type: 'mlp', layers: [784, 16, 10], seed: 3 },
  },
  client: {
    dataset: {
      name: 'mnist',
      partition: { kind: 'dirichlet', alpha: 0.5, numSites: 4, samplesPerSite: 150, seed: 2 },
      validationSamples: 100,
    },
    train: { epochs: 1, batchSize: 16, lr: 0.1 },
  },
};

describe('simulator', () => {
  it('gives bit-identical results on worker threads and in-process for a fixed seed', async () => {
    const events: ProgressEvent[] = [];
    const threaded = await runSimulation({
      config: job,
      clients: 5,
      threads: 2,
      onProgress: (e) => events.push(e),
    });
    const inline = await runSimulation({ config: job, clients: 5, threads: 0 });
    assert.equal(threaded.history.length, 2);
    assert.deepEqual(
      threaded.history.map((h) => h.sites),
      inline.history.map((h) => h.sites),
    );
    for (const [name, t] of Object.entries(inline.state.weights)) {
      assert.deepEqual(threaded.state.weights[name]?.data, t.data, `variable ${name} differs`);
    }
    assert.deepEqual(
      threaded.history.map((h) => h.metrics.val_accuracy),
      inline.history.map((h) => h.metrics.val_accuracy),
    );
    // training really happened: the model moved and clients reported losses
    assert.ok((inline.history[1]?.metrics.val_accuracy as number) > 0.3);
    // progress is visible while it runs: round starts, each client's reply, round ends with metrics
    const kinds = events.map((e) => e.kind);
    assert.equal(kinds.filter((k) => k === 'round-start').length, 2);
    assert.equal(kinds.filter((k) => k === 'reply').length, 6);
    const end = events.find((e) => e.kind === 'round-end');
    assert.ok(end && /round 1 done in .*train_loss .*val_accuracy/.test(formatProgress(end)));
  });

  it('reads a job folder, writes the accuracy plot and result, and rejects what cannot run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-sim-'));
    writeFileSync(
      path.join(dir, 'meta.json'),
      JSON.stringify({
        name: 'from-folder',
        min_clients: 2,
        deploy_map: { app: ['@ALL'] },
        apps: {
          app: {
            server: { ...job.server, rounds: 1, minClients: 2, clientsPerRound: 2 },
            client: job.client,
          },
        },
      }),
    );
    const out = path.join(dir, 'out');
    const r = await runSimulation({ jobDir: dir, clients: 3, threads: 1, outDir: out });
    assert.equal(r.name, 'from-folder');
    const svg = readFileSync(r.files.plot as string, 'utf8');
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /val accuracy/);
    assert.match(svg, /<circle /);
    const saved = JSON.parse(readFileSync(r.files.result as string, 'utf8'));
    assert.equal(saved.history.length, 1);
    assert.ok(r.peakRssBytes > 0);

    await assert.rejects(runSimulation({ config: job, clients: 2, threads: 1 }), /minClients=3 .* 2 client/);
    await assert.rejects(runSimulation({ config: job, clients: 0, threads: 1 }), /clients must be/);
    await assert.rejects(
      runSimulation({ jobDir: path.join(dir, 'nope'), clients: 3, threads: 1 }),
      /not a job folder: meta.json is missing/,
    );
    await assert.rejects(
      runSimulation({
        config: { ...job, client: { ...job.client, dataset: { name: 'cifar' } } },
        clients: 4,
        threads: 1,
      }),
      /invalid client app config: dataset\.name/,
    );
  });

  it('waits for every sampled virtual client, even with waitAfterMinMs 0 and one thread for six clients', async () => {
    const r = await runSimulation({
      config: {
        ...job,
        server: {
          ...job.server,
          rounds: 1,
          minClients: 1,
          clientsPerRound: 6,
          waitAfterMinMs: 0,
          validateEveryRound: false,
        },
      },
      clients: 6,
      threads: 1,
    });
    assert.deepEqual(r.history[0]?.sites, ['site-1', 'site-2', 'site-3', 'site-4', 'site-5', 'site-6']);
  });
});
