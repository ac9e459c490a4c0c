import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createSeeker } from '../src/agent/seeker.js';
import { OfflineKnowledge } from '../src/knowledge/search-provider.js';
import { LlmError } from '../src/llm/llm.js';
import { OpenAiCompatibleClient } from '../src/llm/openai-http.js';
import { flagPhoto } from '../src/scenes/flags.js';
import { knowledgeSearchTool } from '../src/tools/knowledge-search.js';
import { offlineQaTool } from '../src/tools/llm-qa.js';

/**
 * A loopback server speaking the chat-completions protocol. Each test queues the behaviour of the
 * next requests: a reply, an HTTP error, a rate limit, or silence (to trigger the client's timeout).
 */
type Behaviour =
  | { reply: string }
  | { status: number; body?: string; headers?: Record<string, string> }
  | { hang: true }
  | { raw: string };
const queue: Behaviour[] = [];
const seen: Array<{ path: string; auth?: string; body: Record<string, unknown> }> = [];
let server: Server;
let base: string;
const hanging: ServerResponse[] = [];

before(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization, body: data ? JSON.parse(data) : {} });
      if (req.url !== '/v1/chat/completions') {
        res.writeHead(404).end('{"error": "not found"}');
        return;
      }
      const b = queue.shift() ?? { status: 500, body: 'queue empty' };
      if ('hang' in b) {
        hanging.push(res);
        return;
      }
      if ('raw' in b) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(b.raw);
        return;
      }
      if ('reply' in b) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'x',
            object: 'chat.completion',
            choices: [{ index: 0, message: { role: 'assistant', content: b.reply }, finish_reason: 'stop' }],
          }),
        );
        return;
      }
      res
        .writeHead(b.status, { 'content-type': 'application/json', ...(b.headers ?? {}) })
        .end(b.body ?? '{"error": {"message": "boom"}}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

after(async () => {
  for (const r of hanging) r.destroy();
  await new Promise((r) => server.close(r));
});

const sleeps: number[] = [];
const client = (extra: Partial<ConstructorParameters<typeof OpenAiCompatibleClient>[0]> = {}) =>
  new OpenAiCompatibleClient({
    baseUrl: base,
    model: 'test-model',
    backoffMs: 10,
    sleep: async (ms) => void sleeps.push(ms),
    ...extra,
  });

test('sends a chat-completions request with JSON mode and returns the content', async () => {
  queue.push({ reply: '{"ok": true}' });
  seen.length = 0;
  const out = await client({ apiKey: 'k123' }).chat([{ role: 'user', content: 'hi' }], { json: true });
  assert.equal(out, '{"ok": true}');
  assert.equal(seen[0].path, '/v1/chat/completions');
  assert.equal(seen[0].auth, 'Bearer k123');
  assert.equal(seen[0].body.model, 'test-model');
  assert.deepEqual(seen[0].body.response_format, { type: 'json_object' });
  assert.deepEqual(seen[0].body.messages, [{ role: 'user', content: 'hi' }]);
});

test('retries 500s with exponential back-off, then succeeds', async () => {
  sleeps.length = 0;
  queue.push({ status: 500 }, { status: 503 }, { reply: 'fine' });
  assert.equal(await client().chat([{ role: 'user', content: 'x' }]), 'fine');
  assert.deepEqual(sleeps, [10, 20]);
});

test('a rate limit honours Retry-After, then succeeds', async () => {
  sleeps.length = 0;
  queue.push(
    { status: 429, headers: { 'retry-after': '2' }, body: '{"error": "slow down"}' },
    { reply: 'after wait' },
  );
  assert.equal(await client({ maxBackoffMs: 60_000 }).chat([{ role: 'user', content: 'x' }]), 'after wait');
  assert.deepEqual(sleeps, [2000]);
});

test('persistent rate limiting ends in a clear rate_limit error after the retries', async () => {
  queue.push({ status: 429 }, { status: 429 }, { status: 429 });
  await assert.rejects(
    client({ maxRetries: 2 }).chat([{ role: 'user', content: 'x' }]),
    (e: unknown) =>
      e instanceof LlmError &&
      e.kind === 'rate_limit' &&
      e.status === 429 &&
      /rate limited \(HTTP 429\).*gave up after 3 attempts/.test(e.message),
  );
});

test('persistent 500s end in an http error carrying the server message', async () => {
  queue.push(
    { status: 500, body: '{"error": "model crashed"}' },
    { status: 500, body: '{"error": "model crashed"}' },
  );
  await assert.rejects(
    client({ maxRetries: 1 }).chat([{ role: 'user', content: 'x' }]),
    /HTTP 500 .*model crashed.*gave up after 2 attempts/,
  );
});

test('4xx errors other than 429 are not retried', async () => {
  seen.length = 0;
  queue.push({ status: 400, body: '{"error": "bad request: unknown field"}' });
  await assert.rejects(client().chat([{ role: 'user', content: 'x' }]), /HTTP 400 .*unknown field/);
  assert.equal(seen.length, 1);
});

test('a wrong base URL gets a 404 with a hint', async () => {
  await assert.rejects(
    new OpenAiCompatibleClient({ baseUrl: base.replace('/v1', '/v2'), model: 'm', maxRetries: 0 }).chat([
      { role: 'user', content: 'x' },
    ]),
    /HTTP 404 \(check baseUrl ends with \/v1 and the model name\)/,
  );
});

test('a server that never answers times out, is retried, then reported', async () => {
  queue.push({ hang: true }, { hang: true });
  const started = Date.now();
  await assert.rejects(
    client({ timeoutMs: 150, maxRetries: 1 }).chat([{ role: 'user', content: 'x' }]),
    (e: unknown) =>
      e instanceof LlmError &&
      e.kind === 'timeout' &&
      /no answer within 150 ms.*gave up after 2 attempts/.test(e.message),
  );
  assert.ok(Date.now() - started >= 300);
});

test('a refused connection says the server is not running', async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  await assert.rejects(
    new OpenAiCompatibleClient({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', maxRetries: 0 }).chat([
      { role: 'user', content: 'x' },
    ]),
    /cannot connect \(ECONNREFUSED\); is the model server running\?/,
  );
});

