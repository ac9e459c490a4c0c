/** Node entry: the core plus worker threads, the memory probe and the cpu-mqpu target. */
import { installNodePlatform } from './node/platform.js';

installNodePlatform();

export * from './core.js';
export { StatePool } from './node/pool.js';
export { installNodePlatform };
