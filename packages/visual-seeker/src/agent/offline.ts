import type { WorkingMemory } from '../memory/working-memory.js';
import type { ToolOutput } from '../tools/tool.js';
import { analyzeQuestion, COCO_FAMILIES, CONTINENTS, HABITATS, type QuestionIntent } from './question.js';
import type { PlanContext, Planner, PlanResult, ReasonContext, Reasoner, ReasonResult } from './types.js';

interface Candidate {
  action: string;
  query: string;
  score: number;
  reason: string;
}

/** Entities the agent has seen, most useful first: read text, then similar-image labels, then detections. */
function entityQueries(memory: WorkingMemory, intent: QuestionIntent, question: string): string[] {
  const out: string[] = [];
  const push = (s: string) => {
    const t = s.trim();
    if (t && !out.some((x) => x.toLowerCase() === t.toLowerCase())) out.push(t);
  };
  const useful = memory.entries.filter((e) => e.verdict === 'informative' && e.output);
  // All text read at once first (the search's title matching finds the name inside), then line by line.
  for (const e of useful.filter((x) => x.action === 'ocr')) {
    const lines = (e.output!.entities ?? []).filter((l) => /[A-Za-z0-9]{3,}/.test(l));
    if (lines.length > 1) push(lines.join(' '));
    for (const s of lines) push(s);
  }
  for (const e of useful.filter((x) => x.action === 'image_search'))
    for (const s of e.output!.entities ?? []) push(s);
  const family = intent.identity ? COCO_FAMILIES[intent.identity.kind] : COCO_FAMILIES.animal;
  for (const e of useful.filter((x) => x.action === 'detect_objects')) {
    // Labels the question names ("the giraffe in this photo") come first.
    const named = (l: string) => (question.toLowerCase().includes(l) ? 0 : 1);
    const labels = (e.output!.regions ?? []).map((r) => r.label).sort((a, b) => named(a) - named(b));
    for (const l of labels.filter((l) => family?.includes(l))) push(l);
    for (const l of labels) if (l !== 'person') push(l);
  }
  for (const e of useful.filter((x) => x.action === 'knowledge_search'))
    for (const s of e.output!.entities ?? []) push(s);
  return out;
}

/**
 * The offline planner: scores the actions the graph allows (minus those in memory) with rules a
 * person follows (text question -> read; flag -> similar images; count -> detect; facts -> answer).
 */
export class OfflinePlanner implements Planner {
  readonly name = 'offline-rules';

  async plan(ctx: PlanContext): Promise<PlanResult> {
    const fresh = candidates(ctx).filter((c) => c.score > 0 && !ctx.memory.has(c.action, c.query));
    fresh.sort((x, y) => y.score - x.score);
    const best = fresh[0];
    if (!best) {
      return {
        ok: true,
        decision: { action: 'backtrack', query: '', reason: `nothing useful left in state ${ctx.state}` },
      };
    }
    return { ok: true, decision: { action: best.action, query: best.query, reason: best.reason } };
  }
}

/**
 * A planner with no judgement: picks uniformly (seeded) among every action and query the rules can
 * form in this state, useful or not. It stands in for an uninformed model in the graph ablation.
 */
export class RandomPlanner implements Planner {
  readonly name = 'random';
  private state: number;
  constructor(seed = 1) {
    this.state = seed >>> 0;
  }
  private next(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state / 2 ** 32;
  }
  async plan(ctx: PlanContext): Promise<PlanResult> {
    const all = candidates(ctx).filter((c) => !ctx.memory.has(c.action, c.query));
    if (!all.length)
      return { ok: true, decision: { action: 'backtrack', query: '', reason: 'nothing left' } };
    const c = all[Math.floor(this.next() * all.length)];
    return { ok: true, decision: { action: c.action, query: c.query, reason: 'random choice' } };
  }
}

