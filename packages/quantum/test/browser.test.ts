import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const NODE_ONLY = ['node', 'cli'];

test('the core imports nothing from Node: every src file outside src/node and src/cli is free of node: modules', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? NODE_ONLY.includes(e.name) && dir === 'src'
          ? []
          : walk(join(dir, e.name))
        : [join(dir, e.name)],
    );
  const files = walk('src').filter((f) => f.endsWith('.ts') && f !== join('src', 'index.ts'));
  assert.ok(files.length > 10);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    assert.ok(!/from '(node:|os|fs|worker_threads|path)'/.test(text), `${f} imports a Node module`);
    assert.ok(!/\bprocess\./.test(text), `${f} uses process`);
  }
});

test('the core bundles for the browser and samples a Bell pair in headless Chromium', async () => {
  const bundle = await build({
    entryPoints: ['src/core.ts'],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'TQ',
    write: false,
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0].text;
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
  try {
    const page = await browser.newPage();
    await page.addScriptTag({ content: code });
    const result = await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the bundle's global
      const TQ = (globalThis as any).TQ;
      const [k, theta] = TQ.makeKernel('number');
      const q = k.qalloc(2);
      k.h(q[0]);
      k.cx(q[0], q[1]);
      k.ry(theta, q[1]);
      const counts = TQ.sample(k, 0, { shots: 400, seed: 5 }).toJSON();
      const e = TQ.observe(k, TQ.spin.z(0).mul(TQ.spin.z(1)), 0).expectation();
      return { counts, e };
    });
    assert.deepEqual(Object.keys(result.counts).sort(), ['00', '11']);
    assert.ok(Math.abs(result.e - 1) < 1e-12);
  } finally {
    await browser.close();
  }
});
