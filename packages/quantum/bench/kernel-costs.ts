/**
 * Cost of one pass of each kernel over a cache-resident chunk, JavaScript (kernels.ts) against
 * WebAssembly SIMD (gates-wasm.ts): the numbers behind fuse.ts's cost tables.
 * node --import tsx bench/kernel-costs.ts [bits=14] [reps=200]
 */
import os from 'node:os';
import { gateMatrix } from '../src/ir/gates.js';
import { wasmScratch } from '../src/sim/gates-wasm.js';
import { applyProgram } from '../src/sim/kernels.js';
import { applyProgramWasm } from '../src/sim/kernels-wasm.js';
import type { LOp } from '../src/sim/lowered.js';
import { encodeOps } from '../src/sim/segments.js';

const bits = Number(process.argv[2] ?? 14);
const reps = Number(process.argv[3] ?? 200);
const N = 2 ** bits;
const m = (name: Parameters<typeof gateMatrix>[0], p: number[] = []) => gateMatrix(name, p, false);
const X = m('x');
const cases: Array<[string, LOp]> = [
  ['u3 (complex 2x2)', { k: 'm', t: 5, c: [], mat: m('u3', [0.3, 0.5, 0.7]) }],
  ['rx', { k: 'm', t: 5, c: [], mat: m('rx', [0.3]) }],
  ['ry', { k: 'm', t: 5, c: [], mat: m('ry', [0.3]) }],
  ['rz (diagonal)', { k: 'm', t: 5, c: [], mat: m('rz', [0.3]) }],
  ['r1 (phase)', { k: 'm', t: 5, c: [], mat: m('r1', [0.3]) }],
  ['u3 on qubit 0', { k: 'm', t: 0, c: [], mat: m('u3', [0.3, 0.5, 0.7]) }],
  ['rx on qubit 0', { k: 'm', t: 0, c: [], mat: m('rx', [0.3]) }],
  ['ry on qubit 0', { k: 'm', t: 0, c: [], mat: m('ry', [0.3]) }],
  ['rz on qubit 0', { k: 'm', t: 0, c: [], mat: m('rz', [0.3]) }],
  ['h on qubit 0', { k: 'm', t: 0, c: [], mat: m('h') }],
  ['ry + cx, target 0 (mux)', { k: 'mx', t: 0, c: 1, m0: m('ry', [0.3]), m1: m('x') }],
  ['crx, target 0', { k: 'm', t: 0, c: [4], mat: m('rx', [0.3]) }],
  ['x on qubit 0', { k: 'm', t: 0, c: [], mat: X }],
  ['cx, target 0', { k: 'm', t: 0, c: [1], mat: X }],
  ['x', { k: 'm', t: 5, c: [], mat: X }],
  ['cx', { k: 'm', t: 5, c: [3], mat: X }],
  ['cx control 0', { k: 'm', t: 5, c: [0], mat: X }],
  ['rx + cx (mux)', { k: 'mx', t: 5, c: 3, m0: m('rx', [0.3]), m1: m('x') }],
  ['u3 + cx (mux)', { k: 'mx', t: 5, c: 3, m0: m('u3', [0.3, 0.5, 0.7]), m1: m('x') }],
  ['ry + cx, control 0 (mux)', { k: 'mx', t: 5, c: 0, m0: m('ry', [0.3]), m1: m('x') }],
  ['swap', { k: 'sw', a: 3, b: 7, c: [] }],
  ['swap with 0', { k: 'sw', a: 0, b: 7, c: [] }],
  ['dense 4x4', { k: 'd2', a: 3, b: 7, mat: Float64Array.from({ length: 32 }, (_, i) => Math.sin(i)) }],
  ['phase fan', { k: 'pf', j: 9, self: 0.1, terms: [0, 1, 2, 3, 4, 5, 6, 7, 8].map((q) => [q, 0.1 * q]) }],
];
const toLocal = new Map(Array.from({ length: bits }, (_, q) => [q, q] as [number, number]));
const w = wasmScratch(N);
const js = { re: new Float64Array(N).fill(0.01), im: new Float64Array(N).fill(0.02) };
console.log(
  `2^${bits} amplitudes, min of ${reps} passes, ns per amplitude; load ${os.loadavg()[0].toFixed(1)}`,
);
for (const [name, op] of cases) {
  const prog = encodeOps([op], toLocal);
  const time = (run: () => void) => {
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      run();
      best = Math.min(best, performance.now() - t0);
    }
    return ((best * 1e6) / N).toFixed(2);
  };
  const tj = time(() => applyProgram(js.re, js.im, N, prog));
  const tw = w ? time(() => applyProgramWasm(w.re, w.im, N, prog)) : '–';
  console.log(`${name.padEnd(26)} js ${tj.padStart(6)}   simd ${tw.padStart(6)}`);
}
