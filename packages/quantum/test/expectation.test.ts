import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packTerms } from '../src/exec/observe.js';
import { SpinOperator } from '../src/index.js';
import { pauliExpectations, pauliExpectationsJs } from '../src/sim/expectation.js';
import { pauliExpectationsWasm, wasmAvailable } from '../src/sim/expectation-wasm.js';

/** ⟨ψ|P|ψ⟩ by applying the word letter by letter (Y|0⟩ = i|1⟩, Y|1⟩ = −i|0⟩): no masks, no tables. */
function reference(word: string[], re: ArrayLike<number>, im: ArrayLike<number>): number {
  const N = re.length;
  let pr = Float64Array.from(re),
    pi = Float64Array.from(im);
  word.forEach((p, q) => {
    if (p === 'I') return;
    const nr = new Float64Array(N),
      ni = new Float64Array(N);
    for (let j = 0; j < N; j++) {
      const bit = (j >>> q) & 1;
      if (p === 'Z') {
        nr[j] = bit ? -pr[j] : pr[j];
        ni[j] = bit ? -pi[j] : pi[j];
        continue;
      }
      const k = j ^ (1 << q);
      if (p === 'X') {
        nr[k] = pr[j];
        ni[k] = pi[j];
      } else {
        // Y: |0⟩ → i|1⟩, |1⟩ → −i|0⟩
        const s = bit ? -1 : 1;
        nr[k] = -s * pi[j];
        ni[k] = s * pr[j];
      }
    }
    pr = nr;
    pi = ni;
  });
  let e = 0;
  for (let j = 0; j < N; j++) e += re[j] * pr[j] + im[j] * pi[j];
  return e;
}

function randomState(n: number, seed: number, f32 = false) {
  let s = seed >>> 0;
  const r = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const N = 2 ** n;
  const re = f32 ? new Float32Array(N) : new Float64Array(N);
  const im = f32 ? new Float32Array(N) : new Float64Array(N);
  let norm = 0;
  for (let j = 0; j < N; j++) {
    re[j] = r();
    im[j] = r();
    norm += re[j] * re[j] + im[j] * im[j];
  }
  const k = 1 / Math.sqrt(norm);
  for (let j = 0; j < N; j++) {
    re[j] *= k;
    im[j] *= k;
  }
  return { re, im };
}

function operator(n: number, seed: number, count: number): SpinOperator {
  // random words plus the cases the kernels treat apart: identity, Z-only, flips only in the low 10 bits,
  // a flip on the top qubit, Y on the top qubit
  const top = n - 1;
  return SpinOperator.random(n, count, seed).add(
    SpinOperator.parse(`2 + Z0 Z3 + X1 Y2 + Y0 X9 Z4 + X${top} + Y${top} Z0 + X0 Y5 X${top} + Z${top}`),
  );
}

test('the WebAssembly-SIMD kernel runs under Node', () => {
  assert.ok(wasmAvailable(), 'WebAssembly SIMD is available in Node 20');
});

for (const [n, f32] of [
  [10, false],
  [11, false],
  [13, false],
  [12, true],
  [17, false], // the JavaScript kernel's cache-blocked term groups start above 16 qubits
] as Array<[number, boolean]>) {
  test(`Pauli expectations at ${n} qubits${f32 ? ' (complex64)' : ''}: SIMD and JavaScript kernels match a letter-by-letter reference`, () => {
    const { re, im } = randomState(n, 11 * n + (f32 ? 1 : 0), f32);
    const H = operator(n, n, n > 16 ? 8 : 40);
    const packed = packTerms(H.rawTerms());
    const T = packed.length / 3;
    const wasm = new Float64Array(T);
    // in two ranges, as the worker pool calls it
    const half = Math.floor(T / 2);
    assert.ok(pauliExpectationsWasm(re, im, n, packed, 0, half, wasm));
    assert.ok(pauliExpectationsWasm(re, im, n, packed, half, T, wasm));
    const js = pauliExpectationsJs(re, im, n, packed);
    const auto = pauliExpectations(re, im, n, packed);
    let t = 0;
    for (const term of H) {
      const word = Array.from({ length: n }, (_, q) => term.pauliAt(q));
      const want = reference(word, re, im);
      const name = term.toString();
      assert.ok(Math.abs(wasm[t] - want) < 1e-12, `wasm ${name}: ${wasm[t]} vs ${want}`);
      assert.ok(Math.abs(js[t] - want) < 1e-12, `js ${name}: ${js[t]} vs ${want}`);
      assert.equal(auto[t], wasm[t]);
      t++;
    }
  });
}

test('the JavaScript kernel is used below 10 qubits', () => {
  const { re, im } = randomState(6, 5);
  const packed = packTerms(SpinOperator.random(6, 20, 1).rawTerms());
  assert.equal(pauliExpectationsWasm(re, im, 6, packed, 0, 20, new Float64Array(20)), false);
  assert.deepEqual(pauliExpectations(re, im, 6, packed), pauliExpectationsJs(re, im, 6, packed));
});
