import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createWorker } from 'tesseract.js';
import { clampBox, crop, encodePng, type RgbaImage } from '../image/image.js';
import { type Region, regionFor, type Tool, type ToolInput, type ToolOutput } from './tool.js';

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

/** [page segmentation mode, thresholding method, inverted grey image?] */
const PASSES: Array<[string, string, boolean]> = [
  ['11', '1', false],
  ['11', '1', true],
  ['3', '1', false],
  ['3', '1', true],
  ['11', '2', false],
];

function invertGray(img: RgbaImage): RgbaImage {
  const d = new Uint8Array(img.data.length);
  for (let i = 0; i < d.length; i += 4) {
    const v = 255 - (0.299 * img.data[i] + 0.587 * img.data[i + 1] + 0.114 * img.data[i + 2]);
    d[i] = v;
    d[i + 1] = v;
    d[i + 2] = v;
    d[i + 3] = 255;
  }
  return { width: img.width, height: img.height, data: d };
}

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
    if (!worker)
      worker = createWorker('eng', 1, {
        langPath: englishDataDir(),
        cacheMethod: 'none',
        gzip: true,
        logger: () => {},
        errorHandler: () => {},
      });
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
        ? clampBox(
            {
              x: region.x - pad,
              y: region.y - pad,
              width: region.width + 2 * pad,
              height: region.height + 2 * pad,
            },
            input.image,
          )
        : region;
      const sub = input.query.trim() ? crop(input.image, box) : input.image;
      const w = await getWorker();
      // Sparse-text segmentation with Leptonica's adaptive Otsu, on the colour image and on its inverted
      // grey version (light text on dark boards), keeping the pass that reads more confident characters;
      // full-page segmentation and Sauvola thresholding are fallbacks when both read nothing.
      const inverted = invertGray(sub);
      let words: OcrWord[] = [];
      let best = 0;
      for (const [i, [psm, method, inv]] of PASSES.entries()) {
        if (i >= 2 && best > 0) break;
        await w.setParameters({
          tessedit_pageseg_mode: psm,
          thresholding_method: method,
          user_defined_dpi: '200',
        } as never);
        const r = await w.recognize(encodePng(inv ? inverted : sub), {}, { blocks: true });
        const found = collectWords(
          r.data as unknown as {
            blocks: Array<{ paragraphs: Array<{ lines: Array<{ words: OcrWord[] }> }> }> | null;
          },
        );
        const score = found
          .filter((x) => x.confidence >= minConf)
          .reduce((n, x) => n + (x.text.match(/[A-Za-z0-9]/g)?.length ?? 0), 0);
        if (score > best) {
          best = score;
          words = found;
        }
      }
      const good = words.filter((x) => x.confidence >= minConf && /[A-Za-z0-9]/.test(x.text));
      // A lone character with middling confidence is nearly always an edge (a post, a frame) read as "1" or "I".
      const lines = groupLines(good).filter(
        (l) => (l.text.match(/[A-Za-z0-9]/g)?.length ?? 0) > 1 || l.conf >= 90,
      );
      const regions: Region[] = lines.map((l, i) => ({
        id: `text:${i + 1}`,
        label: l.text,
        score: Math.round(l.conf) / 100,
        box: { x: l.box.x + box.x, y: l.box.y + box.y, width: l.box.width, height: l.box.height },
      }));
      return {
        text: lines.length
          ? lines.map((l) => `${l.text} (confidence ${Math.round(l.conf)})`).join('\n')
          : 'no legible text',
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

function collectWords(data: {
  blocks: Array<{ paragraphs: Array<{ lines: Array<{ words: OcrWord[] }> }> }> | null;
}): OcrWord[] {
  const out: OcrWord[] = [];
  for (const b of data.blocks ?? [])
    for (const p of b.paragraphs) for (const l of p.lines) for (const w of l.words) out.push(w);
  return out;
}

/** Groups words into lines by vertical overlap, left to right. */
function groupLines(
  words: OcrWord[],
): Array<{ text: string; conf: number; box: { x: number; y: number; width: number; height: number } }> {
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
