/**
 * The seam between the learning side (workflows, trainers, filters, simulator) and the transport side
 * (gRPC over mutual TLS, job store, admin). A workflow never knows how tasks travel; a transport never
 * knows what a round means. The simulator and a real deployment run the same Controller and Executor
 * against different Communicators.
 */

/** Model weights as named float32 tensors; the unit that travels and that filters and aggregators change. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}
export type WeightsMap = Record<string, Tensor>;

export type Metrics = Record<string, number>;

/** A unit of work the server sends to one or more client sites. */
export interface Task {
  /** 'train', 'validate', 'submit_model', or a workflow's own name. */
  name: string;
  jobId: string;
  round: number;
  weights: WeightsMap;
  /** Per-task settings, e.g. local epochs, learning rate, FedProx mu. */
  config: Record<string, unknown>;
}

/** What a client sends back for one task. */
export interface TaskReply {
  site: string;
  status: 'ok' | 'error' | 'timeout' | 'dropped';
  weights?: WeightsMap;
  /** Number of local training samples behind `weights`, for weighted averaging. */
  numSamples?: number;
  metrics?: Metrics;
  error?: string;
}

export interface BroadcastOptions {
  /** Sites to send to; all connected sites in the job's deploy map when omitted. */
  targets?: string[];
  /** The call returns once this many replies are in and `waitAfterMinMs` has passed (or all replied). */
  minResponses: number;
  waitAfterMinMs: number;
  /** Hard per-task limit: a site that has not replied by then counts as 'timeout', never hangs the round. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called as each reply arrives, for progress display. */
  onReply?: (reply: TaskReply) => void;
}

/** How a server-side workflow reaches the client sites. */
export interface Communicator {
  /** Sites connected now and allowed to take part in this job. */
  sites(): string[];
  broadcastAndWait(task: Task, options: BroadcastOptions): Promise<TaskReply[]>;
  sendAndWait(task: Task, site: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<TaskReply>;
}

/** One finished round, as kept in the job's history and shown in status and plots. */
export interface RoundRecord {
  round: number;
  sites: string[];
  /** Aggregated client metrics (weighted by samples) and server-side validation metrics. */
  metrics: Metrics;
  startedAt: number;
  finishedAt: number;
}

/** Everything needed to resume a workflow after a server crash, saved after every round. */
export interface ControllerState {
  round: number;
  weights: WeightsMap;
  history: RoundRecord[];
  /** Workflow-specific state, e.g. FedAdam moments; must be JSON-serialisable apart from WeightsMaps. */
  extra?: Record<string, unknown>;
}

export interface SnapshotStore {
  save(state: ControllerState): Promise<void>;
  load(): Promise<ControllerState | undefined>;
}

export type ProgressEvent =
  | { kind: 'round-start'; round: number; sites: string[] }
  | { kind: 'reply'; round: number; reply: TaskReply }
  | { kind: 'round-end'; record: RoundRecord }
  | { kind: 'log'; message: string };

export interface ControllerContext {
  jobId: string;
  comm: Communicator;
  snapshot: SnapshotStore;
  progress: (event: ProgressEvent) => void;
  signal: AbortSignal;
}

/** A server-side workflow: scatter-and-gather FedAvg, FedProx, FedAdam/FedYogi, cyclic, cross-site evaluation. */
export interface Controller {
  run(ctx: ControllerContext): Promise<ControllerState>;
}

/** The client-side half: runs tasks at a site on that site's private data. */
export interface Executor {
  execute(task: Task, ctx: { site: string; signal: AbortSignal }): Promise<Omit<TaskReply, 'site'>>;
}

export type FilterPoint = 'server-before-send' | 'server-after-receive' | 'client-before-send' | 'client-after-receive';

/** Changes weights at one of the four filter points: exclude variables, percentile privacy, Gaussian DP. */
export interface Filter {
  readonly name: string;
  apply(
    weights: WeightsMap,
    ctx: {
      site: string;
      round: number;
      point: FilterPoint;
      /** Added by the learning side: the model these weights were trained from (the global model a client
       * received), so that filters that act on the update (percentile privacy, DP clipping) can form it. */
      reference?: WeightsMap;
    },
  ): WeightsMap;
}
