/**
 * Spells out numbers the way transcripts of speech write them ("5:40" -> "five forty", "2019" -> "twenty
 * nineteen", "$137" -> "one hundred thirty seven dollars"). The fluent training text writes digits, Switchboard
 * writes words, and the model only knows words it has seen.
 */
const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

function below1000(n: number): string[] {
  const out: string[] = [];
  if (n >= 100) {
    out.push(ONES[Math.floor(n / 100)], 'hundred');
    n %= 100;
    if (n === 0) return out;
  }
  if (n < 20) out.push(ONES[n]);
  else {
    out.push(TENS[Math.floor(n / 10)]);
    if (n % 10) out.push(ONES[n % 10]);
  }
  return out;
}

/** Cardinal in words; four-digit years as pairs ("nineteen ninety", "twenty nineteen"). Digits beyond 10^9 stay. */
export function cardinal(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1e9) return String(n);
  if ((n >= 1100 && n < 2000) || (n >= 2010 && n < 2100)) {
    const lo = n % 100;
    return [
      ...below1000(Math.floor(n / 100)),
      ...(lo === 0 ? ['hundred'] : lo < 10 ? ['oh', ONES[lo]] : below1000(lo)),
    ].join(' ');
  }
  const out: string[] = [];
  if (n >= 1e6) {
    out.push(...below1000(Math.floor(n / 1e6)), 'million');
    n %= 1e6;
  }
  if (n >= 1000) {
    out.push(...below1000(Math.floor(n / 1000)), 'thousand');
    n %= 1000;
  }
  if (n > 0 || out.length === 0) out.push(...below1000(n));
  return out.join(' ');
}

const ORDINAL_LAST: Record<string, string> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};

export function ordinal(n: number): string {
  const ws = cardinal(n).split(' ');
  const last = ws[ws.length - 1];
  ws[ws.length - 1] = ORDINAL_LAST[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  return ws.join(' ');
}

/** Replaces money, clock times, ordinals, decimals and plain numbers in running text by words. */
export function spellNumbers(text: string): string {
  return text
    .replace(/\$(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d\d)?/g, (_, d: string) => `${d} dollars`)
    .replace(/\b(\d{1,2}):(\d\d)\b/g, (_, h: string, m: string) =>
      m === '00' ? cardinal(+h) : `${cardinal(+h)} ${m[0] === '0' ? `oh ${ONES[+m[1]]}` : cardinal(+m)}`,
    )
    .replace(/\b(\d+)(?:st|nd|rd|th)\b/gi, (_, d: string) => ordinal(+d))
    .replace(
      /\b(\d+)\.(\d+)\b/g,
      (_, a: string, b: string) => `${cardinal(+a)} point ${[...b].map((c) => ONES[+c]).join(' ')}`,
    )
    .replace(/\b\d{1,3}(?:,\d{3})+\b|\b\d+\b/g, (d) => cardinal(+d.replace(/,/g, '')));
}
