/**
 * One simulator thread. Virtual sites are created on demand from the client config (a data shard and seeds)
 * and kept in a small LRU, so 10,000 sites cost nothing until they are sampled.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Executor, Task, TaskReply } from '../core/contracts.js';
import { createExecutor } from '../learners/index.js';

export interface WorkerInit {
  clientConfig: unknown;
  cacheSize: number;
}
export type ToWorker = { id: number; site: string; task: Task };
export type FromWorker = { id: number; reply: Omit<TaskReply, 'site'> };

const init = workerData as WorkerInit;
const executors = new Map<string, Executor>();

function executorFor(site: string): Executor {
  let ex = executors.get(site);
  if (ex) {
    executors.delete(site); // re-insert: Map order is the LRU order
  } else {
    ex = createExecutor(init.clientConfig, site);
  }
  executors.set(site, ex);
  while (executors.size > init.cacheSize) executors.delete(executors.keys().next().value as string);
  return ex;
}

let chain: Promise<void> = Promise.resolve();
const never = new AbortController().signal;

parentPort?.on('message', (msg: ToWorker) => {
  chain = chain.then(async () => {
    let reply: Omit<TaskReply, 'site'>;
    try {
      reply = await executorFor(msg.site).execute(msg.task, { site: msg.site, signal: never });
    } catch (e) {
      reply = { status: 'error', error: e instanceof Error ? e.message : String(e) };
    }
    // Hand over buffers the reply owns outright; a view into a larger buffer is copied instead.
    const transfer = new Set<ArrayBuffer>();
    for (const t of Object.values(reply.weights ?? {})) {
      if (t.data.byteOffset === 0 && t.data.byteLength === t.data.buffer.byteLength)
        transfer.add(t.data.buffer as ArrayBuffer);
    }
    parentPort?.postMessage({ id: msg.id, reply } satisfies FromWorker, [...transfer]);
  });
});
