import type { DecisionExample } from '../examples/examples.js';
import type { StructuredAttempt } from '../llm/structured.js';
import type { WorkingMemory } from '../memory/working-memory.js';
import type { ToolOutput } from '../tools/tool.js';

export type Verdict = 'informative' | 'uninformative' | 'final';

export interface ActionOption {
  name: string;
  description: string;
}

export interface PlanContext {
  question: string;
  state: string;
  stateDescription: string;
  /** Allowed by the graph in this state. */
  allowed: ActionOption[];
  memory: WorkingMemory;
  examples: DecisionExample[];
  canBacktrack: boolean;
}

export interface PlanDecision {
  /** A tool name from `allowed`, or "backtrack". */
  action: string;
  query: string;
  reason: string;
}

export type PlanResult =
  | { ok: true; decision: PlanDecision; llm?: StructuredAttempt[] }
  | { ok: false; error: string; llm?: StructuredAttempt[] };

export interface ReasonContext {
  question: string;
  state: string;
  action: string;
  query: string;
  output: ToolOutput;
  memory: WorkingMemory;
  examples: DecisionExample[];
}

export interface Judgement {
  verdict: Verdict;
  /** The key information extracted from the output, as it goes into working memory. */
  summary: string;
  answer?: string;
  confidence?: number;
}

export type ReasonResult =
  | { ok: true; judgement: Judgement; llm?: StructuredAttempt[] }
  | { ok: false; error: string; llm?: StructuredAttempt[] };

export interface Planner {
  name: string;
  plan(ctx: PlanContext): Promise<PlanResult>;
}

export interface Reasoner {
  name: string;
  judge(ctx: ReasonContext): Promise<ReasonResult>;
  /** Best answer from memory when the run stops without a final verdict (budget, exhaustion). */
  bestGuess?(question: string, memory: WorkingMemory): { answer: string; confidence: number } | null;
}
