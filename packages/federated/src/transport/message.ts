import { randomUUID } from 'node:crypto';
import type { Frame } from './frame.js';

/** 1 MiB: large enough that per-frame overhead is negligible, small enough to interleave heartbeats. */
export const CHUNK_BYTES = 1 << 20;

/** A logical message: JSON metadata plus binary segments (one per tensor or file), chunked on the wire. */
export interface Message {
  id: string;
  kind: string;
  meta: unknown;
  segments: Uint8Array[];
}

/** Anything frames can be written to with back-pressure (a gRPC stream). */
export interface FrameSink {
  write(frame: Frame): boolean;
  once(event: 'drain', cb: () => void): unknown;
}

let bytesOut = 0;
let bytesIn = 0;
/** Counters of frame body+header bytes this process sent/received, for the bytes-on-the-wire benchmark. */
export function wireCounters(): { sent: number; received: number } {
  return { sent: bytesOut, received: bytesIn };
}
export function countIn(n: number): void {
  bytesIn += n;
}

async function writeFrame(sink: FrameSink, frame: Frame, closed: () => boolean): Promise<void> {
  bytesOut += (frame.d?.byteLength ?? 0) + 64;
  if (!sink.write(frame)) {
    await new Promise<void>((resolve) => {
      // A closed stream never drains; poll the closed flag so a dead peer never hangs a sender.
      const timer = setInterval(() => {
        if (closed()) {
          clearInterval(timer);
          resolve();
        }
      }, 200);
      sink.once('drain', () => {
        clearInterval(timer);
        resolve();
      });
    });
  }
}

/** Streams one message: a header frame, then each segment cut into CHUNK_BYTES frames without copying. */
export async function sendMessage(
  sink: FrameSink,
  kind: string,
  meta: unknown,
  segments: Uint8Array[] = [],
  closed: () => boolean = () => false,
  id: string = randomUUID(),
): Promise<string> {
  await writeFrame(
    sink,
    { h: { t: 'msg', id, kind, meta, segments: segments.map((s) => s.byteLength) } },
    closed,
  );
  for (const seg of segments) {
    for (let off = 0; off < seg.byteLength; off += CHUNK_BYTES) {
      if (closed()) throw new Error('connection closed while sending');
      await writeFrame(
        sink,
        { h: { t: 'chunk', id }, d: seg.subarray(off, Math.min(seg.byteLength, off + CHUNK_BYTES)) },
        closed,
      );
    }
  }
  return id;
}

interface Partial {
  msg: Message;
  segIndex: number;
  segOffset: number;
}

/**
 * Reassembles messages from frames. Segment buffers are allocated once at their final size from the header
 * (8-byte aligned so float32 views need no copy), then filled chunk by chunk: no message is ever held twice.
 */
export class Assembler {
  private partial = new Map<string, Partial>();

  /** Returns the message when `frame` completes one. */
  push(frame: Frame): Message | undefined {
    const h = frame.h;
    if (h.t === 'msg') {
      const msg: Message = {
        id: h.id,
        kind: h.kind,
        meta: h.meta,
        segments: h.segments.map((n) => new Uint8Array(new ArrayBuffer(n))),
      };
      const p: Partial = { msg, segIndex: 0, segOffset: 0 };
      this.skipEmpty(p);
      if (p.segIndex >= msg.segments.length) return msg;
      this.partial.set(h.id, p);
      return undefined;
    }
    if (h.t !== 'chunk') return undefined;
    const p = this.partial.get(h.id);
    if (!p) throw new Error(`chunk for unknown message ${h.id}`);
    let data = frame.d ?? new Uint8Array(0);
    countIn(data.byteLength);
    while (data.byteLength > 0) {
      const seg = p.msg.segments[p.segIndex];
      if (!seg) throw new Error(`message ${h.id} received more bytes than its header announced`);
      const n = Math.min(seg.byteLength - p.segOffset, data.byteLength);
      seg.set(data.subarray(0, n), p.segOffset);
      p.segOffset += n;
      data = data.subarray(n);
      if (p.segOffset === seg.byteLength) {
        p.segIndex++;
        p.segOffset = 0;
        this.skipEmpty(p);
      }
    }
    if (p.segIndex >= p.msg.segments.length) {
      this.partial.delete(h.id);
      return p.msg;
    }
    return undefined;
  }

  private skipEmpty(p: Partial): void {
    while (p.segIndex < p.msg.segments.length && p.msg.segments[p.segIndex]?.byteLength === 0) p.segIndex++;
  }

  clear(): void {
    this.partial.clear();
  }
}
