import { type GateName, type Kernel, makeKernel } from '../src/index.js';
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
