import { pauliExpectationsWasm } from './expectation-wasm.js';
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

const BLOCK_BITS = 16;

/**
 * Expectations of packed terms [x, z, ny]* for terms [from, to): the WebAssembly-SIMD kernel
 * (expectation-wasm.ts) where the host has it and the state is in its range, else JavaScript. `blockBits`
 * fixes the SIMD kernel's cache block (callers that split the terms pass the value for all of them).
 */
export function pauliExpectations(
  re: Amps,
  im: Amps,
  n: number,
  terms: Int32Array,
  from = 0,
  to = terms.length / 3,
  out: Float64Array<ArrayBufferLike> = new Float64Array(terms.length / 3),
  blockBits?: number,
): Float64Array<ArrayBufferLike> {
  if (pauliExpectationsWasm(re, im, n, terms, from, to, out, blockBits)) return out;
  return pauliExpectationsJs(re, im, n, terms, from, to, out);
}

/**
 * JavaScript expectations of packed terms [x, z, ny]*. Terms are grouped by the high bits of x so that, for each block of
 * 2^16 amplitudes, the partner block is the same for the whole group: both stay in cache while every term of
 * the group runs over them (a plain term-by-term loop streams the whole state once per term).
 */
export function pauliExpectationsJs(
  re: Amps,
  im: Amps,
  n: number,
  terms: Int32Array,
  from = 0,
  to = terms.length / 3,
  out: Float64Array<ArrayBufferLike> = new Float64Array(terms.length / 3),
): Float64Array<ArrayBufferLike> {
  const B = Math.min(n, BLOCK_BITS);
  if (B === n) {
    const table = new Float64Array(1 << Math.min(n, LOW_BITS));
    for (let t = from; t < to; t++)
      out[t] = pauliExpectation(re, im, n, terms[3 * t], terms[3 * t + 1], terms[3 * t + 2], table);
    return out;
  }
  const lowBits = LOW_BITS;
  const lowSize = 1 << lowBits;
  const lowMask = lowSize - 1;
  const blockSize = 1 << B;
  const blocks = 2 ** (n - B);
  const groups = new Map<number, number[]>();
  for (let t = from; t < to; t++) {
    const xh = terms[3 * t] >>> B;
    const g = groups.get(xh);
    if (g) g.push(t);
    else groups.set(xh, [t]);
  }
  for (const [xh, members] of groups) {
    const tables = members.map((t) => {
      const z = terms[3 * t + 1];
      const tab = new Float64Array(lowSize);
      for (let l = 0; l < lowSize; l++) tab[l] = parity(l & z) ? -1 : 1;
      return tab;
    });
    const acc = new Float64Array(members.length);
    for (let hi = 0; hi < blocks; hi++) {
      const partner = hi ^ xh;
      if (partner < hi) continue; // each block pair once
      const hb = hi * blockSize,
        pb = partner * blockSize;
      for (let m = 0; m < members.length; m++) {
        const t = members[m];
        const x = terms[3 * t],
          z = terms[3 * t + 1],
          ny = terms[3 * t + 2];
        const sgn = tables[m];
        const xl = x & (blockSize - 1);
        const odd = ny & 1;
        if (x === 0) {
          // diagonal: every amplitude once
          for (let sb = 0; sb < blockSize; sb += lowSize) {
            const base = hb + sb;
            let a = 0;
            for (let l = 0; l < lowSize; l++) {
              const j = base + l;
              a += sgn[l] * (re[j] * re[j] + im[j] * im[j]);
            }
            acc[m] += parity(base & z) ? -a : a;
          }
          continue;
        }
        const pairInBlock = partner === hi;
        // within one block, visit each pair once through its pivot bit (highest bit of x inside the block)
        const pivot = pairInBlock ? 31 - Math.clz32(xl) : -1;
        const pm = pivot >= 0 ? 1 << pivot : 0;
        const xlow = x & lowMask;
        const xmid = xl - xlow;
        for (let sb = 0; sb < blockSize; sb += lowSize) {
          if (pairInBlock && pivot >= lowBits && (sb & pm) !== 0) continue;
          const base = hb + sb;
          const pbase = pb + (sb ^ xmid);
          let a = 0;
          if (pairInBlock && pivot < lowBits) {
            for (let l = 0; l < lowSize; l++) {
              if ((l & pm) !== 0) continue;
              const j = base + l,
                k = pbase + (l ^ xlow);
              a += sgn[l] * (odd ? re[k] * im[j] - im[k] * re[j] : re[k] * re[j] + im[k] * im[j]);
            }
          } else if (odd) {
            for (let l = 0; l < lowSize; l++) {
              const j = base + l,
                k = pbase + (l ^ xlow);
              a += sgn[l] * (re[k] * im[j] - im[k] * re[j]);
            }
          } else {
            for (let l = 0; l < lowSize; l++) {
              const j = base + l,
                k = pbase + (l ^ xlow);
              a += sgn[l] * (re[k] * re[j] + im[k] * im[j]);
            }
          }
          acc[m] += parity(base & z) ? -a : a;
        }
      }
    }
    for (let m = 0; m < members.length; m++) {
      const t = members[m];
      const x = terms[3 * t],
        ny = terms[3 * t + 2];
      out[t] = x === 0 ? acc[m] : (ny === 0 || ny === 3 ? 2 : -2) * acc[m];
    }
  }
  return out;
}
