#!/usr/bin/env node
// Tessera's main job until Tessera Studio exists: runs each system's offline demo, then serves the labeler app.
// usage: node scripts/showcase.mjs [--only quantum,disfluency] [--no-serve] [--port 5170]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};

const demos = [
  { pkg: 'quantum', title: 'Quantum: kernels, sampling, observe and VQE on the deuteron' },
  { pkg: 'disfluency', title: 'Disfluency: streaming cleanup of a live transcript' },
  { pkg: 'visual-seeker', title: 'Visual seeker: an agent answers a question about an image' },
  { pkg: 'federated', title: 'Federated: FedAvg across simulated sites' },
  { pkg: 'labeler', title: 'Labeler: a box drawn once, tracked through the generated sample video' },
];
const only = option('--only', '')
  .split(',')
  .filter(Boolean);

function cliOf(pkg) {
  return join(root, 'packages', pkg, 'dist', 'src', 'cli', 'main.js');
}

function run(cli, cliArgs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...cliArgs], { stdio: 'inherit', cwd: root });
    child.on('exit', (code, signal) => resolve(signal ? 128 : (code ?? 1)));
  });
}

const summary = [];
for (const demo of demos) {
  if (only.length && !only.includes(demo.pkg)) continue;
  const cli = cliOf(demo.pkg);
  console.log(`\n━━━ ${demo.title} ━━━`);
  if (!existsSync(cli)) {
    console.log(`(not built: ${cli} is missing — run bash scripts/setup.sh)`);
    summary.push([demo.pkg, 'not built']);
    continue;
  }
  const started = Date.now();
  const code = await run(cli, ['demo']);
  summary.push([demo.pkg, code === 0 ? `ok in ${((Date.now() - started) / 1000).toFixed(1)} s` : `failed (exit ${code})`]);
}

console.log('\n━━━ Showcase summary ━━━');
for (const [pkg, result] of summary) console.log(`  ${pkg.padEnd(14)} ${result}`);
const failed = summary.some(([, result]) => !result.startsWith('ok'));

if (!flag('--no-serve') && (!only.length || only.includes('labeler'))) {
  const cli = cliOf('labeler');
  if (!existsSync(cli)) {
    console.log(`\nLabeler not built (${cli} missing).`);
    process.exit(1);
  }
  console.log('\n━━━ Labeler: the annotation app (Ctrl-C to stop) ━━━');
  process.exit(await run(cli, ['serve', '--port', option('--port', '5170')]));
}
process.exit(failed ? 1 : 0);
