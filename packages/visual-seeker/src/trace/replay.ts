import { readFile } from 'node:fs/promises';
import { createSeeker } from '../agent/seeker.js';
import type { RgbaImage } from '../image/image.js';
import { type ChatMessage, type LlmClient, LlmError } from '../llm/llm.js';
import type { Tool, ToolInput, ToolOutput } from '../tools/tool.js';
import { comparableSteps, type Recording, type SeekTrace } from './trace.js';

export async function readTrace(path: string): Promise<SeekTrace> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`trace ${path}: ${(err as Error).message}`);
  }
  const t = raw as Partial<SeekTrace>;
  if (
    t?.version !== 1 ||
    !Array.isArray(t.steps) ||
    !Array.isArray(t.recordings) ||
    !t.graph ||
    !t.question
  ) {
    throw new Error(
      `trace ${path}: not a visual-seeker trace (expected version 1 with question, graph, steps, recordings)`,
    );
  }
  return t as SeekTrace;
}

class ReplayError extends Error {}

/** Plays back recorded calls in order and refuses any call the original run did not make. */
class Player {
  private i = 0;
  constructor(private readonly recs: Recording[]) {}
  next<T extends Recording['type']>(type: T, what: string): Extract<Recording, { type: T }> {
    const r = this.recs[this.i++];
    if (!r || r.type !== type) {
      throw new ReplayError(
        `replay diverged at recorded call ${this.i}: the run made ${what}, the recording has ${r ? `a ${r.type} call` : 'no more calls'}`,
      );
    }
    return r as Extract<Recording, { type: T }>;
  }
}

export interface ReplayResult {
  identical: boolean;
  differences: string[];
  replayed: SeekTrace;
}

/**
 * Re-runs the agent on a recorded trace: tool outputs and model replies come from the recording,
 * the planner, reasoner and graph logic run for real. Identical steps and result = deterministic run.
 */
export async function replayTrace(trace: SeekTrace): Promise<ReplayResult> {
  const player = new Player(trace.recordings);
  const tools: Tool[] = trace.tools.map((name) => ({
    name,
    description: `${name} (replayed)`,
    async run(input: ToolInput): Promise<ToolOutput> {
      const r = player.next('tool', `a ${name}(${JSON.stringify(input.query)}) call`);
      if (r.action !== name || r.query !== input.query) {
        throw new ReplayError(
          `replay diverged: the run called ${name}(${JSON.stringify(input.query)}), the recording has ${r.action}(${JSON.stringify(r.query)})`,
        );
      }
      if (r.error !== undefined) throw new Error(r.error);
      return r.output!;
    },
  }));
  const usesLlm = trace.planner.startsWith('llm-planner') || trace.reasoner.startsWith('llm-reasoner');
  if (!usesLlm && (trace.planner !== 'offline-rules' || trace.reasoner !== 'offline-rules')) {
    throw new Error(
      `trace uses planner "${trace.planner}" / reasoner "${trace.reasoner}"; replay supports the LLM and offline-rules ones`,
    );
  }
  const llm: LlmClient = {
    name: 'replay',
    async chat(_m: ChatMessage[]): Promise<string> {
      const r = player.next('llm', 'a model call');
      if (r.error !== undefined) throw new LlmError(r.error, 'script');
      return r.reply!;
    },
  };
  const agent = createSeeker({
    llm: usesLlm ? llm : 'offline',
    tools,
    graph: trace.graph,
    maxSteps: trace.maxSteps,
    maxUninformativeStreak: trace.config?.maxUninformativeStreak,
    retries: trace.config?.retries,
  });
  // The tools are replayed, so the pixels are not needed: a blank image of the recorded size stands in.
  const blank: RgbaImage = {
    width: trace.image.width,
    height: trace.image.height,
    data: new Uint8Array(trace.image.width * trace.image.height * 4),
  };
  let replayed: SeekTrace;
  try {
    replayed = (await agent.ask(blank, trace.question)).trace;
  } catch (err) {
    if (err instanceof ReplayError) {
      return { identical: false, differences: [err.message], replayed: { ...trace, steps: [] } };
    }
    throw err;
  }
  const differences: string[] = [];
  const a = comparableSteps(trace) as { steps: unknown[]; result: unknown };
  const b = comparableSteps(replayed) as { steps: unknown[]; result: unknown };
  const n = Math.max(a.steps.length, b.steps.length);
  for (let i = 0; i < n; i++) {
    if (JSON.stringify(a.steps[i]) !== JSON.stringify(b.steps[i])) differences.push(`step ${i + 1} differs`);
  }
  if (JSON.stringify(a.result) !== JSON.stringify(b.result)) differences.push('result differs');
  if (player && replayed.recordings.length !== trace.recordings.length) {
    differences.push(
      `the replay made ${replayed.recordings.length} calls, the recording has ${trace.recordings.length}`,
    );
  }
  return { identical: differences.length === 0, differences, replayed };
}
