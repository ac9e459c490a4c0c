import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<typeof tf> | null = null;

/**
 * The wasm backend has no UnsortedSegmentSum kernel, and tfjs computes the gradient of `gather` (the embedding
 * lookup) with it, so training on wasm fails without this. It scatters rows of x into numSegments rows.
 */
export function unsortedSegmentSum(
  x: ArrayLike<number>,
  segmentIds: ArrayLike<number>,
  numSegments: number,
  inner: number,
  out: Float32Array,
): void {
  out.fill(0);
  for (let i = 0; i < segmentIds.length; i++) {
    const s = segmentIds[i];
    if (s < 0 || s >= numSegments) continue;
    const o = s * inner;
    const xo = i * inner;
    for (let k = 0; k < inner; k++) out[o + k] += x[xo + k];
  }
}

interface WasmBackendLike {
  readSync(dataId: unknown): ArrayLike<number>;
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

function registerMissingKernels(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      if (x.dtype !== 'float32')
        throw new Error(`UnsortedSegmentSum on wasm supports float32, got ${x.dtype}`);
      const b = backend as unknown as WasmBackendLike;
      const inner = x.shape.slice(1).reduce((a, c) => a * c, 1);
      const out = b.makeOutput([numSegments, ...x.shape.slice(1)], 'float32');
      unsortedSegmentSum(
        b.readSync(x.dataId),
        b.readSync(segmentIds.dataId),
        numSegments,
        inner,
        b.typedArrayFromHeap(out),
      );
      return out;
    },
  });
}

/** tfjs on the wasm backend, with the kernels training needs. Idempotent. */
export function wasmTf(): Promise<typeof tf> {
  if (!ready) {
    ready = (async () => {
      const require = createRequire(import.meta.url);
      const wasmFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
      setWasmPaths(path.dirname(wasmFile) + path.sep);
      registerMissingKernels();
      const ok = await tf.setBackend('wasm');
      if (!ok) throw new Error('could not initialise the tfjs wasm backend');
      await tf.ready();
      return tf;
    })();
  }
  return ready;
}
