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
  chain = chain
    .then(async () => {
      let reply: Omit<TaskReply, 'site'>;
      try {
        reply = await executorFor(msg.site).execute(msg.task, { site: msg.site, signal: never });
      } catch (e) {
        reply = { status: 'error', error: e instanceof Error ? e.message : String(e) };
      }
      // Copied, not transferred: the executor keeps its last local model for cross-site evaluation, and a
      // transferred buffer would be detached under it.
      try {
        parentPort?.postMessage({ id: msg.id, reply } satisfies FromWorker);
      } catch (e) {
        parentPort?.postMessage({
          id: msg.id,
          reply: { status: 'error', error: `reply could not be sent: ${(e as Error).message}` },
        } satisfies FromWorker);
      }
    })
    .catch(() => undefined); // one task's failure must never stall the tasks queued behind it
});
