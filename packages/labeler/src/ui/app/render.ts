import type { Annotation, Box, LabelClass, TrackBox } from './api.js';

export interface View {
  zoom: number;
  panX: number;
  panY: number;
}

export type Selection = { type: 'ann'; index: number } | { type: 'track'; trackId: number } | null;

export interface Scene {
  img: HTMLImageElement | null;
  anns: Annotation[];
  tracks: TrackBox[];
  classes: LabelClass[];
  selected: Selection;
  draft: { kind: 'box'; box: Box } | { kind: 'polygon' | 'keypoints'; points: number[][] } | null;
}

const HANDLE = 5;

/**
 * Draws the frame and every object on one canvas. Boxes of one colour share one path and one stroke call, so
 * thousands of boxes cost a few draw calls, not thousands of DOM nodes.
 */
export function renderScene(ctx: CanvasRenderingContext2D, view: View, s: Scene) {
  const { canvas } = ctx;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#111';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(view.zoom, 0, 0, view.zoom, view.panX, view.panY);
  if (s.img) ctx.drawImage(s.img, 0, 0);
  const width = s.img?.naturalWidth ?? 0;
  const height = s.img?.naturalHeight ?? 0;
  // Everything but the selected object comes from a cached layer, rebuilt only when objects or the zoom level
  // change: panning and dragging one box over thousands of others then costs one image draw, not 5,000 strokes.
  if (width > 0 && s.anns.length + s.tracks.length > 0) {
    // Zoom levels in steps of √2, so wheel zooming rebuilds the layer only now and then.
    const bucket = 2 ** (Math.ceil(Math.log2(Math.max(view.zoom, 0.125)) * 2) / 2);
    const layerScale = Math.min(4096 / Math.max(width, height), bucket);
    const sig = signature(s);
    if (
      !layer ||
      layer.sig !== sig ||
      layer.scale !== layerScale ||
      layer.zoom !== bucket ||
      layer.canvas.width !== Math.ceil(width * layerScale)
    ) {
      const c = layer?.canvas ?? document.createElement('canvas');
      c.width = Math.ceil(width * layerScale);
      c.height = Math.ceil(height * layerScale);
      const lctx = c.getContext('2d')!;
      lctx.setTransform(layerScale, 0, 0, layerScale, 0, 0);
      lctx.clearRect(0, 0, width, height);
      drawObjects(lctx, bucket, s, true);
      layer = { canvas: c, sig, scale: layerScale, zoom: bucket };
    }
    ctx.drawImage(layer.canvas, 0, 0, width, height);
  }
  drawObjects(ctx, view.zoom, s, false);
  const sel = selectedBox(s);
  if (sel) {
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 3 / view.zoom;
    ctx.strokeRect(sel.x, sel.y, sel.w, sel.h);
    ctx.fillStyle = '#ffffff';
    const hs = HANDLE / view.zoom;
    for (const [hx, hy] of corners(sel)) ctx.fillRect(hx - hs, hy - hs, hs * 2, hs * 2);
  }
  if (s.selected?.type === 'ann') {
    const a = s.anns[s.selected.index];
    if (a && (a.kind === 'polygon' || a.kind === 'keypoints')) {
      ctx.fillStyle = '#ffffff';
      const hs = HANDLE / view.zoom;
      for (const pt of a.data.points) ctx.fillRect(pt[0] - hs, pt[1] - hs, hs * 2, hs * 2);
    }
  }
  if (s.draft) {
    ctx.strokeStyle = '#00e676';
    ctx.lineWidth = 2 / view.zoom;
    if (s.draft.kind === 'box') ctx.strokeRect(s.draft.box.x, s.draft.box.y, s.draft.box.w, s.draft.box.h);
    else {
      ctx.beginPath();
      for (const [i, pt] of s.draft.points.entries())
        i === 0 ? ctx.moveTo(pt[0], pt[1]) : ctx.lineTo(pt[0], pt[1]);
      ctx.stroke();
      for (const pt of s.draft.points)
        ctx.fillRect(pt[0] - 2 / view.zoom, pt[1] - 2 / view.zoom, 4 / view.zoom, 4 / view.zoom);
    }
  }
}

export function corners(b: Box): [number, number][] {
  return [
    [b.x, b.y],
    [b.x + b.w, b.y],
    [b.x, b.y + b.h],
    [b.x + b.w, b.y + b.h],
  ];
}

export function selectedBox(s: Scene): Box | null {
  if (!s.selected) return null;
  if (s.selected.type === 'track') {
    const id = s.selected.trackId;
    return s.tracks.find((t) => t.trackId === id)?.box ?? null;
  }
  const a = s.anns[s.selected.index];
  return a?.kind === 'box' ? a.data : null;
}

/** Topmost object under an image-space point: tracks first (drawn last), then annotations, last drawn first. */
export function hitTest(s: Scene, x: number, y: number, tol: number): Selection {
  for (let i = s.tracks.length - 1; i >= 0; i--) {
    const b = s.tracks[i].box;
    if (x >= b.x - tol && x <= b.x + b.w + tol && y >= b.y - tol && y <= b.y + b.h + tol)
      return { type: 'track', trackId: s.tracks[i].trackId };
  }
  for (let i = s.anns.length - 1; i >= 0; i--) {
    const a = s.anns[i];
    if (a.kind === 'box') {
      const b = a.data;
      if (x >= b.x - tol && x <= b.x + b.w + tol && y >= b.y - tol && y <= b.y + b.h + tol)
        return { type: 'ann', index: i };
    } else if (a.kind === 'polygon' || a.kind === 'keypoints') {
      const pts: number[][] = a.data.points;
      if (pts.some((p) => Math.abs(p[0] - x) <= tol * 2 && Math.abs(p[1] - y) <= tol * 2))
        return { type: 'ann', index: i };
      if (a.kind === 'polygon' && insidePolygon(pts, x, y)) return { type: 'ann', index: i };
    }
  }
  return null;
}

