import type { Region, ToolOutput } from '../tools/tool.js';

/** One completed action as remembered: the action, its query, what came back and the verdict. */
export interface MemoryEntry {
  step: number;
  state: string;
  action: string;
  query: string;
  verdict: 'informative' | 'uninformative' | 'final' | 'error';
  summary: string;
  output: ToolOutput | null;
}

export function actionKey(action: string, query: string): string {
  return `${action}(${normalizeQuery(query)})`;
}

export function normalizeQuery(q: string): string {
  return q.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** What the agent has learned so far. The planner reads it; it is never allowed to redo an action in it. */
export class WorkingMemory {
  readonly entries: MemoryEntry[] = [];
  readonly regions: Region[] = [];
  private readonly taken = new Set<string>();

  has(action: string, query: string): boolean {
    return this.taken.has(actionKey(action, query));
  }

  add(entry: MemoryEntry): void {
    this.entries.push(entry);
    this.taken.add(actionKey(entry.action, entry.query));
    if (entry.verdict === 'informative' || entry.verdict === 'final') {
      for (const r of entry.output?.regions ?? []) this.regions.push(r);
    }
  }

  /** Facts from informative outputs, one line each, for prompts and question-answering tools. */
  facts(): string[] {
    return this.entries
      .filter((e) => e.verdict === 'informative' || e.verdict === 'final')
      .map((e) => `${e.action}(${e.query || 'whole image'}): ${e.summary}`);
  }

  entities(): string[] {
    const out: string[] = [];
    for (const e of this.entries) {
      if (e.verdict !== 'informative' && e.verdict !== 'final') continue;
      for (const x of e.output?.entities ?? []) if (!out.includes(x)) out.push(x);
    }
    return out;
  }

  takenKeys(): string[] {
    return [...this.taken];
  }
}
