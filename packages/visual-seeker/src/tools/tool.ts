import type { Box, RgbaImage } from '../image/image.js';

/** An image region the agent knows about (from detection); tools can be pointed at it by id. */
export interface Region {
  id: string;
  label: string;
  score: number;
  box: Box;
}

export interface ToolInput {
  image: RgbaImage;
  question: string;
  /** The planner's query: search text, or a region id ("region:2") for image tools; "" = whole image. */
  query: string;
  /** Regions found so far in this run, so a query can name one. */
  regions: Region[];
  /** Facts the agent holds in working memory (for question-answering tools). */
  memory: string[];
}

/** What a tool returns; `text` is what the reasoner and the language model read. */
export interface ToolOutput {
  text: string;
  /** Structured findings: entity names, labels, recognized words. */
  entities?: string[];
  /** Key-value facts ("capital" -> "Paris") with their source. */
  facts?: Array<{ subject: string; field: string; value: string; source: string }>;
  /** New regions (object boxes, face boxes, text lines). */
  regions?: Region[];
  /** A proposed answer (question-answering tools). */
  answer?: string;
  /** Tool-specific details kept in the trace. */
  details?: unknown;
}

export interface Tool {
  name: string;
  /** One line the planner prompt shows: what it does and what query it takes. */
  description: string;
  run(input: ToolInput): Promise<ToolOutput>;
  close?(): Promise<void>;
}

/** Resolves a region query ("region:2", "" or "whole") to the box it names, with a clear error otherwise. */
export function regionFor(query: string, regions: Region[], image: RgbaImage): { box: Box; label: string } {
  const q = query.trim();
  if (q === '' || q === 'whole' || q === 'image')
    return { box: { x: 0, y: 0, width: image.width, height: image.height }, label: 'whole image' };
  const r = regions.find((x) => x.id === q);
  if (!r) {
    throw new Error(
      `unknown region "${q}"; known regions are ${regions.map((x) => x.id).join(', ') || 'none'} (or "" for the whole image)`,
    );
  }
  return { box: r.box, label: r.label };
}
