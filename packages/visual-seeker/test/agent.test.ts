import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createSeeker } from '../src/agent/seeker.js';
import type { TransitionGraph } from '../src/graph/graph.js';
import { OfflineKnowledge } from '../src/knowledge/search-provider.js';
import type { ChatMessage } from '../src/llm/llm.js';
import { ScriptedLlm } from '../src/llm/scripted.js';
import { actionKey } from '../src/memory/working-memory.js';
import { flagPhoto } from '../src/scenes/flags.js';
import { rng } from '../src/scenes/rng.js';
import { type ImageGallery, imageSearchTool } from '../src/tools/image-search.js';
import { knowledgeSearchTool } from '../src/tools/knowledge-search.js';
import { offlineQaTool } from '../src/tools/llm-qa.js';
import { flagGallery } from '../src/tools/offline-tools.js';
import type { Tool } from '../src/tools/tool.js';

// A small graph over the tools that run in milliseconds, so many randomized runs stay fast.
const graph: TransitionGraph = {
  start: 'start',
  states: {
    start: { actions: { image_search: 'entities', knowledge_search: 'facts' } },
    entities: { actions: { knowledge_search: 'facts', llm_qa: 'facts' } },
    facts: { actions: { knowledge_search: 'facts', llm_qa: 'facts' } },
  },
};

let gallery: ImageGallery;
let tools: Tool[];
const italy = flagPhoto('Italy', 7);

before(() => {
  gallery = flagGallery();
  tools = [
    imageSearchTool(gallery),
    knowledgeSearchTool(new OfflineKnowledge({ wordnet: false, gcide: false })),
    offlineQaTool(),
  ];
});

const isPlanner = (m: ChatMessage[]) => m[0].content.includes('You are the planner');

test('the planner never runs a forbidden or repeated action across 80 randomized scripted runs', async () => {
  const names = ['image_search', 'knowledge_search', 'llm_qa', 'ocr', 'caption', 'backtrack'];
  const queries = ['', 'Italy', 'France', 'capital of Italy', 'region:1'];
  let rejected = 0;
  let executed = 0;
  for (let run = 0; run < 80; run++) {
    const r = rng(run + 1);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const llm = new ScriptedLlm((messages) => {
      if (r() < 0.1)
        return pick(['not json at all', '{"action": ', '{"verdict": "maybe"}', '```json\n{"oops": 1}\n```']);
      if (isPlanner(messages))
        return JSON.stringify({ action: pick(names), query: pick(queries), reason: 'random policy' });
      const verdict = pick(['informative', 'informative', 'uninformative', 'final']);
      return JSON.stringify({
        verdict,
        summary: 'scripted judgement',
        ...(verdict === 'final' ? { answer: 'Rome', confidence: 0.5 } : {}),
      });
    });
    const agent = createSeeker({ llm, tools, graph, maxSteps: 8, retries: 2 });
    const res = await agent.ask(italy, 'What is the capital of the country whose flag is shown?');
    const done = new Set<string>();
    let state = graph.start;
    assert.ok(res.trace.steps.length <= 8);
    for (const s of res.trace.steps) {
      assert.equal(s.state, state, `run ${run} step ${s.step}: trace state follows transitions`);
      assert.deepEqual(s.allowed, Object.keys(graph.states[s.state].actions));
      for (const a of s.llm?.planner ?? [])
        if (a.error && /not allowed|already taken/.test(a.error)) rejected++;
      if (s.kind === 'action') {
        executed++;
        assert.ok(
          s.action! in graph.states[s.state].actions,
          `run ${run} step ${s.step}: ${s.action} allowed in ${s.state}`,
        );
        const key = actionKey(s.action!, s.query!);
        assert.ok(!done.has(key), `run ${run} step ${s.step}: ${key} repeated`);
        done.add(key);
        const expected = s.verdict === 'informative' ? graph.states[s.state].actions[s.action!] : s.state;
        assert.equal(s.nextState, expected);
      }
      state = s.nextState;
    }
    assert.ok(
      ['final', 'budget', 'exhausted', 'no_progress', 'loop', 'planner_failed'].includes(res.stopReason),
    );
  }
  assert.ok(executed > 100, `enough actions executed (${executed})`);
  assert.ok(
    rejected > 20,
    `the random policy proposed forbidden or repeated actions that were refused (${rejected})`,
  );
});

