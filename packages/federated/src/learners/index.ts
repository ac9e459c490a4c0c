/** createExecutor(clientAppConfig, site): the client half of a job at one site. */
import type { Executor } from '../core/contracts.js';
import { parseClientAppConfig } from './config.js';
import { DenseExecutor } from './executor.js';

export { type ClientAppConfig, clientAppConfigSchema, parseClientAppConfig } from './config.js';
export { loadBreastCancer } from './data/breast-cancer.js';
export { loadMnist, mnistRows } from './data/mnist.js';
export { type PartitionSpec, partition } from './data/partition.js';
export { type Dataset, evaluateDense, trainDense } from './dense-trainer.js';
export { DenseExecutor } from './executor.js';
export { initialWeights, type ModelSpec, modelSpecSchema } from './model-spec.js';
export { loadSiteData } from './site-data.js';
export { loadTf } from './tf-runtime.js';

/** Validates the config (errors name the field) and returns the site's executor; data loads on first use. */
export function createExecutor(clientAppConfig: unknown, site: string): Executor {
  return new DenseExecutor(parseClientAppConfig(clientAppConfig), site);
}
