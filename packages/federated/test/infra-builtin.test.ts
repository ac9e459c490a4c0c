import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AdminAPI } from '../src/admin/api.js';
import { FLClient } from '../src/client/client.js';
import { loadKit } from '../src/kit/kit.js';
import { FLServer } from '../src/server/server.js';
import { readWeightsFile } from '../src/server/weights-file.js';
import { runSimulation } from '../src/simulator/index.js';
import { makeProject, tempDir } from './infra-helpers.js';

const tmp = tempDir('builtin');
after(() => tmp.cleanup());

describe('built-in workflow and trainer over the real deployment', () => {
  it('a FedAvg logistic-regression job over mutual TLS ends with the same weights as the in-process simulator', async () => {
    const meta = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', 'jobs', 'breast-cancer-logreg', 'meta.json'), 'utf8'),
    );
    meta.apps.app.server.rounds = 3;
    meta.apps.app.server.crossSiteEval = false;
    const jobDir = join(tmp.dir, 'job');
    mkdirSync(jobDir, { recursive: true });
    writeFileSync(join(jobDir, 'meta.json'), JSON.stringify(meta));
    // Reference: the simulator runs the same Controller and Executors in this thread.
    const sim = await runSimulation({
      config: { name: meta.name, server: meta.apps.app.server, client: meta.apps.app.client },
      clients: 3,
      threads: 0,
    });

    const p = await makeProject(join(tmp.dir, 'ws'), { clients: ['site-1', 'site-2', 'site-3'] });
    const server = new FLServer(loadKit(p.kit('server')), { quiet: true });
    await server.start();
    const sites = ['site-1', 'site-2', 'site-3'].map((s) => new FLClient(loadKit(p.kit(s)), { quiet: true }));
    try {
      for (const s of sites) s.start();
      await Promise.all(sites.map((s) => s.waitConnected()));
      const api = AdminAPI.fromKit(p.kit('admin@tessera'));
      const { id } = await api.submit(jobDir);
      const st = await api.waitFor(id, { timeoutMs: 120_000 });
      assert.equal(st.job.status, 'finished', st.job.error ?? '');
      assert.equal(st.rounds.length, 3);
      await api.download(id, join(tmp.dir, 'dl'));
      const got = readWeightsFile(join(tmp.dir, 'dl', 'result', 'model.bin'));
      assert.deepEqual(Object.keys(got).sort(), Object.keys(sim.state.weights).sort());
      for (const [name, t] of Object.entries(sim.state.weights)) {
        const g = got[name];
        assert.ok(g);
        assert.deepEqual(g.shape, t.shape);
        for (let i = 0; i < t.data.length; i++)
          assert.ok(
            Math.abs((g.data[i] ?? Number.NaN) - (t.data[i] ?? 0)) < 1e-6,
            `${name}[${i}]: ${g.data[i]} vs ${t.data[i]}`,
          );
      }
      assert.ok(readFileSync(join(tmp.dir, 'dl', 'result', 'accuracy.svg'), 'utf8').startsWith('<svg'));
    } finally {
      for (const s of sites) await s.stop();
      await server.stop();
    }
  });
});
