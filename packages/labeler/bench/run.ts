/**
 * `npm run bench -w packages/labeler`: the tracker benchmarks (bench/tracker*.ts, by the tracking engine), the
 * COCO detector's throughput, UI latency and canvas frame rate in Chromium, and streaming export of one million
 * boxes. Prints markdown tables for the README.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserBench } from './browser-bench.js';
import { detectorBench } from './detector-bench.js';
import { exportBench } from './export-bench.js';
import { machine } from './machine.js';

const only = process.argv[2];
const here = dirname(fileURLToPath(import.meta.url));
console.log(`# labeler benchmarks\n\nMachine: ${machine()}\n`);

if (!only || only === 'tracker') {
  for (const f of readdirSync(here)
    .filter((n) => /^tracker.*\.ts$/.test(n))
    .sort()) {
    console.log(`## ${f}\n`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', `${here}/${f}`], {
      stdio: 'inherit',
      cwd: dirname(here),
    });
    if (r.status !== 0) console.log(`(${f} exited with ${r.status})`);
  }
}
if (!only || only === 'detector') {
  console.log('## COCO detector (@vladmandic/human CenterNet, tfjs wasm backend, one worker thread)\n');
  const d = await detectorBench();
  console.log(
    `| input | frames/s | first call (load + warm-up) |\n|---|---|---|\n| ${d.width}×${d.height} | ${d.fps.toFixed(2)} | ${d.loadWarm.toFixed(1)} s |\n`,
  );
}
if (!only || only === 'browser') {
  console.log('## Browser (headless Chromium, software rendering, sample video 640×360)\n');
  const b = await browserBench();
  console.log(
    `| measure | median | p95 |\n|---|---|---|\n| frame step (next frame, objects + image shown) | ${b.stepMedian.toFixed(1)} ms | ${b.stepP95.toFixed(1)} ms |\n| seek (random frame) | ${b.seekMedian.toFixed(1)} ms | ${b.seekP95.toFixed(1)} ms |\n| draw 5,000 boxes (one canvas redraw) | ${b.renderMsMedian.toFixed(1)} ms | |\n| frame rate while panning with 5,000 boxes | ${b.fps5000.toFixed(0)} fps (aim 60) | |\n| same loop, image only (this browser's ceiling) | ${b.fpsEmpty.toFixed(0)} fps | |\n| ratio 5,000 boxes / ceiling | ${(b.fps5000 / b.fpsEmpty).toFixed(2)} | |\n`,
  );
}
if (!only || only === 'export') {
  console.log('## Export of one million boxes (SQLite, streamed to a file)\n');
  const rows = await exportBench(Number(process.env.BENCH_BOXES ?? 1_000_000));
  console.log(
    '\n| format | boxes | seconds | peak RSS MB | × scan floor | output |\n|---|---|---|---|---|---|',
  );
  for (const r of rows) console.log(r);
  console.log('\nAim: under 60 s and under 500 MB.');
}
