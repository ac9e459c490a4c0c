import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { StateVector } from '../sim/state.js';
import type { AsyncJob, TargetBackend, TargetInfo, TargetOptions } from '../targets/registry.js';
import { StatePool } from './pool.js';
import { spawnWorker } from './spawn.js';

/** N virtual QPUs on worker threads (CUDA-Q's nvidia-mqpu, on CPU threads). */
class MqpuBackend implements TargetBackend {
  readonly name = 'cpu-mqpu';
  readonly qpuCount: number;
  private qpus: Worker[] | null = null;
  private pool: StatePool | null = null;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private rr = 0;
  private busy: number[];

  constructor(readonly options: TargetOptions) {
    this.qpuCount = options.qpus ?? Math.max(2, os.availableParallelism());
    this.busy = new Array(this.qpuCount).fill(0);
  }

  engine() {
    return {
      precision: this.options.precision,
      threads: this.options.threads,
      blockQubits: this.options.blockQubits,
      maxMemoryBytes: this.options.maxMemoryBytes,
      fusion: this.options.fusion,
      simd: this.options.simd,
    };
  }

  /** Terms are spread over the QPUs; every term is evaluated on the one prepared state (shared memory). */
  expectations(state: StateVector, packed: Int32Array): Float64Array {
    if (!this.pool) this.pool = new StatePool({ threads: this.qpuCount, minQubits: 1 });
    let s = state;
    if (!(state.re.buffer instanceof SharedArrayBuffer)) {
      const f32 = state.precision === 'complex64';
      const mk = (src: StateVector['re']) => {
        const b = new SharedArrayBuffer(src.byteLength);
        const a = f32 ? new Float32Array(b) : new Float64Array(b);
        a.set(src);
        return a;
      };
      s = { ...state, re: mk(state.re), im: mk(state.im), home: undefined };
    }
    const values = this.pool.pauliExpectations(s, packed);
    this.pool.release();
    return values;
  }

  submit(job: AsyncJob, qpu?: number): Promise<unknown> {
    if (!this.qpus) {
      this.qpus = Array.from({ length: this.qpuCount }, (_, i) => {
        const w = spawnWorker('mqpu-worker');
        w.on('message', (m: { id: number; result?: unknown; error?: string }) => {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          this.busy[i]--;
          if (this.busy[i] === 0) w.unref();
          if (!p) return;
          if (m.error !== undefined) p.reject(new Error(m.error));
          else p.resolve(m.result);
        });
        w.unref();
        return w;
      });
    }
    const which = qpu ?? this.rr++ % this.qpuCount;
    const id = this.nextId++;
    const w = this.qpus[which];
    if (this.busy[which]++ === 0) w.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, job, engine: this.engine() });
    });
  }
}

const backends = new Map<string, MqpuBackend>();

export const mqpuTarget: TargetInfo = {
  name: 'cpu-mqpu',
  description:
    'N virtual QPUs on worker threads: observe spreads Hamiltonian terms over them; sampleAsync/observeAsync run whole jobs on one each',
  create: (options) => {
    // one backend (and one set of QPU workers) per distinct option set
    const key = JSON.stringify(options);
    let b = backends.get(key);
    if (!b) {
      b = new MqpuBackend(options);
      backends.set(key, b);
    }
    return b;
  },
};