test('a reply without choices is a protocol error', async () => {
  queue.push({ raw: '{"object": "chat.completion"}' });
  await assert.rejects(client().chat([{ role: 'user', content: 'x' }]), /no choices\[0\]\.message\.content/);
  queue.push({ raw: '<html>gateway</html>' });
  await assert.rejects(client().chat([{ role: 'user', content: 'x' }]), /answer is not JSON/);
});

test('bad configuration is refused up front', () => {
  assert.throws(
    () => new OpenAiCompatibleClient({ baseUrl: 'localhost:8000', model: 'm' }),
    /is not a URL|must be http/,
  );
  assert.throws(
    () => new OpenAiCompatibleClient({ baseUrl: 'ftp://127.0.0.1/v1', model: 'm' }),
    /must be http:\/\/ or https:\/\//,
  );
  assert.throws(() => new OpenAiCompatibleClient({ baseUrl: base, model: '' }), /model is required/);
});

test('the agent runs end to end against the loopback model server, surviving a 500 and a rate limit', async () => {
  queue.push(
    { status: 500 },
    { reply: '{"action": "knowledge_search", "query": "Italy", "reason": "look it up"}' },
    { status: 429, headers: { 'retry-after': '0' } },
    {
      reply:
        'Here you go: {"verdict": "final", "summary": "capital of Italy: Rome", "answer": "Rome", "confidence": 0.9}',
    },
  );
  const graph = {
    start: 's',
    states: { s: { actions: { knowledge_search: 'f' } }, f: { actions: { llm_qa: 'f' } } },
  };
  const agent = createSeeker({
    llm: client(),
    tools: [knowledgeSearchTool(new OfflineKnowledge({ wordnet: false, gcide: false })), offlineQaTool()],
    graph,
  });
  const res = await agent.ask(flagPhoto('Italy', 3), 'What is the capital of Italy?');
  assert.equal(res.answer, 'Rome');
  assert.equal(res.confidence, 0.9);
  assert.equal(res.trace.recordings.filter((r) => r.type === 'llm').length, 2);
});
