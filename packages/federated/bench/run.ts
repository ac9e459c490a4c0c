/**
 * Runs every benchmark in this folder: bench/infra-*.ts (provisioning, transport, server) and bench/ml-*.ts
 * (learning), each in its own process so one's memory never skews another's. A file that another bench file
 * imports is a helper, not a benchmark, and is skipped. `npm run bench -w packages/federated -- infra` runs
 * only files whose name contains "infra"; `--flag value` pairs after the filter are passed to every benchmark.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

const here = import.meta.dirname;
const args = process.argv.slice(2);
// Leading words filter benchmarks by name; everything from the first --flag on is passed to each benchmark.
const firstFlag = args.findIndex((a) => a.startsWith('--'));
const filters = firstFlag < 0 ? args : args.slice(0, firstFlag);
const passThrough = firstFlag < 0 ? [] : args.slice(firstFlag);
const files = readdirSync(here)
  .filter((f) => /^(infra|ml)-.*\.ts$/.test(f))
  .sort();
const sources = new Map(files.map((f) => [f, readFileSync(join(here, f), 'utf8')]));
const helpers = new Set(
  files.filter((f) =>
    [...sources].some(([g, src]) => g !== f && src.includes(`'./${f.replace(/\.ts$/, '.js')}'`)),
  ),
);
const chosen = files.filter(
  (f) => !helpers.has(f) && (filters.length === 0 || filters.some((x) => f.includes(x))),
);

const cpus = os.cpus();
console.log(
  `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`,
);
console.log(
  `benchmarks: ${chosen.join(', ') || 'none'}${helpers.size ? ` (helpers skipped: ${[...helpers].join(', ')})` : ''}\n`,
);
const failed: string[] = [];
for (const f of chosen) {
  console.log(`=== ${f}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, f), ...passThrough], {
    stdio: 'inherit',
  });
  console.log(
    `=== ${f}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  if (r.status !== 0) failed.push(f);
}
if (failed.length) {
  console.log(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
