import { type Kernel, makeKernel } from '../src/index.js';
import type { BGate } from './circuits.js';

/** A benchmark gate list as a kernel. */
export function toKernel(n: number, gates: BGate[]): Kernel<[]> {
  const [k] = makeKernel();
  const q = k.qalloc(n);
  for (const g of gates) {
    const [a, b] = g.q;
    switch (g.name) {
      case 'h':
        k.h(q[a]);
        break;
      case 'x':
        k.x(q[a]);
        break;
      case 'rx':
        k.rx(g.theta as number, q[a]);
        break;
      case 'ry':
        k.ry(g.theta as number, q[a]);
        break;
      case 'rz':
        k.rz(g.theta as number, q[a]);
        break;
      case 'cx':
        k.cx(q[a], q[b]);
        break;
      case 'cr1':
        k.cr1(g.theta as number, q[a], q[b]);
        break;
      case 'swap':
        k.swap(q[a], q[b]);
        break;
    }
  }
  return k;
}
