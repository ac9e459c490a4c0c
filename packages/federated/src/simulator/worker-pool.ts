/**
 * A Communicator whose sites are virtual clients run on T worker threads. Each worker takes one task at a
 * time; queued tasks of a round that has already finished are dropped, not run. A worker that crashes fails
 * its task with an error reply and is replaced.
 */
import { Worker } from 'node:worker_threads';
import type { BroadcastOptions, Communicator, Task, TaskReply } from '../core/contracts.js';
import { gather } from './gather.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker.js';

interface Job {
  id: number;
  site: string;
  task: Task;
  signal: AbortSignal;
  resolve: (r: TaskReply) => void;
}

interface Slot {
  worker: Worker;
  busy: Job | undefined;
}

export class WorkerPoolCommunicator implements Communicator {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly clientConfig: unknown,
    private readonly siteNames: string[],
    threads: number,
    private readonly cacheSize = 32,
  ) {
    if (!(threads >= 1)) throw new Error(`threads must be >= 1, got ${threads}`);
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const workerUrl = new URL(`./worker${ext}`, import.meta.url);
    // From source the worker is TypeScript. Node 20 does not carry `--import tsx` into worker threads, so the
    // worker registers tsx itself before importing the real module.
    const worker =
      ext === '.ts'
        ? new Worker(
            `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); });`,
            {
              eval: true,
              workerData: { clientConfig: this.clientConfig, cacheSize: this.cacheSize } satisfies WorkerInit,
            },
          )
        : new Worker(workerUrl, {
            workerData: { clientConfig: this.clientConfig, cacheSize: this.cacheSize } satisfies WorkerInit,
          });
    const slot: Slot = { worker, busy: undefined };
    worker.on('message', (msg: FromWorker) => {
      const job = slot.busy;
      slot.busy = undefined;
      if (job && job.id === msg.id) job.resolve({ ...msg.reply, site: job.site });
      this.pump();
    });
    worker.on('error', (err) => {
      const job = slot.busy;
      slot.busy = undefined;
      job?.resolve({ site: job.site, status: 'error', error: `simulator thread crashed: ${err.message}` });
      if (!this.closed) {
        const i = this.slots.indexOf(slot);
        if (i >= 0) this.slots[i] = this.spawn();
        this.pump();
      }
    });
    worker.unref();
    return slot;
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      let job = this.queue.shift();
      while (job?.signal.aborted) job = this.queue.shift();
      if (!job) return;
      slot.busy = job;
      slot.worker.postMessage({ id: job.id, site: job.site, task: job.task } satisfies ToWorker);
    }
  }

  private run(task: Task, site: string, signal: AbortSignal): Promise<TaskReply> {
    if (this.closed) return Promise.resolve({ site, status: 'dropped', error: 'simulator closed' });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, site, task, signal, resolve });
      this.pump();
    });
  }

  sites(): string[] {
    return this.siteNames.slice();
  }

  broadcastAndWait(task: Task, options: BroadcastOptions): Promise<TaskReply[]> {
    return gather(options.targets ?? this.sites(), (site, signal) => this.run(task, site, signal), options);
  }

  async sendAndWait(
    task: Task,
    site: string,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<TaskReply> {
    const [reply] = await gather([site], (s, signal) => this.run(task, s, signal), {
      minResponses: 1,
      waitAfterMinMs: 0,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    return reply as TaskReply;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0))
      j.resolve({ site: j.site, status: 'dropped', error: 'simulator closed' });
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
