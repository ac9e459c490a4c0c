import type { z } from 'zod';
import type { ChatMessage, LlmClient } from './llm.js';

export interface StructuredAttempt {
  raw: string | null;
  error: string | null;
}

export type StructuredResult<T> =
  | { ok: true; value: T; attempts: StructuredAttempt[] }
  | { ok: false; error: string; attempts: StructuredAttempt[] };

/** Pulls the first JSON object out of a reply (models wrap JSON in prose or ``` fences). */
export function extractJson(text: string): unknown {
  const fenced = text.match(/```(?:json)?\s*([\s\S]*?)```/);
  const body = fenced ? fenced[1] : text;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('no JSON object in the reply');
  return JSON.parse(body.slice(start, end + 1));
}

/**
 * Asks for JSON matching `schema`; a malformed or invalid reply is sent back with the error and
 * retried, and after `retries` more tries the failure is returned (never thrown) for the trace.
 * `check` adds semantic validation (e.g. "that action is not allowed here").
 */
export async function askStructured<T>(
  llm: LlmClient,
  messages: ChatMessage[],
  schema: z.ZodType<T>,
  retries: number,
  check?: (value: T) => string | null,
): Promise<StructuredResult<T>> {
  const attempts: StructuredAttempt[] = [];
  const convo = [...messages];
  for (let i = 0; i <= retries; i++) {
    let raw: string;
    try {
      raw = await llm.chat(convo, { json: true });
    } catch (err) {
      attempts.push({ raw: null, error: `model call failed: ${(err as Error).message}` });
      return { ok: false, error: attempts[attempts.length - 1].error!, attempts };
    }
    let problem: string;
    try {
      const parsed = schema.safeParse(extractJson(raw));
      if (parsed.success) {
        const semantic = check ? check(parsed.data) : null;
        if (!semantic) {
          attempts.push({ raw, error: null });
          return { ok: true, value: parsed.data, attempts };
        }
        problem = semantic;
      } else {
        problem = parsed.error.issues.map((x) => `${x.path.join('.') || '(root)'}: ${x.message}`).join('; ');
      }
    } catch (err) {
      problem = `not valid JSON: ${(err as Error).message}`;
    }
    attempts.push({ raw, error: problem });
    convo.push({ role: 'assistant', content: raw });
    convo.push({
      role: 'user',
      content: `That reply was rejected: ${problem}. Reply again with only the JSON object.`,
    });
  }
  return {
    ok: false,
    error: `no valid answer after ${retries + 1} tries; last problem: ${attempts[attempts.length - 1].error}`,
    attempts,
  };
}
