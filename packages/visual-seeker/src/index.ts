export { LlmPlanner, LlmReasoner } from './agent/llm-agents.js';
export { OfflinePlanner, OfflineReasoner } from './agent/offline.js';
export { planPrompt, reasonPrompt } from './agent/prompts.js';
export { analyzeQuestion } from './agent/question.js';
export {
  type AskOptions,
  createSeeker,
  type Seeker,
  type SeekerOptions,
  type SeekResult,
} from './agent/seeker.js';
export type {
  Judgement,
  PlanContext,
  PlanDecision,
  Planner,
  ReasonContext,
  Reasoner,
  Verdict,
} from './agent/types.js';
export { type DecisionExample, ExampleStore, loadExamplesFile, parseExamples } from './examples/examples.js';
export { shippedExamples } from './examples/shipped.js';
export { defaultGraph } from './graph/default-graph.js';
export {
  allowedActions,
  GraphError,
  loadGraphFile,
  nextState,
  type TransitionGraph,
  unrestrictedGraph,
  validateGraph,
} from './graph/graph.js';
export { type Box, crop, decodeImage, encodePng, loadImage, type RgbaImage } from './image/image.js';
export { countries } from './knowledge/countries.js';
export { OfflineKnowledge, type SearchProvider, type SearchResult } from './knowledge/search-provider.js';
export { type SearxngOptions, SearxngSearch } from './knowledge/web-search.js';
export { type ChatMessage, type LlmClient, LlmError } from './llm/llm.js';
export { type OpenAiClientOptions, OpenAiCompatibleClient } from './llm/openai-http.js';
export { ScriptedLlm } from './llm/scripted.js';
export { askStructured } from './llm/structured.js';
export { actionKey, WorkingMemory } from './memory/working-memory.js';
export { FLAGS, flagPhoto } from './scenes/flags.js';
export { signPhoto } from './scenes/signs.js';
export { describe as describeImage, ImageGallery, imageSearchTool } from './tools/image-search.js';
export { knowledgeSearchTool } from './tools/knowledge-search.js';
export { llmQaTool, offlineQaTool } from './tools/llm-qa.js';
export { ocrTool } from './tools/ocr.js';
export { createOfflineTools, flagGallery } from './tools/offline-tools.js';
export type { Region, Tool, ToolInput, ToolOutput } from './tools/tool.js';
export { detectFacesTool, detectObjectsTool } from './tools/vision.js';
export type { SeekTrace, TraceStep } from './trace/trace.js';
