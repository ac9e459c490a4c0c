/** Loads @tensorflow/tfjs on the WebAssembly backend once per process or worker thread. */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<typeof tf> | undefined;

export function loadTf(): Promise<typeof tf> {
  if (!ready) {
    ready = (async () => {
      const require = createRequire(import.meta.url);
      const dist =
        path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') +
        path.sep;
      setWasmPaths(dist);
      const ok = await tf.setBackend('wasm');
      if (!ok) throw new Error(`could not start the tfjs wasm backend from ${dist}`);
      await tf.ready();
      return tf;
    })();
  }
  return ready;
}
