import {
  type Circuit,
  type GateOp,
  type MeasureOp,
  measurementsAreTerminal,
  type Op,
} from '../ir/circuit.js';
import { applyGates, type EngineOptions, runTrajectory, sampleIndices } from '../sim/engine.js';
import { lowerGate } from '../sim/lowered.js';
import { allocateState, releaseState } from '../sim/state.js';
import { Rng } from '../util/rng.js';
import { SampleResult } from './sample-result.js';

export const GLOBAL_REGISTER = '__global__';

/** Samples a circuit: one simulation when all measurements are terminal, one trajectory per shot otherwise. */
export function sampleCircuit(
  circuit: Circuit,
  shots: number,
  seed: number | undefined,
  engine: EngineOptions,
): SampleResult {
  const rng = new Rng(seed);
  if (measurementsAreTerminal(circuit.ops)) return sampleTerminal(circuit, shots, rng, engine);
  const global = new Map<string, number>();
  const regs = new Map<string, Map<string, number>>();
  for (let s = 0; s < shots; s++) {
    const { record, state } = runTrajectory(circuit, rng, engine);
    releaseState(state);
    const all = record.map((r) => r.bit).join('');
    global.set(all, (global.get(all) ?? 0) + 1);
    const byReg = new Map<string, string>();
    for (const r of record) byReg.set(r.register, (byReg.get(r.register) ?? '') + r.bit);
    for (const [name, bits] of byReg) {
      const m = regs.get(name) ?? new Map<string, number>();
      m.set(bits, (m.get(bits) ?? 0) + 1);
      regs.set(name, m);
    }
  }
  return new SampleResult(global, regs);
}

function sampleTerminal(circuit: Circuit, shots: number, rng: Rng, engine: EngineOptions): SampleResult {
  const gates: Op[] = [];
  let measures: MeasureOp[] = [];
  for (const op of circuit.ops) (op.type === 'measure' ? measures : gates).push(op as never);
  if (measures.length === 0) {
    measures = Array.from(
      { length: circuit.numQubits },
      (_, q): MeasureOp => ({ type: 'measure', basis: 'z', qubit: q, register: GLOBAL_REGISTER, id: q }),
    );
  }
  const state = allocateState(
    circuit.numQubits,
    engine.precision ?? 'complex128',
    engine.maxMemoryBytes,
    engine.simd !== false,
  );
  const rotated = new Set<number>();
  const basisGates: GateOp[] = [];
  for (const m of measures) {
    if (m.basis === 'z' || rotated.has(m.qubit)) continue;
    rotated.add(m.qubit);
    if (m.basis === 'y')
      basisGates.push({
        type: 'gate',
        name: 'sdg',
        targets: [m.qubit],
        controls: [],
        params: [],
        adjoint: false,
      });
    basisGates.push({
      type: 'gate',
      name: 'h',
      targets: [m.qubit],
      controls: [],
      params: [],
      adjoint: false,
    });
  }
  applyGates(
    state,
    [...gates, ...basisGates].map((g) => lowerGate(g as GateOp, circuit.numQubits)),
    engine,
  );
  const counts = sampleIndices(state, shots, rng);
  releaseState(state);
  const global = new Map<string, number>();
  const regs = new Map<string, Map<string, number>>();
  for (const [index, c] of counts) {
    const bitOf = (q: number) => (Math.floor(index / 2 ** q) & 1 ? '1' : '0');
    const all = measures.map((m) => bitOf(m.qubit)).join('');
    global.set(all, (global.get(all) ?? 0) + c);
    const byReg = new Map<string, string>();
    for (const m of measures) byReg.set(m.register, (byReg.get(m.register) ?? '') + bitOf(m.qubit));
    for (const [name, bits] of byReg) {
      const r = regs.get(name) ?? new Map<string, number>();
      r.set(bits, (r.get(bits) ?? 0) + c);
      regs.set(name, r);
    }
  }
  return new SampleResult(global, regs);
}
