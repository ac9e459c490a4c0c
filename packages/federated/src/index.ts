export type * from './core/contracts.js';
// Learning half: workflows, training, filters, simulator, plots.
export { applyFilters, createFilter, type FilterConfig } from './filters/index.js';
export { type ClientAppConfig, createExecutor, initialWeights, type ModelSpec } from './learners/index.js';
export { accuracyPlot, renderLineChart, type Series } from './plot/index.js';
export {
  formatProgress,
  InProcessCommunicator,
  MemorySnapshotStore,
  runSimulation,
  type SimulationOptions,
  type SimulationResult,
  WorkerPoolCommunicator,
} from './simulator/index.js';
export {
  type ControllerOptions,
  type CrossSiteMatrix,
  createController,
  type ServerAppConfig,
} from './workflows/index.js';
