import type { EngineOptions } from '../sim/engine.js';
import type { Precision, StateVector } from '../sim/state.js';

/** Options a target accepts (unknown keys are rejected with the list of known ones). */
export interface TargetOptions {
  precision?: Precision;
  /** Worker threads for large states (Node, from 20 qubits); false runs everything on the calling thread. */
  threads?: boolean;
  /** log2 of the cache block the fused segments run on. */
  blockQubits?: number;
  /** Refuse states larger than this many bytes (on top of the machine's free memory). */
  maxMemoryBytes?: number;
  /** Gate fusion and cache blocking (default true). */
  fusion?: boolean;
  /** The WebAssembly-SIMD gate kernels where the host has them (default true; false runs JavaScript only). */
  simd?: boolean;
  /** Number of virtual QPUs (cpu-mqpu only). */
  qpus?: number;
}

const KNOWN_OPTIONS = ['precision', 'threads', 'blockQubits', 'maxMemoryBytes', 'fusion', 'simd', 'qpus'];

/** What an async job carries to a virtual QPU: everything plain-data so it can cross a worker boundary. */
export interface AsyncJob {
  kind: 'sample' | 'observe';
  circuit: import('../ir/circuit.js').Circuit;
  shots?: number;
  seed?: number;
  terms?: Array<{ x: string; z: string; re: number; im: number }>;
}

export interface TargetBackend {
  readonly name: string;
  readonly options: TargetOptions;
  engine(): EngineOptions;
  /** ⟨ψ|P_k|ψ⟩ for packed (x, z, ny) terms; the default runs on the platform's thread pool or inline. */
  expectations?(state: StateVector, terms: Int32Array): Float64Array;
  /** Runs a job on one of the target's QPUs; undefined means "run inline". */
  submit?(job: AsyncJob, qpu?: number): Promise<unknown>;
  readonly qpuCount: number;
}

export interface TargetInfo {
  name: string;
  description: string;
  create(options: TargetOptions): TargetBackend;
}

const registry = new Map<string, TargetInfo>();
let current: TargetBackend | undefined;

export function registerTarget(info: TargetInfo): void {
  registry.set(info.name, info);
}

export function listTargets(): Array<{ name: string; description: string; current: boolean }> {
  const cur = getTarget().name;
  return [...registry.values()].map((t) => ({
    name: t.name,
    description: t.description,
    current: t.name === cur,
  }));
}

export function hasTarget(name: string): boolean {
  return registry.has(name);
}

export function createTarget(name: string, options: TargetOptions = {}): TargetBackend {
  if (typeof name !== 'string') throw new TypeError(`target name must be a string, got ${typeof name}`);
  const info = registry.get(name);
  if (!info) {
    throw new Error(`unknown target '${name}'; available targets: ${[...registry.keys()].join(', ')}`);
  }
  validateOptions(name, options);
  return info.create(options);
}

function validateOptions(name: string, o: TargetOptions): void {
  if (typeof o !== 'object' || o === null)
    throw new TypeError(`target options must be an object, got ${String(o)}`);
  for (const k of Object.keys(o)) {
    if (!KNOWN_OPTIONS.includes(k))
      throw new TypeError(
        `target '${name}': unknown option '${k}'; known options: ${KNOWN_OPTIONS.join(', ')}`,
      );
  }
  if (o.precision !== undefined && o.precision !== 'complex128' && o.precision !== 'complex64') {
    throw new TypeError(
      `target '${name}': precision must be 'complex128' or 'complex64', got '${String(o.precision)}'`,
    );
  }
  if (
    o.blockQubits !== undefined &&
    (!Number.isInteger(o.blockQubits) || o.blockQubits < 2 || o.blockQubits > 24)
  ) {
    throw new RangeError(
      `target '${name}': blockQubits must be an integer from 2 to 24, got ${o.blockQubits}`,
    );
  }
  if (o.qpus !== undefined && (!Number.isInteger(o.qpus) || o.qpus < 1 || o.qpus > 64)) {
    throw new RangeError(`target '${name}': qpus must be an integer from 1 to 64, got ${o.qpus}`);
  }
}

/** Selects the default target for later calls (cudaq.set_target). */
export function setTarget(name: string, options: TargetOptions = {}): TargetBackend {
  const t = createTarget(name, options);
  current = t;
  return t;
}

export function getTarget(): TargetBackend {
  if (!current) current = createTarget('cpu');
  return current;
}

/** Resolves a per-call override: a name, [name, options], or a backend. */
export function resolveTarget(
  override: string | TargetBackend | { name: string; options?: TargetOptions } | undefined,
): TargetBackend {
  if (override === undefined) return getTarget();
  if (typeof override === 'string') return createTarget(override);
  if ('engine' in override) return override;
  return createTarget(override.name, override.options ?? {});
}

/** The plain CPU state-vector target; threads come from the platform when present. */
export function cpuTarget(name = 'cpu'): TargetInfo {
  return {
    name,
    description:
      'state-vector simulator: complex128 (or complex64), gate fusion + cache blocking, worker threads for large states in Node',
    create(options) {
      return {
        name,
        options,
        qpuCount: 1,
        engine: () => ({
          precision: options.precision,
          threads: options.threads,
          blockQubits: options.blockQubits,
          maxMemoryBytes: options.maxMemoryBytes,
          fusion: options.fusion,
          simd: options.simd,
        }),
      };
    },
  };
}

registerTarget(cpuTarget());
