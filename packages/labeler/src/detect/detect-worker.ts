/** Runs the COCO detector off the main thread: the wasm inference would otherwise stall every HTTP request. */
import { parentPort } from 'node:worker_threads';
import { CocoDetector } from './coco-human.js';

const port = parentPort!;
let detector: Promise<CocoDetector> | null = null;
port.on('message', async (m: { id: number; rgb: Uint8Array; width: number; height: number }) => {
  try {
    detector ??= CocoDetector.load();
    const d = await (await detector).detect(m.rgb, m.width, m.height);
    port.postMessage({ id: m.id, detections: d });
  } catch (err) {
    port.postMessage({ id: m.id, error: (err as Error).message });
  }
});
