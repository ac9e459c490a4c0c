import { deflateSync } from 'node:zlib';
import type { Box } from '../tracking/contract.js';

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'ascii');
  out.set(body, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

/** Minimal PNG encoder (8-bit RGBA, no filtering) using node:zlib: enough for figures and previews. */
export function encodePng(image: RgbaImage): Buffer {
  const { width, height, data } = image;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 6;
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    raw.set(data.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Draws a box outline in place (clipped to the image); `dashed` tells two boxes apart in print. */
export function drawBox(
  image: RgbaImage,
  box: Box,
  colour: [number, number, number],
  thickness = 2,
  dashed = false,
): void {
  const { width: W, height: H, data } = image;
  const put = (x: number, y: number, along: number) => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    if (dashed && Math.floor(along / 5) % 2 === 1) return;
    const i = (y * W + x) * 4;
    data[i] = colour[0];
    data[i + 1] = colour[1];
    data[i + 2] = colour[2];
    data[i + 3] = 255;
  };
  const x0 = Math.round(box.x);
  const y0 = Math.round(box.y);
  const x1 = Math.round(box.x + box.w) - 1;
  const y1 = Math.round(box.y + box.h) - 1;
  for (let t = 0; t < thickness; t++) {
    for (let x = x0; x <= x1; x++) {
      put(x, y0 + t, x - x0);
      put(x, y1 - t, x - x0);
    }
    for (let y = y0; y <= y1; y++) {
      put(x0 + t, y, y - y0);
      put(x1 - t, y, y - y0);
    }
  }
}
