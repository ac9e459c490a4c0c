import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminAPI } from '../admin/api.js';
import { writeConsensusJob } from './demo-job.js';
import { startPoc } from './poc.js';

/**
 * The showcase: a real federation on loopback (server + 3 client processes, mutual TLS, signed kits and a
 * signed job), one client killed mid-job to show the round does not hang, results downloaded and checked
 * against the analytic answer.
 */
export async function runDemo(): Promise<void> {
  const ws = mkdtempSync(join(tmpdir(), 'tessera-fl-demo-'));
  const t0 = Date.now();
  console.log('tessera-fl demo: provisioning a project and starting a server and 3 client sites as separate processes…');
  const poc = await startPoc({ clients: 3, workspace: ws, detach: true, quiet: true });
  try {
    console.log(`  server on 127.0.0.1:${poc.port}, 3 sites registered over mutual TLS (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const api = AdminAPI.fromKit(poc.adminKit);
    const sites = { 'site-1': { target: 1, samples: 100, delayMs: 150 }, 'site-2': { target: 2, samples: 300, delayMs: 150 }, 'site-3': { target: 10, samples: 50, delayMs: 150 } };
    const jobDir = writeConsensusJob(join(ws, 'job'), { name: 'demo-fedavg', rounds: 8, minClients: 2, lr: 0.5, dim: 1000, roundTimeoutMs: 5000, sites });
    const { id } = await api.submit(jobDir);
    console.log(`  job ${id.slice(0, 8)} signed by the admin and submitted; FedAvg over 3 sites, 8 rounds`);
    let seen = 0;
    let killed = false;
    const final = await api.waitFor(id, {
      intervalMs: 200,
      onStatus: (s) => {
        for (const r of s.rounds.slice(seen)) console.log(`  round ${r.round}: sites ${r.sites.join(', ').padEnd(24)} loss ${r.metrics.loss?.toFixed(4)}`);
        seen = s.rounds.length;
        if (!killed && seen >= 3) {
          killed = true;
          poc.clients.get('site-3')?.kill('SIGKILL');
          console.log('  site-3 killed (SIGKILL) mid-job: the next rounds go on with the other two');
        }
      },
    });
    console.log(`  job ${final.job.status} in ${((final.job.finished_at ?? 0) - (final.job.started_at ?? 0)) / 1000} s`);
    const out = join(ws, 'result');
    const dl = await api.download(id, out);
    // Replay FedAvg with the sites that actually answered each round: the exact answer to compare against.
    const targets: Record<string, { target: number; samples: number }> = sites;
    let expected = 0;
    for (const r of final.rounds) {
      const n = r.sites.reduce((a, s) => a + (targets[s]?.samples ?? 0), 0);
      const mean = r.sites.reduce((a, s) => a + (targets[s]?.target ?? 0) * (targets[s]?.samples ?? 0), 0) / n;
      expected += 0.5 * (mean - expected);
    }
    const { readWeightsFile } = await import('../server/weights-file.js');
    const w = readWeightsFile(join(out, 'result', 'model.bin')).w;
    console.log(`  downloaded ${dl.files.length} files; global model w[0] = ${w?.data[0]?.toFixed(5)} (analytic FedAvg answer ${expected.toFixed(5)})`);
    console.log(`demo done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await poc.stop();
    rmSync(ws, { recursive: true, force: true });
  }
}
