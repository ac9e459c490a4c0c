import { crop, fitWithin, type RgbaImage, toPngDataUrl } from '../image/image.js';
import type { SeekTrace, TraceStep } from './trace.js';

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const VERDICT_COLOR: Record<string, string> = {
  informative: '#2e7d32',
  uninformative: '#9e9e9e',
  final: '#1565c0',
  error: '#c62828',
};

/** The graph drawn as SVG: states on a circle, every allowed transition grey, the run's path coloured and numbered. */
function graphSvg(trace: SeekTrace): string {
  const states = Object.keys(trace.graph.states);
  const W = 520;
  const H = 360;
  const R = 130;
  const pos = new Map(
    states.map((s, i) => {
      const a = (2 * Math.PI * i) / states.length - Math.PI / 2;
      return [s, { x: W / 2 + R * Math.cos(a), y: H / 2 + R * Math.sin(a) }];
    }),
  );
  const edges: string[] = [];
  for (const [s, def] of Object.entries(trace.graph.states)) {
    for (const t of new Set(Object.values(def.actions))) {
      if (t === s) continue;
      const a = pos.get(s)!;
      const b = pos.get(t)!;
      edges.push(
        `<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke="#ddd" stroke-width="2" marker-end="url(#arrow)"/>`,
      );
    }
  }
  const path: string[] = [];
  for (const st of trace.steps) {
    if (st.nextState === st.state) continue;
    const a = pos.get(st.state)!;
    const b = pos.get(st.nextState)!;
    const color = st.kind === 'backtrack' ? '#ef6c00' : '#2e7d32';
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    path.push(
      `<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke="${color}" stroke-width="4" ${st.kind === 'backtrack' ? 'stroke-dasharray="8 5"' : ''} marker-end="url(#arrowc)"/>`,
      `<circle cx="${mx}" cy="${my}" r="11" fill="#fff" stroke="${color}"/><text x="${mx}" y="${my + 4}" text-anchor="middle" font-size="11">${st.step}</text>`,
    );
  }
  const visited = new Set(trace.steps.map((s) => s.state));
  const nodes = states.map((s) => {
    const p = pos.get(s)!;
    const on = visited.has(s);
    return `<g><circle cx="${p.x}" cy="${p.y}" r="34" fill="${on ? '#e3f2fd' : '#fafafa'}" stroke="${s === trace.graph.start ? '#1565c0' : '#999'}" stroke-width="${s === trace.graph.start ? 3 : 1.5}"/><text x="${p.x}" y="${p.y + 4}" text-anchor="middle" font-size="12">${esc(s)}</text></g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><title>path through the transition graph</title>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="34" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="#ccc"/></marker>
<marker id="arrowc" viewBox="0 0 10 10" refX="16" refY="5" markerWidth="5" markerHeight="5" orient="auto"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>
${edges.join('\n')}${path.join('\n')}${nodes.join('\n')}</svg>`;
}

function cropsFor(step: TraceStep, image: RgbaImage | undefined): string {
  if (!image || !step.output?.regions?.length) return '';
  return `<div class="crops">${step.output.regions
    .slice(0, 8)
    .map((r) => {
      const c = fitWithin(crop(image, r.box), 120);
      return `<figure><img src="${toPngDataUrl(c)}" alt="${esc(r.label)}"><figcaption>${esc(r.id)} ${esc(r.label)} ${r.score}</figcaption></figure>`;
    })
    .join('')}</div>`;
}

/** A standalone HTML page for one run: the path through the graph, then every step with its crops and output. */
export function renderTraceHtml(trace: SeekTrace, image?: RgbaImage): string {
  const steps = trace.steps
    .map((s) => {
      const chips = s.allowed
        .map(
          (a) =>
            `<span class="chip${a === s.action ? ' on' : ''}${s.taken.some((k) => k.startsWith(`${a}(`)) ? ' used' : ''}">${esc(a)}</span>`,
        )
        .join(' ');
      const verdict = s.verdict
        ? `<span class="verdict" style="background:${VERDICT_COLOR[s.verdict]}">${esc(s.verdict)}</span>`
        : '';
      const head =
        s.kind === 'action'
          ? `<b>${esc(s.action)}</b>(<code>${esc(JSON.stringify(s.query))}</code>) ${verdict}`
          : `<b>${esc(s.kind)}</b>`;
      return `<section class="step"><h3>Step ${s.step} · state <i>${esc(s.state)}</i> → <i>${esc(s.nextState)}</i></h3>
<div>allowed: ${chips}</div>
<div class="act">${head} <span class="ms">${s.ms.planner + s.ms.tool + s.ms.reasoner} ms</span></div>
${s.reason ? `<div class="why">planner: ${esc(s.reason)}</div>` : ''}
${cropsFor(s, image)}
${s.output ? `<pre>${esc(s.output.text.slice(0, 1500))}</pre>` : ''}
${s.toolError ? `<pre class="err">${esc(s.toolError)}</pre>` : ''}
${s.summary ? `<div class="sum">reasoner: ${esc(s.summary)}${s.answer ? ` → <b>${esc(s.answer)}</b>` : ''}</div>` : ''}
${s.note ? `<div class="note">${esc(s.note)}</div>` : ''}</section>`;
    })
    .join('\n');
  const thumb = image
    ? `<img class="main" src="${toPngDataUrl(fitWithin(image, 360))}" alt="question input">`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>visual-seeker trace: ${esc(trace.question)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:1100px;color:#222}header{display:flex;gap:24px;align-items:flex-start}
.main{border:1px solid #ccc;max-width:360px}.step{border:1px solid #ddd;border-radius:8px;padding:10px 14px;margin:12px 0}
.chip{display:inline-block;padding:1px 8px;border-radius:10px;background:#eee;font-size:12px}.chip.on{background:#1565c0;color:#fff}.chip.used{text-decoration:line-through}
.verdict{color:#fff;padding:1px 8px;border-radius:10px;font-size:12px}pre{background:#f7f7f7;padding:8px;white-space:pre-wrap;max-height:220px;overflow:auto}
.err{color:#c62828}.why,.sum,.note{margin:4px 0}.note{color:#ef6c00}.ms{color:#888;font-size:12px}.crops{display:flex;gap:8px;flex-wrap:wrap}
figure{margin:0;font-size:11px;text-align:center}figure img{display:block;border:1px solid #ccc;max-height:120px}.answer{font-size:20px}</style></head><body>
<h1>${esc(trace.question)}</h1>
<header>${thumb}<div><p class="answer">Answer: <b>${esc(trace.result.answer ?? '(none)')}</b> · confidence ${trace.result.confidence.toFixed(2)} · stop: ${esc(trace.result.stopReason)}</p>
<p>planner ${esc(trace.planner)} · reasoner ${esc(trace.reasoner)} · ${trace.steps.length} steps · ${trace.durationMs} ms</p>
<p>Evidence:</p><ul>${trace.result.evidence.map((e) => `<li>step ${e.step} ${esc(e.action)}(${esc(JSON.stringify(e.query))}): ${esc(e.summary)}</li>`).join('')}</ul></div></header>
<h2>Path through the transition graph</h2>${graphSvg(trace)}
<p style="font-size:12px;color:#666">green: informative move · orange dashed: backtrack · numbers: step · blue ring: start state</p>
<h2>Steps</h2>${steps}</body></html>`;
}
