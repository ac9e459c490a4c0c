import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });

test('run samples a QASM file and prints a histogram; --json gives the counts', () => {
  const r = cli('run', 'examples/bell.qasm', '--shots', '500', '--seed', '3');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /00 │█+/);
  assert.match(r.stdout, /11 │█+/);
  const j = cli('run', 'examples/bell.qasm', '--shots', '500', '--seed', '3', '--json');
  const counts = JSON.parse(j.stdout).counts as Record<string, number>;
  assert.deepEqual(Object.keys(counts).sort(), ['00', '11']);
  assert.equal(counts['00'] + counts['11'], 500);
  const svg = join(mkdtempSync(join(tmpdir(), 'tq-')), 'bell.svg');
  assert.equal(cli('run', 'examples/bell.qasm', '--shots', '200', '--svg', svg).status, 0);
  const text = readFileSync(svg, 'utf8');
  assert.match(text, /^<svg/);
  assert.equal((text.match(/<rect x=/g) ?? []).length, 2, 'one bar per outcome');
});

test('observe prints per-term values and the deuteron energy', () => {
  const r = cli(
    'observe',
    'examples/deuteron-ansatz.qasm',
    '--hamiltonian',
    '5.907 - 2.1433 X0 X1 - 2.1433 Y0 Y1 + 0.21829 Z0 - 6.125 Z1',
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /⟨H⟩ = -1\.7488/);
});

test('bad QASM and bad flags fail with the line number or the flag named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tq-'));
  const f = join(dir, 'bad.qasm');
  writeFileSync(f, 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\nfrob q[0];\n');
  const r = cli('run', f);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.qasm: line 4: unknown gate 'frob'/);
  const s = cli('run', 'examples/bell.qasm', '--shots', 'many');
  assert.equal(s.status, 1);
  assert.match(s.stderr, /--shots expects a non-negative integer, got "many"/);
  assert.equal(cli('frobnicate').status, 2);
});

test('demo runs offline and shows the VQE result', () => {
  const r = cli('demo');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /E = -1\.74886/);
  assert.match(r.stdout, /OPENQASM 2\.0;/);
});
