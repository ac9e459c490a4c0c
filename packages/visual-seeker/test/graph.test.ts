import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultGraph } from '../src/graph/default-graph.js';
import {
  allowedActions,
  GraphError,
  loadGraphFile,
  nextState,
  reachableStates,
  validateGraph,
} from '../src/graph/graph.js';

const TOOLS = ['detect_objects', 'detect_faces', 'ocr', 'image_search', 'knowledge_search', 'llm_qa'];

test('the shipped graph is valid for the shipped tools and every state is reachable', () => {
  const g = validateGraph(defaultGraph, TOOLS);
  assert.equal(reachableStates(g).size, Object.keys(g.states).length);
  assert.deepEqual(allowedActions(g, 'start').sort(), [
    'detect_faces',
    'detect_objects',
    'image_search',
    'ocr',
  ]);
  assert.equal(nextState(g, 'start', 'ocr'), 'text');
  assert.throws(() => nextState(g, 'start', 'llm_qa'), /not allowed in state "start"/);
});

test('an unknown target state is reported with the defined states', () => {
  const g = { start: 'a', states: { a: { actions: { ocr: 'b' } } } };
  assert.throws(
    () => validateGraph(g, TOOLS),
    (e: unknown) =>
      e instanceof GraphError &&
      /states\.a\.actions\.ocr: leads to unknown state "b"; defined states are a/.test(e.message),
  );
});

test('an unknown start state is reported', () => {
  assert.throws(
    () => validateGraph({ start: 'begin', states: { a: { actions: {} } } }),
    /start: state "begin" is not defined; defined states are a/,
  );
});

test('unreachable states are reported by name', () => {
  const g = { start: 'a', states: { a: { actions: { ocr: 'a' } }, island: { actions: { ocr: 'a' } } } };
  assert.throws(() => validateGraph(g, TOOLS), /states\.island: unreachable from start state "a"/);
});

test('actions without a tool are reported with the states that allow them', () => {
  const g = {
    start: 'a',
    states: { a: { actions: { caption: 'b', ocr: 'b' } }, b: { actions: { caption: 'a' } } },
  };
  assert.throws(
    () => validateGraph(g, TOOLS),
    /action "caption" \(allowed in a, b\) has no tool; available tools are detect_objects/,
  );
});

test('several problems are reported together', () => {
  const g = { start: 'a', states: { a: { actions: { zap: 'nowhere' } }, lost: { actions: {} } } };
  try {
    validateGraph(g, TOOLS);
    assert.fail('expected a GraphError');
  } catch (e) {
    assert.ok(e instanceof GraphError);
    assert.equal(e.problems.length, 3);
  }
});

test('malformed graph data gets a schema error naming the field', () => {
  assert.throws(
    () => validateGraph({ start: 'a', states: { a: { actions: ['ocr'] } } }),
    /states\.a\.actions/,
  );
  assert.throws(() => validateGraph({ states: {} }), /start/);
  assert.throws(() => validateGraph({ start: 'a', states: { a: { actions: {}, extra: 1 } } }), /states\.a/);
});

test('graphs load from JSON files, and bad files get clear errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vs-graph-'));
  const good = join(dir, 'g.json');
  await writeFile(good, JSON.stringify(defaultGraph));
  const g = await loadGraphFile(good, TOOLS);
  assert.equal(g.start, 'start');
  const bad = join(dir, 'bad.json');
  await writeFile(bad, '{ "start": ');
  await assert.rejects(loadGraphFile(bad), /bad\.json is not valid JSON/);
  await assert.rejects(loadGraphFile(join(dir, 'missing.json')), /missing\.json cannot be read/);
});

test('users can edit the graph: removing an action removes it from the allowed set', () => {
  const edited = structuredClone(defaultGraph);
  delete edited.states.start.actions.detect_faces;
  const g = validateGraph(edited, TOOLS);
  assert.ok(!allowedActions(g, 'start').includes('detect_faces'));
});
