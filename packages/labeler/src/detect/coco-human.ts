import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Box } from '../tracking/contract.js';

export interface Detection {
  label: string;
  score: number;
  box: Box;
}

type HumanLike = {
  load(): Promise<void>;
  detect(
    input: unknown,
  ): Promise<{ object: { score: number; label: string; box: [number, number, number, number] }[] }>;
  tf: { tensor3d(data: Uint8Array, shape: [number, number, number], dtype: string): { dispose(): void } };
};

/**
 * The COCO object detector (CenterNet) that ships inside @vladmandic/human, on the tfjs WebAssembly backend,
 * loaded from the package's own model files: no network. Node's fetch cannot read file:// URLs, which is how
 * Human loads models, so file URLs are served from disk while the model loads.
 */
export class CocoDetector {
  private constructor(private readonly human: HumanLike) {}

  static async load(minScore = 0.2): Promise<CocoDetector> {
    const require = createRequire(import.meta.url);
    const humanMain = require.resolve('@vladmandic/human');
    const humanDir = dirname(dirname(humanMain));
    const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    const original = globalThis.fetch;
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.startsWith('file://'))
        return new Response(new Uint8Array(await readFile(fileURLToPath(url))), { status: 200 });
      return original(input, init);
    }) as typeof fetch;
    try {
      const { Human } = require(join(humanDir, 'dist', 'human.node-wasm.js')) as {
        Human: new (cfg: unknown) => HumanLike;
      };
      const human = new Human({
        backend: 'wasm',
        wasmPath: `${wasmDir}/`,
        modelBasePath: `${pathToFileURL(join(humanDir, 'models')).href}/`,
        debug: false,
        face: { enabled: false },
        body: { enabled: false },
        hand: { enabled: false },
        gesture: { enabled: false },
        segmentation: { enabled: false },
        filter: { enabled: false },
        object: { enabled: true, minConfidence: minScore, maxDetected: 100, skipFrames: 0, skipTime: 0 },
        cacheSensitivity: 0,
      });
      await human.load();
      return new CocoDetector(human);
    } finally {
      globalThis.fetch = original;
    }
  }

  /** Detections in pixel coordinates of an RGB (3 bytes per pixel) image. */
  async detect(rgb: Uint8Array, width: number, height: number): Promise<Detection[]> {
    const t = this.human.tf.tensor3d(rgb, [height, width, 3], 'int32');
    try {
      const r = await this.human.detect(t);
      return r.object.map((o) => ({
        label: o.label,
        score: o.score,
        box: { x: o.box[0], y: o.box[1], w: o.box[2], h: o.box[3] },
      }));
    } finally {
      t.dispose();
    }
  }
}
