/**
 * @tessera/federated — federated learning platform.
 * Infrastructure: provisioning and signed startup kits, mutual-TLS gRPC server and client sites, signed jobs
 * with a SQLite lifecycle and crash resume, the admin API with its authorization policy, POC mode.
 * Learning: workflows (Controllers), trainers (Executors), filters, the worker-thread simulator, plots.
 */

export {
  AdminAPI,
  AdminCommandError,
  type JobStatus,
  type JobSummary,
  type ServerStatus,
} from './admin/api.js';
export {
  type Actor,
  ADMIN_ROLES,
  authorize,
  DEFAULT_POLICY,
  type Policy,
  RIGHTS,
  type Right,
} from './admin/policy.js';
export { type ClientOptions, FLClient } from './client/client.js';
export type * from './core/contracts.js';
export { type JobBundle, JobRejected, packJob, verifyJob } from './job/bundle.js';
export { type JobMeta, jobMetaSchema, parseJobMeta, readJobMeta } from './job/meta.js';
export { type Kit, KitError, loadKit } from './kit/kit.js';
export { loadProject, type Project, parseProject, projectSchema } from './kit/project.js';
export { type ProvisionResult, provision } from './kit/provision.js';
export { createExecutor } from './learners/index.js';
export { createRootCA, type Identity, issueCertificate, verifiedIdentity } from './pki/certs.js';
export { consensusExpected, writeConsensusJob } from './poc/demo-job.js';
export { type Poc, type PocOptions, startPoc } from './poc/poc.js';
export { JobStore, SqliteSnapshotStore } from './server/job-store.js';
export { FLServer, type ServerOptions } from './server/server.js';
export { readWeightsFile, writeWeightsFile } from './server/weights-file.js';
export { runSimulation, type SimulationOptions, type SimulationResult } from './simulator/index.js';
export { createController } from './workflows/index.js';
