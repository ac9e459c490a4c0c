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

test('the core bundles for the browser and samples a Bell pair and a 12-qubit GHZ state (SIMD kernels on a non-shared WebAssembly memory) in headless Chromium', async () => {
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
      // 12 qubits: the state lives in WebAssembly memory, not shared (no cross-origin isolation, no threads)
      const [g] = TQ.makeKernel();
      const r = g.qalloc(12);
      g.h(r[0]);
      for (let i = 0; i < 11; i++) g.cx(r[i], r[i + 1]);
      const ghz = TQ.sample(g, { shots: 200, seed: 1 }).toJSON();
      const top = TQ.getState(g).amplitude('1'.repeat(12));
      return { counts, e, ghz, top, sab: typeof SharedArrayBuffer };
    });
    assert.deepEqual(Object.keys(result.counts).sort(), ['00', '11']);
    assert.ok(Math.abs(result.e - 1) < 1e-12);
    assert.deepEqual(Object.keys(result.ghz).sort(), ['0'.repeat(12), '1'.repeat(12)]);
    assert.ok(Math.abs(result.top.re - Math.SQRT1_2) < 1e-12 && result.top.im === 0);
  } finally {
    await browser.close();
  }
});
