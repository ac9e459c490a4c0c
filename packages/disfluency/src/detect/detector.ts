import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IncrementalTagger } from '../model/engine.js';
import { type LoadedModel, loadModel } from '../model/weights.js';
import { tokenize } from '../text/tokenize.js';
import type { Policy } from './decide.js';
import { ModelStream, RuleStream } from './streams.js';
import {
  type CleanResult,
  cleanText,
  currentDecisions,
  type Decision,
  type DetectorStream,
  REVISIONS,
  type Revisions,
  type StreamOptions,
} from './types.js';

export interface DetectorOptions {
  /**
   * 'wait' (default): the shipped model with its learned wait head. 'lookahead': the same kind of network
   * trained without a wait head, deciding each word after a fixed number of words. 'rules': fillers and exact
   * repetitions only.
   */
  method?: 'wait' | 'lookahead' | 'rules';
  /** For 'lookahead' (0-3, default 2) and 'rules' (default 3): words to wait before deciding. */
  lookahead?: number;
  /**
   * For 'wait': wait while the wait head's probability exceeds this, at every delay. Higher = sooner, less
   * accurate. Default: the per-delay thresholds calibrated after training (0.5 for an uncalibrated model).
   */
  waitThreshold?: number;
  /**
   * For 'wait', which shipped model: 'accurate' (default; trained with a latency penalty of 0.05 nats per word
   * waited) or 'fast' (the same model fine-tuned with 0.10: about a third less waiting for a little less F1).
   */
  variant?: 'accurate' | 'fast';
  /**
   * Use the decoding settings calibrated after training (default true): a per-delay-head bias on the reparandum
   * logit and per-delay wait thresholds. false decodes plainly (bias 0, threshold 0.5), as before calibration.
   */
  calibrated?: boolean;
  /** Path to a model manifest (.json) instead of the shipped one. */
  modelPath?: string;
}

export interface Detector {
  readonly method: 'wait' | 'lookahead' | 'rules';
  /** Parameters and bytes on disk of the model in use (0 for rules). */
  readonly parameters: number;
  readonly bytesOnDisk: number;
  /**
   * Cleans a whole utterance. It sees the whole text, so it applies the repair-onset revisions a stream makes
   * with `revisions: 'onset'`; `decisions` holds one (the latest) decision per word.
   */
  clean(text: string): CleanResult;
  stream(options?: StreamOptions): DetectorStream;
}

/** The folder holding the shipped models, from source (src/detect) or compiled (dist/src/detect). */
export function shippedModelsDir(): string {
  for (const rel of ['../../models/', '../../../models/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}wait.json`)) return dir;
  }
  throw new Error('shipped models not found next to the package (expected models/wait.json)');
}

// Loaded models by manifest path and modification time: a manifest rewritten in this process (e.g. by
// `calibrate`) is read again instead of served stale.
const cache = new Map<string, LoadedModel>();
function cachedModel(path: string): LoadedModel {
  if (!existsSync(path))
    throw new Error(
      `model file ${path} does not exist; pass modelPath pointing at a .json manifest written by "tessera-disfluency train"`,
    );
  const key = `${path}@${statSync(path).mtimeMs}`;
  let m = cache.get(key);
  if (!m) {
    m = loadModel(path);
    cache.set(key, m);
  }
  return m;
}

export function createDetector(options: DetectorOptions = {}): Detector {
  const method = options.method ?? 'wait';
  if (!['wait', 'lookahead', 'rules'].includes(method)) {
    throw new Error(`unknown method "${String(method)}"; use "wait", "lookahead" or "rules"`);
  }
  if (method === 'rules') {
    const la = options.lookahead ?? 3;
    checkLookahead(la, 8);
    return withClean(
      { method, parameters: 0, bytesOnDisk: 0, stream: (o) => new RuleStream(la, revisionsOf(o)) },
      () => 1,
    );
  }
  const variant = options.variant ?? 'accurate';
  if (variant !== 'accurate' && variant !== 'fast')
    throw new Error(`unknown variant "${String(variant)}"; use "accurate" or "fast"`);
  const shipped =
    method === 'lookahead' && existsSync(`${shippedModelsDir()}lookahead.json`)
      ? 'lookahead'
      : variant === 'fast'
        ? 'wait-fast'
        : 'wait';
  const path = options.modelPath ?? `${shippedModelsDir()}${shipped}.json`;
  const model = cachedModel(path);
  const maxDelay = model.manifest.config.maxDelay;
  // Calibrated after training (see src/train/calibrate.ts); models from before calibration decode plainly.
  const decoding = options.calibrated === false ? undefined : model.manifest.decoding;
  const reparandumBias = decoding?.reparandumBias ?? [];
  let policy: Policy;
  if (method === 'lookahead') {
    const la = options.lookahead ?? 2;
    checkLookahead(la, maxDelay);
    policy = { kind: 'lookahead', tokens: la, reparandumBias };
  } else {
    const t = options.waitThreshold;
    if (t !== undefined && !(t >= 0 && t <= 1))
      throw new Error(`waitThreshold must be between 0 and 1, got ${t}`);
    const thresholds = Array.from({ length: maxDelay }, (_, k) => t ?? decoding?.waitThresholds[k] ?? 0.5);
    policy = { kind: 'wait', thresholds, reparandumBias };
  }
  const tagger = new IncrementalTagger(model);
  const coverage = (text: string) => {
    const ws = tokenize(text).filter((t) => t.norm);
    return ws.length === 0 ? 1 : ws.filter((t) => tagger.vocab.has(t.norm)).length / ws.length;
  };
  return withClean(
    {
      method,
      parameters: model.manifest.parameters,
      bytesOnDisk: model.bytesOnDisk,
      // One tagger per detector: a new stream resets it, so streams from one detector are used one at a time.
      stream: (o) => new ModelStream(tagger, policy, revisionsOf(o)),
    },
    coverage,
  );
}

function revisionsOf(options: StreamOptions | undefined): Revisions {
  const r = options?.revisions ?? 'none';
  if (!REVISIONS.includes(r))
    throw new Error(`unknown revisions "${String(r)}"; use ${REVISIONS.map((x) => `"${x}"`).join(', ')}`);
  return r;
}

function checkLookahead(la: number, max: number): void {
  if (!Number.isInteger(la) || la < 0 || la > max)
    throw new Error(`lookahead must be an integer from 0 to ${max}, got ${la}`);
}

function withClean(base: Omit<Detector, 'clean'>, coverage: (text: string) => number): Detector {
  return {
    ...base,
    clean(text: string): CleanResult {
      if (typeof text !== 'string')
        throw new TypeError(`clean() takes a string, got ${text === null ? 'null' : typeof text}`);
      const s = base.stream({ revisions: 'onset' });
      const decisions: Decision[] = currentDecisions([...s.push(text), ...s.end()]);
      return { text: cleanText(decisions), decisions, coverage: coverage(text) };
    },
  };
}
