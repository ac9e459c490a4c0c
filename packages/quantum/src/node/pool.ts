import os from 'node:os';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { blockBitsFor, blockOrder } from '../sim/expectation-wasm.js';
import { chunkCount, type Segment } from '../sim/segments.js';
import type { ParallelRunner, StateVector } from '../sim/state.js';
import {
  type BufferMessage,
  CLAIM,
  CTRL_WORDS,
  claim,
  claimWord,
  DONE,
  GEN,
  KIND,
  KIND_SEGMENT,
  KIND_TERMS,
  MAX_UNITS,
  QUIT,
  UNIT_SIZE,
  UNITS,
} from './protocol.js';
import { spawnWorker } from './spawn.js';
import { encodeSegmentJob, UnitRunner } from './unit-runner.js';

const TOTAL = 7;

/**
 * Worker threads over SharedArrayBuffers for large states. The calling thread works too, claiming units
 * like any worker, so a job always finishes even when the workers are slow to start or descheduled by a
 * busy neighbour; waiting is Atomics.wait, never a spin.
 */
export class StatePool implements ParallelRunner {
  readonly threads: number;
  readonly minQubits: number;
  private readonly ctrl: Int32Array;
  private readonly ports: MessagePort[] = [];
  private readonly workers: Worker[] = [];
  private readonly runner = new UnitRunner(0);
  private gen = 0;
  private jobBuf: SharedArrayBuffer | null = null;
  private termsBuf: SharedArrayBuffer | null = null;
  private resultsBuf: SharedArrayBuffer | null = null;
  private stateRe: ArrayBufferLike | null = null;

  constructor(opts: { threads?: number; minQubits?: number } = {}) {
    this.threads = Math.max(1, opts.threads ?? os.availableParallelism());
    this.minQubits = opts.minQubits ?? 16;
    this.ctrl = new Int32Array(new SharedArrayBuffer(CTRL_WORDS * 4));
    for (let i = 0; i < this.threads - 1; i++) {
      const { port1, port2 } = new MessageChannel();
      const w = spawnWorker('pool-worker', {
        // worker i works in area i + 1 of a state's WebAssembly memory (the calling thread in area 0)
        workerData: { ctrlBuffer: this.ctrl.buffer, port: port2, index: i + 1 },
        transferList: [port2],
      });
      w.unref();
      port1.unref();
      this.workers.push(w);
      this.ports.push(port1);
    }
  }

  allocate(bytes: number): ArrayBufferLike {
    return new SharedArrayBuffer(bytes);
  }

  private send(msg: BufferMessage): void {
    for (const p of this.ports) p.postMessage(msg);
  }

  private bindState(state: StateVector): void {
    if (this.stateRe === state.re.buffer) return;
    this.stateRe = state.re.buffer;
    this.runner.re = state.re;
    this.runner.im = state.im;
    this.runner.home = state.home ?? null;
    if (state.home) this.send({ home: state.home, precision: state.precision });
    else
      this.send({
        re: state.re.buffer as SharedArrayBuffer,
        im: state.im.buffer as SharedArrayBuffer,
        precision: state.precision,
      });
  }

  private ensureJob(len: number): Float64Array {
    if (!this.jobBuf || this.jobBuf.byteLength < len * 8) {
      this.jobBuf = new SharedArrayBuffer(Math.max(1024, len * 8 * 2));
      this.runner.job = new Float64Array(this.jobBuf);
      this.send({ job: this.jobBuf });
    }
    return this.runner.job as Float64Array;
  }

  /** Publishes a job of `total` items, works on it, and blocks until every item is done. */
  private execute(kind: number, total: number, unitsPerThread = 16): void {
    const unitSize = Math.max(1, Math.ceil(total / Math.min(MAX_UNITS, this.threads * unitsPerThread)));
    const units = Math.ceil(total / unitSize);
    const ctrl = this.ctrl;
    this.gen = (this.gen + 1) | 0;
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, UNITS, units);
    Atomics.store(ctrl, UNIT_SIZE, unitSize);
    Atomics.store(ctrl, TOTAL, total);
    Atomics.store(ctrl, KIND, kind);
    Atomics.store(ctrl, CLAIM, claimWord(this.gen, 0));
    Atomics.store(ctrl, GEN, this.gen);
    Atomics.notify(ctrl, GEN);
    this.runner.decode(kind);
    for (let u = claim(ctrl, this.gen); u >= 0; u = claim(ctrl, this.gen)) {
      Atomics.add(ctrl, DONE, this.runner.run(kind, u, unitSize, total));
    }
    for (let d = Atomics.load(ctrl, DONE); d < total; d = Atomics.load(ctrl, DONE))
      Atomics.wait(ctrl, DONE, d);
  }

  runSegment(state: StateVector, seg: Segment): void {
    this.bindState(state);
    const enc = encodeSegmentJob(seg);
    this.ensureJob(enc.length).set(enc);
    this.execute(KIND_SEGMENT, chunkCount(seg));
  }

  pauliExpectations(state: StateVector, unsorted: Int32Array): Float64Array {
    // whole cache-block groups per unit (see blockOrder), results put back in the caller's order
    const order = blockOrder(unsorted, state.n);
    const terms = new Int32Array(unsorted.length);
    for (let i = 0; i < order.length; i++)
      terms.set(unsorted.subarray(3 * order[i], 3 * order[i] + 3), 3 * i);
    this.bindState(state);
    const job = this.ensureJob(2);
    job[0] = state.n;
    job[1] = blockBitsFor(terms, state.n);
    const n = terms.length / 3;
    if (!this.termsBuf || this.termsBuf.byteLength < terms.byteLength) {
      this.termsBuf = new SharedArrayBuffer(Math.max(terms.byteLength, 4096));
      this.resultsBuf = new SharedArrayBuffer(Math.max(n * 8, 4096) * 2);
      this.runner.terms = new Int32Array(this.termsBuf);
      this.runner.results = new Float64Array(this.resultsBuf);
      this.send({ terms: this.termsBuf, results: this.resultsBuf });
    }
    if ((this.resultsBuf as SharedArrayBuffer).byteLength < n * 8) {
      this.resultsBuf = new SharedArrayBuffer(n * 16);
      this.runner.results = new Float64Array(this.resultsBuf);
      this.send({ results: this.resultsBuf });
    }
    (this.runner.terms as Int32Array).set(terms);
    // few large units: terms within a unit share cache blocks (see pauliExpectations)
    this.execute(KIND_TERMS, n, 2);
    const res = this.runner.results as Float64Array;
    const out = new Float64Array(n);
    order.forEach((t, i) => {
      out[t] = res[i];
    });
    return out;
  }

  /** Forgets the last state (here and in the workers) so that a finished state's memory can be reclaimed. */
  release(): void {
    if (this.stateRe === null) return;
    this.stateRe = null;
    this.runner.re = null;
    this.runner.im = null;
    this.runner.home = null;
    this.send({ release: true });
    // wake the workers with an empty job so they read the message now
    this.gen = (this.gen + 1) | 0;
    Atomics.store(this.ctrl, UNITS, 0);
    Atomics.store(this.ctrl, CLAIM, claimWord(this.gen, 0));
    Atomics.store(this.ctrl, GEN, this.gen);
    Atomics.notify(this.ctrl, GEN);
  }

  async close(): Promise<void> {
    Atomics.store(this.ctrl, QUIT, 1);
    this.gen = (this.gen + 1) | 0;
    Atomics.store(this.ctrl, GEN, this.gen);
    Atomics.notify(this.ctrl, GEN);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
