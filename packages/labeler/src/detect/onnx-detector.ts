import type { Box } from '../tracking/contract.js';
import type { Detection } from './coco-human.js';
import { iou } from './link.js';

export const COCO_CLASSES = [
  'person',
  'bicycle',
  'car',
  'motorcycle',
  'airplane',
  'bus',
  'train',
  'truck',
  'boat',
  'traffic light',
  'fire hydrant',
  'stop sign',
  'parking meter',
  'bench',
  'bird',
  'cat',
  'dog',
  'horse',
  'sheep',
  'cow',
  'elephant',
  'bear',
  'zebra',
  'giraffe',
  'backpack',
  'umbrella',
  'handbag',
  'tie',
  'suitcase',
  'frisbee',
  'skis',
  'snowboard',
  'sports ball',
  'kite',
  'baseball bat',
  'baseball glove',
  'skateboard',
  'surfboard',
  'tennis racket',
  'bottle',
  'wine glass',
  'cup',
  'fork',
  'knife',
  'spoon',
  'bowl',
  'banana',
  'apple',
  'sandwich',
  'orange',
  'broccoli',
  'carrot',
  'hot dog',
  'pizza',
  'donut',
  'cake',
  'chair',
  'couch',
  'potted plant',
  'bed',
  'dining table',
  'toilet',
  'tv',
  'laptop',
  'mouse',
  'remote',
  'keyboard',
  'cell phone',
  'microwave',
  'oven',
  'toaster',
  'sink',
  'refrigerator',
  'book',
  'clock',
  'vase',
  'scissors',
  'teddy bear',
  'hair drier',
  'toothbrush',
];

export interface OnnxDetectorOptions {
  /** Square network input side (letterboxed); read from the model when fixed, else 640. */
  inputSize?: number;
  /** Class names in output order; the 80 COCO names by default. */
  labels?: string[];
  minScore?: number;
  nmsIou?: number;
}

/**
 * A user-supplied ONNX detector run by onnxruntime-node. Expects the output layout of Ultralytics YOLOv8/YOLO11
 * exports: one tensor [1, 4 + classes, anchors] with centre x, centre y, width, height in input pixels followed by
 * per-class scores. The image is letterboxed (aspect kept, grey padding) to the input size and boxes mapped back.
 */
export class OnnxDetector {
  private constructor(
    private readonly session: import('onnxruntime-node').InferenceSession,
    private readonly ort: typeof import('onnxruntime-node'),
    private readonly opts: Required<OnnxDetectorOptions>,
  ) {}

  static async load(modelPath: string, options: OnnxDetectorOptions = {}): Promise<OnnxDetector> {
    const ort = await import('onnxruntime-node');
    let session: import('onnxruntime-node').InferenceSession;
    try {
      session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1 });
    } catch (err) {
      throw new Error(`${modelPath}: not a loadable ONNX model (${(err as Error).message})`);
    }
    // The model's own input shape decides the letterbox size when it is fixed; 640 otherwise.
    const meta = (session as unknown as { inputMetadata?: { shape?: (number | string)[] }[] })
      .inputMetadata?.[0]?.shape;
    const side = typeof meta?.[3] === 'number' && meta[3] > 0 ? meta[3] : undefined;
    return new OnnxDetector(session, ort, {
      inputSize: options.inputSize ?? side ?? 640,
      labels: options.labels ?? COCO_CLASSES,
      minScore: options.minScore ?? 0.25,
      nmsIou: options.nmsIou ?? 0.45,
    });
  }

  /** Letterboxes RGB (3 bytes per pixel) into a normalised NCHW float tensor. Nearest-neighbour sampling. */
  private letterbox(rgb: Uint8Array, width: number, height: number) {
    const S = this.opts.inputSize;
    const scale = Math.min(S / width, S / height);
    const w = Math.round(width * scale);
    const h = Math.round(height * scale);
    const padX = Math.floor((S - w) / 2);
    const padY = Math.floor((S - h) / 2);
    const data = new Float32Array(3 * S * S).fill(114 / 255);
    for (let y = 0; y < h; y++) {
      const sy = Math.min(height - 1, Math.floor(y / scale));
      for (let x = 0; x < w; x++) {
        const sx = Math.min(width - 1, Math.floor(x / scale));
        const src = (sy * width + sx) * 3;
        const dst = (y + padY) * S + (x + padX);
        data[dst] = rgb[src] / 255;
        data[S * S + dst] = rgb[src + 1] / 255;
        data[2 * S * S + dst] = rgb[src + 2] / 255;
      }
    }
    return { data, scale, padX, padY };
  }

  async detect(rgb: Uint8Array, width: number, height: number): Promise<Detection[]> {
    const S = this.opts.inputSize;
    const lb = this.letterbox(rgb, width, height);
    const input = new this.ort.Tensor('float32', lb.data, [1, 3, S, S]);
    const out = await this.session.run({ [this.session.inputNames[0]]: input });
    const t = out[this.session.outputNames[0]];
    const [, rows, anchors] = t.dims as number[];
    const nc = rows - 4;
    if (t.dims.length !== 3 || nc < 1) {
      throw new Error(
        `ONNX output has shape [${t.dims.join(', ')}]; expected [1, 4 + classes, anchors] (YOLOv8 layout)`,
      );
    }
    if (nc > this.opts.labels.length)
      throw new Error(`model has ${nc} classes but ${this.opts.labels.length} labels were given`);
    const v = t.data as Float32Array;
    const cands: Detection[] = [];
    for (let a = 0; a < anchors; a++) {
      let best = -1;
      let score = 0;
      for (let c = 0; c < nc; c++) {
        const s = v[(4 + c) * anchors + a];
        if (s > score) {
          score = s;
          best = c;
        }
      }
      if (score < this.opts.minScore) continue;
      const cx = v[a];
      const cy = v[anchors + a];
      const w = v[2 * anchors + a];
      const h = v[3 * anchors + a];
      const box: Box = {
        x: (cx - w / 2 - lb.padX) / lb.scale,
        y: (cy - h / 2 - lb.padY) / lb.scale,
        w: w / lb.scale,
        h: h / lb.scale,
      };
      cands.push({ label: this.opts.labels[best], score, box });
    }
    // Greedy non-maximum suppression per class.
    cands.sort((p, q) => q.score - p.score);
    const kept: Detection[] = [];
    for (const d of cands) {
      if (!kept.some((k) => k.label === d.label && iou(k.box, d.box) > this.opts.nmsIou)) kept.push(d);
    }
    return kept;
  }
}
