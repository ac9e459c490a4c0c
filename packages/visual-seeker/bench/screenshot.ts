/** Renders bench/out/example-trace.html (or the HTML file given) in headless Chromium and saves docs/trace-example.{html,png}. */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(import.meta.dirname, '..');
const html = process.argv[2] ?? join(root, 'bench', 'out', 'example-trace.html');
await mkdir(join(root, 'docs'), { recursive: true });
await copyFile(html, join(root, 'docs', 'trace-example.html'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const page = await browser.newPage({ viewport: { width: 1150, height: 900 } });
await page.goto(pathToFileURL(html).href);
await page.screenshot({ path: join(root, 'docs', 'trace-example.png'), fullPage: true });
await browser.close();
console.log('docs/trace-example.png written');
