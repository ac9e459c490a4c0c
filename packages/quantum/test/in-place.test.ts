import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import fc from 'fast-check';
import { getState, observe, SpinOperator, sample } from '../src/index.js';
import type { GateOp } from '../src/ir/circuit.js';
import { installNodePlatform } from '../src/node/platform.js';
import { applyGates } from '../src/sim/engine.js';
import { lowerGate } from '../src/sim/lowered.js';
import {
  allocateState,
  checkStateSize,
  getPlatform,
  KEEP_MAX_QUBITS,
  releaseState,
  SPARE_IDLE_MS,
  type StateVector,
  setPlatform,
  spareBytes,
} from '../src/sim/state.js';
import { allocateHome } from '../src/sim/wasm-state.js';
import { buildKernel, gateArb, preparedState } from './circuits.js';
import type { RefGate } from './dense-reference.js';
import { type Amplitudes, simulateDirect } from './direct-reference.js';

/** The same gates on a state in WebAssembly memory and on one in typed arrays (chunks copied in JavaScript). */
function bothWays(n: number, gates: RefGate[], blockQubits?: number): [StateVector, StateVector] {
  const circuit = buildKernel(n, gates).toCircuit();
  const lowered = circuit.ops.map((o) => lowerGate(o as GateOp, n));
  const home = allocateState(n, 'complex128');
  assert.ok(home.home, `a ${n}-qubit complex128 state lives in WebAssembly memory`);
  const arrays: StateVector = {
    n,
    re: new Float64Array(2 ** n),
    im: new Float64Array(2 ** n),
    precision: 'complex128',
  };
  arrays.re[0] = 1;
  applyGates(home, lowered, { blockQubits });
  applyGates(arrays, lowered, { blockQubits });
  return [home, arrays];
}

function assertClose(
  label: string,
  want: Amplitudes | StateVector,
  got: Amplitudes | StateVector,
  tol: number,
): void {
  for (let i = 0; i < want.re.length; i++) {
    if (Math.abs(want.re[i] - got.re[i]) > tol || Math.abs(want.im[i] - got.im[i]) > tol)
      assert.fail(`${label}: amplitude ${i} want ${want.re[i]},${want.im[i]} got ${got.re[i]},${got.im[i]}`);
  }
}

/** Random gates with Pauli exponentials on up to 6 qubits: wider than a 4-qubit block, they make whole-state segments. */
function wideArb(n: number): fc.Arbitrary<RefGate[]> {
  const wide = fc
    .record({
      qs: fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: 5, maxLength: 6 },
      ),
      word: fc.array(fc.constantFrom('X', 'Y', 'Z'), { minLength: 6, maxLength: 6 }),
      theta: fc.double({ min: -3, max: 3, noNaN: true }),
    })
    .map(
      ({ qs, word, theta }): RefGate => ({
        name: 'pauli',
        targets: qs,
        controls: [],
        params: [theta],
        adjoint: false,
        word: word.slice(0, qs.length).join(''),
      }),
    );
  return fc.array(fc.oneof({ arbitrary: gateArb(n), weight: 5 }, { arbitrary: wide, weight: 1 }), {
    minLength: 5,
    maxLength: 40,
  });
}

test('SIMD kernels in place on WebAssembly memory (contiguous chunks, gathered chunks, whole-state segments) match the reference and the typed-array path', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 10, max: 13 }).chain((n) => fc.record({ n: fc.constant(n), gates: wideArb(n) })),
      ({ n, gates }) => {
        const ref = simulateDirect(n, gates);
        for (const block of [undefined, 4, 7, n - 2]) {
          const [home, arrays] = bothWays(n, gates, block);
          assertClose(`in place, n=${n} block ${block}`, ref, home, 1e-10);
          assertClose(`in place against typed arrays, n=${n} block ${block}`, arrays, home, 1e-12);
        }
      },
    ),
    { numRuns: 25, seed: 2718 },
  );
});

