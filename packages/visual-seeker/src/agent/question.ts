/** What the offline planner and reasoner read from a question, by keyword rules. */
export interface QuestionIntent {
  /** Asked attribute of an entity ("capital", "currency", "language", "continent", "habitat", "definition"). */
  attribute: string | null;
  /** Singular class name for "how many X" questions. */
  count: string | null;
  /** Face attribute asked ("age", "gender", "emotion"). */
  face: 'age' | 'gender' | 'emotion' | null;
  /** The literal text in the image is the answer ("what does the sign say?"). */
  readText: boolean;
  /** The question is about text in the image (sign, label, poster). */
  aboutText: boolean;
  /** The question is about a flag / emblem (identify by similar images). */
  aboutFlag: boolean;
  /** Asks what kind of thing is shown; `kind` says which family ("animal", "vehicle"...). */
  identity: { kind: string } | null;
}

const ATTRIBUTES: Array<[string, RegExp]> = [
  ['capital', /\bcapital\b/],
  ['currency', /\b(currency|money|pay with|coins?)\b/],
  ['language', /\b(language|languages|speak|spoken)\b/],
  ['continent', /\bcontinent\b/],
  ['habitat', /\b(habitat|where (does|do) (this|these|the) \w+ live|live in the wild|natural home)\b/],
  ['definition', /\b(what is an? \w+\??$|meaning of|define|definition)\b/],
];

const PLURALS: Record<string, string> = {
  people: 'person',
  persons: 'person',
  men: 'person',
  women: 'person',
  children: 'person',
  sheep: 'sheep',
  mice: 'mouse',
  buses: 'bus',
  giraffes: 'giraffe',
  horses: 'horse',
};

function singular(w: string): string {
  if (PLURALS[w]) return PLURALS[w];
  if (/(ch|sh|x|ss)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

export function analyzeQuestion(question: string): QuestionIntent {
  const q = question.toLowerCase();
  let attribute: string | null = null;
  for (const [name, re] of ATTRIBUTES) {
    if (re.test(q)) {
      attribute = name;
      break;
    }
  }
  const m = q.match(/how many ([a-z]+)/);
  const count = m ? singular(m[1]) : null;
  const face = /\b(how old|age)\b/.test(q)
    ? 'age'
    : /\b(gender|male or female|man or (a )?woman)\b/.test(q)
      ? 'gender'
      : /\b(emotion|mood|expression|feeling|smiling|happy or sad)\b/.test(q)
        ? 'emotion'
        : null;
  const aboutText = /\b(sign|written|text|word|words|poster|banner|label|plate|says?|read)\b/.test(q);
  const readText = aboutText && !attribute && /\b(say|says|written|read|word|words|text)\b/.test(q);
  const aboutFlag = /\bflags?\b/.test(q);
  const idm =
    q.match(/\bwhat (kind of |type of |sort of )?(animal|animals|vehicle|bird|object|thing|fruit|sport)\b/) ??
    (/\bwhat (is|are) the \w+ (flying|riding|holding|carrying|playing with|eating)\b/.test(q)
      ? [q, '', 'held']
      : null);
  const identity =
    !attribute && idm
      ? { kind: idm[2].replace(/s$/, '') }
      : !attribute && aboutFlag && /\b(which|what) country\b/.test(q)
        ? { kind: 'country' }
        : null;
  return { attribute, count: count || null, face, readText, aboutText, aboutFlag, identity };
}

/** COCO classes grouped as a person would name their family. */
export const COCO_FAMILIES: Record<string, string[]> = {
  animal: ['bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe'],
  bird: ['bird'],
  vehicle: ['bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat'],
  fruit: ['banana', 'apple', 'orange'],
  held: [
    'kite',
    'frisbee',
    'sports ball',
    'umbrella',
    'handbag',
    'surfboard',
    'skateboard',
    'tennis racket',
    'baseball bat',
    'horse',
    'bicycle',
    'motorcycle',
    'cell phone',
    'banana',
    'apple',
    'pizza',
    'donut',
    'cake',
    'sandwich',
  ],
  sport: [
    'frisbee',
    'skis',
    'snowboard',
    'sports ball',
    'kite',
    'baseball bat',
    'baseball glove',
    'skateboard',
    'surfboard',
    'tennis racket',
  ],
};

export const CONTINENTS = [
  'Africa',
  'Antarctica',
  'Asia',
  'Australia',
  'Europe',
  'North America',
  'South America',
  'Oceania',
];

export const HABITATS = [
  'savanna',
  'savannah',
  'grassland',
  'forest',
  'rainforest',
  'desert',
  'ocean',
  'sea',
  'mountains',
  'wetland',
  'marsh',
  'river',
  'jungle',
  'tundra',
  'woodland',
  'plains',
  'steppe',
  'coast',
  'arctic',
];
