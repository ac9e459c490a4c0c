import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Decoding } from '../detect/decide.js';
import { type ModelConfig, parameterCount, parameterShapes } from './config.js';

/** Describes one tensor in the weights file. Matrices are int8 with one float32 scale per row. */
export interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'int8' | 'float32';
  offset: number;
  scaleOffset?: number;
}

export interface ModelManifest {
  format: 'tessera-disfluency/1';
  kind: 'wait' | 'lookahead';
  config: ModelConfig;
  parameters: number;
  vocab: string[];
  tensors: TensorEntry[];
  weightsFile: string;
  training: Record<string, unknown>;
  /** Decoding settings calibrated on held-out data after training; absent in uncalibrated models. */
  decoding?: Decoding;
}

export interface LoadedModel {
  manifest: ModelManifest;
  weights: Map<string, Float32Array>;
  bytesOnDisk: number;
}

/**
 * Symmetric per-row int8: each row r stores round(w / s_r) with s_r = max|row| / 127. Rows are embedding
 * vectors or a matrix's input rows; error per weight is at most s_r / 2.
 */
export function quantizeRows(
  w: Float32Array,
  rows: number,
  cols: number,
): { q: Int8Array; scales: Float32Array } {
  const q = new Int8Array(rows * cols);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let m = 0;
    for (let c = 0; c < cols; c++) m = Math.max(m, Math.abs(w[r * cols + c]));
    const s = m > 0 ? m / 127 : 1;
    scales[r] = s;
    for (let c = 0; c < cols; c++) q[r * cols + c] = Math.round(w[r * cols + c] / s);
  }
  return { q, scales };
}

export function dequantizeRows(q: Int8Array, scales: Float32Array, rows: number, cols: number): Float32Array {
  const w = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) w[r * cols + c] = q[r * cols + c] * scales[r];
  return w;
}

/** Writes `<dir>/<name>.json` (manifest) and `<dir>/<name>.bin` (weights). */
export function saveModel(
  dir: string,
  name: string,
  kind: ModelManifest['kind'],
  config: ModelConfig,
  vocab: readonly string[],
  weights: Map<string, Float32Array>,
  training: Record<string, unknown>,
): ModelManifest {
  const chunks: Buffer[] = [];
  let offset = 0;
  const push = (buf: Buffer) => {
    const pad = (4 - (offset % 4)) % 4;
    if (pad) {
      chunks.push(Buffer.alloc(pad));
      offset += pad;
    }
    const at = offset;
    chunks.push(buf);
    offset += buf.length;
    return at;
  };
  const tensors: TensorEntry[] = [];
  for (const [tname, shape] of parameterShapes(config)) {
    const w = weights.get(tname);
    const size = shape.reduce((a, b) => a * b, 1);
    if (!w || w.length !== size) throw new Error(`weights for ${tname} missing or wrong size`);
    if (shape.length === 2) {
      const { q, scales } = quantizeRows(w, shape[0], shape[1]);
      const at = push(Buffer.from(q.buffer, q.byteOffset, q.byteLength));
      const sat = push(Buffer.from(scales.buffer, scales.byteOffset, scales.byteLength));
      tensors.push({ name: tname, shape, dtype: 'int8', offset: at, scaleOffset: sat });
    } else {
      const at = push(Buffer.from(w.buffer, w.byteOffset, w.byteLength));
      tensors.push({ name: tname, shape, dtype: 'float32', offset: at });
    }
  }
  const manifest: ModelManifest = {
    format: 'tessera-disfluency/1',
    kind,
    config,
    parameters: parameterCount(config),
    vocab: [...vocab],
    tensors,
    weightsFile: `${name}.bin`,
    training,
  };
  writeFileSync(path.join(dir, `${name}.bin`), Buffer.concat(chunks));
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(manifest));
  return manifest;
}

/** Stores calibrated decoding settings in a model's manifest (the weights are untouched). */
export function writeDecoding(manifestPath: string, decoding: Decoding): void {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ModelManifest;
  manifest.decoding = {
    waitThresholds: decoding.waitThresholds,
    reparandumBias: decoding.reparandumBias,
    calibratedOn: decoding.calibratedOn,
  };
  writeFileSync(manifestPath, JSON.stringify(manifest));
}

export function loadModel(manifestPath: string): LoadedModel {
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ModelManifest;
  } catch (e) {
    throw new Error(`cannot read model manifest ${manifestPath}: ${(e as Error).message}`);
  }
  if (manifest.format !== 'tessera-disfluency/1') {
    throw new Error(`${manifestPath} is not a tessera-disfluency model (format ${String(manifest.format)})`);
  }
  const binPath = path.join(path.dirname(manifestPath), manifest.weightsFile);
  const bin = readFileSync(binPath);
  const weights = new Map<string, Float32Array>();
  for (const t of manifest.tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (t.dtype === 'int8') {
      const q = new Int8Array(bin.buffer, bin.byteOffset + t.offset, size);
      const rows = t.shape[0];
      const scales = new Float32Array(
        bin.buffer.slice(bin.byteOffset + t.scaleOffset!, bin.byteOffset + t.scaleOffset! + rows * 4),
      );
      weights.set(t.name, dequantizeRows(q, scales, rows, t.shape[1]));
    } else {
      weights.set(
        t.name,
        new Float32Array(bin.buffer.slice(bin.byteOffset + t.offset, bin.byteOffset + t.offset + size * 4)),
      );
    }
  }
  return { manifest, weights, bytesOnDisk: bin.length + Buffer.byteLength(JSON.stringify(manifest)) };
}
