import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createWorker } from 'tesseract.js';
import { clampBox, crop, encodePng } from '../image/image.js';
import { type Region, type Tool, type ToolInput, type ToolOutput, regionFor } from './tool.js';

type Worker = Awaited<ReturnType<typeof createWorker>>;

/** Folder holding eng.traineddata.gz from @tesseract.js-data/eng (LSTM "best_int" model): no download. */
export function englishDataDir(): string {
  const require = createRequire(import.meta.url);
  const eng = require('@tesseract.js-data/eng') as { langPath: string };
  return join(eng.langPath, '..', '4.0.0_best_int');
}

export interface OcrOptions {
  /** Words below this Tesseract confidence (0..100) are dropped. */
  minConfidence?: number;
}

const PASSES: Array<[string, string]> = [
  ['11', '1'],
  ['3', '1'],
  ['11', '2'],
  ['3', '0'],
];

interface OcrWord {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

/** ocr: Tesseract (tesseract.js, LSTM, English) on the image or a region; returns lines of confident words. */
export function ocrTool(options: OcrOptions = {}): Tool & { worker(): Promise<Worker> } {
  const minConf = options.minConfidence ?? 60;
  let worker: Promise<Worker> | null = null;
  const getWorker = () => {
    if (!worker) worker = createWorker('eng', 1, { langPath: englishDataDir(), cacheMethod: 'none', gzip: true, logger: () => {}, errorHandler: () => {} });
    return worker;
  };
  return {
    name: 'ocr',
    description: 'read printed text (English) in the image or a region; query = "" or a region id',
    worker: getWorker,
    async run(input: ToolInput): Promise<ToolOutput> {
      const region = regionFor(input.query, input.regions, input.image).box;
      // Tesseract needs a margin around text: pad region crops by a third of their height.
      const pad = Math.max(8, Math.round(region.height / 3));
      const box = input.query.trim()
        ? clampBox({ x: region.x - pad, y: region.y - pad, width: region.width + 2 * pad, height: region.height + 2 * pad }, input.image)
        : region;
      const sub = input.query.trim() ? crop(input.image, box) : input.image;
      const w = await getWorker();
      // Sparse-text segmentation with Leptonica's adaptive Otsu first: a single global threshold loses
      // dark text on bright boards in photos, and Sauvola loses light text on dark boards. The other
      // combinations are fallbacks when a pass finds no confident word.
      let words: OcrWord[] = [];
      for (const [psm, method] of PASSES) {
        await w.setParameters({ tessedit_pageseg_mode: psm, thresholding_method: method, user_defined_dpi: '200' } as never);
        const r = await w.recognize(encodePng(sub), {}, { blocks: true });
        words = collectWords(r.data as unknown as { blocks: Array<{ paragraphs: Array<{ lines: Array<{ words: OcrWord[] }> }> }> | null });
        if (words.some((x) => x.confidence >= minConf)) break;
      }
      const good = words.filter((x) => x.confidence >= minConf && /[A-Za-z0-9]/.test(x.text));
      const lines = groupLines(good);
      const regions: Region[] = lines.map((l, i) => ({ id: `text:${i + 1}`, label: l.text, score: Math.round(l.conf) / 100, box: { x: l.box.x + box.x, y: l.box.y + box.y, width: l.box.width, height: l.box.height } }));
      return {
        text: lines.length ? lines.map((l) => `${l.text} (confidence ${Math.round(l.conf)})`).join('\n') : 'no legible text',
        entities: lines.map((l) => l.text),
        regions,
        details: { words: words.map((x) => ({ text: x.text, confidence: Math.round(x.confidence) })) },
      };
    },
    async close() {
      if (worker) {
        const w = await worker;
        worker = null;
        await w.terminate();
      }
    },
  };
}

function collectWords(data: { blocks: Array<{ paragraphs: Array<{ lines: Array<{ words: OcrWord[] }> }> }> | null }): OcrWord[] {
  const out: OcrWord[] = [];
  for (const b of data.blocks ?? []) for (const p of b.paragraphs) for (const l of p.lines) for (const w of l.words) out.push(w);
  return out;
}

/** Groups words into lines by vertical overlap, left to right. */
function groupLines(words: OcrWord[]): Array<{ text: string; conf: number; box: { x: number; y: number; width: number; height: number } }> {
  const sorted = [...words].sort((a, b) => a.bbox.y0 - b.bbox.y0 || a.bbox.x0 - b.bbox.x0);
  const lines: OcrWord[][] = [];
  for (const w of sorted) {
    const mid = (w.bbox.y0 + w.bbox.y1) / 2;
    const line = lines.find((l) => mid >= l[0].bbox.y0 && mid <= l[0].bbox.y1);
    if (line) line.push(w);
    else lines.push([w]);
  }
  return lines.map((l) => {
    l.sort((a, b) => a.bbox.x0 - b.bbox.x0);
    const x0 = Math.min(...l.map((w) => w.bbox.x0));
    const y0 = Math.min(...l.map((w) => w.bbox.y0));
    const x1 = Math.max(...l.map((w) => w.bbox.x1));
    const y1 = Math.max(...l.map((w) => w.bbox.y1));
    return {
      text: l.map((w) => w.text).join(' '),
      conf: l.reduce((s, w) => s + w.confidence, 0) / l.length,
      box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 },
    };
  });
}
