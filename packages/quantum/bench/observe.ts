/**
 * Targeted observe benchmark: node --import tsx bench/observe.ts [--n 20 --terms 3000 --reps 3 --raw]
 * Times observe(kernel, SpinOperator.random(n, terms, 7)) on cpu and cpu-mqpu (the bench/run.ts case), and
 * with --raw the single-thread pauliExpectations kernel on the prepared state (ns per amplitude pair per term).
 */
import os from 'node:os';
import { packTerms } from '../src/exec/observe.js';
import { getState, observe, SpinOperator } from '../src/index.js';
import { pauliExpectations } from '../src/sim/expectation.js';
import { layered } from './circuits.js';
import { toKernel } from './kernel-of.js';

const args = process.argv.slice(2);
const value = (name: string, d: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : d;
};
const n = Number(value('n', '20'));
const nt = Number(value('terms', '3000'));
const reps = Number(value('reps', '3'));
const load = () => os.loadavg()[0].toFixed(2);
const cpuSecs = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};
const log = (s: string) => process.stdout.write(`${s}\n`);
log(`${os.cpus()[0]?.model}, ${os.availableParallelism()} cores, Node ${process.version}, load ${load()}`);

const k = toKernel(n, layered(n, 4));
const H = SpinOperator.random(n, nt, 7);
const pairs = nt * 2 ** (n - 1);
let t0 = performance.now();
getState(k);
log(`prepare state (getState): ${((performance.now() - t0) / 1000).toFixed(3)} s`);
let ref: number | undefined;
for (const target of ['cpu', 'cpu-mqpu']) {
  for (let r = 0; r < reps; r++) {
    t0 = performance.now();
    const c0 = process.cpuUsage();
    const e = observe(k, H, { target }).expectation();
    const s = (performance.now() - t0) / 1000;
    const cpu = cpuSecs(c0);
    if (ref === undefined) ref = e;
    log(
      `observe ${n} x ${nt} ${target.padEnd(8)} ${s.toFixed(3)} s  ${(nt / s).toFixed(0)} terms/s  ${((s * 1e9) / pairs).toFixed(3)} ns/pair  cpu ${cpu.toFixed(3)} s (all threads)  value ${e}${e === ref ? '' : ' (DIFFERS)'}  load ${load()}`,
    );
  }
}
if (args.includes('--raw')) {
  const st = getState(k, { target: { name: 'cpu', options: { threads: false } } }).vector;
  const packed = packTerms(H.rawTerms());
  for (let r = 0; r < reps; r++) {
    t0 = performance.now();
    const c0 = process.cpuUsage();
    pauliExpectations(st.re, st.im, n, packed);
    const s = (performance.now() - t0) / 1000;
    const cpu = cpuSecs(c0);
    log(
      `raw kernel 1 thread: ${s.toFixed(3)} s wall, ${cpu.toFixed(3)} s cpu  ${((cpu * 1e9) / pairs).toFixed(3)} cpu-ns/pair  load ${load()}`,
    );
  }
}
process.exit(0);
