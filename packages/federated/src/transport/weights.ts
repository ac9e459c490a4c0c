import type { WeightsMap } from '../core/contracts.js';

export interface TensorHeader {
  name: string;
  shape: number[];
}

/** Splits weights into a JSON-able layout and byte views over the original float32 buffers (no copy). */
export function weightsToSegments(w: WeightsMap | undefined): {
  tensors: TensorHeader[];
  segments: Uint8Array[];
} {
  const tensors: TensorHeader[] = [];
  const segments: Uint8Array[] = [];
  for (const [name, t] of Object.entries(w ?? {})) {
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (expected !== t.data.length)
      throw new Error(
        `tensor "${name}": shape [${t.shape}] holds ${expected} values but data has ${t.data.length}`,
      );
    tensors.push({ name, shape: t.shape });
    segments.push(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return { tensors, segments };
}

export function segmentsToWeights(tensors: TensorHeader[], segments: Uint8Array[], offset = 0): WeightsMap {
  const w: WeightsMap = {};
  tensors.forEach((t, i) => {
    const seg = segments[offset + i];
    if (!seg) throw new Error(`tensor "${t.name}" has no data segment`);
    const data =
      seg.byteOffset % 4 === 0
        ? new Float32Array(seg.buffer, seg.byteOffset, seg.byteLength / 4)
        : new Float32Array(seg.slice().buffer);
    w[t.name] = { shape: t.shape, data };
  });
  return w;
}
