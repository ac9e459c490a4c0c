/**
 * Concurrent mutual-TLS client sites one server holds (aim: 1,000). The server runs as its own process; the
 * sites run in a few swarm processes, each site with its own connection and TLS session. Measured: time until
 * all are registered, server memory per connection, whether heartbeats keep all of them for a while, and a
 * FedAvg job over every site at once (round time with N clients).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { AdminAPI } from '../src/admin/api.js';
import { loadProject } from '../src/kit/project.js';
import { provision } from '../src/kit/provision.js';
import { writeConsensusJob } from '../src/poc/demo-job.js';
import { freePort, spawnParticipant, waitForLine } from '../src/poc/processes.js';
import { arg, MiB, machine, rssOf, writeResult } from './infra-common.js';

const n = arg('clients', 1000);
const swarms = arg('swarms', 4);
const holdMs = arg('hold', 15_000);
console.log(
  `infra-concurrency: ${n} client sites over mutual TLS, ${swarms} swarm processes\nmachine: ${machine()}`,
);

const ws = mkdtempSync(join(tmpdir(), 'tessera-bench-conc-'));
const children: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
try {
  const port = await freePort();
  const participants: Record<string, unknown>[] = [
    { type: 'server', name: 'server', org: 'tessera', fed_port: port },
  ];
  for (let i = 1; i <= n; i++)
    participants.push({ type: 'client', name: `site-${i}`, org: `hospital-${i % 20}` });
  participants.push({ type: 'admin', name: 'admin@tessera', org: 'tessera', role: 'project_admin' });
  writeFileSync(
    join(ws, 'p.yml'),
    stringify({ name: 'conc', heartbeat_ms: 3000, heartbeat_timeout_ms: 20_000, participants }),
  );
  const prov = await provision(loadProject(join(ws, 'p.yml')), ws);
  const server = spawnParticipant(join(prov.kitsDir, 'server'), { logFile: join(ws, 'server.log') });
  children.push(server);
  await waitForLine(server, /listening on/);
  const rss0 = rssOf(server.pid ?? 0);
  const api = AdminAPI.fromKit(join(prov.kitsDir, 'admin@tessera'));
  const t0 = Date.now();
  const per = Math.ceil(n / swarms);
  for (let s = 0; s < swarms; s++) {
    const first = 1 + s * per;
    const count = Math.min(per, n - s * per);
    if (count <= 0) break;
    const c = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'lib', 'infra-swarm.ts'),
        prov.kitsDir,
        String(first),
        String(count),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    children.push(c);
  }
  let connected = 0;
  while (Date.now() - t0 < 300_000) {
    await sleep(1000);
    connected = (await api.status()).sites.length;
    process.stdout.write(
      `  ${((Date.now() - t0) / 1000).toFixed(0)} s: ${connected}/${n} registered, server RSS ${(rssOf(server.pid ?? 0) / MiB).toFixed(0)} MiB\n`,
    );
    if (connected >= n) break;
  }
  const allMs = Date.now() - t0;
  const rssAll = rssOf(server.pid ?? 0);
  await sleep(holdMs);
  const held = (await api.status()).sites.length;
  console.log(`  after holding ${holdMs / 1000} s on heartbeats: ${held}/${n} still registered`);
  const sites = Object.fromEntries(
    Array.from({ length: n }, (_, i) => [`site-${i + 1}`, { target: (i % 10) + 1, samples: 1 }]),
  );
  const jobDir = writeConsensusJob(join(ws, 'job'), {
    name: 'all-sites',
    rounds: 3,
    minClients: Math.floor(n * 0.95),
    dim: 10_000,
    waitAfterMinMs: 10_000,
    roundTimeoutMs: 120_000,
    sites,
  });
  const { id } = await api.submit(jobDir);
  const st = await api.waitFor(id, { timeoutMs: 600_000, intervalMs: 2000 });
  const roundMs = st.rounds.map((r) => r.finishedAt - r.startedAt);
  const perRound = st.rounds.map((r) => r.sites.length);
  console.log(
    `  job over all sites: ${st.job.status}; sites per round ${perRound.join(', ')}; round times ${roundMs.map((m) => `${(m / 1000).toFixed(1)} s`).join(', ')}`,
  );
  const rssJob = rssOf(server.pid ?? 0);
  console.log(
    `  ${connected}/${n} concurrent mTLS sites in ${(allMs / 1000).toFixed(1)} s (aim 1,000: ${(connected / 1000).toFixed(2)}×); server RSS ${(rss0 / MiB).toFixed(0)} → ${(rssAll / MiB).toFixed(0)} MiB (${((rssAll - rss0) / 1024 / Math.max(1, connected)).toFixed(0)} KiB per connection), ${(rssJob / MiB).toFixed(0)} MiB after the job`,
  );
  const file = writeResult('infra-concurrency', {
    clients: n,
    connected,
    held,
    allConnectedMs: allMs,
    serverRssIdle: rss0,
    serverRssConnected: rssAll,
    serverRssAfterJob: rssJob,
    jobStatus: st.job.status,
    sitesPerRound: perRound,
    roundMs,
  });
  console.log(`  wrote ${file}`);
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await sleep(1500);
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  if (process.env.KEEP_BENCH_DIR) console.log(`  kept ${ws}`);
  else rmSync(ws, { recursive: true, force: true });
}
