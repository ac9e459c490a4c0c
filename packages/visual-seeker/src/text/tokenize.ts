const STOP = new Set(
  'a an the of in on at to for is are was were be been this that these those what which who whom whose where when how why do does did it its with from by as and or not there here than then into about can could would should will shall may might has have had i you he she they we me my your our their his her them us'.split(
    ' ',
  ),
);

/** Lower-case word tokens without stop words: the unit of retrieval everywhere in the package. */
export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .match(/[a-z0-9]+/g) ?? []
  ).filter((w) => !STOP.has(w));
}

export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
