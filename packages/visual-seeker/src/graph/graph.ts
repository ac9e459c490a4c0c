import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * A transition graph as data. Each state lists the actions (tool names) allowed there and,
 * for each, the state the agent moves to when the reasoner finds that action's output informative.
 * Uninformative outputs leave the agent in place; a state with nothing left to try backtracks.
 */
export interface TransitionGraph {
  start: string;
  states: Record<string, { description?: string; actions: Record<string, string> }>;
}

export const transitionGraphSchema = z
  .object({
    start: z.string().min(1),
    states: z.record(
      z.string().min(1),
      z
        .object({
          description: z.string().optional(),
          actions: z.record(z.string().min(1), z.string().min(1)),
        })
        .strict(),
    ),
  })
  .strict();

export class GraphError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid transition graph:\n  - ${problems.join('\n  - ')}`);
    this.name = 'GraphError';
  }
}

/**
 * Validates shape and meaning: the start state exists, every target state exists, every state
 * is reachable from the start, and (when `toolNames` is given) every action has a tool.
 */
export function validateGraph(raw: unknown, toolNames?: Iterable<string>): TransitionGraph {
  const parsed = transitionGraphSchema.safeParse(raw);
  if (!parsed.success) {
    throw new GraphError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const g = parsed.data as TransitionGraph;
  const problems: string[] = [];
  const names = Object.keys(g.states);
  if (names.length === 0) problems.push('states: the graph has no states; add at least the start state');
  if (!(g.start in g.states)) {
    problems.push(
      `start: state "${g.start}" is not defined; defined states are ${names.join(', ') || 'none'}`,
    );
  }
  for (const [state, def] of Object.entries(g.states)) {
    for (const [action, target] of Object.entries(def.actions)) {
      if (!(target in g.states)) {
        problems.push(
          `states.${state}.actions.${action}: leads to unknown state "${target}"; defined states are ${names.join(', ')}`,
        );
      }
    }
  }
  if (g.start in g.states) {
    const seen = reachableStates(g);
    for (const s of names) {
      if (!seen.has(s))
        problems.push(
          `states.${s}: unreachable from start state "${g.start}"; add an action leading to it or remove it`,
        );
    }
  }
  if (toolNames) {
    const tools = new Set(toolNames);
    const missing = new Map<string, string[]>();
    for (const [state, def] of Object.entries(g.states)) {
      for (const action of Object.keys(def.actions)) {
        if (!tools.has(action)) missing.set(action, [...(missing.get(action) ?? []), state]);
      }
    }
    for (const [action, states] of missing) {
      problems.push(
        `action "${action}" (allowed in ${states.join(', ')}) has no tool; available tools are ${[...tools].join(', ') || 'none'}`,
      );
    }
  }
  if (problems.length) throw new GraphError(problems);
  return g;
}

export function reachableStates(g: TransitionGraph): Set<string> {
  const seen = new Set<string>([g.start]);
  const queue = [g.start];
  while (queue.length) {
    const s = queue.shift()!;
    for (const t of Object.values(g.states[s]?.actions ?? {})) {
      if (!seen.has(t) && t in g.states) {
        seen.add(t);
        queue.push(t);
      }
    }
  }
  return seen;
}

export function allowedActions(g: TransitionGraph, state: string): string[] {
  return Object.keys(g.states[state]?.actions ?? {});
}

export function nextState(g: TransitionGraph, state: string, action: string): string {
  const t = g.states[state]?.actions[action];
  if (t === undefined) throw new Error(`action "${action}" is not allowed in state "${state}"`);
  return t;
}

export async function loadGraphFile(path: string, toolNames?: Iterable<string>): Promise<TransitionGraph> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`graph file ${path} cannot be read: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`graph file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return validateGraph(raw, toolNames);
}

/** A graph that allows every tool in every state: the "no graph" ablation. */
export function unrestrictedGraph(toolNames: Iterable<string>): TransitionGraph {
  const actions: Record<string, string> = {};
  for (const t of toolNames) actions[t] = 'any';
  return { start: 'any', states: { any: { description: 'every tool allowed (no graph)', actions } } };
}
