import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseClientAppConfig } from '../src/learners/config.js';
import { readJobConfigs, runSimulation } from '../src/simulator/index.js';
import { parseServerAppConfig } from '../src/workflows/index.js';

const jobsDir = path.join(import.meta.dirname, '..', 'jobs');
const jobs = readdirSync(jobsDir);

describe('shipped example jobs', () => {
  it('every job folder has valid server and client app configs', () => {
    assert.ok(jobs.length >= 4);
    for (const name of jobs) {
      const cfg = readJobConfigs(path.join(jobsDir, name));
      assert.equal(cfg.name, name);
      const server = parseServerAppConfig(cfg.server);
      const client = parseClientAppConfig(cfg.client);
      assert.ok(
        server.minClients <= client.dataset.partition.numSites,
        `${name}: minClients above the number of data shards`,
      );
    }
  });

  it('breast-cancer-logreg runs in the simulator and ends with a cross-site evaluation matrix', async () => {
    const r = await runSimulation({
      jobDir: path.join(jobsDir, 'breast-cancer-logreg'),
      clients: 3,
      threads: 1,
    });
    assert.equal(r.history.length, 20);
    assert.ok((r.history.at(-1)?.metrics.val_accuracy as number) > 0.93);
    const m = r.state.extra?.crossSiteEval as {
      models: string[];
      sites: string[];
      results: Record<string, Record<string, { val_accuracy: number }>>;
    };
    assert.deepEqual(m.models, ['server', 'site-1', 'site-2', 'site-3']);
    for (const model of m.models)
      for (const site of m.sites)
        assert.ok((m.results[model]?.[site]?.val_accuracy as number) > 0.85, `${model} at ${site}`);
  });

  it('breast-cancer-cyclic runs in the simulator', async () => {
    const r = await runSimulation({
      jobDir: path.join(jobsDir, 'breast-cancer-cyclic'),
      clients: 3,
      threads: 0,
    });
    assert.equal(r.history.length, 5);
    assert.deepEqual(r.history[0]?.sites, ['site-1', 'site-2', 'site-3']);
    assert.ok((r.history.at(-1)?.metrics.val_accuracy as number) > 0.93);
  });
});
