import os from 'node:os';
import type { Segment } from '../sim/segments.js';
import { type ParallelRunner, type StateVector, setPlatform } from '../sim/state.js';
import { registerTarget } from '../targets/registry.js';
import { mqpuTarget } from './mqpu.js';
import { StatePool } from './pool.js';

/** Creates the worker pool on first use, so importing the package starts no threads. */
class LazyPool implements ParallelRunner {
  private pool: StatePool | null = null;
  constructor(
    readonly threads: number,
    readonly minQubits: number,
  ) {}
  private get p(): StatePool {
    if (!this.pool) this.pool = new StatePool({ threads: this.threads, minQubits: this.minQubits });
    return this.pool;
  }
  allocate(bytes: number): ArrayBufferLike {
    return new SharedArrayBuffer(bytes);
  }
  runSegment(state: StateVector, seg: Segment): void {
    this.p.runSegment(state, seg);
  }
  pauliExpectations(state: StateVector, terms: Int32Array): Float64Array {
    return this.p.pauliExpectations(state, terms);
  }
  release(): void {
    this.pool?.release();
  }
}

let installed = false;

/** Node platform: memory figures from os, worker threads from worker_threads, and the cpu-mqpu target. */
export function installNodePlatform(opts: { threads?: number; minQubits?: number } = {}): void {
  if (installed && opts.threads === undefined) return;
  installed = true;
  const threads = opts.threads ?? Number(process.env.TESSERA_QUANTUM_THREADS ?? os.availableParallelism());
  setPlatform({
    memory: () => ({ total: os.totalmem(), free: os.freemem() }),
    parallel: threads > 1 ? new LazyPool(threads, opts.minQubits ?? 20) : undefined,
  });
  registerTarget(mqpuTarget);
}
