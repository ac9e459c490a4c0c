/**
 * Bytes on the wire per FedAvg round against the floor of 2 × clients × model size (each site downloads the
 * global model and uploads its update once). Every client process dials a counting TCP proxy in front of the
 * server, so the count includes TLS records, HTTP/2 frames, gRPC framing and our chunk headers.
 * `--large` instead sends one model over 2 GiB (6 tensors) to one site and back, the size at which gRPC's
 * single-message limit stops other frameworks.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { AdminAPI } from '../src/admin/api.js';
import { loadProject } from '../src/kit/project.js';
import { provision } from '../src/kit/provision.js';
import { CONSENSUS_MODULE } from '../src/poc/demo-job.js';
import { freePort, spawnParticipant, waitForLine } from '../src/poc/processes.js';
import { arg, flag, MiB, machine, rssOf, writeResult } from './infra-common.js';

const large = flag('large');
const clients = large ? 1 : arg('clients', 10);
const floats = large ? Math.ceil((2.2 * 2 ** 30) / 4) : arg('floats', 1_000_000);
const rounds = large ? 1 : arg('rounds', 10);
const modelBytes = floats * 4;
console.log(
  `infra-wire: ${clients} client process(es), model ${(modelBytes / MiB).toFixed(1)} MiB, ${rounds} round(s)\nmachine: ${machine()}`,
);

let bytesUp = 0;
let bytesDown = 0;
function proxy(target: number): Promise<{ port: number; server: net.Server }> {
  return new Promise((resolve) => {
    const server = net.createServer((sock) => {
      const up = net.connect(target, '127.0.0.1');
      sock.on('data', (d) => {
        bytesUp += d.length;
      });
      up.on('data', (d) => {
        bytesDown += d.length;
      });
      sock.pipe(up);
      up.pipe(sock);
      sock.on('error', () => up.destroy());
      up.on('error', () => sock.destroy());
    });
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as net.AddressInfo).port, server }),
    );
  });
}

const ws = mkdtempSync(join(tmpdir(), 'tessera-bench-wire-'));
const children: ChildProcess[] = [];
try {
  const port = await freePort();
  const sites = Array.from({ length: clients }, (_, i) => `site-${i + 1}`);
  const participants = [
    { type: 'server', name: 'server', org: 'tessera', fed_port: port },
    ...sites.map((s) => ({ type: 'client', name: s, org: 'h' })),
    { type: 'admin', name: 'admin@tessera', org: 'tessera', role: 'project_admin' },
  ];
  writeFileSync(
    join(ws, 'p.yml'),
    stringify({ name: 'wire', heartbeat_ms: 2000, heartbeat_timeout_ms: 120_000, participants }),
  );
  const prov = await provision(loadProject(join(ws, 'p.yml')), ws);
  const server = spawnParticipant(join(prov.kitsDir, 'server'), { logFile: join(ws, 'server.log') });
  children.push(server);
  await waitForLine(server, /listening on/);
  const px = await proxy(port);
  const procs = sites.map((s) =>
    spawnParticipant(join(prov.kitsDir, s), { port: px.port, logFile: join(ws, `${s}.log`) }),
  );
  children.push(...procs);
  await Promise.all(procs.map((c) => waitForLine(c, /registered with/, 120_000)));
  // The job: the consensus FedAvg module over `floats` values split into tensors of at most 512 Mi floats.
  const jobDir = join(ws, 'job');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(jobDir, 'custom'), { recursive: true });
  const tensors = Math.ceil(floats / (large ? 100_000_000 : floats));
  const module = CONSENSUS_MODULE.replace(
    'weights: { w: { shape: [dim], data: new Float32Array(dim) } }',
    `weights: Object.fromEntries(Array.from({ length: ${tensors} }, (_, i) => ['layer' + i, { shape: [Math.ceil(dim / ${tensors})], data: new Float32Array(Math.ceil(dim / ${tensors})) }]))`,
  );
  writeFileSync(join(jobDir, 'custom', 'consensus.mjs'), module);
  writeFileSync(
    join(jobDir, 'meta.json'),
    JSON.stringify({
      name: 'wire',
      min_clients: clients,
      deploy_map: { app: ['@ALL'] },
      apps: {
        app: {
          server: {
            module: 'custom/consensus.mjs',
            rounds,
            minClients: clients,
            dim: floats,
            roundTimeoutMs: 3_600_000,
            waitAfterMinMs: 0,
          },
          client: { module: 'custom/consensus.mjs', target: 1, samples: 1 },
        },
      },
    }),
  );
  const api = AdminAPI.fromKit(join(prov.kitsDir, 'admin@tessera'));
  const up0 = bytesUp;
  const down0 = bytesDown;
  const t0 = Date.now();
  let peakServer = 0;
  const sampler = setInterval(() => {
    peakServer = Math.max(peakServer, rssOf(server.pid ?? 0));
  }, 250);
  const { id } = await api.submit(jobDir);
  // Server memory after each round: it must not grow round after round.
  const rssByRound: number[] = [];
  const st = await api.waitFor(id, {
    timeoutMs: 3_600_000,
    intervalMs: 200,
    onStatus: (s) => {
      while (rssByRound.length < s.rounds.length) rssByRound.push(rssOf(server.pid ?? 0));
    },
  });
  clearInterval(sampler);
  const ms = Date.now() - t0;
  const up = bytesUp - up0;
  const down = bytesDown - down0;
  const perRound = (up + down) / rounds;
  const floor = 2 * clients * modelBytes;
  const roundMs = st.rounds.map((r) => r.finishedAt - r.startedAt);
  console.log(
    `  job ${st.job.status}: ${rounds} round(s) in ${(ms / 1000).toFixed(1)} s (round times ${roundMs.map((m) => (m / 1000).toFixed(2)).join(', ')} s)`,
  );
  console.log(
    `  on the wire per round: ${(perRound / MiB).toFixed(2)} MiB (down ${(down / rounds / MiB).toFixed(2)}, up ${(up / rounds / MiB).toFixed(2)}); floor 2×${clients}×${(modelBytes / MiB).toFixed(2)} MiB = ${(floor / MiB).toFixed(2)} MiB; ratio ${(perRound / floor).toFixed(4)}`,
  );
  if (rssByRound.length > 2)
    console.log(
      `  server RSS after each round (MiB): ${rssByRound.map((b) => (b / MiB).toFixed(0)).join(' ')}`,
    );
  console.log(
    `  server peak RSS ${(peakServer / MiB).toFixed(0)} MiB (${(peakServer / modelBytes).toFixed(2)}× the model)`,
  );
  const file = writeResult(large ? 'infra-wire-large' : 'infra-wire', {
    clients,
    modelBytes,
    rounds,
    status: st.job.status,
    bytesPerRound: perRound,
    floorBytes: floor,
    ratio: perRound / floor,
    roundMs,
    serverPeakRss: peakServer,
    serverRssByRound: rssByRound,
  });
  console.log(`  wrote ${file}`);
  px.server.close();
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(ws, { recursive: true, force: true });
}
