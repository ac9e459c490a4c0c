import assert from 'node:assert/strict';
import { type ChildProcess, execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { AdminAPI } from '../src/admin/api.js';
import { consensusExpected, writeConsensusJob } from '../src/poc/demo-job.js';
import { cliPath, spawnParticipant, waitForLine } from '../src/poc/processes.js';
import { readWeightsFile } from '../src/server/weights-file.js';
import { makeProject, tempDir, until } from './infra-helpers.js';

const tmp = tempDir('proc');
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (process.env.KEEP_LOGS) console.log(tmp.dir);
  else tmp.cleanup();
});

function start(kit: string): ChildProcess {
  const c = spawnParticipant(kit, {
    logFile: join(tmp.dir, 'logs', `${kit.split('/').at(-1)}-${kit.split('/').at(-4)}.log`),
  });
  children.push(c);
  return c;
}

const cli = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', cliPath(), ...args], { encoding: 'utf8' });

/** FedAvg replayed with the sites that actually answered each round: the exact expected global model. */
function replay(
  rounds: { sites: string[] }[],
  sites: Record<string, { target: number; samples: number }>,
  lr: number,
): number {
  let w = 0;
  for (const r of rounds) {
    const n = r.sites.reduce((a, s) => a + (sites[s]?.samples ?? 0), 0);
    const mean = r.sites.reduce((a, s) => a + (sites[s]?.target ?? 0) * (sites[s]?.samples ?? 0), 0) / n;
    w += lr * (mean - w);
  }
  return w;
}

