import { resolve } from 'node:path';
import { formatProgress, runSimulation } from '../simulator/index.js';

/** `tessera-fl simulate`: the same job folder a deployment runs, with N virtual clients on T worker threads. */
export async function runSimulateCommand(
  jobDir: string,
  o: { clients: number; threads: number; out?: string },
): Promise<void> {
  if (!Number.isInteger(o.clients) || o.clients < 1)
    throw new Error(`--clients must be a whole number >= 1, got ${o.clients}`);
  if (!Number.isInteger(o.threads) || o.threads < 0)
    throw new Error(`--threads must be a whole number >= 0, got ${o.threads}`);
  const outDir = resolve(o.out ?? 'simulation-result');
  const r = await runSimulation({
    jobDir,
    clients: o.clients,
    threads: o.threads,
    outDir,
    onProgress: (e) => process.stdout.write(`${formatProgress(e)}\n`),
  });
  process.stdout.write(
    `simulated ${r.name}: ${r.clients} clients on ${r.threads} thread(s), ${r.history.length} rounds in ${(r.durationMs / 1000).toFixed(1)} s, peak RSS ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB\n  plot: ${r.files.plot}\n  result: ${r.files.result}\n`,
  );
}
