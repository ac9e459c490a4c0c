/**
 * Model descriptions shared by server and clients. The server builds the initial weights from a spec without
 * loading tfjs; clients read the architecture back from the weights' names and shapes, so a task's weights
 * are all a client needs to know what to train.
 */
import { z } from 'zod';
import type { WeightsMap } from '../core/contracts.js';
import { Rng } from '../numeric/random.js';

export const modelSpecSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('mlp'),
      /** Layer widths from input to output, e.g. [784, 64, 10]; hidden layers use ReLU, the output softmax. */
      layers: z.array(z.number().int().min(1)).min(2),
      seed: z.number().int().default(1),
    })
    .strict(),
  z
    .object({
      type: z.literal('logreg'),
      /** Number of input features; the output is one logit (binary logistic regression). */
      features: z.number().int().min(1),
      seed: z.number().int().default(1),
    })
    .strict(),
]);
export type ModelSpec = z.infer<typeof modelSpecSchema>;

export interface DenseLayer {
  kernel: string;
  bias: string;
  inputs: number;
  units: number;
}

export function layerWidths(spec: ModelSpec): number[] {
  return spec.type === 'mlp' ? spec.layers : [spec.features, 1];
}

export const kernelName = (i: number): string => `dense_${i}/kernel`;
export const biasName = (i: number): string => `dense_${i}/bias`;

/** Glorot-uniform kernels and zero biases, seeded, in plain JavaScript. */
export function initialWeights(spec: ModelSpec): WeightsMap {
  const widths = layerWidths(spec);
  const rng = new Rng(spec.seed);
  const out: WeightsMap = {};
  for (let i = 0; i + 1 < widths.length; i++) {
    const fanIn = widths[i] as number;
    const fanOut = widths[i + 1] as number;
    const limit = spec.type === 'logreg' ? 0 : Math.sqrt(6 / (fanIn + fanOut));
    const kernel = new Float32Array(fanIn * fanOut);
    for (let j = 0; j < kernel.length; j++) kernel[j] = (rng.next() * 2 - 1) * limit;
    out[kernelName(i)] = { shape: [fanIn, fanOut], data: kernel };
    out[biasName(i)] = { shape: [fanOut], data: new Float32Array(fanOut) };
  }
  return out;
}

/** Reads the dense-layer stack back from a WeightsMap and says clearly what is wrong if it is not one. */
export function denseLayers(weights: WeightsMap): DenseLayer[] {
  const layers: DenseLayer[] = [];
  for (let i = 0; ; i++) {
    const k = weights[kernelName(i)];
    const b = weights[biasName(i)];
    if (!k && !b) break;
    if (!k || !b) throw new Error(`model weights: layer ${i} needs both ${kernelName(i)} and ${biasName(i)}`);
    if (k.shape.length !== 2 || b.shape.length !== 1 || b.shape[0] !== k.shape[1]) {
      throw new Error(
        `model weights: layer ${i} has kernel [${k.shape}] and bias [${b.shape}]; expected [in, out] and [out]`,
      );
    }
    const prev = layers[i - 1];
    if (prev && prev.units !== k.shape[0]) {
      throw new Error(
        `model weights: layer ${i} takes ${k.shape[0]} inputs but layer ${i - 1} gives ${prev.units}`,
      );
    }
    layers.push({
      kernel: kernelName(i),
      bias: biasName(i),
      inputs: k.shape[0] as number,
      units: k.shape[1] as number,
    });
  }
  if (layers.length === 0)
    throw new Error('model weights: no dense layers (expected dense_0/kernel, dense_0/bias, ...)');
  return layers;
}
