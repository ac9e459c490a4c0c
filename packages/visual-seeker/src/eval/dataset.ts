import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';

export const evalItemSchema = z
  .object({
    id: z.string().min(1),
    image: z.string().min(1),
    question: z.string().min(1),
    /** Accepted answers (canonical first, then aliases). */
    answers: z.array(z.string().min(1)).min(1),
    /** Optional raw human answers for VQA soft accuracy (repeats allowed). */
    humanAnswers: z.array(z.string()).optional(),
    /** Tools a person would use for this question, in order. */
    tools: z.array(z.string()).default([]),
    category: z.string().default('general'),
  })
  .strict();

export const evalSetSchema = z
  .object({ name: z.string().min(1), items: z.array(evalItemSchema).min(1) })
  .strict();

export type EvalItem = z.infer<typeof evalItemSchema>;
export type EvalSet = z.infer<typeof evalSetSchema>;

/** Loads an evaluation set; image paths are relative to the set file. */
export async function loadEvalSet(path: string): Promise<EvalSet> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`evaluation set ${path}: ${(err as Error).message}`);
  }
  const r = evalSetSchema.safeParse(raw);
  if (!r.success) {
    throw new Error(
      `evaluation set ${path}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}; expected {"name": "...", "items": [{"id", "image", "question", "answers": [...]}]}`,
    );
  }
  const base = dirname(path);
  return {
    ...r.data,
    items: r.data.items.map((it) => ({
      ...it,
      image: isAbsolute(it.image) ? it.image : join(base, it.image),
    })),
  };
}
