import type { ChatMessage, ChatOptions, LlmClient } from './llm.js';
import { LlmError } from './llm.js';

/** A step of a script: a fixed reply, or a function of the prompt (to play a policy). */
export type ScriptStep = string | ((messages: ChatMessage[]) => string);

/**
 * A language model that plays a script: the replies it gives are the input of the run, so
 * tests and replays drive the real planner and reasoner with chosen answers.
 */
export class ScriptedLlm implements LlmClient {
  readonly name: string;
  readonly calls: ChatMessage[][] = [];
  private i = 0;

  constructor(
    private readonly script: ScriptStep[] | ((messages: ChatMessage[], call: number) => string),
    name = 'scripted',
  ) {
    this.name = name;
  }

  async chat(messages: ChatMessage[], _options?: ChatOptions): Promise<string> {
    this.calls.push([...messages]);
    const n = this.i++;
    if (typeof this.script === 'function') return this.script(messages, n);
    const step = this.script[n];
    if (step === undefined)
      throw new LlmError(`script exhausted after ${this.script.length} replies`, 'script');
    return typeof step === 'function' ? step(messages) : step;
  }
}
