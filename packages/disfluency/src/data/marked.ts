import { normalizeWord } from '../text/tokenize.js';
import { EDIT, FLUENT, type Label, type LabelledUtterance, REPARANDUM } from './labels.js';

/**
 * A plain-text labelled format, one utterance a line: reparandum words inside square brackets, edit terms
 * (fillers, interregna) inside braces, everything else fluent. `#` starts a comment line.
 *   i want [a flight] {uh i mean} a ticket to boston
 * Brackets may touch words ("[a flight]") or stand alone ("[ a flight ]"); they do not nest.
 */
export function parseMarked(line: string, lineNo = 1): LabelledUtterance {
  const words: string[] = [];
  const labels: Label[] = [];
  let mode: Label = FLUENT;
  const spaced = line.replace(/([[\]{}])/g, ' $1 ');
  for (const tok of spaced.split(/\s+/)) {
    if (!tok) continue;
    if (tok === '[' || tok === '{') {
      if (mode !== FLUENT)
        throw new Error(`line ${lineNo}: "${tok}" opened inside another bracket; brackets do not nest`);
      mode = tok === '[' ? REPARANDUM : EDIT;
      continue;
    }
    if (tok === ']' || tok === '}') {
      if (mode !== (tok === ']' ? REPARANDUM : EDIT))
        throw new Error(`line ${lineNo}: "${tok}" closes nothing; use [reparandum] and {edit terms}`);
      mode = FLUENT;
      continue;
    }
    const w = normalizeWord(tok);
    if (!w) continue;
    words.push(w);
    labels.push(mode);
  }
  if (mode !== FLUENT) throw new Error(`line ${lineNo}: bracket left open at end of line`);
  return { words, labels };
}

export function parseMarkedFile(text: string): LabelledUtterance[] {
  const out: LabelledUtterance[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const u = parseMarked(line, i + 1);
    if (u.words.length > 0) out.push(u);
  });
  return out;
}

export function formatMarked(u: LabelledUtterance): string {
  const parts: string[] = [];
  let i = 0;
  while (i < u.words.length) {
    const l = u.labels[i];
    let j = i;
    while (j < u.words.length && u.labels[j] === l) j++;
    const span = u.words.slice(i, j).join(' ');
    parts.push(l === REPARANDUM ? `[${span}]` : l === EDIT ? `{${span}}` : span);
    i = j;
  }
  return parts.join(' ');
}
