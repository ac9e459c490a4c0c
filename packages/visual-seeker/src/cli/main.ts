#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createSeeker, type Seeker } from '../agent/seeker.js';
import { buildBuiltinSet } from '../eval/builtin-set.js';
import { loadEvalSet } from '../eval/dataset.js';
import { runEval } from '../eval/run-eval.js';
import { type DecisionExample, loadExamplesFile } from '../examples/examples.js';
import { shippedExamples } from '../examples/shipped.js';
import { defaultGraph } from '../graph/default-graph.js';
import { loadGraphFile, type TransitionGraph, unrestrictedGraph } from '../graph/graph.js';
import { encodePng, loadImage } from '../image/image.js';
import { SearxngSearch } from '../knowledge/web-search.js';
import { OpenAiCompatibleClient } from '../llm/openai-http.js';
import { flagPhoto } from '../scenes/flags.js';
import { signPhoto } from '../scenes/signs.js';
import { ImageGallery } from '../tools/image-search.js';
import { createOfflineTools, flagGallery } from '../tools/offline-tools.js';
import { renderTraceHtml } from '../trace/html.js';
import { readTrace, replayTrace } from '../trace/replay.js';
import type { SeekTrace } from '../trace/trace.js';

const USAGE = `tessera-seeker: answer questions about images by seeking information step by step

  tessera-seeker ask <image> "<question>" [options]   answer one question
  tessera-seeker eval <set.json | builtin> [options]  score a question set (exact match, VQA soft accuracy)
  tessera-seeker replay <trace.json> [--html f]       re-run a trace from its recordings and compare
  tessera-seeker demo [--out dir]                     offline demo on generated images
  tessera-seeker graph                                print the default transition graph (JSON, to edit)

options:
  --llm-url URL       OpenAI-compatible server (e.g. http://127.0.0.1:8000/v1); default: offline rules
  --model NAME        model name on that server (required with --llm-url)
  --api-key KEY       bearer token for the server
  --graph FILE        transition graph JSON (default: the shipped graph)
  --no-graph          allow every tool in every state (ablation)
  --examples FILE     decision examples (JSON array or JSON Lines) added to the shipped store
  --searxng URL       knowledge_search over a SearXNG instance's JSON API instead of the offline sources
  --gallery FILE      gallery.json of labelled images for image_search (default: generated flag gallery)
  --max-steps N       step budget (default 12)
  --trace FILE        JSON trace file (default: seeker-traces/trace-<time>.json)
  --html FILE         write the HTML trace page here
  --out DIR           output folder (eval, demo)
  --json              print the result as JSON`;

interface Flags {
  'llm-url'?: string;
  model?: string;
  'api-key'?: string;
  graph?: string;
  'no-graph'?: boolean;
  examples?: string;
  gallery?: string;
  'max-steps'?: string;
  trace?: string;
  html?: string;
  out?: string;
  json?: boolean;
  image?: string;
  searxng?: string;
}

async function buildAgent(f: Flags): Promise<Seeker> {
  const llm = f['llm-url']
    ? new OpenAiCompatibleClient({
        baseUrl: f['llm-url'],
        model: f.model ?? fail('--model is required with --llm-url'),
        apiKey: f['api-key'],
      })
    : undefined;
  const gallery = f.gallery ? await ImageGallery.fromManifest(f.gallery) : flagGallery();
  const knowledge = f.searxng ? new SearxngSearch({ baseUrl: f.searxng }) : undefined;
  const tools = createOfflineTools({ gallery, llm, knowledge });
  let graph: TransitionGraph = defaultGraph;
  if (f.graph)
    graph = await loadGraphFile(
      f.graph,
      tools.map((t) => t.name),
    );
  if (f['no-graph']) graph = unrestrictedGraph(tools.map((t) => t.name));
  let examples: DecisionExample[] = shippedExamples;
  if (f.examples) examples = [...shippedExamples, ...(await loadExamplesFile(f.examples))];
  const maxSteps = f['max-steps'] ? Number(f['max-steps']) : 12;
  if (!Number.isInteger(maxSteps) || maxSteps < 1)
    fail(`--max-steps must be a positive integer, got ${f['max-steps']}`);
  return createSeeker({ llm: llm ?? 'offline', tools, graph, examples, maxSteps });
}