describe('server and clients as separate processes', () => {
  it('finishes the job with the remaining sites when a client is killed mid-round', async () => {
    const p = await makeProject(join(tmp.dir, 'kill-client'), { clients: ['site-1', 'site-2', 'site-3'] });
    const server = start(p.kit('server'));
    await waitForLine(server, /listening on/);
    const sites = ['site-1', 'site-2', 'site-3'].map((s) => start(p.kit(s)));
    await Promise.all(sites.map((c) => waitForLine(c, /registered with/)));
    const spec = {
      'site-1': { target: 1, samples: 10, delayMs: 300 },
      'site-2': { target: 3, samples: 30, delayMs: 300 },
      'site-3': { target: 9, samples: 60, delayMs: 300 },
    };
    const api = AdminAPI.fromKit(p.kit('admin@tessera'));
    const { id } = await api.submit(
      writeConsensusJob(join(tmp.dir, 'job1'), {
        rounds: 5,
        minClients: 2,
        roundTimeoutMs: 20_000,
        waitAfterMinMs: 5_000,
        sites: spec,
      }),
    );
    // Kill site-3 once round 1 has started, while it is "training" (300 ms per task).
    await until(async () => (await api.status(id)).rounds.length >= 1, 30_000, 'round 0 done');
    sites[2]?.kill('SIGKILL');
    const st = await api.waitFor(id, { timeoutMs: 60_000 });
    assert.equal(st.job.status, 'finished', st.job.error ?? '');
    assert.equal(st.rounds.length, 5);
    assert.deepEqual(st.rounds[0]?.sites, ['site-1', 'site-2', 'site-3']);
    assert.deepEqual(st.rounds.at(-1)?.sites, ['site-1', 'site-2']);
    assert.ok(
      st.sites.some((r) => r.site === 'site-3' && r.status === 'dropped'),
      'site-3 reported as dropped, not waited for',
    );
    const longest = Math.max(...st.rounds.map((r) => r.finishedAt - r.startedAt));
    assert.ok(
      longest < 4_000,
      `no round waited for the dead site (wait-after-min 5 s, timeout 20 s) (longest ${longest} ms)`,
    );
    const dir = join(tmp.dir, 'dl1');
    await api.download(id, dir);
    const w = readWeightsFile(join(dir, 'result', 'model.bin')).w;
    assert.ok(Math.abs((w?.data[0] ?? 0) - replay(st.rounds, spec, 0.5)) < 1e-5);
    // The CLI shows the same job, per round and per site.
    const { stdout } = await cli('status', id, '--kit', p.kit('admin@tessera'));
    assert.match(stdout, /status finished/);
    assert.match(stdout, /round {3}4 {2}site-2 {7}ok/);
    assert.match(stdout, /site-3 {7}dropped/);
    const list = await cli('list', '--kit', p.kit('admin@tessera'));
    assert.match(list.stdout, new RegExp(`${id.slice(0, 8)}\\s+consensus-fedavg\\s+finished`));
    server.kill('SIGTERM');
    for (const c of sites) c.kill('SIGTERM');
  });

  it('drops a frozen client (SIGSTOP: socket open, no heartbeats) and finishes the round without it', async () => {
    const p = await makeProject(join(tmp.dir, 'freeze'), {
      clients: ['site-1', 'site-2', 'site-3'],
      heartbeatMs: 300,
      heartbeatTimeoutMs: 2000,
    });
    const server = start(p.kit('server'));
    await waitForLine(server, /listening on/);
    const sites = ['site-1', 'site-2', 'site-3'].map((s) => start(p.kit(s)));
    await Promise.all(sites.map((c) => waitForLine(c, /registered with/)));
    const spec = {
      'site-1': { target: 1, samples: 1, delayMs: 400 },
      'site-2': { target: 2, samples: 1, delayMs: 400 },
      'site-3': { target: 3, samples: 1, delayMs: 400 },
    };
    const api = AdminAPI.fromKit(p.kit('admin@tessera'));
    // The round timeout is 10 minutes and the wait after the minimum too: only heartbeats can free the round.
    const { id } = await api.submit(
      writeConsensusJob(join(tmp.dir, 'job3'), {
        rounds: 4,
        minClients: 2,
        roundTimeoutMs: 600_000,
        waitAfterMinMs: 600_000,
        sites: spec,
      }),
    );
    await until(async () => (await api.status(id)).rounds.length >= 1, 30_000, 'round 0 done');
    sites[2]?.kill('SIGSTOP');
    const st = await api.waitFor(id, { timeoutMs: 60_000 });
    sites[2]?.kill('SIGCONT');
    assert.equal(st.job.status, 'finished', st.job.error ?? '');
    assert.deepEqual(st.rounds.at(-1)?.sites, ['site-1', 'site-2']);
    const frozen = st.sites.find((r) => r.site === 'site-3' && r.status !== 'ok');
    assert.equal(frozen?.status, 'dropped');
    const longest = Math.max(...st.rounds.map((r) => r.finishedAt - r.startedAt));
    assert.ok(longest < 20_000, `the frozen site held a round for ${longest} ms`);
    // Thawed, it notices the server dropped it and registers again.
    await until(
      async () => (await api.status()).sites.some((x) => x.name === 'site-3'),
      30_000,
      'site-3 back',
    );
    server.kill('SIGTERM');
    for (const c of sites) c.kill('SIGTERM');
  });

  it('resumes a job from its last round snapshot after kill -9 of the server', async () => {
    const p = await makeProject(join(tmp.dir, 'kill-server'), { clients: ['site-1', 'site-2'] });
    let server = start(p.kit('server'));
    await waitForLine(server, /listening on/);
    const sites = ['site-1', 'site-2'].map((s) => start(p.kit(s)));
    await Promise.all(sites.map((c) => waitForLine(c, /registered with/)));
    const spec = {
      'site-1': { target: 2, samples: 1, delayMs: 250 },
      'site-2': { target: 6, samples: 3, delayMs: 250 },
    };
    const api = AdminAPI.fromKit(p.kit('admin@tessera'));
    const { id } = await api.submit(
      writeConsensusJob(join(tmp.dir, 'job2'), { rounds: 14, minClients: 2, sites: spec }),
    );
    await until(async () => (await api.status(id)).rounds.length >= 3, 30_000, 'three rounds');
    const before = (await api.status(id)).rounds.length;
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    server = start(p.kit('server'));
    await waitForLine(server, /1 job\(s\) to resume/);
    const st = await api.waitFor(id, { timeoutMs: 60_000 });
    assert.equal(st.job.status, 'finished', st.job.error ?? '');
    assert.equal(st.job.resumed, 1);
    assert.deepEqual(
      st.rounds.map((r) => r.round),
      Array.from({ length: 14 }, (_, i) => i),
    );
    const resumedAt = st.events
      .map((e) => e.message.match(/resumed from snapshot of round (\d+)/))
      .find(Boolean);
    assert.ok(resumedAt, `events: ${st.events.map((e) => e.message).join(' | ')}`);
    assert.ok(
      Number(resumedAt[1]) >= before - 1,
      `lost at most one round (had ${before}, resumed after round ${resumedAt[1]})`,
    );
    const dir = join(tmp.dir, 'dl2');
    await api.download(id, dir);
    const w = readWeightsFile(join(dir, 'result', 'model.bin')).w;
    assert.ok(Math.abs((w?.data[3] ?? 0) - consensusExpected(Object.values(spec), 0.5, 14)) < 1e-5);
    server.kill('SIGTERM');
    for (const c of sites) c.kill('SIGTERM');
  });
});
