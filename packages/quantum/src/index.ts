/** Node entry: the core plus worker threads, the memory probe and the cpu-mqpu target. */
export * from './core.js';
