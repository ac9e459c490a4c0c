/**
 * The waiting rule of broadcastAndWait, shared by the in-process and worker-thread communicators: return when
 * every target has answered, or `waitAfterMinMs` after `minResponses` good answers, or at `timeoutMs`,
 * whichever is first. Sites still out at that point are reported as 'timeout' and their late answers are
 * dropped, so a silent client can never hang a round.
 */
import type { BroadcastOptions, TaskReply } from '../core/contracts.js';

export type RunOne = (site: string, signal: AbortSignal) => Promise<TaskReply>;

export function gather(targets: string[], runOne: RunOne, options: BroadcastOptions): Promise<TaskReply[]> {
  return new Promise((resolve) => {
    const replies = new Map<string, TaskReply>();
    const cancel = new AbortController();
    let okCount = 0;
    let done = false;
    let afterMinTimer: NodeJS.Timeout | undefined;

    const finish = (pendingStatus: 'timeout' | 'dropped', why: string): void => {
      if (done) return;
      done = true;
      clearTimeout(hardTimer);
      if (afterMinTimer) clearTimeout(afterMinTimer);
      options.signal?.removeEventListener('abort', onAbort);
      cancel.abort();
      resolve(targets.map((site) => replies.get(site) ?? { site, status: pendingStatus, error: why }));
    };
    const onAbort = (): void => finish('dropped', 'job aborted');
    const hardTimer = setTimeout(
      () => finish('timeout', `no reply within ${options.timeoutMs} ms`),
      options.timeoutMs,
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) return onAbort();
    if (targets.length === 0) return finish('timeout', 'no targets');

    for (const site of targets) {
      runOne(site, cancel.signal)
        .catch(
          (e: unknown): TaskReply => ({
            site,
            status: 'error',
            error: e instanceof Error ? e.message : String(e),
          }),
        )
        .then((reply) => {
          if (done) return;
          const r: TaskReply = { ...reply, site };
          replies.set(site, r);
          options.onReply?.(r);
          if (r.status === 'ok') okCount++;
          if (replies.size === targets.length) return finish('timeout', 'unreachable');
          if (okCount >= options.minResponses && !afterMinTimer) {
            afterMinTimer = setTimeout(
              () =>
                finish(
                  'timeout',
                  `not among the replies within ${options.waitAfterMinMs} ms after the minimum`,
                ),
              options.waitAfterMinMs,
            );
          }
        });
    }
  });
}