test('backtracking: an uninformative output keeps the state, "backtrack" returns to the previous state', async () => {
  const llm = new ScriptedLlm([
    '{"action": "image_search", "query": "", "reason": "identify the flag"}',
    '{"verdict": "informative", "summary": "the flag looks Italian"}',
    '{"action": "knowledge_search", "query": "Atlantis", "reason": "try a lookup"}',
    '{"verdict": "uninformative", "summary": "nothing about Atlantis"}',
    '{"action": "backtrack", "query": "", "reason": "dead end"}',
    '{"action": "knowledge_search", "query": "Italy", "reason": "search from the start"}',
    '{"verdict": "final", "summary": "capital of Italy is Rome", "answer": "Rome", "confidence": 0.9}',
  ]);
  const agent = createSeeker({ llm, tools, graph });
  const res = await agent.ask(italy, 'What is the capital of the country whose flag is shown?');
  assert.equal(res.answer, 'Rome');
  assert.equal(res.stopReason, 'final');
  assert.deepEqual(
    res.trace.steps.map((s) => [s.kind, s.state, s.action ?? '', s.verdict ?? '', s.nextState]),
    [
      ['action', 'start', 'image_search', 'informative', 'entities'],
      ['action', 'entities', 'knowledge_search', 'uninformative', 'entities'],
      ['backtrack', 'entities', '', '', 'start'],
      ['action', 'start', 'knowledge_search', 'final', 'start'],
    ],
  );
  assert.deepEqual(
    res.evidence.map((e) => e.step),
    [1, 4],
  );
  assert.match(res.trace.steps[0].output!.text, /flag of Italy/);
});

test('a repeated action is refused and the planner is asked again', async () => {
  const llm = new ScriptedLlm([
    '{"action": "knowledge_search", "query": "Italy"}',
    '{"verdict": "informative", "summary": "Italy facts"}',
    '{"action": "knowledge_search", "query": "  italy "}',
    '{"action": "llm_qa", "query": "capital?"}',
    '{"verdict": "final", "summary": "Rome", "answer": "Rome"}',
  ]);
  const agent = createSeeker({ llm, tools, graph });
  const res = await agent.ask(italy, 'What is the capital of the country whose flag is shown?');
  assert.equal(res.answer, 'Rome');
  const second = res.trace.steps[1];
  assert.equal(second.action, 'llm_qa');
  assert.match(second.llm!.planner![0].error!, /already taken/);
});

test('malformed planner JSON is retried with the error, then succeeds', async () => {
  const llm = new ScriptedLlm([
    'Sure! I would search for the flag.',
    '{"action": 5}',
    '```json\n{"action": "image_search", "query": ""}\n```',
    '{"verdict": "final", "summary": "Italy", "answer": "Italy"}',
  ]);
  const agent = createSeeker({ llm, tools, graph, retries: 2 });
  const res = await agent.ask(italy, 'Which country is this flag from?');
  assert.equal(res.answer, 'Italy');
  const attempts = res.trace.steps[0].llm!.planner!;
  assert.equal(attempts.length, 3);
  assert.match(attempts[0].error!, /not valid JSON/);
  assert.match(attempts[1].error!, /action/);
  assert.equal(attempts[2].error, null);
  // The retry prompt carried the rejection back to the model.
  assert.match(llm.calls[1].at(-1)!.content, /rejected: not valid JSON/);
});

test('malformed JSON every time is reported in the result, never thrown', async () => {
  const llm = new ScriptedLlm(() => '{{{ not json');
  const agent = createSeeker({ llm, tools, graph, retries: 1 });
  const res = await agent.ask(italy, 'Which country is this flag from?');
  assert.equal(res.stopReason, 'planner_failed');
  assert.equal(res.answer, null);
  assert.match(res.trace.steps[0].note!, /no valid answer after 2 tries/);
});

