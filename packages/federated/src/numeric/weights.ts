/** Arithmetic on WeightsMaps: the only numeric work the server does (averaging, server optimisers, filters). */
import type { Metrics, Tensor, WeightsMap } from '../core/contracts.js';

export function cloneWeights(w: WeightsMap): WeightsMap {
  const out: WeightsMap = {};
  for (const [k, t] of Object.entries(w)) out[k] = { shape: t.shape.slice(), data: new Float32Array(t.data) };
  return out;
}

export function tensor(shape: number[], values?: ArrayLike<number>): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  if (values) {
    if (values.length !== size)
      throw new Error(`tensor of shape [${shape}] needs ${size} values, got ${values.length}`);
    data.set(values);
  }
  return { shape: shape.slice(), data };
}

export function parameterCount(w: WeightsMap): number {
  let n = 0;
  for (const t of Object.values(w)) n += t.data.length;
  return n;
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Sample-weighted mean, variable by variable, over the contributions that carry that variable. A variable
 * that no contribution carries (e.g. excluded by a privacy filter at every site) keeps its value in `base`.
 * Accumulates in float64 so the result does not depend on float32 rounding of partial sums.
 */
export function weightedAverage(
  items: Array<{ weights: WeightsMap; weight: number }>,
  base: WeightsMap,
): WeightsMap {
  const out: WeightsMap = {};
  for (const [name, baseTensor] of Object.entries(base)) {
    const acc = new Float64Array(baseTensor.data.length);
    let total = 0;
    for (const { weights, weight } of items) {
      const t = weights[name];
      if (!t) continue;
      if (!sameShape(t.shape, baseTensor.shape)) {
        throw new Error(
          `variable ${name}: a client sent shape [${t.shape}], the global model has [${baseTensor.shape}]`,
        );
      }
      if (!(weight > 0)) continue;
      total += weight;
      const d = t.data;
      for (let i = 0; i < acc.length; i++) acc[i] += weight * d[i];
    }
    if (total === 0) {
      out[name] = { shape: baseTensor.shape.slice(), data: new Float32Array(baseTensor.data) };
      continue;
    }
    const data = new Float32Array(acc.length);
    for (let i = 0; i < acc.length; i++) data[i] = acc[i] / total;
    out[name] = { shape: baseTensor.shape.slice(), data };
  }
  return out;
}

/** a - b for every variable in a (b must carry it). */
export function subtract(a: WeightsMap, b: WeightsMap): WeightsMap {
  const out: WeightsMap = {};
  for (const [name, t] of Object.entries(a)) {
    const u = b[name];
    if (!u) throw new Error(`variable ${name} is missing from the reference weights`);
    const data = new Float32Array(t.data.length);
    for (let i = 0; i < data.length; i++) data[i] = t.data[i] - u.data[i];
    out[name] = { shape: t.shape.slice(), data };
  }
  return out;
}

export function add(a: WeightsMap, b: WeightsMap): WeightsMap {
  const out: WeightsMap = {};
  for (const [name, t] of Object.entries(a)) {
    const u = b[name];
    if (!u) throw new Error(`variable ${name} is missing from the second operand`);
    const data = new Float32Array(t.data.length);
    for (let i = 0; i < data.length; i++) data[i] = t.data[i] + u.data[i];
    out[name] = { shape: t.shape.slice(), data };
  }
  return out;
}

export function l2Norm(w: WeightsMap): number {
  let s = 0;
  for (const t of Object.values(w)) for (let i = 0; i < t.data.length; i++) s += t.data[i] * t.data[i];
  return Math.sqrt(s);
}

export function maxAbsDifference(a: WeightsMap, b: WeightsMap): number {
  let m = 0;
  for (const [name, t] of Object.entries(a)) {
    const u = b[name];
    if (!u) return Number.POSITIVE_INFINITY;
    for (let i = 0; i < t.data.length; i++) m = Math.max(m, Math.abs(t.data[i] - u.data[i]));
  }
  return m;
}

/** Mean of each metric over the replies that report it, weighted by their sample counts. */
export function weightedMetrics(items: Array<{ metrics?: Metrics; weight: number }>): Metrics {
  const sums: Record<string, number> = {};
  const totals: Record<string, number> = {};
  for (const { metrics, weight } of items) {
    if (!metrics) continue;
    const w = weight > 0 ? weight : 1;
    for (const [k, v] of Object.entries(metrics)) {
      if (!Number.isFinite(v)) continue;
      sums[k] = (sums[k] ?? 0) + w * v;
      totals[k] = (totals[k] ?? 0) + w;
    }
  }
  const out: Metrics = {};
  for (const k of Object.keys(sums)) out[k] = (sums[k] as number) / (totals[k] as number);
  return out;
}
