import { z } from 'zod';
import type { LlmClient } from '../llm/llm.js';
import { askStructured } from '../llm/structured.js';
import { planPrompt, reasonPrompt } from './prompts.js';
import type { PlanContext, Planner, PlanResult, ReasonContext, Reasoner, ReasonResult } from './types.js';

export const planSchema = z.object({
  action: z.string().min(1),
  query: z.string().default(''),
  reason: z.string().default(''),
});

export const judgementSchema = z.object({
  verdict: z.enum(['informative', 'uninformative', 'final']),
  summary: z.string().default(''),
  answer: z.string().optional(),
  confidence: z.number().min(0).max(1).optional(),
});

/** Planner backed by a language model; a reply naming a forbidden or repeated action is rejected and retried. */
export class LlmPlanner implements Planner {
  readonly name: string;
  constructor(
    private readonly llm: LlmClient,
    private readonly retries = 2,
  ) {
    this.name = `llm-planner(${llm.name})`;
  }

  async plan(ctx: PlanContext): Promise<PlanResult> {
    const allowed = new Set(ctx.allowed.map((a) => a.name));
    const r = await askStructured(this.llm, planPrompt(ctx), planSchema, this.retries, (d) => {
      if (d.action === 'backtrack')
        return ctx.canBacktrack ? null : 'cannot backtrack from the start state; choose an allowed action';
      if (!allowed.has(d.action)) {
        return `action "${d.action}" is not allowed in state ${ctx.state}; allowed: ${[...allowed].join(', ')}`;
      }
      if (ctx.memory.has(d.action, d.query))
        return `${d.action}(${JSON.stringify(d.query)}) was already taken; choose something new`;
      return null;
    });
    if (!r.ok) return { ok: false, error: `planner: ${r.error}`, llm: r.attempts };
    return {
      ok: true,
      decision: { action: r.value.action, query: r.value.query, reason: r.value.reason },
      llm: r.attempts,
    };
  }
}

export class LlmReasoner implements Reasoner {
  readonly name: string;
  constructor(
    private readonly llm: LlmClient,
    private readonly retries = 2,
  ) {
    this.name = `llm-reasoner(${llm.name})`;
  }

  async judge(ctx: ReasonContext): Promise<ReasonResult> {
    const r = await askStructured(this.llm, reasonPrompt(ctx), judgementSchema, this.retries, (j) =>
      j.verdict === 'final' && !j.answer?.trim() ? 'a "final" verdict needs a non-empty "answer"' : null,
    );
    if (!r.ok) return { ok: false, error: `reasoner: ${r.error}`, llm: r.attempts };
    const { verdict, summary, answer, confidence } = r.value;
    return {
      ok: true,
      judgement: { verdict, summary: summary || ctx.output.text.slice(0, 200), answer, confidence },
      llm: r.attempts,
    };
  }
}
