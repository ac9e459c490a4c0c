/** An SVG bar chart of counts (bit strings on the x axis, probability on the y axis). */
export function histogramSvg(counts: Map<string, number>, title: string, limit = 64): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0) || 1;
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const barW = Math.max(8, Math.min(48, Math.floor(720 / Math.max(1, top.length))));
  const plotH = 260,
    left = 56,
    bottom = 90,
    topPad = 40;
  const width = Math.max(520, left + top.length * barW + 24);
  const height = topPad + plotH + bottom;
  const maxP = Math.max(...top.map(([, c]) => c / total), 1e-9);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="monospace" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="22" font-size="14">${esc(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const p = (maxP * i) / 4;
    const y = topPad + plotH - (p / maxP) * plotH;
    parts.push(`<line x1="${left}" x2="${width - 16}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end">${p.toFixed(3)}</text>`);
  }
  top.forEach(([bits, c], i) => {
    const h = (c / total / maxP) * plotH;
    const x = left + i * barW;
    parts.push(
      `<rect x="${x + 1}" y="${topPad + plotH - h}" width="${barW - 2}" height="${h}" fill="#4a7bd0"><title>${bits}: ${c}</title></rect>`,
    );
    parts.push(
      `<text transform="translate(${x + barW / 2 + 4},${topPad + plotH + 8}) rotate(90)">${esc(bits)}</text>`,
    );
  });
  parts.push(
    `<text x="${left}" y="${height - 8}">${total} shots, ${counts.size} outcomes${counts.size > top.length ? ` (top ${top.length} shown)` : ''}; bit strings list qubit 0 first</text>`,
    '</svg>',
  );
  return parts.join('\n');
}
