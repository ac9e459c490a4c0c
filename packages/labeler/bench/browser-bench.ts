/**
 * In headless Chromium against the real server and the sample video: frame step latency (next frame: objects +
 * image), seek latency (random frame), and canvas frame rate with 5,000 boxes on one frame while panning.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../src/server.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/browser.js';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export async function browserBench() {
  const dir = mkdtempSync(join(tmpdir(), 'labeler-bench-ui-'));
  const srv = await startServer({ dataDir: dir, port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const admin = srv.credentials.find((c) => c.role === 'admin')!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // tsx compiles this file with keepNames; the helper it references must exist in the page too.
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(srv.url);
    await page.fill('input[name=username]', admin.username);
    await page.fill('input[name=password]', admin.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('a.project-link');
    await page.click('a.project-link');
    await page.click('a.media-link');
    await page.waitForFunction(() => (window as any).__labeler?.scene?.img);
    const r = await page.evaluate(async () => {
      const ed = (window as any).__labeler;
      const n = ed.media.frameCount as number;
      const step: number[] = [];
      for (let i = 1; i < Math.min(n, 80); i++) {
        const t0 = performance.now();
        await ed.goto(i);
        await new Promise((ok) => requestAnimationFrame(ok));
        step.push(performance.now() - t0);
      }
      const seek: number[] = [];
      let s = 12345;
      for (let i = 0; i < 40; i++) {
        s = (s * 1103515245 + 12345) % 2147483648;
        const f = s % n;
        const t0 = performance.now();
        await ed.goto(f);
        await new Promise((ok) => requestAnimationFrame(ok));
        seek.push(performance.now() - t0);
      }
      const pan = async (anns: unknown[]) => {
        ed.scene.anns = anns;
        const renders0 = ed.perf.renders;
        const renderMs: number[] = [];
        const t0 = performance.now();
        await new Promise<void>((done) => {
          const tick = () => {
            ed.view.panX += 0.5;
            ed.requestDraw();
            renderMs.push(ed.perf.lastRenderMs);
            if (performance.now() - t0 < 3000) requestAnimationFrame(tick);
            else done();
          };
          requestAnimationFrame(tick);
        });
        // A synchronous pixel read forces the rasteriser to finish, so the work is really done.
        document.querySelector('canvas')!.getContext('2d')!.getImageData(0, 0, 1, 1);
        return { fps: (ed.perf.renders - renders0) / ((performance.now() - t0) / 1000), renderMs };
      };
      const empty = await pan([]);
      // 5,000 boxes on one frame (local only), then pan for 3 s redrawing every animation frame.
      const boxes = [];
      for (let i = 0; i < 5000; i++) {
        boxes.push({
          kind: 'box',
          label: ed.project.labelSchema.classes[i % ed.project.labelSchema.classes.length].name,
          data: { x: (i * 37) % 600, y: (i * 53) % 330, w: 20 + (i % 17), h: 15 + (i % 11) },
          attributes: {},
        });
      }
      const full = await pan(boxes);
      return { step, seek, fps: full.fps, fpsEmpty: empty.fps, renderMs: full.renderMs };
    });
    return {
      stepMedian: pct(r.step, 50),
      stepP95: pct(r.step, 95),
      seekMedian: pct(r.seek, 50),
      seekP95: pct(r.seek, 95),
      fps5000: r.fps,
      fpsEmpty: r.fpsEmpty,
      renderMsMedian: pct(
        r.renderMs.filter((x: number) => x > 0),
        50,
      ),
    };
  } finally {
    await browser.close();
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
