import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DecisionExample, ExampleStore } from '../examples/examples.js';
import { shippedExamples } from '../examples/shipped.js';
import { defaultGraph } from '../graph/default-graph.js';
import { allowedActions, nextState, type TransitionGraph, validateGraph } from '../graph/graph.js';
import { type ImageInput, imageDigest, loadImage } from '../image/image.js';
import type { ChatMessage, ChatOptions, LlmClient } from '../llm/llm.js';
import { WorkingMemory } from '../memory/working-memory.js';
import type { Tool, ToolOutput } from '../tools/tool.js';
import type { Evidence, Recording, SeekTrace, StopReason, TraceStep } from '../trace/trace.js';
import { LlmPlanner, LlmReasoner } from './llm-agents.js';
import { OfflinePlanner, OfflineReasoner } from './offline.js';
import type { Planner, Reasoner } from './types.js';

export interface SeekerOptions {
  /** A chat model for planner and reasoner; "offline" (default) uses the rule-based planner and reasoner. */
  llm?: LlmClient | 'offline';
  tools: Tool[];
  /** Transition graph (validated against the tools); defaults to the shipped AVIS-style graph. */
  graph?: TransitionGraph | unknown;
  examples?: DecisionExample[] | ExampleStore;
  /** Hard cap on steps (actions + backtracks) per question. */
  maxSteps?: number;
  /** Stop after this many uninformative outputs in a row. */
  maxUninformativeStreak?: number;
  examplesPerPrompt?: number;
  /** Tries after a malformed model reply before the failure is reported. */
  retries?: number;
  /** Write every run's JSON trace into this folder. */
  traceDir?: string;
  planner?: Planner;
  reasoner?: Reasoner;
}

export interface AskOptions {
  /** Write this run's trace to this file (in addition to traceDir). */
  traceFile?: string;
}

export interface SeekResult {
  answer: string | null;
  confidence: number;
  evidence: Evidence[];
  stopReason: StopReason;
  trace: SeekTrace;
  tracePath?: string;
}

export interface Seeker {
  readonly graph: TransitionGraph;
  readonly tools: ReadonlyMap<string, Tool>;
  ask(image: ImageInput, question: string, options?: AskOptions): Promise<SeekResult>;
  close(): Promise<void>;
}

/** Records every model reply in order, so the run can be replayed without the model. */
class RecordingLlm implements LlmClient {
  readonly name: string;
  constructor(
    private readonly inner: LlmClient,
    private readonly sink: () => Recording[],
  ) {
    this.name = inner.name;
  }
  async chat(messages: ChatMessage[], options?: ChatOptions): Promise<string> {
    try {
      const reply = await this.inner.chat(messages, options);
      this.sink().push({ type: 'llm', reply });
      return reply;
    } catch (err) {
      this.sink().push({ type: 'llm', error: (err as Error).message });
      throw err;
    }
  }
}

