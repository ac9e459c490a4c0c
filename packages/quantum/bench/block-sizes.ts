/**
 * Single-thread CPU time of the engine per SIMD block size, alternating the sizes so a busy neighbour hits all
 * of them alike: node --import tsx bench/block-sizes.ts [n=20] [circuits=layered,qft] [blocks=13,14,15,16] [rounds=3]
 */
import os from 'node:os';
import { getState } from '../src/index.js';
import { CIRCUITS } from './circuits.js';
import { toKernel } from './kernel-of.js';

const n = Number(process.argv[2] ?? 20);
const circuits = (process.argv[3] ?? 'layered,qft').split(',');
const blocks = (process.argv[4] ?? '13,14,15,16').split(',').map(Number);
const rounds = Number(process.argv[5] ?? 3);
console.log(`n=${n}, best CPU ms of ${rounds} alternating rounds; load ${os.loadavg()[0].toFixed(1)}`);
for (const c of circuits) {
  const k = toKernel(n, CIRCUITS[c](n));
  const bestMs = new Map<number, number>();
  for (let r = 0; r < rounds; r++) {
    for (const b of blocks) {
      const u = process.cpuUsage();
      getState(k, { target: { name: 'cpu', options: { threads: false, blockQubits: b } } });
      const d = process.cpuUsage(u);
      bestMs.set(b, Math.min(bestMs.get(b) ?? Number.POSITIVE_INFINITY, (d.user + d.system) / 1000));
    }
  }
  console.log(
    `${c.padEnd(8)} ${blocks.map((b) => `block ${b}: ${bestMs.get(b)?.toFixed(0)} ms`).join('  ')}`,
  );
}
console.log(`load ${os.loadavg()[0].toFixed(1)}`);
