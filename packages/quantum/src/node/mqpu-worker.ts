import { parentPort } from 'node:worker_threads';
import { runJob } from '../exec/jobs.js';
import type { EngineOptions } from '../sim/engine.js';
import type { AsyncJob } from '../targets/registry.js';

/** One virtual QPU: runs whole jobs with the single-threaded core engine. */
parentPort?.on('message', (msg: { id: number; job: AsyncJob; engine: EngineOptions }) => {
  try {
    parentPort?.postMessage({ id: msg.id, result: runJob(msg.job, { ...msg.engine, threads: false }) });
  } catch (e) {
    parentPort?.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
