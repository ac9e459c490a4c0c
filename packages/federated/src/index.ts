/**
 * @tessera/federated — federated learning platform.
 * Infrastructure: provisioning and signed startup kits, mutual-TLS gRPC server and client sites, signed jobs
 * with a SQLite lifecycle and crash resume, the admin API with its authorization policy, POC mode.
 * Learning: workflows (Controllers), trainers (Executors), filters, the worker-thread simulator, plots.
 */
export type * from './core/contracts.js';
export { AdminAPI, AdminCommandError, type JobStatus, type JobSummary, type ServerStatus } from './admin/api.js';
export { ADMIN_ROLES, type Actor, authorize, DEFAULT_POLICY, type Policy, RIGHTS, type Right } from './admin/policy.js';
export { FLClient, type ClientOptions } from './client/client.js';
export { JobRejected, packJob, verifyJob, type JobBundle } from './job/bundle.js';
export { jobMetaSchema, parseJobMeta, readJobMeta, type JobMeta } from './job/meta.js';
export { type Kit, KitError, loadKit } from './kit/kit.js';
export { loadProject, parseProject, projectSchema, type Project } from './kit/project.js';
export { provision, type ProvisionResult } from './kit/provision.js';
export { createRootCA, issueCertificate, verifiedIdentity, type Identity } from './pki/certs.js';
export { consensusExpected, writeConsensusJob } from './poc/demo-job.js';
export { startPoc, type Poc, type PocOptions } from './poc/poc.js';
export { FLServer, type ServerOptions } from './server/server.js';
export { JobStore, SqliteSnapshotStore } from './server/job-store.js';
export { readWeightsFile, writeWeightsFile } from './server/weights-file.js';
export { createController } from './workflows/index.js';
export { createExecutor } from './learners/index.js';
export { runSimulation, type SimulationOptions, type SimulationResult } from './simulator/index.js';
