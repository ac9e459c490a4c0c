/**
 * The unit on the wire: a small JSON header plus an optional binary body. A frame is at most a few MiB, so
 * gRPC's per-message limit never caps what can be sent; large payloads travel as many 'chunk' frames.
 * Layout: u32 big-endian header length, UTF-8 JSON header, body bytes.
 */
export interface Frame {
  h: FrameHeader;
  d?: Uint8Array;
}

export type FrameHeader =
  | { t: 'msg'; id: string; kind: string; meta: unknown; segments: number[] }
  | { t: 'chunk'; id: string }
  | { t: 'hb' }
  | { t: 'hello'; site: string; version: number }
  | { t: 'welcome'; session: string; server: string };

export function encodeFrame(f: Frame): Buffer {
  const header = Buffer.from(JSON.stringify(f.h), 'utf8');
  const bodyLen = f.d?.byteLength ?? 0;
  const out = Buffer.allocUnsafe(4 + header.length + bodyLen);
  out.writeUInt32BE(header.length, 0);
  header.copy(out, 4);
  if (f.d && bodyLen > 0) out.set(f.d, 4 + header.length);
  return out;
}

export function decodeFrame(buf: Buffer): Frame {
  if (buf.length < 4) throw new Error(`frame of ${buf.length} bytes is too short to hold a header`);
  const n = buf.readUInt32BE(0);
  if (4 + n > buf.length)
    throw new Error(`frame header claims ${n} bytes but the frame has ${buf.length - 4}`);
  const h = JSON.parse(buf.subarray(4, 4 + n).toString('utf8')) as FrameHeader;
  const f: Frame = { h };
  if (buf.length > 4 + n) f.d = buf.subarray(4 + n);
  return f;
}
