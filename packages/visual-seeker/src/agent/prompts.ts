import type { DecisionExample } from '../examples/examples.js';
import type { ChatMessage } from '../llm/llm.js';
import type { PlanContext, ReasonContext } from './types.js';

function memoryLines(ctx: { memory: PlanContext['memory'] }): string {
  const lines = ctx.memory.entries.map(
    (e) => `- step ${e.step} [${e.verdict}] ${e.action}(${JSON.stringify(e.query)}): ${e.summary}`,
  );
  return lines.length ? lines.join('\n') : '- (empty)';
}

function exampleLines(examples: DecisionExample[], kind: 'plan' | 'reason'): string {
  if (!examples.length) return '(none)';
  return examples
    .map((e, i) => {
      const mem = e.memory.length ? e.memory.join(' | ') : 'empty';
      if (kind === 'plan') {
        return `Example ${i + 1}: question "${e.question}", state ${e.state}, memory: ${mem}\n  -> ${JSON.stringify({ action: e.action, query: e.query, reason: e.rationale })}`;
      }
      return `Example ${i + 1}: question "${e.question}", action ${e.action}(${JSON.stringify(e.query)}) returned: ${e.output ?? ''}\n  -> ${JSON.stringify({ verdict: e.verdict, summary: e.rationale, ...(e.answer ? { answer: e.answer } : {}) })}`;
    })
    .join('\n');
}

/** The planner prompt: state, allowed actions (graph minus what memory already holds), memory, examples. */
export function planPrompt(ctx: PlanContext): ChatMessage[] {
  const taken = ctx.memory.takenKeys();
  const system = [
    'You are the planner of a visual question-answering agent. You cannot see the image; tools can.',
    'Choose the single next action. Reply with one JSON object only:',
    '{"action": "<one allowed action>", "query": "<the query for it>", "reason": "<short reason>"}',
    'Rules: the action must be one of the allowed actions listed; never repeat an action+query already taken;',
    'image tools take "" (whole image) or a region id such as "region:1" as query; knowledge_search takes search words.',
    ctx.canBacktrack
      ? 'If no allowed action can help, reply {"action": "backtrack", "query": "", "reason": "..."}.'
      : '',
  ]
    .filter(Boolean)
    .join('\n');
  const user = [
    `Question: ${ctx.question}`,
    `Current state: ${ctx.state} (${ctx.stateDescription})`,
    'Allowed actions:',
    ...ctx.allowed.map((a) => `- ${a.name}: ${a.description}`),
    `Already taken (do not repeat): ${taken.length ? taken.join(', ') : 'none'}`,
    `Known regions: ${ctx.memory.regions.map((r) => `${r.id}=${r.label}`).join(', ') || 'none'}`,
    'Working memory:',
    memoryLines(ctx),
    'Decisions people made in similar situations:',
    exampleLines(ctx.examples, 'plan'),
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

/** The reasoner prompt: judge one tool output as informative, uninformative or final. */
export function reasonPrompt(ctx: ReasonContext): ChatMessage[] {
  const system = [
    'You are the reasoner of a visual question-answering agent. Judge the latest tool output.',
    'Reply with one JSON object only:',
    '{"verdict": "informative" | "uninformative" | "final", "summary": "<key information extracted>", "answer": "<short answer, only when final>", "confidence": <0..1>}',
    '"final" means the memory plus this output answer the question; "uninformative" means nothing useful came back.',
  ].join('\n');
  const user = [
    `Question: ${ctx.question}`,
    `State: ${ctx.state}`,
    'Working memory:',
    memoryLines(ctx),
    `Latest action: ${ctx.action}(${JSON.stringify(ctx.query)})`,
    'Tool output:',
    ctx.output.text.slice(0, 4000),
    'Judgements people made in similar situations:',
    exampleLines(ctx.examples, 'reason'),
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

/** Prompt for the llm_qa tool: answer from working memory only. */
export function qaPrompt(question: string, facts: string[], query: string): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'Answer the question from the facts given. Reply with one JSON object only: {"answer": "<short answer or empty if unknown>", "confidence": <0..1>}',
    },
    {
      role: 'user',
      content: `Question: ${question}\n${query && query !== question ? `Sub-question: ${query}\n` : ''}Facts:\n${facts.map((f) => `- ${f}`).join('\n') || '- (none)'}`,
    },
  ];
}
