// Benchmark: Switchboard dev (reparanda) and Disfl-QA dev (all removed words), every method, streaming.
// node --import tsx bench/run.ts [--quick]   (--quick: first 1000 Switchboard utterances)
// The shipped models' decoding settings were calibrated on the first 1000 Switchboard dev utterances, so the
// full run also scores the other 4,630 alone (column "rest").
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDetector, type Detector } from '../src/detect/detector.js';
import type { Revisions } from '../src/detect/types.js';
import { findDevData, loadLabelled } from '../src/eval/datasets.js';
import { type EvalResult, evaluate } from '../src/eval/evaluate.js';
import { lineChartSvg } from '../src/report/svg.js';

const quick = process.argv.includes('--quick');
const dir = findDevData();
if (!dir) throw new Error('development data not found (../shared/data/disfluency from the repository root)');
const swbd = loadLabelled(path.join(dir, 'swbd_dev_tagged.tsv'));
const dq = loadLabelled(path.join(dir, 'disflqa_dev.json'));
const swbdData = quick ? swbd.utterances.slice(0, 1000) : swbd.utterances;
const cpu = os.cpus();
const machine = `${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os.loadavg()[0].toFixed(1)} at start, Node ${process.version}`;
console.log(`machine: ${machine}`);
console.log(`Switchboard dev: ${swbdData.length} utterances; Disfl-QA dev: ${dq.note}`);

// --only a,b: run some methods now and merge with results saved by earlier runs (bench/results/<key>.json).
const all: [string, string, () => Detector, Revisions?][] = [
  ['rules', 'rules (fillers + exact repeats, look-ahead 3)', () => createDetector({ method: 'rules' })],
  ['la0', 'look-ahead 0 (no wait head)', () => createDetector({ method: 'lookahead', lookahead: 0 })],
  ['la1', 'look-ahead 1 (no wait head)', () => createDetector({ method: 'lookahead', lookahead: 1 })],
  ['la2', 'look-ahead 2 (no wait head)', () => createDetector({ method: 'lookahead', lookahead: 2 })],
  [
    'waitplain',
    'learned wait, uncalibrated (bias 0, threshold 0.5)',
    () => createDetector({ method: 'wait', calibrated: false }),
  ],
  [
    'waitfast',
    'learned wait, fast variant (latency 0.10)',
    () => createDetector({ method: 'wait', variant: 'fast' }),
  ],
  ['wait', 'learned wait (shipped default, calibrated)', () => createDetector({ method: 'wait' })],
  [
    'waitonset',
    'learned wait, revisions "onset" (repeated repair onsets struck later)',
    () => createDetector({ method: 'wait' }),
    'onset',
  ],
  [
    'waitall',
    'learned wait, revisions "all" (provisional label on arrival + onset)',
    () => createDetector({ method: 'wait' }),
    'all',
  ],
];
const DEFAULT_KEY = 'wait';
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1].split(',')) : null;
const resultsDir = path.join(
  path.dirname(new URL(import.meta.url).pathname),
  quick ? 'results-quick' : 'results',
);
mkdirSync(resultsDir, { recursive: true });

const CALIBRATION_UTTERANCES = 1000;
const swbdRest = quick ? [] : swbd.utterances.slice(CALIBRATION_UTTERANCES);

