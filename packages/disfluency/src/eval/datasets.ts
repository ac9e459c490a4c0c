import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDisflQa } from '../data/disflqa.js';
import type { LabelledUtterance } from '../data/labels.js';
import { parseMarkedFile } from '../data/marked.js';
import { loadSwitchboard } from '../data/switchboard.js';

export type DataFormat = 'swbd' | 'disflqa' | 'marked';

/** Reads a labelled file: Switchboard tagged TSV (.tsv), Disfl-QA JSON (.json) or the marked text format. */
export function loadLabelled(
  file: string,
  format?: DataFormat,
): { format: DataFormat; utterances: (LabelledUtterance & { repairOnset?: number[] })[]; note: string } {
  if (!existsSync(file)) throw new Error(`data file ${file} does not exist`);
  const fmt: DataFormat =
    format ?? (file.endsWith('.tsv') ? 'swbd' : file.endsWith('.json') ? 'disflqa' : 'marked');
  const text = readFileSync(file, 'utf8');
  if (fmt === 'swbd') {
    const u = loadSwitchboard(text);
    return { format: fmt, utterances: u, note: `${u.length} utterances` };
  }
  if (fmt === 'disflqa') {
    const r = loadDisflQa(text);
    return {
      format: fmt,
      utterances: r.utterances,
      note: `${r.utterances.length} of ${r.total} pairs aligned (${r.dropped} not an in-order subsequence, left out)`,
    };
  }
  if (fmt === 'marked') {
    const u = parseMarkedFile(text);
    return { format: fmt, utterances: u, note: `${u.length} utterances` };
  }
  throw new Error(`unknown format "${String(fmt)}"; use swbd, disflqa or marked`);
}

/** The development data folder (../shared/data/disfluency from the repository root), searched upwards. */
export function findDevData(): string | null {
  const env = process.env.TESSERA_DISFLUENCY_DATA;
  if (env) return env;
  for (const start of [process.cwd(), path.dirname(fileURLToPath(import.meta.url))]) {
    let dir = start;
    for (let i = 0; i < 8; i++) {
      const cand = path.join(dir, '..', 'shared', 'data', 'disfluency');
      if (existsSync(path.join(cand, 'sgd_utterances.txt'))) return path.resolve(cand);
      const cand2 = path.join(dir, 'shared', 'data', 'disfluency');
      if (existsSync(path.join(cand2, 'sgd_utterances.txt'))) return path.resolve(cand2);
      dir = path.dirname(dir);
    }
  }
  return null;
}
