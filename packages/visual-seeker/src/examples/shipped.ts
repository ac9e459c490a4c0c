import type { DecisionExample } from './examples.js';

/**
 * The shipped example store: decisions written down while answering the demo and evaluation-style
 * questions by hand with the same tools. Add more with a JSON Lines file in the same format
 * (see README, "Decision examples") and pass it as `examples`.
 */
export const shippedExamples: DecisionExample[] = [
  {
    kind: 'plan', question: 'What is the capital of the country named on this sign?', state: 'start', memory: [],
    action: 'ocr', query: '', rationale: 'the question points at written text, so read it first',
  },
  {
    kind: 'plan', question: 'What currency is used in the country on this road sign?', state: 'text',
    memory: ['ocr(whole image): WELCOME TO KENYA'], action: 'knowledge_search', query: 'Kenya currency',
    rationale: 'the sign names a country; look up the asked attribute of that country',
  },
  {
    kind: 'plan', question: 'Which continent is the country with this flag in?', state: 'start', memory: [],
    action: 'image_search', query: '', rationale: 'a flag is recognised by comparing with labelled images, not by detection',
  },
  {
    kind: 'plan', question: 'What is the capital of the country whose flag this is?', state: 'entities',
    memory: ['image_search(whole image): similar images: flag of Italy (0.97)'], action: 'knowledge_search', query: 'Italy capital',
    rationale: 'similar images name the entity; search its facts',
  },
  {
    kind: 'plan', question: 'What continent does this animal come from?', state: 'start', memory: [],
    action: 'detect_objects', query: '', rationale: 'find the animal first',
  },
  {
    kind: 'plan', question: 'What continent does this animal come from?', state: 'objects',
    memory: ['detect_objects(whole image): giraffe (0.48), zebra (0.58)'], action: 'knowledge_search', query: 'giraffe',
    rationale: 'a detected class name is enough to look the animal up',
  },
  {
    kind: 'plan', question: 'How many horses are in the picture?', state: 'start', memory: [],
    action: 'detect_objects', query: '', rationale: 'counting needs object boxes',
  },
  {
    kind: 'plan', question: 'How old does the person look?', state: 'start', memory: [],
    action: 'detect_faces', query: '', rationale: 'age is a face attribute',
  },
  {
    kind: 'plan', question: 'What breed is the dog in the photo?', state: 'objects',
    memory: ['detect_objects(whole image): dog (0.41), bicycle (0.47)'], action: 'image_search', query: 'region:1',
    rationale: 'search images similar to the dog crop to get a finer label than the detector gives',
  },
  {
    kind: 'plan', question: 'What language do people speak in the country on this sign?', state: 'facts',
    memory: ['ocr(whole image): BIENVENUE EN FRANCE', 'knowledge_search(france): France: capital Paris; language French'],
    action: 'llm_qa', query: 'What language do people speak in France?', rationale: 'facts are in memory; answer from them',
  },
  {
    kind: 'reason', question: 'What is the capital of the country named on this sign?', state: 'start', memory: [],
    action: 'ocr', query: '', output: 'text: WELCOME TO PERU (confidence 93)', verdict: 'informative',
    rationale: 'the text names a country but not yet its capital',
  },
  {
    kind: 'reason', question: 'What is the capital of the country named on this sign?', state: 'text',
    memory: ['ocr(whole image): WELCOME TO PERU'], action: 'knowledge_search', query: 'Peru capital',
    output: 'Peru: capital Lima; continent South America; currency sol', verdict: 'final', answer: 'Lima',
    rationale: 'the capital field of the named country answers the question',
  },
  {
    kind: 'reason', question: 'Which continent is the country with this flag in?', state: 'start', memory: [],
    action: 'ocr', query: '', output: 'no text found', verdict: 'uninformative',
    rationale: 'nothing was read; try another tool',
  },
  {
    kind: 'reason', question: 'How many horses are in the picture?', state: 'start', memory: [],
    action: 'detect_objects', query: '', output: 'horse (0.65), horse (0.55), horse (0.36)', verdict: 'final', answer: '3',
    rationale: 'the count of detected horses answers the question',
  },
  {
    kind: 'reason', question: 'What continent does this animal come from?', state: 'objects',
    memory: ['detect_objects(whole image): giraffe (0.48)'], action: 'knowledge_search', query: 'giraffe',
    output: 'giraffe: tallest living quadruped ... of savannahs of tropical Africa', verdict: 'final', answer: 'Africa',
    rationale: 'the gloss names the continent',
  },
  {
    kind: 'reason', question: 'What currency is used in the country on this road sign?', state: 'text',
    memory: ['ocr(whole image): WELCOME TO KENYA'], action: 'knowledge_search', query: 'kenya',
    output: 'no documents matched', verdict: 'uninformative', rationale: 'the search found nothing; rephrase or try another tool',
  },
];
