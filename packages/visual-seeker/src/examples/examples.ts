import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { tokenize } from '../text/tokenize.js';

/**
 * A recorded human decision from a tool-use session. `kind: "plan"` records which action and query a
 * person chose in a state; `kind: "reason"` records how a person judged a tool output.
 */
export const decisionExampleSchema = z
  .object({
    kind: z.enum(['plan', 'reason']),
    question: z.string().min(1),
    state: z.string().min(1),
    memory: z.array(z.string()).default([]),
    action: z.string().min(1),
    query: z.string().default(''),
    output: z.string().optional(),
    verdict: z.enum(['informative', 'uninformative', 'final']).optional(),
    answer: z.string().optional(),
    rationale: z.string().default(''),
  })
  .strict();

export type DecisionExample = z.infer<typeof decisionExampleSchema>;

/** Parses an example store: a JSON array, or JSON Lines (one example per line). */
export function parseExamples(text: string, source = 'examples'): DecisionExample[] {
  const trimmed = text.trim();
  let items: unknown[];
  if (trimmed.startsWith('[')) {
    try {
      items = JSON.parse(trimmed);
    } catch (err) {
      throw new Error(`${source}: not valid JSON: ${(err as Error).message}`);
    }
  } else {
    items = trimmed
      .split('\n')
      .map((l, i) => [l.trim(), i] as const)
      .filter(([l]) => l && !l.startsWith('#'))
      .map(([l, i]) => {
        try {
          return JSON.parse(l);
        } catch (err) {
          throw new Error(`${source} line ${i + 1}: not valid JSON: ${(err as Error).message}`);
        }
      });
  }
  return items.map((item, i) => {
    const r = decisionExampleSchema.safeParse(item);
    if (!r.success) {
      throw new Error(
        `${source} example ${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.') || '(root)'}: ${x.message}`).join('; ')}`,
      );
    }
    if (r.data.kind === 'reason' && !r.data.verdict)
      throw new Error(`${source} example ${i + 1}: a "reason" example needs a verdict`);
    return r.data;
  });
}

export async function loadExamplesFile(path: string): Promise<DecisionExample[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`example store ${path} cannot be read: ${(err as Error).message}`);
  }
  return parseExamples(text, path);
}

/** Retrieves the examples most like the current situation: same state first, then word overlap. */
export class ExampleStore {
  constructor(readonly examples: DecisionExample[]) {}

  retrieve(
    kind: 'plan' | 'reason',
    question: string,
    state: string,
    k: number,
    action?: string,
  ): DecisionExample[] {
    const q = new Set(tokenize(question));
    const scored = this.examples
      .filter((e) => e.kind === kind)
      .map((e, i) => {
        const words = tokenize(e.question);
        const overlap = words.filter((w) => q.has(w)).length / Math.sqrt(words.length + 1);
        const score = overlap + (e.state === state ? 2 : 0) + (action && e.action === action ? 3 : 0);
        return { e, score, i };
      });
    scored.sort((a, b) => b.score - a.score || a.i - b.i);
    return scored.slice(0, k).map((s) => s.e);
  }
}
