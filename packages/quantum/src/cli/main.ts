#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import {
  draw,
  fromQasm,
  getState,
  type Kernel,
  kernelToQasm,
  listTargets,
  makeKernel,
  NelderMead,
  observe,
  SpinOperator,
  sample,
  vqe,
} from '../index.js';
import { histogram } from './histogram.js';
import { histogramSvg } from './svg.js';

const HELP = `tessera-quantum — CUDA-Q-style kernels and a state-vector simulator

usage:
  tessera-quantum run <circuit.qasm> [--shots 1000] [--seed N] [--target cpu|cpu-mqpu] [--precision complex64] [--json] [--svg out.svg]
  tessera-quantum observe <circuit.qasm> --hamiltonian "<operator>" | --hamiltonian-file <file> [--shots N] [--seed N]
  tessera-quantum draw <circuit.qasm>
  tessera-quantum state <circuit.qasm>          amplitudes (small circuits)
  tessera-quantum targets
  tessera-quantum bench [--qubits 20] [--layers 20]
  tessera-quantum demo

operators look like: "5.907 - 2.1433 X0 X1 - 2.1433 Y0 Y1 + 0.21829 Z0 - 6.125 Z1"`;

type Flags = Record<string, string | true>;

function parse(argv: string[]): { cmd: string | undefined; pos: string[]; flags: Flags } {
  const pos: string[] = [];
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const key = a.slice(2);
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        flags[key] = next;
        i++;
      } else flags[key] = true;
    } else pos.push(a);
  }
  return { cmd: pos.shift(), pos, flags };
}

function intFlag(flags: Flags, name: string, dflt: number | undefined): number | undefined {
  const v = flags[name];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < 0)
    throw new Error(`--${name} expects a non-negative integer, got ${v === true ? 'nothing' : `"${v}"`}`);
  return n;
}

function loadKernel(file: string | undefined): Kernel<[]> {
  if (!file) throw new Error('give an OpenQASM 2.0 file, e.g. tessera-quantum run examples/bell.qasm');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`cannot read '${file}'`);
  }
  try {
    return fromQasm(text);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

function target(flags: Flags) {
  const name = typeof flags.target === 'string' ? flags.target : 'cpu';
  const options: Record<string, unknown> = {};
  if (typeof flags.precision === 'string') options.precision = flags.precision;
  if (flags.qpus !== undefined) options.qpus = intFlag(flags, 'qpus', undefined);
  return { name, options };
}

function cmdRun(pos: string[], flags: Flags): void {
  const k = loadKernel(pos[0]);
  const shots = intFlag(flags, 'shots', 1000) as number;
  const seed = intFlag(flags, 'seed', undefined);
  const t0 = performance.now();
  const r = sample(k, { shots, seed, target: target(flags) });
  const ms = performance.now() - t0;
  if (flags.json) {
    console.log(
      JSON.stringify({
        counts: r.toJSON(),
        registers: Object.fromEntries(r.registerNames.map((n) => [n, r.register(n).toJSON()])),
      }),
    );
    return;
  }
  console.log(`${pos[0]}: ${shots} shots in ${ms.toFixed(1)} ms (bit strings list qubit 0 first)\n`);
  console.log(histogram(r.counts));
  if (typeof flags.svg === 'string') {
    writeFileSync(flags.svg, histogramSvg(r.counts, `${pos[0]}: ${shots} shots`));
    console.log(`\nhistogram written to ${flags.svg}`);
  }
  console.log(`\nmost probable: ${r.mostProbable()}   ⟨Z…Z⟩ = ${r.expectation().toFixed(4)}`);
  const named = r.registerNames.filter((n) => n !== '__global__');
  if (named.length > 1) for (const n of named) console.log(`register ${n}: ${r.register(n).toString()}`);
}

function cmdObserve(pos: string[], flags: Flags): void {
  const k = loadKernel(pos[0]);
  const text =
    typeof flags['hamiltonian-file'] === 'string'
      ? readFileSync(flags['hamiltonian-file'], 'utf8')
      : flags.hamiltonian;
  if (typeof text !== 'string')
    throw new Error('give the operator with --hamiltonian "<text>" or --hamiltonian-file <file>');
  const H = SpinOperator.parse(text.trim());
  const shots = intFlag(flags, 'shots', undefined);
  const t0 = performance.now();
  const r = observe(k, H, { shots, seed: intFlag(flags, 'seed', undefined), target: target(flags) });
  const ms = performance.now() - t0;
  const shown = r.terms.slice(0, 40);
  const w = Math.max(...shown.map((t) => t.term.length), 4);
  for (const t of shown)
    console.log(
      `${t.term.padEnd(w)}  coef ${t.coefficient.re.toFixed(6).padStart(12)}  ⟨P⟩ ${t.value.toFixed(6).padStart(10)}`,
    );
  if (r.terms.length > shown.length) console.log(`… ${r.terms.length - shown.length} more terms`);
  console.log(
    `\n⟨H⟩ = ${r.expectation().toFixed(8)}  (${H.termCount} terms, ${shots ? `${shots} shots per commuting group` : 'exact'}, ${ms.toFixed(1)} ms)`,
  );
}

function layered(n: number, layers: number): Kernel<[]> {
  const [k] = makeKernel();
  const q = k.qalloc(n);
  let s = 7;
  const r = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < n; i++)
      k.gate((['rx', 'ry', 'rz'] as const)[Math.floor(r() * 3)], [q[i]], [r() * 2 * Math.PI]);
    for (let i = 0; i + 1 < n; i++) k.cx(q[i], q[i + 1]);
  }
  return k;
}