function insidePolygon(pts: number[][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i];
    const [xj, yj] = pts[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

let layer: { canvas: HTMLCanvasElement; sig: number; scale: number; zoom: number } | null = null;

const isSelected = (s: Scene, kind: 'ann' | 'track', key: number) =>
  s.selected !== null &&
  s.selected.type === kind &&
  (kind === 'ann'
    ? (s.selected as { index: number }).index === key
    : (s.selected as { trackId: number }).trackId === key);

/** A cheap fingerprint of everything the cached layer shows (all objects but the selected one). */
function signature(s: Scene): number {
  let h = (s.anns.length * 31 + s.tracks.length) | 0;
  const mix = (v: number) => {
    h = (Math.imul(h, 31) + Math.round(v * 8)) | 0;
  };
  s.anns.forEach((a, i) => {
    if (isSelected(s, 'ann', i)) {
      mix(-1);
      return;
    }
    mix(a.label.length + a.label.charCodeAt(0));
    mix(a.status === 'proposal' || a.status === 'review' ? 1 : 0);
    if (a.kind === 'box') {
      mix(a.data.x);
      mix(a.data.y);
      mix(a.data.w);
      mix(a.data.h);
    } else if (a.kind !== 'tag')
      for (const p of a.data.points) {
        mix(p[0]);
        mix(p[1]);
      }
  });
  for (const t of s.tracks) {
    if (isSelected(s, 'track', t.trackId)) {
      mix(-2);
      continue;
    }
    mix(t.trackId);
    mix(t.box.x);
    mix(t.box.y);
    mix(t.box.w);
    mix(t.box.h);
    mix(t.keyframe ? 1 : 0);
    mix(t.status === 'proposal' ? 1 : 0);
    mix(t.source === 'interpolated' ? 1 : 0);
    mix(t.label.length + t.label.charCodeAt(0));
  }
  return h;
}

/** Strokes objects grouped by colour (one path per colour). `others`: all but the selected; else only the selected. */
function drawObjects(ctx: CanvasRenderingContext2D, zoom: number, s: Scene, others: boolean) {
  const colour = new Map(s.classes.map((c) => [c.name, c.color]));
  ctx.lineWidth = 2 / zoom;
  const solid = new Map<string, Path2D>();
  const dashed = new Map<string, Path2D>();
  const path = (m: Map<string, Path2D>, c: string) => {
    let p = m.get(c);
    if (!p) {
      p = new Path2D();
      m.set(c, p);
    }
    return p;
  };
  const texts: [string, number, number][] = [];
  const labels = s.anns.length + s.tracks.length <= 300;
  s.anns.forEach((a, i) => {
    if (isSelected(s, 'ann', i) === others) return;
    const c = colour.get(a.label) ?? '#ffffff';
    const target = a.status === 'proposal' || a.status === 'review' ? dashed : solid;
    if (a.kind === 'box') {
      path(target, c).rect(a.data.x, a.data.y, a.data.w, a.data.h);
      if (labels && a.confidence != null)
        texts.push([`${a.label} ${(a.confidence * 100).toFixed(0)}%`, a.data.x, a.data.y]);
    } else if (a.kind === 'polygon') {
      const p = path(target, c);
      for (const [k, pt] of (a.data.points as number[][]).entries())
        k === 0 ? p.moveTo(pt[0], pt[1]) : p.lineTo(pt[0], pt[1]);
      p.closePath();
    } else if (a.kind === 'keypoints') {
      const p = path(target, c);
      for (const pt of a.data.points) {
        p.moveTo(pt[0] + 3 / zoom, pt[1]);
        p.arc(pt[0], pt[1], 3 / zoom, 0, Math.PI * 2);
      }
    }
  });
  for (const t of s.tracks) {
    if (isSelected(s, 'track', t.trackId) === others) continue;
    const c = colour.get(t.label) ?? '#ffffff';
    path(t.source === 'interpolated' || t.status === 'proposal' ? dashed : solid, c).rect(
      t.box.x,
      t.box.y,
      t.box.w,
      t.box.h,
    );
    if (labels)
      texts.push([
        `#${t.trackId} ${t.label}${t.keyframe ? ' ◆' : ''}${t.occluded ? ' (occl.)' : ''}`,
        t.box.x,
        t.box.y,
      ]);
  }
  for (const [c, p] of solid) {
    ctx.strokeStyle = c;
    ctx.stroke(p);
  }
  ctx.setLineDash([6 / zoom, 4 / zoom]);
  for (const [c, p] of dashed) {
    ctx.strokeStyle = c;
    ctx.stroke(p);
  }
  ctx.setLineDash([]);
  if (texts.length) {
    ctx.font = `${12 / zoom}px sans-serif`;
    ctx.fillStyle = '#fff';
    for (const [t, x, y] of texts) ctx.fillText(t, x, y - 3 / zoom);
  }
}
