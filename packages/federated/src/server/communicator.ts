import type { BroadcastOptions, Communicator, Task, TaskReply } from '../core/contracts.js';
import { segmentsToWeights, weightsToSegments } from '../transport/weights.js';
import type { SiteRegistry } from './sites.js';

interface ReplyMeta {
  status?: TaskReply['status'];
  numSamples?: number;
  metrics?: Record<string, number>;
  error?: string;
  tensors?: { name: string; shape: number[] }[];
}

/**
 * The Communicator a job's Controller uses on a real deployment. Every wait has a deadline: a site that drops
 * answers 'dropped' at once (its link closes and fails the request), one that is silent answers 'timeout' at
 * timeoutMs, so no round ever waits on a dead site.
 */
export class JobCommunicator implements Communicator {
  constructor(
    private registry: SiteRegistry,
    private jobId: string,
  ) {}

  sites(): string[] {
    return this.registry.readySites(this.jobId);
  }

  async sendAndWait(
    task: Task,
    site: string,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<TaskReply> {
    const conn = this.registry.get(site);
    if (!conn || conn.link.closed) return { site, status: 'dropped', error: `${site} is not connected` };
    const { tensors, segments } = weightsToSegments(task.weights);
    const meta = { jobId: task.jobId, name: task.name, round: task.round, config: task.config, tensors };
    // The abort listener is removed when the task settles, so long jobs do not pile up listeners round after round.
    let onAbort: (() => void) | undefined;
    const abort = new Promise<TaskReply>((resolve) => {
      if (!options.signal) return;
      if (options.signal.aborted) resolve({ site, status: 'error', error: 'aborted' });
      onAbort = () => resolve({ site, status: 'error', error: 'aborted' });
      options.signal.addEventListener('abort', onAbort, { once: true });
    });
    const work = conn.link
      .request('task', meta, segments, options.timeoutMs)
      .then((msg): TaskReply => {
        const m = msg.meta as ReplyMeta;
        const reply: TaskReply = { site, status: m.error && !m.status ? 'error' : (m.status ?? 'ok') };
        if (m.error) reply.error = m.error;
        if (m.numSamples !== undefined) reply.numSamples = m.numSamples;
        if (m.metrics) reply.metrics = m.metrics;
        if (m.tensors && m.tensors.length > 0) reply.weights = segmentsToWeights(m.tensors, msg.segments);
        return reply;
      })
      .catch((e: Error): TaskReply => {
        const timedOut = /within \d+ ms/.test(e.message);
        return { site, status: timedOut ? 'timeout' : 'dropped', error: e.message };
      });
    return Promise.race([work, abort]).finally(() => {
      if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    });
  }

  broadcastAndWait(task: Task, o: BroadcastOptions): Promise<TaskReply[]> {
    const targets = o.targets ?? this.sites();
    if (targets.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const replies = new Map<string, TaskReply>();
      let ok = 0;
      let done = false;
      let minTimer: NodeJS.Timeout | undefined;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(hardTimer);
        if (minTimer) clearTimeout(minTimer);
        o.signal?.removeEventListener('abort', finish);
        resolve(
          targets.map(
            (s) =>
              replies.get(s) ?? {
                site: s,
                status: 'timeout',
                error: `no reply within the round (${o.timeoutMs} ms or the wait after the minimum)`,
              },
          ),
        );
      };
      const hardTimer = setTimeout(finish, o.timeoutMs);
      o.signal?.addEventListener('abort', finish, { once: true });
      for (const site of targets) {
        this.sendAndWait(task, site, { timeoutMs: o.timeoutMs, signal: o.signal }).then((r) => {
          if (done) return;
          replies.set(site, r);
          o.onReply?.(r);
          if (r.status === 'ok') ok++;
          if (replies.size === targets.length) finish();
          else if (ok >= o.minResponses && !minTimer) minTimer = setTimeout(finish, o.waitAfterMinMs);
        });
      }
    });
  }
}
