/** Browser-safe entry: everything except worker threads, the memory probe, and the cpu-mqpu target. */

export { DEFAULT_SHOTS, draw, getState, observe, QuantumState, sample } from './exec/api.js';
export { observeAsync, sampleAsync } from './exec/async.js';
export type { CallOptions } from './exec/call-args.js';
export { drawCircuit } from './exec/draw.js';
export { groupQubitWise, ObserveResult, type TermValue } from './exec/observe.js';
export { SampleResult } from './exec/sample-result.js';
export type { Circuit, GateName, GateOp, MeasureOp, Op } from './ir/circuit.js';
export { type ArgType, type GateOptions, Kernel, makeKernel } from './kernel/kernel.js';
export { MeasureHandle, Param, ParamList, QubitRef, QVector } from './kernel/values.js';
export { CentralDifference, type GradientStrategy, ParameterShift } from './opt/gradients.js';
export {
  Adam,
  LBFGS,
  NelderMead,
  type Objective,
  type OptimizeResult,
  type Optimizer,
  PatternSearch,
  SPSA,
} from './opt/optimizers.js';
export { type VqeOptions, type VqeResult, vqe } from './opt/vqe.js';
export { kernelToQasm, toQasm } from './qasm/export.js';
export { fromQasm, QasmError } from './qasm/import.js';
export {
  checkStateSize,
  type Platform,
  type Precision,
  type StateVector,
  setPlatform,
  stateBytes,
} from './sim/state.js';
export { type Complex, complex } from './spin/complex.js';
export { SpinOperator, SpinTermView, spin } from './spin/operator.js';
export {
  createTarget,
  getTarget,
  listTargets,
  registerTarget,
  setTarget,
  type TargetBackend,
  type TargetOptions,
} from './targets/registry.js';
export { Rng } from './util/rng.js';
