import { type ChatMessage, type ChatOptions, type LlmClient, LlmError } from './llm.js';

export interface OpenAiClientOptions {
  /** Base URL up to /v1, e.g. http://127.0.0.1:8000/v1 (vLLM), http://127.0.0.1:8080/v1 (llama.cpp), http://127.0.0.1:11434/v1 (Ollama). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Retries after a 429, a 5xx, a timeout or a refused connection. */
  maxRetries?: number;
  /** First back-off; doubles each retry, capped at maxBackoffMs; a Retry-After header wins when present. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Send response_format json_object when JSON is asked for (some servers reject it: set false). */
  jsonMode?: boolean;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** OpenAI-compatible chat completions over HTTP with timeouts and a retry policy for 429/5xx. */
export class OpenAiCompatibleClient implements LlmClient {
  readonly name: string;
  private readonly opts: Required<Omit<OpenAiClientOptions, 'apiKey'>> & { apiKey?: string };

  constructor(options: OpenAiClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new Error(`baseUrl "${options.baseUrl}" is not a URL; expected e.g. http://127.0.0.1:8000/v1`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`baseUrl "${options.baseUrl}" must be http:// or https://`);
    }
    if (!options.model) throw new Error('model is required (the name the server knows the model by)');
    this.opts = {
      timeoutMs: 60_000,
      maxRetries: 3,
      backoffMs: 500,
      maxBackoffMs: 8_000,
      jsonMode: true,
      fetchImpl: fetch,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
    this.name = `openai-compatible:${this.opts.model}@${url.host}`;
  }

  async chat(messages: ChatMessage[], options: ChatOptions = {}): Promise<string> {
    const body: Record<string, unknown> = {
      model: this.opts.model,
      messages,
      temperature: options.temperature ?? 0,
    };
    if (options.maxTokens) body.max_tokens = options.maxTokens;
    if (options.json && this.opts.jsonMode) body.response_format = { type: 'json_object' };
    let lastError: LlmError | undefined;
    for (let attempt = 0; attempt <= this.opts.maxRetries; attempt++) {
      if (attempt > 0) await this.opts.sleep(this.backoff(attempt, lastError));
      try {
        return await this.once(body);
      } catch (err) {
        if (!(err instanceof LlmError)) throw err;
        lastError = err;
        const retryable =
          err.kind === 'timeout' ||
          err.kind === 'rate_limit' ||
          err.kind === 'network' ||
          (err.status ?? 0) >= 500;
        if (!retryable) throw err;
      }
    }
    throw new LlmError(
      `${lastError?.message} (gave up after ${this.opts.maxRetries + 1} attempts)`,
      lastError?.kind ?? 'network',
      lastError?.status,
    );
  }

  private retryAfterMs = new WeakMap<LlmError, number>();

  private backoff(attempt: number, err?: LlmError): number {
    const hinted = err ? this.retryAfterMs.get(err) : undefined;
    if (hinted !== undefined) return Math.min(hinted, this.opts.maxBackoffMs);
    return Math.min(this.opts.backoffMs * 2 ** (attempt - 1), this.opts.maxBackoffMs);
  }

  private async once(body: Record<string, unknown>): Promise<string> {
    const url = `${this.opts.baseUrl}/chat/completions`;
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), this.opts.timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await this.opts.fetchImpl(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}),
        },
        body: JSON.stringify(body),
        signal: ctrl.signal,
      });
      text = await res.text();
    } catch (err) {
      if (ctrl.signal.aborted)
        throw new LlmError(`${url}: no answer within ${this.opts.timeoutMs} ms`, 'timeout');
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new LlmError(`${url}: cannot connect (${cause}); is the model server running?`, 'network');
    } finally {
      clearTimeout(timer);
    }
    if (res.status === 429) {
      const e = new LlmError(`${url}: rate limited (HTTP 429) ${snippet(text)}`, 'rate_limit', 429);
      const ra = Number(res.headers.get('retry-after'));
      if (Number.isFinite(ra) && ra >= 0 && res.headers.get('retry-after') !== null)
        this.retryAfterMs.set(e, ra * 1000);
      throw e;
    }
    if (!res.ok) {
      const hint = res.status === 404 ? ' (check baseUrl ends with /v1 and the model name)' : '';
      throw new LlmError(`${url}: HTTP ${res.status}${hint} ${snippet(text)}`, 'http', res.status);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new LlmError(`${url}: answer is not JSON: ${snippet(text)}`, 'protocol', res.status);
    }
    const content = (parsed as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]?.message
      ?.content;
    if (typeof content !== 'string') {
      throw new LlmError(
        `${url}: answer has no choices[0].message.content: ${snippet(text)}`,
        'protocol',
        res.status,
      );
    }
    return content;
  }
}

function snippet(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}
