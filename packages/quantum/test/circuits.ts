import fc from 'fast-check';
import { prepareState } from '../src/exec/observe.js';
import { type GateName, type Kernel, makeKernel, type TargetOptions } from '../src/index.js';
import type { StateVector } from '../src/sim/state.js';
import { resolveTarget } from '../src/targets/registry.js';
import type { RefGate } from './dense-reference.js';

/** Builds a kernel from reference gate records (the same list the dense reference simulates). */
export function buildKernel(n: number, gates: RefGate[]): Kernel<[]> {
  const [k] = makeKernel();
  const q = k.qalloc(n);
  for (const g of gates) {
    if (g.name === 'pauli')
      k.expPauli(
        g.params[0],
        g.targets.map((t) => q[t]),
        g.word as string,
      );
    else
      k.gate(
        g.name as GateName,
        g.targets.map((t) => q[t]),
        g.params,
        { controls: g.controls.map((c) => q[c]), adjoint: g.adjoint },
      );
  }
  return k;
}

const ONE_Q: GateName[] = ['x', 'y', 'z', 'h', 's', 't', 'sdg', 'tdg', 'rx', 'ry', 'rz', 'r1', 'u3'];
const PARAMS: Record<string, number> = { rx: 1, ry: 1, rz: 1, r1: 1, u3: 3 };

/** A random gate: any single-qubit gate, swap or Pauli exponential, with 0–2 controls and a random adjoint flag. */
export function gateArb(n: number): fc.Arbitrary<RefGate> {
  const angle = fc.double({ min: -Math.PI * 2, max: Math.PI * 2, noNaN: true });
  const perm = fc.shuffledSubarray(
    Array.from({ length: n }, (_, i) => i),
    { minLength: n, maxLength: n },
  );
  const kinds: Array<string> = [...ONE_Q, ...(n >= 2 ? ['swap', 'pauli'] : ['pauli'])];
  return fc
    .record({
      kind: fc.constantFrom(...kinds),
      perm,
      nc: fc.integer({ min: 0, max: 2 }),
      params: fc.array(angle, { minLength: 3, maxLength: 3 }),
      adjoint: fc.boolean(),
      word: fc.array(fc.constantFrom('I', 'X', 'Y', 'Z'), { minLength: 1, maxLength: 4 }),
    })
    .map(({ kind, perm, nc, params, adjoint, word }) => {
      const nt = kind === 'swap' ? 2 : kind === 'pauli' ? Math.min(word.length, n) : 1;
      const targets = perm.slice(0, nt);
      const controls = kind === 'pauli' ? [] : perm.slice(nt, Math.min(n, nt + nc));
      return {
        name: kind,
        targets,
        controls,
        params: kind === 'pauli' ? [params[0]] : params.slice(0, PARAMS[kind] ?? 0),
        adjoint: kind === 'pauli' ? false : adjoint,
        word: kind === 'pauli' ? word.slice(0, nt).join('') : undefined,
      };
    });
}

/**
 * The engine's own final state for a kernel — not getState's copy — so a test can see where it lives
 * (WebAssembly memory, shared or not) and so which path ran. Release it with releaseState when done.
 */
export function preparedState(k: Kernel<[]>, options: TargetOptions = {}): StateVector {
  return prepareState(k.toCircuit(), resolveTarget({ name: 'cpu', options }).engine());
}