function cmdBench(flags: Flags): void {
  const n = intFlag(flags, 'qubits', 20) as number;
  const layers = intFlag(flags, 'layers', 20) as number;
  const k = layered(n, layers);
  const gates = layers * (2 * n - 1);
  console.log(
    `${os.cpus()[0]?.model ?? 'cpu'}, ${os.availableParallelism()} threads, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  );
  console.log(
    `layered random circuit: ${n} qubits, ${layers} layers, ${gates} gates (full benchmark: npm run bench -w packages/quantum)`,
  );
  for (const [label, options] of [
    ['fused, threads', {}],
    ['fused, 1 thread', { threads: false }],
    ['one gate per pass', { threads: false, fusion: false }],
  ] as const) {
    const t0 = performance.now();
    getState(k, { target: { name: 'cpu', options } });
    const s = (performance.now() - t0) / 1000;
    console.log(`  ${label.padEnd(20)} ${s.toFixed(3)} s   ${(gates / s).toExponential(2)} gates/s`);
  }
}

function cmdDemo(): void {
  console.log('1. Bell pair, 1000 shots (seed 7):\n');
  const [bell] = makeKernel();
  const b = bell.qalloc(2);
  bell.h(b[0]);
  bell.cx(b[0], b[1]);
  console.log(histogram(sample(bell, { shots: 1000, seed: 7 }).counts));

  console.log('\n2. GHZ on 5 qubits with a mid-circuit measurement and a conditional flip:\n');
  const [ghz] = makeKernel();
  const g = ghz.qalloc(6);
  ghz.h(g[0]);
  for (let i = 0; i < 4; i++) ghz.cx(g[i], g[i + 1]);
  const m = ghz.mz(g[0], 'first');
  ghz.cIf(m, () => ghz.x(g[5]));
  ghz.mz(g[5], 'copy');
  console.log(draw(ghz));
  const gr = sample(ghz, { shots: 500, seed: 3 });
  console.log(
    `registers: first ${gr.register('first').toString()}  copy ${gr.register('copy').toString()}  (always equal)`,
  );

  console.log('\n3. VQE on the deuteron Hamiltonian (Nelder–Mead):');
  const H = SpinOperator.parse('5.907 - 2.1433 X0 X1 - 2.1433 Y0 Y1 + 0.21829 Z0 - 6.125 Z1');
  const [ans, theta] = makeKernel('number');
  const q = ans.qalloc(2);
  ans.x(q[0]);
  ans.ry(theta, q[1]);
  ans.cx(q[1], q[0]);
  const r = vqe(ans, H, new NelderMead(), { initialParameters: [0] });
  console.log(`   H = ${H.toString()}`);
  console.log(
    `   E = ${r.energy.toFixed(6)} at θ = ${r.parameters[0].toFixed(4)} after ${r.evaluations} energy evaluations (exact ground state −1.748865)`,
  );

  console.log('\n4. observe: 16 qubits, 2000 random Pauli terms, all from one state preparation:');
  const big = layered(16, 4);
  const Hr = SpinOperator.random(16, 2000, 1);
  const t0 = performance.now();
  const e = observe(big, Hr).expectation();
  console.log(`   ⟨H⟩ = ${e.toFixed(6)} in ${(performance.now() - t0).toFixed(0)} ms`);

  console.log('\n5. The Bell kernel as OpenQASM 2.0:\n');
  console.log(kernelToQasm(bell));
}

function main(): number {
  const { cmd, pos, flags } = parse(process.argv.slice(2));
  try {
    switch (cmd) {
      case 'run':
        cmdRun(pos, flags);
        break;
      case 'observe':
        cmdObserve(pos, flags);
        break;
      case 'draw':
        process.stdout.write(draw(loadKernel(pos[0])));
        break;
      case 'state':
        // getState refuses kernels that measure, with a message saying so
        console.log(getState(loadKernel(pos[0])).toString());
        break;
      case 'targets':
        for (const t of listTargets())
          console.log(`${t.current ? '*' : ' '} ${t.name.padEnd(10)} ${t.description}`);
        break;
      case 'bench':
        cmdBench(flags);
        break;
      case 'demo':
        cmdDemo();
        break;
      case undefined:
      case 'help':
      case '--help':
        console.log(HELP);
        break;
      default:
        console.error(`unknown command '${cmd}'\n\n${HELP}`);
        return 2;
    }
    return 0;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
}

process.exitCode = main();