test('a finished state leaves its WebAssembly memory to the next one, zeroed; getState hands out a copy that later runs leave alone', () => {
  const n = 12;
  const gen = (seed: number) =>
    fc.sample(fc.array(gateArb(n), { minLength: 20, maxLength: 20 }), { numRuns: 1, seed })[0];
  const g1 = gen(1),
    g2 = gen(2);
  const k1 = buildKernel(n, g1),
    k2 = buildKernel(n, g2);
  const a = preparedState(k1);
  const mem = a.home?.mem;
  assert.ok(mem);
  releaseState(a);
  const b = preparedState(k2);
  assert.equal(b.home?.mem, mem, 'the released memory is reused');
  assertClose('reused memory', simulateDirect(n, g2), b, 1e-10);
  releaseState(b);

  const s1 = getState(k1).vector;
  assert.equal(s1.home, undefined, 'getState returns the state in arrays of its own');
  const before = { re: s1.re.slice(), im: s1.im.slice() };
  sample(k2, { shots: 100, seed: 3 });
  observe(k2, SpinOperator.random(n, 20, 5));
  const s2 = getState(k2).vector;
  assertClose('getState after other runs', simulateDirect(n, g2), s2, 1e-10);
  assert.deepEqual({ re: s1.re, im: s1.im }, before, 'an earlier getState result is untouched');
  assert.deepEqual(getState(k1).vector.re, s1.re);
});

test('a spare memory above 24 qubits goes back after 5 s idle; a smaller one stays; the size check counts the spare as free', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const homeState = (n: number): StateVector => {
    // 2^n amplitudes of address space, never touched here (no page faults)
    const h = allocateHome(n, 1, false);
    assert.ok(h);
    return { n, re: h.re, im: h.im, precision: 'complex128', home: h.home };
  };
  try {
    const big = homeState(KEEP_MAX_QUBITS + 1);
    releaseState(big);
    assert.equal(spareBytes(), big.home?.mem.buffer.byteLength);
    // 100 MiB free by the OS's count, but the 512 MiB spare is reclaimable: a 24-qubit state (256 MiB) fits
    const platform = getPlatform();
    setPlatform({ memory: () => ({ total: 2 ** 31, free: 100 * 2 ** 20 }) });
    try {
      assert.doesNotThrow(() => checkStateSize(24, 'complex128'));
      assert.throws(() => checkStateSize(26, 'complex128'), /needs 1.0 GiB/);
    } finally {
      setPlatform(platform);
    }
    mock.timers.tick(SPARE_IDLE_MS - 1);
    assert.ok(spareBytes() > 0, 'kept while a burst of calls may still reuse it');
    mock.timers.tick(1);
    assert.equal(spareBytes(), 0, 'dropped once idle');

    // typed arrays (28 qubits and complex64 live there): kept above 24 qubits only, dropped the same way
    const small64 = allocateState(12, 'complex64');
    releaseState(small64);
    assert.equal(spareBytes(), 0, 'a small typed-array state is cheap to make again');
    const bigArrays = allocateState(KEEP_MAX_QUBITS + 1, 'complex64');
    releaseState(bigArrays);
    assert.equal(spareBytes(), 2 * 4 * 2 ** (KEEP_MAX_QUBITS + 1));
    const reused = allocateState(KEEP_MAX_QUBITS + 1, 'complex64');
    // (typed arrays of 2^25 entries are compared by identity, never printed)
    assert.ok(reused.re === bigArrays.re, 'the next state of that shape takes it');
    assert.equal(reused.re[0], 1);
    assert.equal(spareBytes(), 0);
    releaseState(reused);
    mock.timers.tick(SPARE_IDLE_MS);
    assert.equal(spareBytes(), 0);

    const small = homeState(12);
    releaseState(small);
    mock.timers.tick(10 * SPARE_IDLE_MS);
    assert.equal(spareBytes(), small.home?.mem.buffer.byteLength, 'a spare of up to 24 qubits is kept');
    // a state of another shape takes the place of the spare: it is not kept beside it
    const bigAgain = homeState(KEEP_MAX_QUBITS + 1);
    releaseState(bigAgain);
    const other = allocateState(12, 'complex128');
    assert.ok(
      other.home && other.home.mem !== bigAgain.home?.mem,
      'the 12-qubit state has memory of its own',
    );
    assert.equal(spareBytes(), 0);
  } finally {
    mock.timers.reset();
  }
});

test('cpu-mqpu observe on a state in a non-shared WebAssembly memory (copied into shared buffers for the QPUs) equals cpu', () => {
  installNodePlatform();
  const n = 12;
  const gates = fc.sample(fc.array(gateArb(n), { minLength: 30, maxLength: 30 }), { numRuns: 1, seed: 8 })[0];
  const k = buildKernel(n, gates);
  const state = preparedState(k);
  assert.ok(
    state.home && !(state.home.mem.buffer instanceof SharedArrayBuffer),
    'a non-shared WebAssembly memory',
  );
  releaseState(state);
  const H = SpinOperator.random(n, 200, 6);
  const one = observe(k, H);
  const multi = observe(k, H, { target: { name: 'cpu-mqpu', options: { qpus: 2 } } });
  assert.deepEqual(
    multi.terms.map((t) => t.value),
    one.terms.map((t) => t.value),
  );
});
