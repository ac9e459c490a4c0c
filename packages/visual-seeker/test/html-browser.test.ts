import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { createSeeker } from '../src/agent/seeker.js';
import { OfflineKnowledge } from '../src/knowledge/search-provider.js';
import { ScriptedLlm } from '../src/llm/scripted.js';
import { flagPhoto } from '../src/scenes/flags.js';
import { imageSearchTool } from '../src/tools/image-search.js';
import { knowledgeSearchTool } from '../src/tools/knowledge-search.js';
import { offlineQaTool } from '../src/tools/llm-qa.js';
import { flagGallery } from '../src/tools/offline-tools.js';
import { renderTraceHtml } from '../src/trace/html.js';

test('the HTML trace renders in Chromium: graph path, one card per step, region crops that load', async () => {
  const graph = {
    start: 'start',
    states: {
      start: { actions: { image_search: 'entities', knowledge_search: 'facts' } },
      entities: { actions: { knowledge_search: 'facts', llm_qa: 'facts' } },
      facts: { actions: { knowledge_search: 'facts', llm_qa: 'facts' } },
    },
  };
  const llm = new ScriptedLlm([
    '{"action": "image_search", "query": ""}',
    '{"verdict": "informative", "summary": "an Italian flag"}',
    '{"action": "knowledge_search", "query": "Atlantis"}',
    '{"verdict": "uninformative", "summary": "nothing"}',
    '{"action": "backtrack", "query": ""}',
    '{"action": "knowledge_search", "query": "Italy"}',
    '{"verdict": "final", "summary": "Rome", "answer": "Rome"}',
  ]);
  const agent = createSeeker({
    llm,
    graph,
    tools: [
      imageSearchTool(flagGallery([1])),
      knowledgeSearchTool(new OfflineKnowledge({ wordnet: false, gcide: false })),
      offlineQaTool(),
    ],
  });
  const image = flagPhoto('Italy', 4);
  const res = await agent.ask(image, 'What is the capital of the country whose flag is shown?');
  // Give step 1 a region so the page has a crop to show.
  res.trace.steps[0].output!.regions = [
    { id: 'region:1', label: 'flag', score: 0.9, box: { x: 40, y: 30, width: 200, height: 140 } },
  ];
  const dir = await mkdtemp(join(tmpdir(), 'vs-html-'));
  const file = join(dir, 't.html');
  await writeFile(file, renderTraceHtml(res.trace, image));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    assert.equal(await page.locator('section.step').count(), res.trace.steps.length);
    // Path edges: start->entities (informative), entities->start (backtrack, dashed).
    assert.equal(await page.locator('svg line[stroke="#2e7d32"]').count(), 1);
    assert.equal(await page.locator('svg line[stroke-dasharray]').count(), 1);
    const widths = await page
      .locator('img')
      .evaluateAll((els) => els.map((e) => (e as HTMLImageElement).naturalWidth));
    assert.ok(widths.length >= 2 && widths.every((w) => w > 0), JSON.stringify(widths));
    assert.match((await page.locator('.answer').textContent()) ?? '', /Answer: Rome/);
  } finally {
    await browser.close();
  }
});
