import type { Seeker } from '../agent/seeker.js';
import type { SeekTrace } from '../trace/trace.js';
import type { EvalSet } from './dataset.js';
import { exactMatch, vqaSoftAccuracy } from './score.js';

export interface EvalRow {
  id: string;
  category: string;
  question: string;
  prediction: string | null;
  answers: string[];
  exact: number;
  soft: number;
  steps: number;
  seconds: number;
  stopReason: string;
  trace: SeekTrace;
}

export interface EvalSummary {
  n: number;
  exact: number;
  soft: number;
  stepsPerQuestion: number;
  secondsPerQuestion: number;
  byCategory: Record<string, { n: number; exact: number }>;
  toolSeconds: Record<string, { calls: number; seconds: number }>;
}

export async function runEval(
  agent: Seeker,
  set: EvalSet,
  onRow?: (row: EvalRow, i: number) => void,
): Promise<{ rows: EvalRow[]; summary: EvalSummary }> {
  const rows: EvalRow[] = [];
  for (const [i, item] of set.items.entries()) {
    const t = Date.now();
    const res = await agent.ask(item.image, item.question);
    const row: EvalRow = {
      id: item.id,
      category: item.category,
      question: item.question,
      prediction: res.answer,
      answers: item.answers,
      exact: exactMatch(res.answer, item.answers),
      soft: vqaSoftAccuracy(res.answer, item.answers, item.humanAnswers),
      steps: res.trace.steps.length,
      seconds: (Date.now() - t) / 1000,
      stopReason: res.stopReason,
      trace: res.trace,
    };
    rows.push(row);
    onRow?.(row, i);
  }
  return { rows, summary: summarize(rows) };
}

export function summarize(rows: EvalRow[]): EvalSummary {
  const n = rows.length;
  const mean = (f: (r: EvalRow) => number) => rows.reduce((s, r) => s + f(r), 0) / Math.max(1, n);
  const byCategory: EvalSummary['byCategory'] = {};
  for (const r of rows) {
    const c = (byCategory[r.category] ??= { n: 0, exact: 0 });
    c.n++;
    c.exact += r.exact;
  }
  const toolSeconds: EvalSummary['toolSeconds'] = {};
  for (const r of rows) {
    for (const s of r.trace.steps) {
      if (s.kind !== 'action' || !s.action) continue;
      const t = (toolSeconds[s.action] ??= { calls: 0, seconds: 0 });
      t.calls++;
      t.seconds += s.ms.tool / 1000;
    }
  }
  return {
    n,
    exact: mean((r) => r.exact),
    soft: mean((r) => r.soft),
    stepsPerQuestion: mean((r) => r.steps),
    secondsPerQuestion: mean((r) => r.seconds),
    byCategory,
    toolSeconds,
  };
}
