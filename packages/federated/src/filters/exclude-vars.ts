import type { Filter, WeightsMap } from '../core/contracts.js';

/**
 * Drops variables whose names match, so they never leave (or never enter) a site. The aggregator keeps the
 * global value of a variable nobody sent, so excluding at every client freezes it on the server.
 */
export class ExcludeVariables implements Filter {
  readonly name = 'exclude-vars';
  private readonly patterns: RegExp[];

  constructor(patterns: string[]) {
    this.patterns = patterns.map((p) => {
      try {
        return new RegExp(p);
      } catch (e) {
        throw new Error(
          `exclude-vars: pattern ${JSON.stringify(p)} is not a valid regular expression (${(e as Error).message})`,
        );
      }
    });
  }

  apply(weights: WeightsMap): WeightsMap {
    const out: WeightsMap = {};
    for (const [name, t] of Object.entries(weights)) {
      if (!this.patterns.some((p) => p.test(name))) out[name] = t;
    }
    return out;
  }
}
