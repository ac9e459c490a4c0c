/**
 * The largest states: GHZ on 28 qubits at complex128 (4 GiB) and 30 qubits at complex64 (8 GiB), sampled,
 * and the error for a state that does not fit. Each size runs in its own process so that one state is
 * gone before the next is allocated.   node --import tsx bench/large.ts
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { makeKernel, sample } from '../src/index.js';

function ghz(n: number) {
  const [k] = makeKernel();
  const q = k.qalloc(n);
  k.h(q[0]);
  for (let i = 0; i + 1 < n; i++) k.cx(q[i], q[i + 1]);
  return k;
}

const [nArg, precisionArg] = process.argv.slice(2);
if (nArg) {
  const n = Number(nArg);
  const precision = precisionArg as 'complex128' | 'complex64';
  const t0 = performance.now();
  try {
    const r = sample(ghz(n), { shots: 1000, seed: 1, target: { name: 'cpu', options: { precision } } });
    const s = (performance.now() - t0) / 1000;
    console.log(
      `GHZ ${n} qubits ${precision}: ${s.toFixed(1)} s, counts ${[...r].map(([b, c]) => `${b.slice(0, 4)}…${b.slice(-4)}:${c}`).join(' ')}`,
    );
  } catch (e) {
    console.log(`GHZ ${n} qubits ${precision}: ${(e as Error).message}`);
  }
  process.exit(0);
}
console.log(
  `${os.cpus()[0]?.model}, ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free`,
);
const self = fileURLToPath(import.meta.url);
for (const [n, p] of [
  ['28', 'complex128'],
  ['30', 'complex64'],
]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, n, p], { encoding: 'utf8' });
  process.stdout.write(
    r.stdout || `GHZ ${n} ${p}: exited with ${r.status ?? r.signal} ${r.stderr.slice(-300)}\n`,
  );
}
try {
  sample(ghz(31), { shots: 10 });
} catch (e) {
  console.log(`31 qubits: ${(e as Error).message}`);
}