function fail(msg: string): never {
  throw new UsageError(msg);
}
class UsageError extends Error {}

function printTrace(t: SeekTrace): void {
  for (const s of t.steps) {
    const act = s.kind === 'action' ? `${s.action}(${JSON.stringify(s.query)})` : s.kind;
    const what = s.summary ?? s.toolError ?? s.note ?? s.reason ?? '';
    console.log(
      `  ${String(s.step).padStart(2)}. [${s.state}] ${act.padEnd(34)} ${(s.verdict ?? '').padEnd(13)} ${what.slice(0, 90)}`,
    );
  }
}

async function ask(pos: string[], f: Flags): Promise<void> {
  const [image, question] = pos;
  if (!image || !question) fail('usage: tessera-seeker ask <image> "<question>"');
  const agent = await buildAgent(f);
  try {
    // Every run leaves a trace: --trace names it, otherwise it goes to ./seeker-traces/.
    let traceFile = f.trace;
    if (!traceFile) {
      await mkdir('seeker-traces', { recursive: true });
      traceFile = join('seeker-traces', `trace-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    }
    const res = await agent.ask(image, question, { traceFile });
    if (f.html) await writeFile(f.html, renderTraceHtml(res.trace, await loadImage(image)));
    if (f.json) {
      console.log(
        JSON.stringify(
          {
            answer: res.answer,
            confidence: res.confidence,
            stopReason: res.stopReason,
            evidence: res.evidence,
          },
          null,
          2,
        ),
      );
      return;
    }
    printTrace(res.trace);
    console.log(
      `answer: ${res.answer ?? '(no answer)'}  confidence ${res.confidence.toFixed(2)}  (${res.stopReason}, ${res.trace.steps.length} steps, ${res.trace.durationMs} ms)`,
    );
    for (const e of res.evidence)
      console.log(`  evidence: step ${e.step} ${e.action}: ${e.summary.slice(0, 100)}`);
    console.log(`trace: ${traceFile}`);
    if (f.html) console.log(`html: ${f.html}`);
  } finally {
    await agent.close();
  }
}

async function evalCmd(pos: string[], f: Flags): Promise<void> {
  const which = pos[0] ?? fail('usage: tessera-seeker eval <set.json | builtin>');
  const out = resolve(f.out ?? 'seeker-eval');
  const set = which === 'builtin' ? await buildBuiltinSet(join(out, 'images')) : await loadEvalSet(which);
  const agent = await buildAgent(f);
  try {
    const { rows, summary } = await runEval(agent, set, (r, i) =>
      console.log(
        `[${i + 1}/${set.items.length}] ${r.exact ? 'ok  ' : 'MISS'} ${r.id.padEnd(28)} ${String(r.prediction).slice(0, 28).padEnd(28)} (${r.answers[0]}) ${r.steps} steps ${r.seconds.toFixed(2)} s`,
      ),
    );
    await mkdir(join(out, 'traces'), { recursive: true });
    for (const r of rows) await writeFile(join(out, 'traces', `${r.id}.json`), JSON.stringify(r.trace));
    await writeFile(join(out, 'summary.json'), JSON.stringify(summary, null, 2));
    console.log(
      `\n${set.name}: ${summary.n} questions  exact match ${(summary.exact * 100).toFixed(1)}%  VQA soft accuracy ${(summary.soft * 100).toFixed(1)}%`,
    );
    console.log(
      `steps/question ${summary.stepsPerQuestion.toFixed(2)}  seconds/question ${summary.secondsPerQuestion.toFixed(2)}`,
    );
    for (const [c, v] of Object.entries(summary.byCategory)) console.log(`  ${c}: ${v.exact}/${v.n}`);
    console.log(`traces and summary in ${out}`);
  } finally {
    await agent.close();
  }
}

async function replay(pos: string[], f: Flags): Promise<void> {
  const file = pos[0] ?? fail('usage: tessera-seeker replay <trace.json>');
  const trace = await readTrace(file);
  const r = await replayTrace(trace);
  printTrace(r.replayed);
  console.log(`answer: ${r.replayed.result.answer ?? '(no answer)'} (${r.replayed.result.stopReason})`);
  if (f.html) {
    const img = f.image ?? trace.image.source;
    await writeFile(
      f.html,
      renderTraceHtml(trace, img ? await loadImage(img).catch(() => undefined) : undefined),
    );
    console.log(`html: ${f.html}`);
  }
  if (r.identical) console.log(`replay identical: ${trace.steps.length} steps, same answer`);
  else {
    console.log(`replay DIFFERS:\n  ${r.differences.join('\n  ')}`);
    process.exitCode = 1;
  }
}

async function demo(f: Flags): Promise<void> {
  const out = resolve(f.out ?? 'seeker-demo');
  await mkdir(out, { recursive: true });
  const sign = join(out, 'sign-kenya.png');
  const flag = join(out, 'flag.png');
  await writeFile(sign, encodePng(await signPhoto(['WELCOME TO', 'KENYA'], 3)));
  await writeFile(flag, encodePng(flagPhoto('Japan', 77)));
  console.log(
    'visual-seeker demo: offline planner + reasoner, real tools (tesseract OCR, human detection, BM25 over WordNet/country facts/GCIDE, image search over a generated flag gallery)\n',
  );
  const questions: Array<[string, string]> = [
    [sign, 'What currency do they use in the country named on this sign?'],
    [flag, 'What is the capital of the country whose flag is shown?'],
  ];
  if (await import('node:fs').then((fs) => fs.existsSync('/usr/share/darknet/data/giraffe.jpg'))) {
    questions.push(['/usr/share/darknet/data/giraffe.jpg', 'Which continent do these animals come from?']);
  }
  const agent = await buildAgent(f);
  try {
    for (const [i, [img, q]] of questions.entries()) {
      console.log(`Q${i + 1}: ${q}\n    image: ${img}`);
      const res = await agent.ask(img, q, { traceFile: join(out, `trace-${i + 1}.json`) });
      printTrace(res.trace);
      console.log(
        `  => ${res.answer ?? '(no answer)'}  (confidence ${res.confidence.toFixed(2)}, ${res.trace.durationMs} ms)`,
      );
      await writeFile(join(out, `trace-${i + 1}.html`), renderTraceHtml(res.trace, await loadImage(img)));
      const rep = await replayTrace(res.trace);
      console.log(
        `  replay from the recorded trace: ${rep.identical ? 'identical' : `differs: ${rep.differences.join('; ')}`}\n`,
      );
    }
    console.log(`traces (JSON + HTML) written to ${out}`);
  } finally {
    await agent.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      'llm-url': { type: 'string' },
      model: { type: 'string' },
      'api-key': { type: 'string' },
      graph: { type: 'string' },
      'no-graph': { type: 'boolean' },
      examples: { type: 'string' },
      gallery: { type: 'string' },
      'max-steps': { type: 'string' },
      trace: { type: 'string' },
      html: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      image: { type: 'string' },
      searxng: { type: 'string' },
    },
  });
  const f = values as Flags;
  switch (cmd) {
    case 'ask':
      return ask(positionals, f);
    case 'eval':
      return evalCmd(positionals, f);
    case 'replay':
      return replay(positionals, f);
    case 'demo':
      return demo(f);
    case 'graph':
      console.log(JSON.stringify(defaultGraph, null, 2));
      return;
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return;
    default:
      fail(`unknown command "${cmd}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`tessera-seeker: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
});
