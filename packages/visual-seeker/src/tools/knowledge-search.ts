import type { SearchProvider } from '../knowledge/search-provider.js';
import type { Tool, ToolInput, ToolOutput } from './tool.js';

/** knowledge_search: the planner's query goes to a search provider; results become text, entities and facts. */
export function knowledgeSearchTool(provider: SearchProvider, k = 5): Tool {
  return {
    name: 'knowledge_search',
    description: 'search knowledge sources (encyclopedic facts, dictionary glosses); query = search words',
    async run(input: ToolInput): Promise<ToolOutput> {
      const q = input.query.trim();
      if (!q) throw new Error('knowledge_search needs search words as its query, e.g. "Kenya currency"');
      const results = await provider.search(q, k);
      if (!results.length)
        return { text: `no documents matched "${q}"`, entities: [], facts: [], details: { results } };
      return {
        text: results.map((r) => `${r.title} [${r.source}]: ${r.snippet}`).join('\n'),
        entities: [...new Set(results.map((r) => r.title))],
        facts: results.flatMap((r) =>
          Object.entries(r.fields ?? {}).map(([field, value]) => ({
            subject: r.title,
            field,
            value,
            source: r.source,
          })),
        ),
        details: { provider: provider.name, results },
      };
    },
  };
}
