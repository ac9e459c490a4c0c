import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createSeeker, type Seeker } from '../src/agent/seeker.js';
import { unrestrictedGraph } from '../src/graph/graph.js';
import { encodePng } from '../src/image/image.js';
import { signPhoto } from '../src/scenes/signs.js';
import { createOfflineTools, flagGallery } from '../src/tools/offline-tools.js';
import { renderTraceHtml } from '../src/trace/html.js';
import { readTrace, replayTrace } from '../src/trace/replay.js';

let agent: Seeker;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vs-e2e-'));
  agent = createSeeker({
    tools: createOfflineTools({ gallery: flagGallery() }),
    traceDir: join(dir, 'traces'),
  });
});
after(() => agent.close());

test('offline planner answers from OCR + knowledge search: the currency of the country on a sign', async () => {
  const file = join(dir, 'sign.png');
  await writeFile(file, encodePng(await signPhoto(['WELCOME TO', 'GHANA'], 41)));
  const res = await agent.ask(file, 'What currency do they use in the country named on this sign?');
  assert.equal(res.answer, 'cedi');
  assert.equal(res.stopReason, 'final');
  const actions = res.trace.steps.map((s) => s.action);
  assert.deepEqual(actions.slice(0, 1), ['ocr']);
  assert.ok(actions.includes('knowledge_search'));
  assert.match(res.evidence[0].summary, /GHANA/);
  assert.match(res.evidence.at(-1)!.summary, /currency = cedi from Ghana \(country-facts\)/);
  // Every step stayed inside the graph.
  for (const s of res.trace.steps)
    if (s.kind === 'action') assert.ok(s.action! in res.trace.graph.states[s.state].actions);
  // The run wrote its trace, and the trace replays identically.
  assert.ok(res.tracePath);
  const saved = await readTrace(res.tracePath!);
  const rep = await replayTrace(saved);
  assert.equal(rep.identical, true, rep.differences.join('; '));
});

test('a sign with no country on it ends without inventing an answer, after backtracking', async () => {
  const res = await agent.ask(
    await signPhoto(['SLOW', 'SCHOOL ZONE'], 5),
    'What is the capital of the country named on this sign?',
  );
  assert.equal(res.answer, null);
  assert.ok(['exhausted', 'no_progress', 'budget'].includes(res.stopReason), res.stopReason);
  assert.ok(res.trace.steps.some((s) => s.kind === 'backtrack' || s.verdict === 'uninformative'));
});

test('a tampered recording is caught by replay', async () => {
  const res = await agent.ask(
    await signPhoto(['WELCOME TO', 'PERU'], 8),
    'What is the capital of the country named on this sign?',
  );
  assert.equal(res.answer, 'Lima');
  const tampered = structuredClone(res.trace);
  const ks = tampered.recordings.find((r) => r.type === 'tool' && r.action === 'knowledge_search');
  assert.ok(ks && ks.type === 'tool' && ks.output);
  ks.output.facts = ks.output.facts!.map((f) => (f.field === 'capital' ? { ...f, value: 'Cusco' } : f));
  const rep = await replayTrace(tampered);
  assert.equal(rep.identical, false);
  assert.ok(rep.differences.some((d) => /step \d+ differs|result differs/.test(d)));
  assert.equal(rep.replayed.result.answer, 'Cusco');
});

test('the HTML trace shows the path through the graph, each step, and crops of detected regions', async () => {
  const res = await agent.ask(
    '/usr/share/darknet/data/giraffe.jpg',
    'Which continent do these animals come from?',
  );
  assert.equal(res.answer, 'Africa');
  const { loadImage } = await import('../src/image/image.js');
  const html = renderTraceHtml(res.trace, await loadImage('/usr/share/darknet/data/giraffe.jpg'));
  const file = join(dir, 'trace.html');
  await writeFile(file, html);
  const text = await readFile(file, 'utf8');
  assert.match(text, /<svg[^>]*>/);
  assert.equal((text.match(/<section class="step">/g) ?? []).length, res.trace.steps.length);
  assert.match(text, /alt="giraffe"/);
  assert.match(text, /Answer: <b>Africa<\/b>/);
});

test('without the graph the same offline planner may use any tool at any step', async () => {
  const free = createSeeker({
    tools: createOfflineTools({ gallery: flagGallery([101]) }),
    graph: unrestrictedGraph([
      'detect_objects',
      'detect_faces',
      'ocr',
      'image_search',
      'knowledge_search',
      'llm_qa',
    ]),
  });
  const res = await free.ask(
    await signPhoto(['WELCOME TO', 'PERU'], 8),
    'What is the capital of the country named on this sign?',
  );
  assert.equal(res.answer, 'Lima');
  assert.ok(res.trace.steps.every((s) => s.state === 'any'));
  await free.close();
});
