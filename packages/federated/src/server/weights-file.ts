import { closeSync, fsyncSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import type { WeightsMap } from '../core/contracts.js';

/**
 * Weights on disk: u32 header length, JSON [{name, shape}], then raw little-endian float32 data tensor by
 * tensor. Written tensor by tensor and read straight into the final Float32Arrays, so a multi-GB model never
 * needs a second copy. Written to a temp file, fsynced, then renamed: a crash leaves the old file or the new one.
 */
export function writeWeightsFile(path: string, weights: WeightsMap): number {
  const tmp = `${path}.tmp-${process.pid}`;
  const header = Buffer.from(
    JSON.stringify(Object.entries(weights).map(([name, t]) => ({ name, shape: t.shape }))),
  );
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  try {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length, 0);
    writeSync(fd, len);
    writeSync(fd, header);
    bytes += 4 + header.length;
    for (const t of Object.values(weights)) {
      const view = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      for (let off = 0; off < view.byteLength; )
        off += writeSync(fd, view, off, Math.min(view.byteLength - off, 1 << 26));
      bytes += view.byteLength;
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return bytes;
}

export function readWeightsFile(path: string): WeightsMap {
  const fd = openSync(path, 'r');
  try {
    const len = Buffer.alloc(4);
    readSync(fd, len, 0, 4, 0);
    const n = len.readUInt32LE(0);
    const header = Buffer.alloc(n);
    readSync(fd, header, 0, n, 4);
    const layout = JSON.parse(header.toString('utf8')) as { name: string; shape: number[] }[];
    let pos = 4 + n;
    const w: WeightsMap = {};
    for (const t of layout) {
      const count = t.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(count);
      const view = new Uint8Array(data.buffer);
      for (let off = 0; off < view.byteLength; ) {
        const r = readSync(fd, view, off, Math.min(view.byteLength - off, 1 << 26), pos + off);
        if (r === 0) throw new Error(`${path} is truncated in tensor "${t.name}"`);
        off += r;
      }
      pos += view.byteLength;
      w[t.name] = { shape: t.shape, data };
    }
    return w;
  } finally {
    closeSync(fd);
  }
}
