/** One whitespace-separated word of the input, with the form the model sees. */
export interface Token {
  /** The word as written, punctuation included. */
  surface: string;
  /** Lowercase, apostrophes removed, edge punctuation stripped; "" when the word is only punctuation. */
  norm: string;
}

// Switchboard transcripts drop apostrophes ("dont", "thats"), so the model's view of text does too:
// "don't" and "dont" must be the same token or the training text and the real task would disagree.
const APOSTROPHES = /['\u2019\u2018`]/g;
const EDGE_PUNCT = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

export function normalizeWord(word: string): string {
  return word.toLowerCase().replace(APOSTROPHES, '').replace(EDGE_PUNCT, '');
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const surface of text.split(/\s+/)) {
    if (surface.length === 0) continue;
    out.push({ surface, norm: normalizeWord(surface) });
  }
  return out;
}

/** Normalised words only, punctuation-only words dropped: the token sequence the model and the metrics use. */
export function words(text: string): string[] {
  return tokenize(text)
    .map((t) => t.norm)
    .filter((w) => w.length > 0);
}
