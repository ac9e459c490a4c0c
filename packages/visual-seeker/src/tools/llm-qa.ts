import { z } from 'zod';
import { extractAttribute } from '../agent/offline.js';
import { qaPrompt } from '../agent/prompts.js';
import { analyzeQuestion } from '../agent/question.js';
import type { LlmClient } from '../llm/llm.js';
import { askStructured } from '../llm/structured.js';
import type { Tool, ToolInput, ToolOutput } from './tool.js';

const qaSchema = z.object({ answer: z.string(), confidence: z.number().min(0).max(1).optional() });

/** llm_qa: answers from working memory with a chat model. */
export function llmQaTool(llm: LlmClient, retries = 2): Tool {
  return {
    name: 'llm_qa',
    description:
      'ask the language model to answer from the facts in working memory; query = the (sub-)question',
    async run(input: ToolInput): Promise<ToolOutput> {
      const r = await askStructured(
        llm,
        qaPrompt(input.question, input.memory, input.query),
        qaSchema,
        retries,
      );
      if (!r.ok) throw new Error(`llm_qa: ${r.error}`);
      const a = r.value.answer.trim();
      return {
        text: a ? `answer: ${a}` : 'the model could not answer from memory',
        answer: a || undefined,
        entities: a ? [a] : [],
        details: { confidence: r.value.confidence },
      };
    },
  };
}

/** llm_qa without a model: pulls the asked attribute out of the facts gathered so far. */
export function offlineQaTool(): Tool {
  return {
    name: 'llm_qa',
    description:
      'answer from the facts in working memory (offline rules: attribute lookup); query = the question',
    async run(input: ToolInput): Promise<ToolOutput> {
      const intent = analyzeQuestion(input.question);
      const facts = input.memory.map((line) => ({
        subject: 'memory',
        field: 'gloss',
        value: line,
        source: 'working memory',
      }));
      const found = extractAttribute(intent, [{ text: '', facts }]);
      if (!found) return { text: 'no answer can be read from memory', entities: [] };
      return {
        text: `answer: ${found.answer} (from ${found.source})`,
        answer: found.answer,
        entities: [found.answer],
      };
    },
  };
}