interface Row {
  key: string;
  name: string;
  swbd: EvalResult;
  /** Switchboard dev after the utterances used for calibration (full run only). */
  rest?: EvalResult;
  dq: EvalResult;
  parameters: number;
  bytes: number;
}
const rows: Row[] = [];
for (const [key, name, make, revisions = 'none'] of all) {
  const file = path.join(resultsDir, `${key}.json`);
  if (only && !only.has(key)) {
    if (existsSync(file)) rows.push(JSON.parse(readFileSync(file, 'utf8')) as Row);
    continue;
  }
  const det = make();
  const t0 = Date.now();
  const s = evaluate(det, swbdData, 'reparandum', { revisions });
  const q = evaluate(det, dq.utterances, 'removed', { revisions });
  const rest = swbdRest.length > 0 ? evaluate(det, swbdRest, 'reparandum', { revisions }) : undefined;
  const row = {
    key,
    name,
    swbd: s,
    rest,
    dq: q,
    parameters: det.parameters,
    bytes: det.bytesOnDisk,
    machine,
  };
  writeFileSync(file, JSON.stringify(row));
  rows.push(row);
  console.log(`${name}: done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
const wait = rows.find((r) => r.key === DEFAULT_KEY);
if (!wait) {
  console.log(
    '(the shipped wait model has not been benchmarked yet: run without --only or with --only wait)',
  );
  process.exit(0);
}

const f = (x: number) => x.toFixed(3);
const lines = [
  `| method | SWBD P | SWBD R | SWBD F1 | SWBD streaming F1 | rest F1 / streaming F1 | edit overhead | time to detection | from repair onset | avg wait | Disfl-QA F1 | Disfl-QA streaming F1 | ms/word | words/s |`,
  `|---|---|---|---|---|---|---|---|---|---|---|---|---|---|`,
  ...rows.map(
    (r) =>
      `| ${r.name} | ${f(r.swbd.full.precision)} | ${f(r.swbd.full.recall)} | ${f(r.swbd.full.f1)} | ${f(r.swbd.streaming.f1)} | ${r.rest ? `${f(r.rest.full.f1)} / ${f(r.rest.streaming.f1)}` : ''} | ${f(r.swbd.editOverhead)} | ${f(r.swbd.timeToDetection)} | ${f(r.swbd.timeFromRepairOnset)} | ${f(r.swbd.averageWait)} | ${f(r.dq.full.f1)} | ${f(r.dq.streaming.f1)} | ${r.swbd.msPerWord.toFixed(2)} | ${Math.round(r.swbd.wordsPerSecond)} |`,
  ),
  `| published: streaming BERT, 3.1M params (Chen et al. 2022) | | | ~0.89-0.90 (small models) | 0.83 | | 0.09 | | | 0.21 | | | | |`,
];
console.log(`\n${lines.join('\n')}\n`);
console.log(
  `model: ${wait.parameters.toLocaleString()} parameters, ${(wait.bytes / 1e6).toFixed(2)} MB on disk (int8 weights + manifest with vocabulary)`,
);
console.log(
  `ratios to the published streaming model: streaming F1 ${f(wait.swbd.streaming.f1 / 0.83)}, average wait ${f(wait.swbd.averageWait / 0.21)}, parameters ${f(wait.parameters / 3.1e6)}`,
);
const aims = (r: Row): [string, boolean][] => [
  ['full-sequence F1 >= 0.85 (SWBD)', r.swbd.full.f1 >= 0.85],
  ['streaming F1 >= 0.78 (SWBD)', r.swbd.streaming.f1 >= 0.78],
  ['edit overhead <= 0.12', r.swbd.editOverhead <= 0.12],
  ['average wait <= 0.3 words', r.swbd.averageWait <= 0.3],
  ['Disfl-QA F1 >= 0.85', r.dq.full.f1 >= 0.85],
  ['<= 5 ms per step', r.swbd.msPerWord <= 5],
  ['model <= 4 MB', r.bytes <= 4e6],
];
for (const r of rows.filter(
  (x) => x.key.startsWith('wait') && x.key !== 'waitplain' && x.key !== 'waitfast',
)) {
  console.log(`aims, ${r.name}:`);
  for (const [a, ok] of aims(r)) console.log(`  ${ok ? 'met    ' : 'NOT met'} ${a}`);
}
const here = path.dirname(new URL(import.meta.url).pathname);
writeFileSync(
  path.join(here, quick ? 'results-quick.json' : 'results.json'),
  JSON.stringify(
    {
      machine,
      date: new Date().toISOString(),
      rows: rows.map((r) => ({
        name: r.name,
        parameters: r.parameters,
        bytes: r.bytes,
        swbd: r.swbd,
        swbdRest: r.rest,
        disflQa: r.dq,
      })),
    },
    null,
    1,
  ),
);
const colors = [
  '#7f7f7f',
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#d62728',
  '#e377c2',
  '#17becf',
];
writeFileSync(
  path.join(here, 'f1-vs-wait.svg'),
  lineChartSvg(
    'Switchboard dev: streaming F1 vs average wait',
    'average wait (words)',
    'streaming F1 (reparanda)',
    rows.map((r, i) => ({
      name: r.name
        .replace(/ \(.*/, '')
        .replace('learned wait, revisions', 'learned wait +')
        .replace(/"/g, ''),
      color: colors[i],
      points: [[r.swbd.averageWait, r.swbd.streaming.f1]] as [number, number][],
    })),
    900,
    420,
    210,
  ),
);
console.log(`wrote ${resultsDir}/<method>.json and bench/f1-vs-wait.svg`);
