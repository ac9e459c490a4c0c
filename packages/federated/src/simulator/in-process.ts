/**
 * A Communicator that runs each site's Executor in this process. Used for tests, for the reference run that
 * the worker-thread simulator is checked against, and for small jobs where threads do not pay.
 */
import type { BroadcastOptions, Communicator, Executor, Task, TaskReply } from '../core/contracts.js';
import { gather } from './gather.js';

export class InProcessCommunicator implements Communicator {
  private readonly executors = new Map<string, Executor>();

  /** `connected` can be changed later to simulate sites joining or leaving mid-job. */
  constructor(
    private readonly makeExecutor: (site: string) => Executor | Promise<Executor>,
    public connected: string[],
  ) {}

  sites(): string[] {
    return this.connected.slice();
  }

  private async run(task: Task, site: string, signal: AbortSignal): Promise<TaskReply> {
    let ex = this.executors.get(site);
    if (!ex) {
      ex = await this.makeExecutor(site);
      this.executors.set(site, ex);
    }
    const reply = await ex.execute(task, { site, signal });
    return { ...reply, site };
  }

  broadcastAndWait(task: Task, options: BroadcastOptions): Promise<TaskReply[]> {
    const targets = options.targets ?? this.sites();
    return gather(targets, (site, signal) => this.run(task, site, signal), options);
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
}

/** A snapshot store in memory (the simulator's default; the server's SQLite store is the durable one). */
export class MemorySnapshotStore {
  state: import('../core/contracts.js').ControllerState | undefined;
  saves = 0;
  async save(state: import('../core/contracts.js').ControllerState): Promise<void> {
    this.state = state;
    this.saves++;
  }
  async load(): Promise<import('../core/contracts.js').ControllerState | undefined> {
    return this.state;
  }
}
