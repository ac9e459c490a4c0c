import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const run = (args: string[], input = '') =>
  spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    input,
    encoding: 'utf8',
    timeout: 60000,
  });

test('cli clean: one cleaned line per input line, --labels marks the words', () => {
  const r = run(['clean'], 'I I think so\nuh we went to the to the beach\n');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['I think so', 'we went to the beach']);
  const l = run(['clean', '--labels', '--method', 'rules'], 'it is it is uh fine\n');
  assert.equal(l.stdout.trim(), '[it] [is] it is {uh} fine');
});

test('cli live: the caption grows word by word and each utterance ends with its clean line', () => {
  const r = run(['live'], 'I I think so\nwe we left\n');
  assert.equal(r.status, 0, r.stderr);
  const finals = r.stdout.split('\n').filter((l) => l.startsWith('= '));
  assert.deepEqual(finals, ['= I think so', '= we left']);
  assert.match(r.stdout, /~I~\(wait \d\)/);
});

test('cli live --revisions: onset strikes the repeated "to" after the fact, all shows words at once', () => {
  const text = 'i want a flight to boston uh i mean to denver on friday\n';
  const none = run(['live'], text);
  assert.equal(none.status, 0, none.stderr);
  assert.match(none.stdout, /^= i want a flight to to denver on friday$/m);
  const onset = run(['live', '--revisions', 'onset'], text);
  assert.equal(onset.status, 0, onset.stderr);
  assert.match(onset.stdout, /~to~\(wait \d revised\)/);
  assert.match(onset.stdout, /^= i want a flight to denver on friday$/m);
  const all = run(['live', '--revisions', 'all'], 'i want\n');
  assert.equal(all.status, 0, all.stderr);
  // The first word shows on arrival, provisionally (marked "?"), before any final decision.
  assert.match(all.stdout.split('\n')[0], /^i\s+<- i\(wait 0\?\)$/);
  const bad = run(['live', '--revisions', 'maybe'], 'x\n');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--revisions must be none, onset, all, got "maybe"/);
});

test('cli eval on the marked format, and clear errors', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'disfl-cli-'));
  const file = path.join(dir, 'data.txt');
  writeFileSync(file, '# two utterances\n[i] i think so\n{uh} we left\n');
  const r = run(['eval', '--data', file, '--method', 'rules']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /full sequence\s+P 1\.000\s+R 1\.000\s+F1 1\.000/);
  const missing = run(['eval']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /eval needs --data FILE/);
  const bad = run(['frobnicate']);
  assert.match(bad.stderr, /unknown command "frobnicate"/);
  const la = run(['clean', '--method', 'lookahead', '--lookahead', 'x'], 'a\n');
  assert.match(la.stderr, /--lookahead must be a number/);
});

test('cli calibrate writes decoding settings into a copy of a model, and checks its flags', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'disfl-cli-cal-'));
  const models = fileURLToPath(new URL('../models/', import.meta.url));
  for (const f of ['wait.json', 'wait.bin']) copyFileSync(path.join(models, f), path.join(dir, f));
  const data = path.join(dir, 'data.txt');
  writeFileSync(
    data,
    '[i] i think so\nwe went [to the] to the beach\n{uh} [my] my sister left\nit is fine\n',
  );
  const model = path.join(dir, 'wait.json');
  const r = run(['calibrate', '--model', model, '--data', data, '--first', '3']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /reparandum bias per delay .*; wait thresholds /);
  const decoding = JSON.parse(readFileSync(model, 'utf8')).decoding;
  assert.equal(decoding.calibratedOn, 'data.txt, first 3 utterances');
  assert.equal(decoding.reparandumBias.length, 4);
  assert.match(
    run(['calibrate', '--model', model]).stderr,
    /calibrate needs --model MODEL\.json and --data FILE/,
  );
  assert.match(
    run(['calibrate', '--model', model, '--data', data, '--first', '0']).stderr,
    /--first must be/,
  );
});

test('cli live into a reader that stops after one line (live | head -1) exits 0 without an error', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'live'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const firstLine = new Promise<void>((ok) => child.stdout.once('data', () => ok()));
  child.stdin.write('i want a flight to boston uh i mean to denver\n');
  await firstLine;
  child.stdout.destroy();
  for (let i = 0; i < 200; i++) child.stdin.write('and then we we left again\n');
  child.stdin.end();
  const code = await new Promise<number | null>((ok) => child.on('close', ok));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
});