/** Every action and query the rules can form in this state, each with a usefulness score. */
function candidates(ctx: PlanContext): Candidate[] {
  {
    const intent = analyzeQuestion(ctx.question);
    const m = ctx.memory;
    const cands: Candidate[] = [];
    const haveFacts = m.entries.some((e) => e.action === 'knowledge_search' && e.verdict === 'informative');
    for (const a of ctx.allowed) {
      switch (a.name) {
        case 'ocr':
          cands.push({
            action: 'ocr',
            query: '',
            score:
              intent.aboutText || intent.readText
                ? 9
                : intent.attribute && !intent.aboutFlag && intent.attribute !== 'habitat'
                  ? 4
                  : 2,
            reason: intent.aboutText
              ? 'the question is about written text'
              : 'text in the image may name the subject',
          });
          break;
        case 'detect_objects':
          cands.push({
            action: 'detect_objects',
            query: '',
            score:
              intent.count || (intent.identity?.kind !== 'country' && intent.identity)
                ? 9
                : intent.attribute === 'habitat' ||
                    /\b(animals?|creatures?|birds?|these|this (dog|cat|horse))\b/.test(
                      ctx.question.toLowerCase(),
                    )
                  ? 8
                  : intent.face
                    ? 3
                    : 3,
            reason: 'locate the objects the question is about',
          });
          break;
        case 'detect_faces':
          cands.push({
            action: 'detect_faces',
            query: '',
            score: intent.face ? 10 : m.regions.some((r) => r.label === 'person') ? 1 : 0,
            reason: 'the question asks about a face',
          });
          break;
        case 'image_search': {
          const regionQs = m.regions
            .filter((r) => r.label !== 'person' && !r.id.startsWith('face') && !r.id.startsWith('text'))
            .sort((x, y) => y.box.width * y.box.height - x.box.width * x.box.height)
            .map((r) => r.id);
          const qs = ['', ...regionQs.slice(0, 2)];
          qs.forEach((q, i) => {
            cands.push({
              action: 'image_search',
              query: q,
              score:
                intent.aboutText && !intent.aboutFlag
                  ? 0
                  : (intent.aboutFlag || intent.identity?.kind === 'country' ? 9 : 3) - i * 0.5,
              reason: q ? `find images similar to ${q}` : 'find labelled images similar to this one',
            });
          });
          break;
        }
        case 'knowledge_search': {
          const ents = entityQueries(m, intent, ctx.question);
          ents.slice(0, 4).forEach((e, i) => {
            cands.push({
              action: 'knowledge_search',
              query: e,
              score: (intent.attribute || intent.identity ? 10 : 5) - i * 0.5,
              reason: `look up ${e}`,
            });
          });
          break;
        }
        case 'llm_qa':
          cands.push({
            action: 'llm_qa',
            query: ctx.question,
            score: haveFacts ? 6 : 0,
            reason: 'answer from the facts in memory',
          });
          break;
        default:
          cands.push({ action: a.name, query: '', score: 1, reason: 'unscored tool' });
      }
    }
    return cands;
  }
}

function fmt(n: number): string {
  return n.toFixed(2);
}

/** Finds the asked attribute in tool facts or text, in rank order. */
export function extractAttribute(
  intent: QuestionIntent,
  outputs: ToolOutput[],
  subject?: string,
): { answer: string; source: string } | null {
  const attr = intent.attribute;
  if (!attr) return null;
  for (let o of outputs) {
    // Facts about the exact subject searched for come before facts about look-alike titles
    // ("zebra" before "plains zebra").
    const exact = (f: { subject: string }) =>
      subject && f.subject.toLowerCase() === subject.toLowerCase() ? 0 : 1;
    if (o.facts) o = { ...o, facts: [...o.facts].sort((a, b) => exact(a) - exact(b)) };
    if (o.answer?.trim()) return { answer: o.answer.trim(), source: 'proposed answer' };
    for (const f of o.facts ?? []) {
      if (f.field === attr) return { answer: f.value, source: `${f.subject} (${f.source})` };
    }
    if (attr === 'continent' || attr === 'habitat') {
      const words = attr === 'continent' ? CONTINENTS : HABITATS;
      const glosses = (o.facts ?? []).filter((f) => f.field === 'gloss');
      for (const g of glosses) {
        const low = g.value.toLowerCase();
        let best: { w: string; at: number } | null = null;
        for (const w of words) {
          const at = low.search(new RegExp(`\\b${w.toLowerCase()}s?\\b`));
          if (at >= 0 && (!best || at < best.at)) best = { w, at };
        }
        if (best)
          return { answer: best.w === 'savannah' ? 'savanna' : best.w, source: `${g.subject} (${g.source})` };
      }
    }
    if (attr === 'definition') {
      const d = (o.facts ?? []).find((f) => f.field === 'definition');
      if (d) return { answer: d.value, source: `${d.subject} (${d.source})` };
    }
  }
  return null;
}

