import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { SearxngSearch } from '../src/knowledge/web-search.js';
import { knowledgeSearchTool } from '../src/tools/knowledge-search.js';

// A loopback server answering like SearXNG's /search?format=json.
let server: Server;
let base: string;
let mode: 'ok' | 'forbidden' | 'html' = 'ok';
const queries: string[] = [];
before(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    queries.push(`${u.pathname}?${u.searchParams.get('q')}|${u.searchParams.get('format')}`);
    if (mode === 'forbidden') return void res.writeHead(403).end('Forbidden');
    if (mode === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        query: u.searchParams.get('q'),
        results: [
          {
            title: 'Golden Gate Bridge',
            url: 'https://example.org/ggb',
            content: 'The bridge opened in 1937.',
            engine: 'wikipedia',
            score: 3.1,
          },
          {
            title: 'San Francisco',
            url: 'https://example.org/sf',
            content: 'A city in California.',
            engine: 'wikipedia',
            score: 1.2,
          },
        ],
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise((r) => server.close(r)));

const input = (query: string) => ({
  image: { width: 1, height: 1, data: new Uint8Array(4) },
  question: '',
  query,
  regions: [],
  memory: [],
});

test('the web-search adapter plugs into knowledge_search like the offline provider', async () => {
  mode = 'ok';
  const tool = knowledgeSearchTool(new SearxngSearch({ baseUrl: base }));
  const out = await tool.run(input('golden gate bridge opened'));
  assert.equal(queries.at(-1), '/search?golden gate bridge opened|json');
  assert.deepEqual(out.entities, ['Golden Gate Bridge', 'San Francisco']);
  assert.match(out.text, /^Golden Gate Bridge \[web:wikipedia\]: The bridge opened in 1937\./);
});

test('web-search failures are explained', async () => {
  mode = 'forbidden';
  await assert.rejects(
    new SearxngSearch({ baseUrl: base }).search('x', 3),
    /HTTP 403; enable the JSON format/,
  );
  mode = 'html';
  await assert.rejects(new SearxngSearch({ baseUrl: base }).search('x', 3), /answer is not JSON/);
  assert.throws(() => new SearxngSearch({ baseUrl: 'not a url' }), /is not a URL/);
});
