#!/usr/bin/env node
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fixtureSet } from '../data/fixture.js';
import { createDetector, type DetectorOptions, shippedModelsDir } from '../detect/detector.js';
import {
  cleanText,
  currentDecisions,
  type Decision,
  REVISIONS,
  type Revisions,
  type StreamOptions,
} from '../detect/types.js';
import { type DataFormat, findDevData, loadLabelled } from '../eval/datasets.js';
import { type EvalResult, evaluate, type Target } from '../eval/evaluate.js';
import { loadModel, writeDecoding } from '../model/weights.js';
import { calibrate } from '../train/calibrate.js';
import { DEFAULT_TRAIN, train } from '../train/train.js';

const USAGE = `tessera-disfluency: streaming disfluency detection for live transcripts

  clean [--labels]                 read text on stdin (one utterance a line), print it cleaned
                                   (--labels: print [reparandum] and {edit terms} marked instead)
  live [--revisions none|onset|all] read words from stdin as they arrive; print the clean caption as it grows
                                   (onset: a word the repair repeats is struck later; all: words show at once,
                                   provisionally, and are fixed when the detector is sure)
  eval --data FILE [--format swbd|disflqa|marked] [--target reparandum|removed] [--revisions R]
                                   stream a labelled file through the detector and print the metrics
  train [--kind wait|lookahead] [--steps N] [--stop-at N] [--out DIR] [--data DIR]
        [--init MODEL.json] [--latency L] [--lr R] [--seed N] [--conversational S] [--spoken-text]
        [--features 12|14]         (--init: fine-tune a trained model; --conversational: share of synthetic
                                   utterances from the conversational generator, the rest uniform;
                                   --spoken-text: sentences, numbers spelled out; --features 14: near repeats)
                                   train a model (needs the development data) with a progress bar; writes
                                   DIR/<kind>.json + .bin, a loss curve DIR/<kind>.loss.svg
  calibrate --model MODEL.json --data FILE [--format F] [--first N] [--f1-per-word X]
                                   choose the model's decoding settings (reparandum bias per delay head,
                                   wait thresholds) on a labelled file's first N utterances; writes them
                                   into MODEL.json
  demo                             show what the shipped model does, offline, in a few seconds

  common: --method wait|lookahead|rules (default wait)  --variant accurate|fast  --lookahead N  --wait-threshold P  --model FILE.json`;

function parseArgs(argv: string[]): { cmd: string; flags: Map<string, string> } {
  const [cmd = 'help', ...rest] = argv;
  const flags = new Map<string, string>();
  const boolean = new Set(['labels', 'help', 'spoken-text']);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"\n\n${USAGE}`);
    const name = a.slice(2);
    if (boolean.has(name)) flags.set(name, 'true');
    else {
      const v = rest[++i];
      if (v === undefined) throw new Error(`--${name} needs a value`);
      flags.set(name, v);
    }
  }
  return { cmd, flags };
}

