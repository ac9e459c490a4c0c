import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { encodePng } from '../src/image/image.js';
import { signPhoto } from '../src/scenes/signs.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');
const cli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: join(import.meta.dirname, '..') }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );

test('ask answers from a photo, writes the trace and HTML; replay reproduces it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vs-cli-'));
  const img = join(dir, 'sign.png');
  await writeFile(img, encodePng(await signPhoto(['WELCOME TO', 'MOROCCO'], 12)));
  const trace = join(dir, 't.json');
  const html = join(dir, 't.html');
  const r = await cli([
    'ask',
    img,
    'What is the capital of the country named on this sign?',
    '--trace',
    trace,
    '--html',
    html,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /answer: Rabat/);
  assert.match(r.stdout, /\[start\] ocr\(""\)/);
  assert.match(await readFile(html, 'utf8'), /<svg/);
  const rep = await cli(['replay', trace]);
  assert.equal(rep.code, 0, rep.stderr);
  assert.match(rep.stdout, /replay identical/);
});

test('eval scores a user set with aliases and writes traces and a summary', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vs-cli-eval-'));
  await writeFile(join(dir, 'ghana.png'), encodePng(await signPhoto(['WELCOME TO', 'GHANA'], 4)));
  await writeFile(join(dir, 'kyiv.png'), encodePng(await signPhoto(['WELCOME TO', 'UKRAINE'], 6)));
  await writeFile(
    join(dir, 'set.json'),
    JSON.stringify({
      name: 'two signs',
      items: [
        {
          id: 'gh',
          image: 'ghana.png',
          question: 'What currency do they use in the country named on this sign?',
          answers: ['cedi', 'Ghanaian cedi'],
          tools: ['ocr', 'knowledge_search'],
        },
        {
          id: 'ua',
          image: 'kyiv.png',
          question: 'What is the capital of the country named on this sign?',
          answers: ['Kiev', 'Kyiv'],
          humanAnswers: ['Kyiv', 'Kyiv', 'Kiev', 'Kyiv', 'Kyiv', 'Kiev', 'Kyiv', 'Kyiv', 'Kyiv', 'Kyiv'],
        },
      ],
    }),
  );
  const out = join(dir, 'out');
  const r = await cli(['eval', join(dir, 'set.json'), '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /two signs: 2 questions {2}exact match 100\.0% {2}VQA soft accuracy 100\.0%/);
  const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.n, 2);
  assert.ok(JSON.parse(await readFile(join(out, 'traces', 'ua.json'), 'utf8')).steps.length >= 2);
  await writeFile(join(dir, 'bad.json'), JSON.stringify({ name: 'x', items: [{ id: 'a', question: 'q?' }] }));
  const bad = await cli(['eval', join(dir, 'bad.json')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /items\.0\.image: .*expected \{"name"/);
});

test('the CLI explains bad usage with exit code 2 and bad files with exit code 1', async () => {
  const none = await cli(['ask']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /usage: tessera-seeker ask <image> "<question>"/);
  const unknown = await cli(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const missing = await cli(['replay', '/nonexistent/trace.json']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /trace \/nonexistent\/trace\.json/);
  const noModel = await cli(['ask', 'x.png', 'q?', '--llm-url', 'http://127.0.0.1:9/v1']);
  assert.equal(noModel.code, 2);
  assert.match(noModel.stderr, /--model is required with --llm-url/);
  const graph = await cli(['graph']);
  assert.equal(JSON.parse(graph.stdout).start, 'start');
});
