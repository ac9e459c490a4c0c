import { EDIT, FLUENT, type Label, type LabelledUtterance, REPARANDUM } from './labels.js';

export interface SwitchboardUtterance extends LabelledUtterance {
  id: string;
  /** For each reparandum word, the index of its repair onset (the `rps` word of the same disfluency), else -1. */
  repairOnset: number[];
}

/**
 * Reads the deep_disfluency tagged TSV (one token a line; a line whose first field is set opens an utterance).
 * Reparandum words (`rms`, `rm`) are REPARANDUM; edit terms (`e`) and interregna (`i`) are EDIT.
 * For evaluation only: the text is Switchboard's and is never copied into the project.
 */
export function loadSwitchboard(tsv: string): SwitchboardUtterance[] {
  const out: SwitchboardUtterance[] = [];
  let cur: (SwitchboardUtterance & { ids: string[][]; onsets: Map<string, number> }) | null = null;
  const flush = () => {
    if (!cur) return;
    cur.repairOnset = cur.labels.map((l, i) => {
      if (l !== REPARANDUM) return -1;
      for (const id of cur!.ids[i]) {
        const at = cur!.onsets.get(id);
        if (at !== undefined) return at;
      }
      return -1;
    });
    out.push({ id: cur.id, words: cur.words, labels: cur.labels, repairOnset: cur.repairOnset });
    cur = null;
  };
  const lines = tsv.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (line.trim() === '') continue;
    const f = line.split('\t');
    if (f.length < 5)
      throw new Error(
        `Switchboard TSV line ${n + 1}: expected 5 tab-separated fields (utterance, position, word, POS, tags), got ${f.length}`,
      );
    if (f[0] !== '') {
      flush();
      cur = { id: f[0], words: [], labels: [], repairOnset: [], ids: [], onsets: new Map() };
    }
    if (!cur) throw new Error(`Switchboard TSV line ${n + 1}: token before any utterance header`);
    const word = f[2].replace(/^\$unc\$/, '').toLowerCase();
    const tags = f[4];
    let label: Label = FLUENT;
    const rmIds = [...tags.matchAll(/<rms? id="(\d+)"/g)].map((m) => m[1]);
    if (rmIds.length > 0) label = REPARANDUM;
    else if (/<e\/>|<i id=/.test(tags)) label = EDIT;
    for (const m of tags.matchAll(/<rps id="(\d+)"/g)) cur.onsets.set(m[1], cur.words.length);
    cur.ids.push(rmIds);
    cur.words.push(word);
    cur.labels.push(label);
  }
  flush();
  return out;
}
