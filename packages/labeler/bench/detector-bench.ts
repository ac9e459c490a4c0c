/** COCO detector throughput on 640×360 frames of the generated sample video, in the detector worker. */

import { DetectorPool } from '../src/detect/detector-pool.js';
import { generateSyntheticVideo } from '../src/synthetic/index.js';

export async function detectorBench(frames = 20) {
  const video = generateSyntheticVideo({ seed: 1, frameCount: frames });
  const pool = new DetectorPool();
  const rgbOf = (i: number) => {
    const f = video.renderFrame(i);
    const rgb = new Uint8Array(f.width * f.height * 3);
    for (let p = 0, q = 0; p < f.data.length; p += 4, q += 3) {
      rgb[q] = f.data[p];
      rgb[q + 1] = f.data[p + 1];
      rgb[q + 2] = f.data[p + 2];
    }
    return rgb;
  };
  try {
    const t0 = performance.now();
    await pool.detectRgb(rgbOf(0), video.spec.width, video.spec.height);
    const loadWarm = (performance.now() - t0) / 1000;
    const inputs = Array.from({ length: frames }, (_, i) => rgbOf(i));
    const t1 = performance.now();
    for (const rgb of inputs) await pool.detectRgb(rgb, video.spec.width, video.spec.height);
    const secs = (performance.now() - t1) / 1000;
    return { fps: frames / secs, loadWarm, width: video.spec.width, height: video.spec.height };
  } finally {
    await pool.close();
  }
}
