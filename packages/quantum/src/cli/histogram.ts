/** Terminal histogram of counts: one bar per outcome, the largest `limit` outcomes, in bit-string order. */
export function histogram(
  counts: Map<string, number>,
  opts: { width?: number; limit?: number } = {},
): string {
  const width = opts.width ?? 40;
  const limit = opts.limit ?? 32;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const max = Math.max(1, ...top.map(([, c]) => c));
  const keyW = Math.max(...top.map(([k]) => k.length), 4);
  const countW = String(max).length;
  const lines = top.map(([k, c]) => {
    const exact = (c / max) * width;
    const full = Math.floor(exact);
    const frac = ' ▏▎▍▌▋▊▉'[Math.floor((exact - full) * 8)];
    const bar = '█'.repeat(full) + (full < width ? frac.trim() : '');
    return `${k.padStart(keyW)} │${bar.padEnd(width + 1)} ${String(c).padStart(countW)}  ${((100 * c) / total).toFixed(1).padStart(5)}%`;
  });
  if (counts.size > top.length)
    lines.push(`${''.padStart(keyW)}   … ${counts.size - top.length} more outcomes`);
  return lines.join('\n');
}
