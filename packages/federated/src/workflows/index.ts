/** createController(config): the server half of a job, from its JSON server app config. */
import type { Controller } from '../core/contracts.js';
import { parseServerAppConfig, type ServerAppConfig } from './config.js';
import { CrossSiteEvalController } from './cross-site-eval.js';
import { CyclicController } from './cyclic.js';
import { type GlobalEvaluator, ScatterGatherController } from './scatter-gather.js';
import { AdaptiveServerOptimizer } from './server-optimizer.js';

export {
  describeIssues,
  parseServerAppConfig,
  type ServerAppConfig,
  serverAppConfigSchema,
  workflowNames,
} from './config.js';
export { type CrossSiteMatrix, formatCrossSite } from './cross-site.js';
export { type GlobalEvaluator, ScatterGatherController } from './scatter-gather.js';
export { AdaptiveServerOptimizer } from './server-optimizer.js';

export interface ControllerOptions {
  /** Server-side evaluation of each new global model; its metrics are recorded as global_<name>. */
  evaluate?: GlobalEvaluator;
}

/** Validates `config` (throwing an error that names the wrong field) and builds its workflow. */
export function createController(config: unknown, options: ControllerOptions = {}): Controller {
  const cfg: ServerAppConfig = parseServerAppConfig(config);
  switch (cfg.workflow) {
    case 'fedavg':
      return new ScatterGatherController({ settings: cfg, evaluate: options.evaluate });
    case 'fedprox': {
      const { mu, ...settings } = cfg;
      return new ScatterGatherController({
        settings: { ...settings, workflow: 'fedavg' },
        taskConfig: { mu },
        evaluate: options.evaluate,
      });
    }
    case 'fedadam':
    case 'fedyogi': {
      const { serverLr, beta1, beta2, tau, ...settings } = cfg;
      const optimizer = new AdaptiveServerOptimizer(
        cfg.workflow === 'fedadam' ? 'adam' : 'yogi',
        serverLr,
        beta1,
        beta2,
        tau,
      );
      return new ScatterGatherController({
        settings: { ...settings, workflow: 'fedavg' },
        optimizer,
        evaluate: options.evaluate,
      });
    }
    case 'cyclic':
      return new CyclicController(cfg);
    case 'cross-site-eval':
      return new CrossSiteEvalController(cfg);
  }
}
