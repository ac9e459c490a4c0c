export interface Series {
  name: string;
  color: string;
  points: [number, number][];
}

/**
 * A line chart as standalone SVG: axes with ticks, one polyline per series, a legend. `legendRight` reserves
 * that many pixels right of the plot for the legend (for scatter plots whose points would sit under it).
 */
export function lineChartSvg(
  title: string,
  xLabel: string,
  yLabel: string,
  series: Series[],
  width = 720,
  height = 420,
  legendRight = 0,
): string {
  const all = series.flatMap((s) => s.points);
  const finite = all.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = finite.map((p) => p[0]);
  const ys = finite.map((p) => p[1]);
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = xs.length ? Math.max(...xs) : 1;
  const y0 = Math.min(0, ...(ys.length ? ys : [0]));
  const y1 = ys.length ? Math.max(...ys) : 1;
  const m = { l: 64, r: 16 + legendRight, t: 36, b: 48 };
  const W = width - m.l - m.r;
  const H = height - m.t - m.b;
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * W;
  const sy = (y: number) => m.t + H - ((y - y0) / (y1 - y0 || 1)) * H;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>`,
    `<line x1="${m.l}" y1="${m.t + H}" x2="${m.l + W}" y2="${m.t + H}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${m.t + H}" stroke="black"/>`,
    `<text x="${m.l + W / 2}" y="${height - 10}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="16" y="${m.t + H / 2}" text-anchor="middle" transform="rotate(-90 16 ${m.t + H / 2})">${esc(yLabel)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const xv = x0 + ((x1 - x0) * i) / 5;
    const yv = y0 + ((y1 - y0) * i) / 5;
    parts.push(`<text x="${sx(xv)}" y="${m.t + H + 16}" text-anchor="middle">${fmt(xv)}</text>`);
    parts.push(`<text x="${m.l - 6}" y="${sy(yv) + 4}" text-anchor="end">${fmt(yv)}</text>`);
    parts.push(`<line x1="${m.l}" y1="${sy(yv)}" x2="${m.l + W}" y2="${sy(yv)}" stroke="#eee"/>`);
  }
  series.forEach((s, k) => {
    const pts = s.points
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
      .map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    if (pts.length > 1)
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts.join(' ')}"/>`);
    if (pts.length < 4)
      for (const p of pts)
        parts.push(`<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="5" fill="${s.color}"/>`);
    const lx = legendRight > 0 ? m.l + W + 16 : m.l + W - 170;
    parts.push(`<rect x="${lx}" y="${m.t + 8 + k * 18}" width="12" height="3" fill="${s.color}"/>`);
    parts.push(`<text x="${lx + 18}" y="${m.t + 13 + k * 18}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function fmt(v: number): string {
  if (Math.abs(v) >= 1000) return `${(v / 1000).toFixed(1)}k`;
  if (Math.abs(v) >= 10) return v.toFixed(0);
  return v.toFixed(2);
}
