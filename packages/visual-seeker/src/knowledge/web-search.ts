import type { SearchProvider, SearchResult } from './search-provider.js';

export interface SearxngOptions {
  /** e.g. http://127.0.0.1:8888 (a self-hosted SearXNG with "json" in search.formats). */
  baseUrl: string;
  timeoutMs?: number;
  language?: string;
  fetchImpl?: typeof fetch;
}

/**
 * Web search through a SearXNG instance's JSON API: the adapter shape any web-search provider
 * takes behind knowledge_search (title, snippet, url). Not used offline; shipped so a deployment
 * with network access can swap it in for OfflineKnowledge.
 */
export class SearxngSearch implements SearchProvider {
  readonly name: string;
  private readonly base: string;
  constructor(private readonly options: SearxngOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new Error(
        `SearXNG baseUrl "${options.baseUrl}" is not a URL; expected e.g. http://127.0.0.1:8888`,
      );
    }
    this.base = url.href.replace(/\/+$/, '');
    this.name = `searxng@${url.host}`;
  }

  async search(query: string, k: number): Promise<SearchResult[]> {
    const url = `${this.base}/search?q=${encodeURIComponent(query)}&format=json${this.options.language ? `&language=${encodeURIComponent(this.options.language)}` : ''}`;
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), this.options.timeoutMs ?? 10_000);
    let res: Response;
    let text: string;
    try {
      res = await (this.options.fetchImpl ?? fetch)(url, {
        signal: ctrl.signal,
        headers: { accept: 'application/json' },
      });
      text = await res.text();
    } catch (err) {
      if (ctrl.signal.aborted)
        throw new Error(`web search ${this.name}: no answer within ${this.options.timeoutMs ?? 10_000} ms`);
      throw new Error(
        `web search ${this.name}: cannot connect (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message})`,
      );
    } finally {
      clearTimeout(timer);
    }
    if (res.status === 403)
      throw new Error(
        `web search ${this.name}: HTTP 403; enable the JSON format (search.formats: [html, json]) in SearXNG's settings.yml`,
      );
    if (!res.ok) throw new Error(`web search ${this.name}: HTTP ${res.status} ${text.slice(0, 200)}`);
    let body: {
      results?: Array<{ title?: string; url?: string; content?: string; engine?: string; score?: number }>;
    };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`web search ${this.name}: answer is not JSON: ${text.slice(0, 120)}`);
    }
    if (!Array.isArray(body.results))
      throw new Error(`web search ${this.name}: answer has no "results" array`);
    return body.results.slice(0, k).map((r, i) => ({
      title: r.title ?? r.url ?? `result ${i + 1}`,
      snippet: r.content ?? '',
      url: r.url,
      source: `web:${r.engine ?? 'searxng'}`,
      score: r.score ?? 0,
    }));
  }
}