function detectorOptions(flags: Map<string, string>): DetectorOptions {
  const num = (k: string) => {
    const v = flags.get(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${k} must be a number, got "${v}"`);
    return n;
  };
  return {
    method: (flags.get('method') ?? 'wait') as DetectorOptions['method'],
    variant: flags.get('variant') as DetectorOptions['variant'],
    lookahead: num('lookahead'),
    waitThreshold: num('wait-threshold'),
    modelPath: flags.get('model'),
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function mark(d: Decision): string {
  return d.label === 'reparandum' ? `[${d.word}]` : d.label === 'edit' ? `{${d.word}}` : d.word;
}

async function cmdClean(flags: Map<string, string>): Promise<void> {
  const det = createDetector(detectorOptions(flags));
  const text = await readStdin();
  for (const line of text.split('\n')) {
    if (line.trim() === '' && text.endsWith('\n')) {
      process.stdout.write('\n');
      continue;
    }
    const r = det.clean(line);
    process.stdout.write(`${flags.has('labels') ? r.decisions.map(mark).join(' ') : r.text}\n`);
  }
}

function streamOptions(flags: Map<string, string>): StreamOptions {
  const r = flags.get('revisions') ?? 'none';
  if (!(REVISIONS as readonly string[]).includes(r))
    throw new Error(`--revisions must be ${REVISIONS.join(', ')}, got "${r}"`);
  return { revisions: r as Revisions };
}

function decisionInfo(d: Decision): string {
  const what = d.provisional ? '?' : d.revision ? ' revised' : '';
  return `${d.removed ? `~${d.word}~` : d.word}(wait ${d.waited}${what})`;
}

async function cmdLive(flags: Map<string, string>): Promise<void> {
  const det = createDetector(detectorOptions(flags));
  const options = streamOptions(flags);
  const tty = process.stdout.isTTY;
  let stream = det.stream(options);
  // Latest decision per word: revisions replace earlier ones, so the caption is rebuilt from them.
  let current: Decision[] = [];
  const caption = () => cleanText(current);
  const show = (ds: Decision[]) => {
    if (ds.length === 0) return;
    current = currentDecisions([...current, ...ds]);
    const info = ds.map(decisionInfo).join(' ');
    if (tty) process.stdout.write(`\r\x1b[K${caption()}   \x1b[2m${info}\x1b[0m`);
    else process.stdout.write(`${caption()}    <- ${info}\n`);
  };
  let pending = '';
  for await (const chunk of process.stdin) {
    pending += (chunk as Buffer).toString('utf8');
    // Words are complete once followed by whitespace; a newline ends the utterance.
    for (;;) {
      const m = pending.match(/^([^\n]*?)(\s)/);
      if (m === null) break;
      const [all, word, sep] = m;
      pending = pending.slice(all.length);
      if (word) show(stream.push(word));
      if (sep === '\n') {
        show(stream.end());
        process.stdout.write(tty ? '\n' : `= ${caption()}\n`);
        stream = det.stream(options);
        current = [];
      }
    }
  }
  if (pending.trim()) show(stream.push(pending));
  if (!stream.ended) {
    const rest = stream.end();
    show(rest);
    if (current.length) process.stdout.write(tty ? '\n' : `= ${caption()}\n`);
  }
}

export function formatReport(name: string, r: EvalResult): string {
  const f = (x: number) => x.toFixed(3);
  return [
    `${name} (target: ${r.target}, ${r.utterances} utterances, ${r.words} words)`,
    `  full sequence   P ${f(r.full.precision)}  R ${f(r.full.recall)}  F1 ${f(r.full.f1)}`,
    `  streaming       P ${f(r.streaming.precision)}  R ${f(r.streaming.recall)}  F1 ${f(r.streaming.f1)}`,
    `  edit overhead ${f(r.editOverhead)}  time to detection ${f(r.timeToDetection)}  from repair onset ${f(r.timeFromRepairOnset)}  average wait ${f(r.averageWait)} words`,
    `  ${r.msPerWord.toFixed(3)} ms per word, ${Math.round(r.wordsPerSecond)} words/s`,
  ].join('\n');
}

async function cmdEval(flags: Map<string, string>): Promise<void> {
  const file = flags.get('data');
  if (!file)
    throw new Error('eval needs --data FILE (Switchboard .tsv, Disfl-QA .json, or the marked text format)');
  const data = loadLabelled(file, flags.get('format') as DataFormat | undefined);
  const target = (flags.get('target') ?? (data.format === 'swbd' ? 'reparandum' : 'removed')) as Target;
  if (target !== 'reparandum' && target !== 'removed')
    throw new Error(`--target must be reparandum or removed, got "${target}"`);
  const opts = detectorOptions(flags);
  process.stderr.write(`${file}: ${data.note}\n`);
  const so = streamOptions(flags);
  const r = evaluate(createDetector(opts), data.utterances, target, so);
  const name = `${opts.method ?? 'wait'}${so.revisions === 'none' ? '' : `, revisions ${so.revisions}`}`;
  process.stdout.write(`${formatReport(name, r)}\n`);
}

async function cmdTrain(flags: Map<string, string>): Promise<void> {
  const dataDir = flags.get('data') ?? findDevData();
  if (!dataDir)
    throw new Error(
      'train needs the development data: pass --data DIR holding sgd_utterances.txt and disflqa_train.json (or set TESSERA_DISFLUENCY_DATA)',
    );
  const kind = (flags.get('kind') ?? 'wait') as 'wait' | 'lookahead';
  if (kind !== 'wait' && kind !== 'lookahead')
    throw new Error(`--kind must be wait or lookahead, got "${kind}"`);
  const steps = Number(flags.get('steps') ?? (kind === 'wait' ? DEFAULT_TRAIN.steps : 1500));
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps must be a positive integer`);
  const outDir = flags.get('out') ?? 'trained-models';
  const stopAt = flags.has('stop-at') ? Number(flags.get('stop-at')) : undefined;
  if (stopAt !== undefined && (!Number.isInteger(stopAt) || stopAt < 1))
    throw new Error('--stop-at must be a positive integer');
  const checked = (k: string, ok: (x: number) => boolean, what: string): number | undefined => {
    if (!flags.has(k)) return undefined;
    const x = Number(flags.get(k));
    if (!ok(x)) throw new Error(`--${k} must be ${what}, got "${flags.get(k)}"`);
    return x;
  };
  const latency = checked(
    'latency',
    (x) => Number.isFinite(x) && x >= 0,
    'a number >= 0 (nats per word waited)',
  );
  const learningRate = checked('lr', (x) => Number.isFinite(x) && x > 0, 'a positive number');
  const seed = checked('seed', (x) => Number.isInteger(x), 'an integer');
  const conversational = checked('conversational', (x) => x >= 0 && x <= 1, 'a share from 0 to 1');
  const features = checked('features', (x) => x === 12 || x === 14, '12 or 14');
  const init = flags.get('init');
  if (init !== undefined && !existsSync(init)) throw new Error(`--init ${init}: no such model manifest`);
  const baseLoss = kind === 'wait' ? DEFAULT_TRAIN.loss : { ...DEFAULT_TRAIN.loss, streamWeight: 0 };
  const m = await train({
    ...DEFAULT_TRAIN,
    learningRate: learningRate ?? DEFAULT_TRAIN.learningRate,
    seed: seed ?? DEFAULT_TRAIN.seed,
    init,
    data: {
      fluent: path.join(dataDir, 'sgd_utterances.txt'),
      disflQa: path.join(dataDir, 'disflqa_train.json'),
    },
    outDir,
    name: kind,
    kind,
    steps,
    stopAt,
    loss: { ...baseLoss, latency: latency ?? baseLoss.latency },
    config: { ...DEFAULT_TRAIN.config, numFeatures: features ?? DEFAULT_TRAIN.config.numFeatures },
    mix: {
      ...DEFAULT_TRAIN.mix,
      conversationalShare: conversational ?? DEFAULT_TRAIN.mix.conversationalShare,
      spokenText: flags.has('spoken-text') || DEFAULT_TRAIN.mix.spokenText,
    },
  });
  process.stdout.write(
    `wrote ${path.join(outDir, `${kind}.json`)} (${m.parameters} parameters) and ${path.join(outDir, `${kind}.loss.svg`)}\n`,
  );
}

async function cmdCalibrate(flags: Map<string, string>): Promise<void> {
  const modelPath = flags.get('model');
  const file = flags.get('data');
  if (!modelPath || !file) throw new Error('calibrate needs --model MODEL.json and --data FILE');
  const first = Number(flags.get('first') ?? Infinity);
  const perWord = Number(flags.get('f1-per-word') ?? 0.05);
  if (!(first >= 1)) throw new Error(`--first must be a positive number, got "${flags.get('first')}"`);
  if (!(perWord >= 0))
    throw new Error(`--f1-per-word must be a number >= 0, got "${flags.get('f1-per-word')}"`);
  const data = loadLabelled(file, flags.get('format') as DataFormat | undefined).utterances.slice(0, first);
  const cal = calibrate(loadModel(modelPath), data, perWord);
  writeDecoding(modelPath, {
    ...cal,
    calibratedOn: `${path.basename(file)}, first ${data.length} utterances`,
  });
  process.stdout.write(
    `${modelPath}: reparandum bias per delay ${cal.reparandumBias.join(', ')}; wait thresholds ${cal.waitThresholds.join(', ')}\n` +
      `  on the calibration data: F1 ${cal.heldOut.f1.toFixed(3)}, streaming F1 ${cal.heldOut.streamingF1.toFixed(3)}, average wait ${cal.heldOut.averageWait.toFixed(3)} words\n`,
  );
}

async function cmdDemo(): Promise<void> {
  const det = createDetector();
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(
    `Shipped model: ${det.parameters.toLocaleString()} parameters, ${(det.bytesOnDisk / 1e6).toFixed(2)} MB (int8), from ${shippedModelsDir()}\n`,
  );
  out('Cleaning whole utterances ([reparandum], {edit term}):');
  for (const t of [
    'I I think uh we should leave around six',
    'we went to the to the beach with my sister',
    'can you send me the report no sorry the invoice before the meeting',
    'so um my brother works he works at a small bakery',
  ]) {
    const r = det.clean(t);
    out(`  in:    ${t}\n  marks: ${r.decisions.map(mark).join(' ')}\n  clean: ${r.text}\n`);
  }
  const spoken = 'i want a flight to boston uh i mean to denver on friday'.split(' ');
  for (const revisions of ['none', 'onset'] as const) {
    out(
      revisions === 'none'
        ? 'Streaming, word by word, final decisions (each word is shown once it is final; "wait" = words it waited for):'
        : 'The same with revisions "onset" (a word the repair repeats is struck when the repair arrives):',
    );
    const s = det.stream({ revisions });
    let current: Decision[] = [];
    const step = (label: string, ds: Decision[]) => {
      current = currentDecisions([...current, ...ds]);
      out(`  ${label.padEnd(10)} -> ${cleanText(current).padEnd(40)} ${ds.map(decisionInfo).join(' ')}`);
    };
    for (const w of spoken) step(`+ ${w}`, s.push(w));
    step('(end)', s.end());
    out('');
  }
  const fx = fixtureSet();
  out(`On ${fx.length} generated utterances (project-written sentences + synthetic disfluencies):`);
  for (const [name, d, revisions] of [
    ['rules', createDetector({ method: 'rules' }), 'none'],
    ['look-ahead 1', createDetector({ method: 'lookahead', lookahead: 1 }), 'none'],
    ['look-ahead 2', createDetector({ method: 'lookahead', lookahead: 2 }), 'none'],
    ['learned wait', det, 'none'],
    ['  + onset', det, 'onset'],
    ['  + all', det, 'all'],
  ] as const) {
    const r = evaluate(d, fx, 'removed', { revisions });
    out(
      `  ${name.padEnd(13)} F1 ${r.full.f1.toFixed(3)}  streaming F1 ${r.streaming.f1.toFixed(3)}  average wait ${r.averageWait.toFixed(2)} words  edit overhead ${r.editOverhead.toFixed(3)}  ${r.msPerWord.toFixed(2)} ms/word`,
    );
  }
}

async function main(): Promise<void> {
  const { cmd, flags } = parseArgs(process.argv.slice(2));
  switch (cmd) {
    case 'clean':
      return cmdClean(flags);
    case 'live':
      return cmdLive(flags);
    case 'eval':
      return cmdEval(flags);
    case 'train':
      return cmdTrain(flags);
    case 'calibrate':
      return cmdCalibrate(flags);
    case 'demo':
      return cmdDemo();
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return;
    default:
      throw new Error(`unknown command "${cmd}"\n\n${USAGE}`);
  }
}

// A reader that stops early (`live | head`) closes the pipe: that ends the command, it is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main().catch((e: Error) => {
  process.stderr.write(`tessera-disfluency: ${e.message}\n`);
  process.exit(1);
});
