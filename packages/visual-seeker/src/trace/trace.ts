import type { Verdict } from '../agent/types.js';
import type { TransitionGraph } from '../graph/graph.js';
import type { StructuredAttempt } from '../llm/structured.js';
import type { ToolOutput } from '../tools/tool.js';

export interface TraceStep {
  step: number;
  kind: 'action' | 'backtrack' | 'stop';
  state: string;
  /** Actions the graph allows in `state`. */
  allowed: string[];
  /** Action keys in working memory before this step (never chosen again). */
  taken: string[];
  action?: string;
  query?: string;
  reason?: string;
  output?: ToolOutput;
  toolError?: string;
  verdict?: Verdict | 'error';
  summary?: string;
  answer?: string;
  confidence?: number;
  nextState: string;
  note?: string;
  llm?: { planner?: StructuredAttempt[]; reasoner?: StructuredAttempt[] };
  ms: { planner: number; tool: number; reasoner: number };
}

/** A recorded external call, in order: what the run saw from tools and from the language model. */
export type Recording =
  | { type: 'tool'; action: string; query: string; output?: ToolOutput; error?: string }
  | { type: 'llm'; reply?: string; error?: string };

export type StopReason = 'final' | 'budget' | 'exhausted' | 'no_progress' | 'loop' | 'planner_failed';

export interface Evidence {
  step: number;
  action: string;
  query: string;
  summary: string;
}

export interface SeekTrace {
  version: 1;
  question: string;
  image: { source?: string; width: number; height: number; digest: string };
  graph: TransitionGraph;
  planner: string;
  reasoner: string;
  tools: string[];
  maxSteps: number;
  config: { maxUninformativeStreak: number; retries: number };
  steps: TraceStep[];
  result: { answer: string | null; confidence: number; stopReason: StopReason; evidence: Evidence[] };
  recordings: Recording[];
  startedAt: string;
  durationMs: number;
}

/** The parts of a trace that must match on replay (timings and dates excluded). */
export function comparableSteps(t: SeekTrace): unknown {
  return {
    steps: t.steps.map(({ ms: _ms, ...rest }) => rest),
    result: t.result,
  };
}
