export { createSeeker, type Seeker, type SeekerOptions, type SeekResult, type AskOptions } from './agent/seeker.js';
export type { Planner, Reasoner, PlanContext, ReasonContext, Judgement, Verdict, PlanDecision } from './agent/types.js';
export { LlmPlanner, LlmReasoner } from './agent/llm-agents.js';
export { OfflinePlanner, OfflineReasoner } from './agent/offline.js';
export { analyzeQuestion } from './agent/question.js';
export { planPrompt, reasonPrompt } from './agent/prompts.js';
export { defaultGraph } from './graph/default-graph.js';
export {
  type TransitionGraph,
  GraphError,
  validateGraph,
  loadGraphFile,
  allowedActions,
  nextState,
  unrestrictedGraph,
} from './graph/graph.js';
export { WorkingMemory, actionKey } from './memory/working-memory.js';
export { ExampleStore, parseExamples, loadExamplesFile, type DecisionExample } from './examples/examples.js';
export { shippedExamples } from './examples/shipped.js';
export { type LlmClient, type ChatMessage, LlmError } from './llm/llm.js';
export { OpenAiCompatibleClient, type OpenAiClientOptions } from './llm/openai-http.js';
export { ScriptedLlm } from './llm/scripted.js';
export { askStructured } from './llm/structured.js';
export type { Tool, ToolInput, ToolOutput, Region } from './tools/tool.js';
export { detectObjectsTool, detectFacesTool } from './tools/vision.js';
export { ocrTool } from './tools/ocr.js';
export { ImageGallery, imageSearchTool, describe as describeImage } from './tools/image-search.js';
export { knowledgeSearchTool } from './tools/knowledge-search.js';
export { llmQaTool, offlineQaTool } from './tools/llm-qa.js';
export { createOfflineTools, flagGallery } from './tools/offline-tools.js';
export { OfflineKnowledge, type SearchProvider, type SearchResult } from './knowledge/search-provider.js';
export { countries } from './knowledge/countries.js';
export { loadImage, decodeImage, encodePng, crop, type RgbaImage, type Box } from './image/image.js';
export { flagPhoto, FLAGS } from './scenes/flags.js';
export { signPhoto } from './scenes/signs.js';
export type { SeekTrace, TraceStep } from './trace/trace.js';
