import {
  OfflineKnowledge,
  type OfflineKnowledgeOptions,
  type SearchProvider,
} from '../knowledge/search-provider.js';
import type { LlmClient } from '../llm/llm.js';
import { FLAGS, flagPhoto } from '../scenes/flags.js';
import { ImageGallery, imageSearchTool } from './image-search.js';
import { knowledgeSearchTool } from './knowledge-search.js';
import { llmQaTool, offlineQaTool } from './llm-qa.js';
import { ocrTool } from './ocr.js';
import type { Tool } from './tool.js';
import { detectFacesTool, detectObjectsTool } from './vision.js';

export interface OfflineToolOptions {
  gallery?: ImageGallery;
  knowledge?: SearchProvider;
  knowledgeOptions?: OfflineKnowledgeOptions;
  /** When given, llm_qa asks this model; otherwise it reads the answer from memory by rules. */
  llm?: LlmClient;
}

/** Every shipped tool, all offline: detection, faces, OCR, image search, knowledge search, QA. */
export function createOfflineTools(options: OfflineToolOptions = {}): Tool[] {
  let knowledge = options.knowledge;
  const lazyKnowledge: SearchProvider = {
    name: 'offline-knowledge',
    search: (q, k) => {
      if (!knowledge) knowledge = new OfflineKnowledge(options.knowledgeOptions);
      return knowledge.search(q, k);
    },
  };
  return [
    detectObjectsTool(),
    detectFacesTool(),
    ocrTool(),
    imageSearchTool(options.gallery ?? new ImageGallery()),
    knowledgeSearchTool(options.knowledge ?? lazyKnowledge),
    options.llm ? llmQaTool(options.llm) : offlineQaTool(),
  ];
}

/** The demo gallery: two generated photos of each drawable flag, labelled with the country. */
export function flagGallery(seeds: number[] = [101, 202]): ImageGallery {
  const g = new ImageGallery();
  for (const country of Object.keys(FLAGS)) {
    for (const s of seeds)
      g.add(flagPhoto(country, s), {
        label: `flag of ${country}`,
        caption: `the national flag of ${country} on a pole`,
        entities: [country],
      });
  }
  return g;
}
