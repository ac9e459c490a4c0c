import type { TransitionGraph } from './graph.js';

/**
 * The shipped graph, shaped after the AVIS user study: people first look (detect objects, faces,
 * read text or search similar images), then turn what they saw into a query for knowledge search,
 * and ask the language model to answer only once facts are in memory.
 */
export const defaultGraph: TransitionGraph = {
  start: 'start',
  states: {
    start: {
      description: 'nothing known yet: look at the image',
      actions: { detect_objects: 'objects', detect_faces: 'people', ocr: 'text', image_search: 'entities' },
    },
    objects: {
      description: 'objects located: identify them or read text on them',
      actions: { image_search: 'entities', ocr: 'text', knowledge_search: 'facts', detect_faces: 'people' },
    },
    people: {
      description: 'faces described: identify or look up',
      actions: { image_search: 'entities', knowledge_search: 'facts', ocr: 'text' },
    },
    text: {
      description: 'text read from the image: look it up',
      actions: { knowledge_search: 'facts', image_search: 'entities', detect_objects: 'objects' },
    },
    entities: {
      description: 'entity names known from similar images: look them up',
      actions: { knowledge_search: 'facts', ocr: 'text', llm_qa: 'facts' },
    },
    facts: {
      description: 'facts retrieved: refine the search or answer',
      actions: { knowledge_search: 'facts', llm_qa: 'facts' },
    },
  },
};
