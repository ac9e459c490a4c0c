import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RgbaImage } from '../image/image.js';

// Typed loosely on purpose: human's bundled typings pull in DOM and tfjs declarations we do not need.
type HumanInstance = {
  load(): Promise<void>;
  detect(input: unknown): Promise<HumanResult>;
  tf: {
    tensor4d(
      data: Uint8Array | Int32Array,
      shape: [number, number, number, number],
      dtype: string,
    ): { dispose(): void };
    io: {
      registerLoadRouter(fn: (url: unknown) => unknown): void;
      http(url: string, opts: { fetchFunc: (url: string) => Promise<Response> }): unknown;
    };
  };
};

export interface HumanObject {
  score: number;
  label: string;
  box: [number, number, number, number];
}
export interface HumanFace {
  score: number;
  box: [number, number, number, number];
  age?: number;
  gender?: string;
  genderScore?: number;
  emotion?: Array<{ score: number; emotion: string }>;
  embedding?: number[];
}
export interface HumanResult {
  object: HumanObject[];
  face: HumanFace[];
}

const require = createRequire(import.meta.url);

/** Folder of @vladmandic/human (its package.json "exports" keys lack "./", so subpaths are resolved by hand). */
export function humanDir(): string {
  return dirname(dirname(require.resolve('@vladmandic/human')));
}

let shared: Promise<HumanInstance> | null = null;
let routed = false;

/**
 * One Human instance per process, wasm backend, models read from the package's own models/ folder
 * through a file:// load router (tfjs in Node has no file handler outside tfjs-node).
 */
export function getHuman(): Promise<HumanInstance> {
  if (!shared) shared = loadHuman();
  return shared;
}

async function loadHuman(): Promise<HumanInstance> {
  const dir = humanDir();
  const mod = require(join(dir, 'dist', 'human.node-wasm.js')) as {
    Human: new (config: unknown) => HumanInstance;
  };
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  const human = new mod.Human({
    backend: 'wasm',
    wasmPath: `${pathToFileURL(wasmDir).href}/`,
    modelBasePath: `${pathToFileURL(join(dir, 'models')).href}/`,
    debug: false,
    cacheSensitivity: 0,
    face: {
      enabled: true,
      detector: { rotation: false, maxDetected: 10, minConfidence: 0.3, return: false },
      mesh: { enabled: true },
      iris: { enabled: false },
      description: { enabled: true },
      emotion: { enabled: true },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    object: { enabled: true, maxDetected: 20, minConfidence: 0.25 },
    filter: { enabled: false },
  });
  if (!routed) {
    const fileFetch = async (url: string) => new Response(await readFile(fileURLToPath(url)));
    human.tf.io.registerLoadRouter((url) =>
      typeof url === 'string' && url.startsWith('file://')
        ? human.tf.io.http(url, { fetchFunc: fileFetch })
        : null,
    );
    routed = true;
  }
  await human.load();
  return human;
}

/** Runs human on an RGBA image (alpha dropped). Serialised: the wasm backend is single-threaded anyway. */
let queue: Promise<unknown> = Promise.resolve();
export function runHuman(img: RgbaImage): Promise<HumanResult> {
  const job = queue.then(async () => {
    const human = await getHuman();
    const rgb = new Int32Array(img.width * img.height * 3);
    for (let i = 0, k = 0; i < img.data.length; i += 4) {
      rgb[k++] = img.data[i];
      rgb[k++] = img.data[i + 1];
      rgb[k++] = img.data[i + 2];
    }
    const t = human.tf.tensor4d(rgb, [1, img.height, img.width, 3], 'int32');
    try {
      return await human.detect(t);
    } finally {
      t.dispose();
    }
  });
  queue = job.catch(() => undefined);
  return job;
}
