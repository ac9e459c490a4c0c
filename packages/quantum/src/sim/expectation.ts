import { type Amps, parity } from './kernels.js';

const LOW_BITS = 10;

/**
 * Re⟨ψ|P|ψ⟩ for P|j⟩ = i^ny (−1)^{|j∧z|} |j⊕x⟩. Amplitude pairs (j, j⊕x) are visited once; the sign of the
 * low bits comes from a small per-term table so the inner loop is a handful of loads and multiplies.
 */
export function pauliExpectation(
  re: Amps,
  im: Amps,
  n: number,
  x: number,
  z: number,
  ny: number,
  lowTable?: Float64Array,
): number {
  const lowBits = Math.min(n, LOW_BITS);
  const lowSize = 1 << lowBits;
  const lowMask = lowSize - 1;
  const sgn = lowTable ?? new Float64Array(lowSize);
  for (let l = 0; l < lowSize; l++) sgn[l] = parity(l & z) ? -1 : 1;
  const blocks = 2 ** (n - lowBits);
  let total = 0;
  if (x === 0) {
    for (let h = 0; h < blocks; h++) {
      const hb = h * lowSize;
      let acc = 0;
      for (let l = 0; l < lowSize; l++) {
        const j = hb + l;
        acc += sgn[l] * (re[j] * re[j] + im[j] * im[j]);
      }
      total += parity(hb & z) ? -acc : acc;
    }
    return total;
  }
  const pivot = 31 - Math.clz32(x);
  const pm = 1 << pivot;
  const xl = x & lowMask;
  const xh = x - xl;
  const odd = ny & 1;
  for (let h = 0; h < blocks; h++) {
    const hb = h * lowSize;
    if (pivot >= lowBits && (hb & pm) !== 0) continue;
    const pb = hb ^ xh;
    let acc = 0;
    if (pivot >= lowBits) {
      if (odd) {
        for (let l = 0; l < lowSize; l++) {
          const j = hb + l,
            k = pb + (l ^ xl);
          acc += sgn[l] * (re[k] * im[j] - im[k] * re[j]);
        }
      } else {
        for (let l = 0; l < lowSize; l++) {
          const j = hb + l,
            k = pb + (l ^ xl);
          acc += sgn[l] * (re[k] * re[j] + im[k] * im[j]);
        }
      }
    } else {
      for (let l = 0; l < lowSize; l++) {
        if ((l & pm) !== 0) continue;
        const j = hb + l,
          k = pb + (l ^ xl);
        acc += sgn[l] * (odd ? re[k] * im[j] - im[k] * re[j] : re[k] * re[j] + im[k] * im[j]);
      }
    }
    total += parity(hb & z) ? -acc : acc;
  }
  // ny even: ±2·Re(A); ny = 1: −2·Im(A); ny = 3: +2·Im(A)  (A = conj(ψ_k)·ψ_j)
  const f = ny === 0 ? 2 : ny === 1 ? -2 : ny === 2 ? -2 : 2;
  return f * total;
}

/** Expectations of packed terms [x, z, ny]*, single-threaded. */
export function pauliExpectations(
  re: Amps,
  im: Amps,
  n: number,
  terms: Int32Array,
  from = 0,
  to = terms.length / 3,
  out: Float64Array<ArrayBufferLike> = new Float64Array(terms.length / 3),
): Float64Array<ArrayBufferLike> {
  const table = new Float64Array(1 << Math.min(n, LOW_BITS));
  for (let t = from; t < to; t++)
    out[t] = pauliExpectation(re, im, n, terms[3 * t], terms[3 * t + 1], terms[3 * t + 2], table);
  return out;
}