/** The offline reasoner: judges each tool output by what the question asks for. */
export class OfflineReasoner implements Reasoner {
  readonly name = 'offline-rules';

  async judge(ctx: ReasonContext): Promise<ReasonResult> {
    const intent = analyzeQuestion(ctx.question);
    const o = ctx.output;
    const j = (
      verdict: 'informative' | 'uninformative' | 'final',
      summary: string,
      answer?: string,
      confidence?: number,
    ): ReasonResult => ({
      ok: true,
      judgement: { verdict, summary, answer, confidence },
    });
    switch (ctx.action) {
      case 'detect_objects': {
        const regions = o.regions ?? [];
        if (!regions.length) return j('uninformative', 'no objects detected');
        const summary = regions.map((r) => `${r.id}=${r.label} (${fmt(r.score)})`).join(', ');
        if (intent.count) {
          const n = regions.filter((r) => r.label === intent.count).length;
          if (n > 0) return j('final', `${n} ${intent.count} detected: ${summary}`, String(n), 0.6);
          return j('informative', `no ${intent.count} among: ${summary}`);
        }
        if (intent.identity && !intent.attribute) {
          const fam = COCO_FAMILIES[intent.identity.kind];
          const hit = regions
            .filter((r) => !fam || fam.includes(r.label))
            .sort((a, b) => b.score - a.score)[0];
          if (hit)
            return j('final', `${hit.label} detected (${fmt(hit.score)}): ${summary}`, hit.label, hit.score);
        }
        return j('informative', summary);
      }
      case 'detect_faces': {
        const faces =
          (
            o.details as
              | { faces?: Array<{ age: number; gender: string; emotion: string; score: number }> }
              | undefined
          )?.faces ?? [];
        if (!faces.length) return j('uninformative', 'no faces found');
        const f = faces[0];
        const summary = faces
          .map((x, i) => `face ${i + 1}: ${x.gender}, about ${Math.round(x.age)}, ${x.emotion}`)
          .join('; ');
        if (intent.face === 'age') return j('final', summary, String(Math.round(f.age)), 0.4);
        if (intent.face === 'gender') return j('final', summary, f.gender, 0.6);
        if (intent.face === 'emotion') return j('final', summary, f.emotion, 0.5);
        return j('informative', summary);
      }
      case 'ocr': {
        // A line counts as text when it has a real word (three letters or digits in a row).
        const ents = (o.entities ?? []).filter((l) => /[A-Za-z0-9]{3,}/.test(l));
        if (!ents.length)
          return j(
            'uninformative',
            o.entities?.length ? `only fragments read: ${o.entities.join(' / ')}` : 'no legible text',
          );
        const text = ents.join(' / ');
        if (intent.readText) return j('final', `text reads: ${text}`, ents.join(' '), 0.8);
        return j('informative', `text reads: ${text}`);
      }
      case 'image_search': {
        const ents = o.entities ?? [];
        if (!ents.length) return j('uninformative', 'no similar images');
        if (intent.identity && !intent.attribute) return j('final', o.text.split('\n')[0], ents[0], 0.7);
        return j('informative', `similar images show ${ents.slice(0, 3).join(', ')}`);
      }
      default: {
        const found = extractAttribute(intent, [o], ctx.query);
        if (found)
          return j('final', `${intent.attribute} = ${found.answer} from ${found.source}`, found.answer, 0.8);
        if (!o.entities?.length && !o.answer) return j('uninformative', o.text.slice(0, 120));
        return j('informative', o.text.split('\n').slice(0, 2).join(' | ').slice(0, 240));
      }
    }
  }

  bestGuess(question: string, memory: WorkingMemory): { answer: string; confidence: number } | null {
    const intent = analyzeQuestion(question);
    const outputs = memory.entries.filter((e) => e.output && e.verdict !== 'error').map((e) => e.output!);
    const found = extractAttribute(intent, outputs);
    if (found) return { answer: found.answer, confidence: 0.3 };
    return null;
  }
}