test('a malformed reasoner reply marks the step as an error and the run continues', async () => {
  const llm = new ScriptedLlm([
    '{"action": "image_search", "query": ""}',
    'I think it is informative',
    'still not json',
    '{"action": "knowledge_search", "query": "Italy"}',
    '{"verdict": "final", "summary": "Rome", "answer": "Rome"}',
  ]);
  const agent = createSeeker({ llm, tools, graph, retries: 1 });
  const res = await agent.ask(italy, 'What is the capital of the country whose flag is shown?');
  assert.equal(res.trace.steps[0].verdict, 'error');
  assert.match(res.trace.steps[0].note!, /reasoner: no valid answer/);
  assert.equal(res.answer, 'Rome');
});

test('a model that fails outright is reported as a planner failure', async () => {
  const agent = createSeeker({ llm: new ScriptedLlm([]), tools, graph });
  const res = await agent.ask(italy, 'Which country is this flag from?');
  assert.equal(res.stopReason, 'planner_failed');
  assert.match(res.trace.steps[0].note!, /model call failed: script exhausted/);
});

test('the step budget stops a run that never concludes', async () => {
  let n = 0;
  const llm = new ScriptedLlm((m) =>
    isPlanner(m)
      ? JSON.stringify({ action: 'knowledge_search', query: `query ${n++}` })
      : '{"verdict": "informative", "summary": "more"}',
  );
  const agent = createSeeker({ llm, tools, graph, maxSteps: 5 });
  const res = await agent.ask(italy, 'What is the capital of the country whose flag is shown?');
  assert.equal(res.stopReason, 'budget');
  assert.equal(res.trace.steps.length, 5);
});

test('loop detection: identical outputs from different queries stop the run', async () => {
  let n = 0;
  const llm = new ScriptedLlm((m) =>
    isPlanner(m)
      ? JSON.stringify({ action: 'knowledge_search', query: `Italy zzqx${n++}` })
      : '{"verdict": "informative", "summary": "same"}',
  );
  const agent = createSeeker({ llm, tools, graph, maxSteps: 20, maxUninformativeStreak: 10 });
  const res = await agent.ask(italy, 'What is the capital of the country whose flag is shown?');
  assert.equal(res.stopReason, 'loop');
  assert.ok(res.trace.steps.some((s) => /same output as step/.test(s.note ?? '')));
  assert.ok(res.trace.steps.length < 20);
});

test('the planner prompt shows state, allowed actions, memory and retrieved examples', async () => {
  const llm = new ScriptedLlm([
    '{"action": "image_search", "query": ""}',
    '{"verdict": "informative", "summary": "Italian flag"}',
    '{"action": "knowledge_search", "query": "Italy"}',
    '{"verdict": "final", "summary": "Rome", "answer": "Rome"}',
  ]);
  const agent = createSeeker({ llm, tools, graph });
  await agent.ask(italy, 'What is the capital of the country whose flag is shown?');
  const second = llm.calls[2][1].content;
  assert.match(second, /Current state: entities/);
  assert.match(second, /- knowledge_search: /);
  assert.match(second, /- llm_qa: /);
  assert.doesNotMatch(second, /- image_search: /);
  assert.match(second, /Already taken \(do not repeat\): image_search\(\)/);
  assert.match(second, /\[informative\] image_search\(""\): Italian flag/);
  assert.match(
    second,
    /Decisions people made in similar situations:\nExample 1: question "What is the capital of the country whose flag this is\?"/,
  );
});

test('bad inputs get clear errors', async () => {
  assert.throws(() => createSeeker({ tools, graph: { start: 'x', states: {} } }), /invalid transition graph/);
  assert.throws(() => createSeeker({ tools }), /action "detect_objects" .* has no tool/);
  assert.throws(
    () => createSeeker({ tools: [...tools, tools[0]], graph }),
    /two tools are named "image_search"/,
  );
  const agent = createSeeker({ tools, graph });
  await assert.rejects(agent.ask(italy, '  '), /question must be a non-empty string/);
  await assert.rejects(agent.ask('/nonexistent/photo.jpg', 'what?'), /photo\.jpg cannot be read/);
  await assert.rejects(agent.ask(new Uint8Array([1, 2, 3, 4, 5]), 'what?'), /not a PNG or JPEG image/);
});
