import { EventEmitter } from 'node:events';
import type { Frame } from './frame.js';
import { Assembler, type Message, sendMessage } from './message.js';

interface Duplex {
  write(frame: Frame): boolean;
  once(event: 'drain', cb: () => void): unknown;
  on(event: string, cb: (...args: never[]) => void): unknown;
  end(): void;
  cancel?: () => void;
}

type Handler = (
  msg: Message,
) =>
  | Promise<{ meta: unknown; segments?: Uint8Array[] } | undefined>
  | { meta: unknown; segments?: Uint8Array[] }
  | undefined;

/**
 * One end of a frame stream, turned into request/response messaging. Requests carry an id; a response's meta
 * holds `re: <id>`. When the stream closes every pending request fails at once, so nothing waits on a dead peer.
 */
export class Link extends EventEmitter {
  private assembler = new Assembler();
  private pending = new Map<string, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private handlers = new Map<string, Handler>();
  closed = false;
  closeReason = '';
  lastSeen = Date.now();

  constructor(readonly stream: Duplex) {
    super();
    stream.on('data', (frame: Frame) => this.onFrame(frame));
    stream.on('end', () => this.close('peer ended the stream'));
    stream.on('error', (e: Error) => this.close(e.message));
    stream.on('close', () => this.close('stream closed'));
  }

  handle(kind: string, handler: Handler): void {
    this.handlers.set(kind, handler);
  }

  private onFrame(frame: Frame): void {
    this.lastSeen = Date.now();
    if (frame.h.t === 'hb' || frame.h.t === 'hello' || frame.h.t === 'welcome') {
      this.emit('control', frame);
      return;
    }
    let msg: Message | undefined;
    try {
      msg = this.assembler.push(frame);
    } catch (e) {
      this.close(`protocol error: ${(e as Error).message}`);
      return;
    }
    if (!msg) return;
    const re = (msg.meta as { re?: string } | null)?.re;
    if (re) {
      const p = this.pending.get(re);
      if (p) {
        this.pending.delete(re);
        p.resolve(msg);
      }
      return;
    }
    const handler = this.handlers.get(msg.kind);
    if (!handler) {
      this.emit('message', msg);
      return;
    }
    const m = msg;
    Promise.resolve()
      .then(() => handler(m))
      .then((res) =>
        res ? this.send('reply', { ...(res.meta as object), re: m.id }, res.segments) : undefined,
      )
      .catch((e: Error) => {
        if (!this.closed) this.send('reply', { re: m.id, error: e.message }).catch(() => {});
      });
  }

  sendControl(frame: Frame): void {
    if (!this.closed) this.stream.write(frame);
  }

  async send(kind: string, meta: unknown, segments: Uint8Array[] = []): Promise<string> {
    if (this.closed) throw new Error(`connection closed: ${this.closeReason}`);
    return sendMessage(this.stream, kind, meta, segments, () => this.closed);
  }

  /** Sends a message and waits for its response; rejects if the link closes or `timeoutMs` passes. */
  async request(kind: string, meta: unknown, segments: Uint8Array[] = [], timeoutMs = 0): Promise<Message> {
    if (this.closed) throw new Error(`connection closed: ${this.closeReason}`);
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    // The timer is cleared as soon as the answer arrives: a pending timer would keep the settled promise, and
    // with it the whole answer (a model), alive until it fired.
    let timer: NodeJS.Timeout | undefined;
    const answer = new Promise<Message>((resolve, reject) => {
      const settle =
        <T>(f: (v: T) => void) =>
        (v: T) => {
          if (timer) clearTimeout(timer);
          f(v);
        };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          if (this.pending.delete(id)) reject(new Error(`no answer to ${kind} within ${timeoutMs} ms`));
        }, timeoutMs);
        timer.unref?.();
      }
    });
    sendMessage(this.stream, kind, meta, segments, () => this.closed, id).catch((e: Error) => {
      const p = this.pending.get(id);
      if (p) {
        this.pending.delete(id);
        p.reject(e);
      }
    });
    return answer;
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    for (const p of this.pending.values()) p.reject(new Error(`connection closed: ${reason}`));
    this.pending.clear();
    this.assembler.clear();
    try {
      this.stream.end();
    } catch {}
    this.emit('close', reason);
  }
}
