export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatOptions {
  /** Ask the server for a JSON object (OpenAI `response_format: {type: "json_object"}`). */
  json?: boolean;
  temperature?: number;
  maxTokens?: number;
}

/** Any chat model: an HTTP server, a script for tests, or a recording being replayed. */
export interface LlmClient {
  name: string;
  chat(messages: ChatMessage[], options?: ChatOptions): Promise<string>;
}

export class LlmError extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'http' | 'rate_limit' | 'network' | 'protocol' | 'script',
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}