export function createSeeker(options: SeekerOptions): Seeker {
  const tools = new Map<string, Tool>();
  for (const t of options.tools) {
    if (tools.has(t.name)) throw new Error(`two tools are named "${t.name}"; tool names must be unique`);
    tools.set(t.name, t);
  }
  const graph = validateGraph(options.graph ?? defaultGraph, tools.keys());
  const store =
    options.examples instanceof ExampleStore
      ? options.examples
      : new ExampleStore(options.examples ?? shippedExamples);
  const maxSteps = options.maxSteps ?? 12;
  if (!Number.isInteger(maxSteps) || maxSteps < 1)
    throw new Error(`maxSteps must be a positive integer, got ${maxSteps}`);
  const maxStreak = options.maxUninformativeStreak ?? 5;
  const k = options.examplesPerPrompt ?? 3;
  let recordings: Recording[] = [];
  const llm =
    options.llm && options.llm !== 'offline' ? new RecordingLlm(options.llm, () => recordings) : null;
  const planner: Planner =
    options.planner ?? (llm ? new LlmPlanner(llm, options.retries ?? 2) : new OfflinePlanner());
  const reasoner: Reasoner =
    options.reasoner ?? (llm ? new LlmReasoner(llm, options.retries ?? 2) : new OfflineReasoner());

  async function ask(input: ImageInput, question: string, askOptions: AskOptions = {}): Promise<SeekResult> {
    if (typeof question !== 'string' || !question.trim())
      throw new Error('question must be a non-empty string');
    const image = await loadImage(input);
    const started = Date.now();
    recordings = [];
    const memory = new WorkingMemory();
    const steps: TraceStep[] = [];
    const stack: string[] = [];
    let state = graph.start;
    let stopReason: StopReason = 'budget';
    let answer: string | null = null;
    let confidence = 0;
    let streak = 0;
    let repeats = 0;
    const seenOutputs = new Map<string, number>();

    const allowedHere = () =>
      allowedActions(graph, state).map((name) => ({ name, description: tools.get(name)!.description }));

    while (steps.length < maxSteps) {
      const step = steps.length + 1;
      const allowed = allowedHere();
      const taken = memory.takenKeys();
      const base = { step, state, allowed: allowed.map((a) => a.name), taken };
      const t0 = Date.now();
      const plan = await planner.plan({
        question,
        state,
        stateDescription: graph.states[state].description ?? '',
        allowed,
        memory,
        examples: store.retrieve('plan', question, state, k),
        canBacktrack: stack.length > 0,
      });
      const plannerMs = Date.now() - t0;
      if (!plan.ok) {
        steps.push({
          ...base,
          kind: 'stop',
          nextState: state,
          note: plan.error,
          llm: { planner: plan.llm },
          ms: { planner: plannerMs, tool: 0, reasoner: 0 },
        });
        stopReason = 'planner_failed';
        break;
      }
      const d = plan.decision;
      if (d.action === 'backtrack') {
        const back = stack.pop();
        if (back === undefined) {
          steps.push({
            ...base,
            kind: 'stop',
            nextState: state,
            reason: d.reason,
            note: 'nothing left to try from the start state',
            llm: { planner: plan.llm },
            ms: { planner: plannerMs, tool: 0, reasoner: 0 },
          });
          stopReason = 'exhausted';
          break;
        }
        steps.push({
          ...base,
          kind: 'backtrack',
          reason: d.reason,
          nextState: back,
          llm: { planner: plan.llm },
          ms: { planner: plannerMs, tool: 0, reasoner: 0 },
        });
        state = back;
        continue;
      }
      // The graph is enforced here as well as in the planner: a forbidden or repeated action never runs.
      const violation = !base.allowed.includes(d.action)
        ? `planner chose "${d.action}", which the graph forbids in state ${state}`
        : memory.has(d.action, d.query)
          ? `planner repeated ${d.action}(${JSON.stringify(d.query)})`
          : null;
      if (violation) {
        steps.push({
          ...base,
          kind: 'stop',
          action: d.action,
          query: d.query,
          nextState: state,
          note: violation,
          llm: { planner: plan.llm },
          ms: { planner: plannerMs, tool: 0, reasoner: 0 },
        });
        stopReason = 'planner_failed';
        break;
      }
      const tool = tools.get(d.action)!;
      const t1 = Date.now();
      let output: ToolOutput | undefined;
      let toolError: string | undefined;
      try {
        output = await tool.run({
          image,
          question,
          query: d.query,
          regions: [...memory.regions],
          memory: memory.facts(),
        });
        recordings.push({ type: 'tool', action: d.action, query: d.query, output });
      } catch (err) {
        toolError = (err as Error).message;
        recordings.push({ type: 'tool', action: d.action, query: d.query, error: toolError });
      }
      const toolMs = Date.now() - t1;
      if (!output) {
        memory.add({
          step,
          state,
          action: d.action,
          query: d.query,
          verdict: 'error',
          summary: `tool failed: ${toolError}`,
          output: null,
        });
        steps.push({
          ...base,
          kind: 'action',
          action: d.action,
          query: d.query,
          reason: d.reason,
          toolError,
          verdict: 'error',
          nextState: state,
          llm: { planner: plan.llm },
          ms: { planner: plannerMs, tool: toolMs, reasoner: 0 },
        });
        if (++streak >= maxStreak) {
          stopReason = 'no_progress';
          break;
        }
        continue;
      }
      const t2 = Date.now();
      const judged = await reasoner.judge({
        question,
        state,
        action: d.action,
        query: d.query,
        output,
        memory,
        examples: store.retrieve('reason', question, state, k, d.action),
      });
      const reasonerMs = Date.now() - t2;
      const ms = { planner: plannerMs, tool: toolMs, reasoner: reasonerMs };
      if (!judged.ok) {
        memory.add({
          step,
          state,
          action: d.action,
          query: d.query,
          verdict: 'error',
          summary: judged.error,
          output,
        });
        steps.push({
          ...base,
          kind: 'action',
          action: d.action,
          query: d.query,
          reason: d.reason,
          output,
          verdict: 'error',
          note: judged.error,
          nextState: state,
          llm: { planner: plan.llm, reasoner: judged.llm },
          ms,
        });
        if (++streak >= maxStreak) {
          stopReason = 'no_progress';
          break;
        }
        continue;
      }
      let j = judged.judgement;
      let note: string | undefined;
      // Loop detection: the same output from a different action adds nothing.
      const sig = output.text.trim();
      if (j.verdict === 'informative' && sig && seenOutputs.has(sig)) {
        note = `same output as step ${seenOutputs.get(sig)}; treated as uninformative`;
        j = { ...j, verdict: 'uninformative' };
        repeats++;
      }
      if (sig && !seenOutputs.has(sig)) seenOutputs.set(sig, step);
      memory.add({
        step,
        state,
        action: d.action,
        query: d.query,
        verdict: j.verdict,
        summary: j.summary,
        output,
      });
      const target = j.verdict === 'informative' ? nextState(graph, state, d.action) : state;
      steps.push({
        ...base,
        kind: 'action',
        action: d.action,
        query: d.query,
        reason: d.reason,
        output,
        verdict: j.verdict,
        summary: j.summary,
        answer: j.answer,
        confidence: j.confidence,
        nextState: target,
        note,
        llm: { planner: plan.llm, reasoner: judged.llm },
        ms,
      });
      if (j.verdict === 'final') {
        answer = j.answer ?? null;
        confidence = j.confidence ?? 0.5;
        stopReason = 'final';
        break;
      }
      if (j.verdict === 'informative') {
        streak = 0;
        // Self-loops (facts -> facts) do not deepen the path, so backtracking skips them.
        if (target !== state) stack.push(state);
        state = target;
      } else if (++streak >= maxStreak) {
        stopReason = 'no_progress';
        break;
      }
      if (repeats >= 3) {
        stopReason = 'loop';
        break;
      }
    }
    if (answer === null && reasoner.bestGuess) {
      const g = reasoner.bestGuess(question, memory);
      if (g) {
        answer = g.answer;
        confidence = g.confidence;
      }
    }
    const evidence: Evidence[] = memory.entries
      .filter((e) => e.verdict === 'informative' || e.verdict === 'final')
      .map((e) => ({ step: e.step, action: e.action, query: e.query, summary: e.summary }));
    const trace: SeekTrace = {
      version: 1,
      question,
      image: {
        source: typeof input === 'string' ? input : undefined,
        width: image.width,
        height: image.height,
        digest: imageDigest(image),
      },
      graph,
      planner: planner.name,
      reasoner: reasoner.name,
      tools: [...tools.keys()],
      maxSteps,
      config: { maxUninformativeStreak: maxStreak, retries: options.retries ?? 2 },
      steps,
      result: { answer, confidence, stopReason, evidence },
      recordings,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
    };
    let tracePath: string | undefined;
    if (options.traceDir) {
      await mkdir(options.traceDir, { recursive: true });
      tracePath = join(
        options.traceDir,
        `trace-${trace.startedAt.replace(/[:.]/g, '-')}-${trace.image.digest.slice(0, 8)}.json`,
      );
      await writeFile(tracePath, JSON.stringify(trace, null, 2));
    }
    if (askOptions.traceFile) {
      await writeFile(askOptions.traceFile, JSON.stringify(trace, null, 2));
      tracePath = askOptions.traceFile;
    }
    return { answer, confidence, evidence, stopReason, trace, tracePath };
  }

  return {
    graph,
    tools,
    ask,
    async close() {
      for (const t of tools.values()) await t.close?.();
    },
  };
}
