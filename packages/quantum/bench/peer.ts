/**
 * Runs one circuit on an npm simulator in its own process (the parent enforces a time cap):
 *   node --import tsx bench/peer.ts <quantum-circuit|jsqubits> <ghz|qft|layered> <n>
 * Prints the seconds the simulation took.
 */
import { createRequire } from 'node:module';
import { CIRCUITS } from './circuits.js';

const [lib, circuit, nText] = process.argv.slice(2);
const n = Number(nText);
const gates = CIRCUITS[circuit](n);
const require = createRequire(import.meta.url);

if (lib === 'quantum-circuit') {
  const QuantumCircuit = require('quantum-circuit');
  const c = new QuantumCircuit(n);
  for (const g of gates) {
    if (g.name === 'cr1') c.appendGate('cu1', g.q, { params: { lambda: g.theta } });
    else if (g.name === 'rz') c.appendGate('rz', g.q[0], { params: { phi: g.theta } });
    else if (g.name === 'rx' || g.name === 'ry') c.appendGate(g.name, g.q[0], { params: { theta: g.theta } });
    else if (g.name === 'cx' || g.name === 'swap') c.appendGate(g.name, g.q);
    else c.appendGate(g.name, g.q[0]);
  }
  const t0 = performance.now();
  c.run();
  console.log(((performance.now() - t0) / 1000).toFixed(4));
} else if (lib === 'jsqubits') {
  const moduleName = 'jsqubits';
  const { jsqubits } = await import(moduleName);
  const t0 = performance.now();
  let s = jsqubits(`|${'0'.repeat(n)}>`);
  for (const g of gates) {
    switch (g.name) {
      case 'h':
        s = s.hadamard(g.q[0]);
        break;
      case 'x':
        s = s.x(g.q[0]);
        break;
      case 'rx':
        s = s.rotateX(g.q[0], g.theta);
        break;
      case 'ry':
        s = s.rotateY(g.q[0], g.theta);
        break;
      case 'rz':
        s = s.rotateZ(g.q[0], g.theta);
        break;
      case 'cx':
        s = s.cnot(g.q[0], g.q[1]);
        break;
      case 'cr1':
        s = s.controlledR(g.q[0], g.q[1], g.theta);
        break;
      case 'swap':
        s = s.swap(g.q[0], g.q[1]);
        break;
    }
  }
  console.log(((performance.now() - t0) / 1000).toFixed(4));
} else {
  console.error(`unknown library ${lib}`);
  process.exit(2);
}
