/** Headless Chromium from Debian for the browser tests, and the editor helpers they share. */
import type { Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Page coordinates of an image point on the editor's canvas (its zoom and pan applied). */
export async function canvasPoint(page: Page, x: number, y: number): Promise<[number, number]> {
  return page.evaluate(
    ([ix, iy]) => {
      const ed = (window as any).__labeler;
      const r = document.getElementById('frame-canvas')!.getBoundingClientRect();
      return [r.left + ed.view.panX + ix * ed.view.zoom, r.top + ed.view.panY + iy * ed.view.zoom] as [
        number,
        number,
      ];
    },
    [x, y],
  );
}

/** Waits until the editor's status line matches, or fails saying what it shows. */
export async function waitStatus(page: Page, re: RegExp) {
  try {
    await page.waitForFunction(
      (src) => new RegExp(src).test(document.getElementById('status')?.textContent ?? ''),
      re.source,
      { timeout: 60_000 },
    );
  } catch (e) {
    // say what the page showed instead, so a timeout points at the step that stalled
    const shown = await page.textContent('#status').catch(() => '(no status element)');
    throw new Error(`status never matched ${re}; it shows "${shown}"`, { cause: e });
  }
}

/** Drags a box on the editor's canvas from image point `from` to `to`. */
export async function drawBox(page: Page, from: [number, number], to: [number, number], steps = 5) {
  const [ax, ay] = await canvasPoint(page, ...from);
  const [bx, by] = await canvasPoint(page, ...to);
  await page.mouse.move(ax, ay);
  await page.mouse.down();
  await page.mouse.move(bx, by, { steps });
  await page.mouse.up();
}

/** Signs in on the page the app shows at `url` (an editor link) and waits for the editor's frame. */
export async function signInToEditor(page: Page, url: string, username: string, password: string) {
  await page.goto(url);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => (window as any).__labeler?.scene?.img);
}
