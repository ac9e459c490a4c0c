import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Actor, authorize, type Right } from '../admin/policy.js';
import { bundleFromWire, JobRejected, verifyJob, writeJob } from '../job/bundle.js';
import type { JobMeta } from '../job/meta.js';
import { parseClientAppConfig } from '../learners/config.js';
import type { Manifest } from '../pki/manifest.js';
import { listFiles } from '../pki/manifest.js';
import type { Message } from '../transport/message.js';
import { parseServerAppConfig } from '../workflows/config.js';
import type { JobRow } from './job-store.js';
import type { FLServer } from './server.js';

export class AdminError extends Error {}

/**
 * Validates built-in app configs at submission, so a wrong field is reported to the submitter at once rather
 * than failing the job later at the server or at a site. Configs with a custom `module` are the module's affair.
 */
function checkBuiltinConfigs(meta: JobMeta): void {
  for (const [app, cfg] of Object.entries(meta.apps)) {
    const fail = (part: string, e: unknown) => {
      throw new AdminError(`meta.json: apps.${app}.${part}: ${(e as Error).message}`);
    };
    if (cfg.server && cfg.server.module === undefined) {
      try {
        parseServerAppConfig(cfg.server);
      } catch (e) {
        fail('server', e);
      }
    }
    const clients = [
      ['client', cfg.client] as const,
      ...Object.entries(cfg.sites ?? {}).map(
        ([site, o]) => [`sites.${site}`, { ...cfg.client, ...o }] as const,
      ),
    ];
    for (const [part, c] of clients) {
      if (c && c.module === undefined) {
        try {
          parseClientAppConfig(c);
        } catch (e) {
          fail(part, e);
        }
      }
    }
  }
}

type Reply = { meta: unknown; segments?: Uint8Array[] };

class WithFiles {
  constructor(
    readonly data: unknown,
    readonly segments: Uint8Array[],
  ) {}
}

function ownerOf(job: JobRow): Actor {
  return { name: job.submitter, org: job.submitter_org, role: job.submitter_role };
}

function need(server: FLServer, actor: Actor, right: Right, job?: JobRow): void {
  const d = authorize(server.kit.policy, actor, right, job ? ownerOf(job) : undefined);
  if (!d.allowed) throw new AdminError(`not authorized: ${d.reason}`);
}

function getJob(server: FLServer, id: unknown): JobRow {
  if (typeof id !== 'string' || !id) throw new AdminError('a job id is required (see "list")');
  const job = server.store.getJob(id) ?? server.store.listJobs().find((j) => j.id.startsWith(id));
  if (!job) throw new AdminError(`no job with id "${id}"`);
  return job;
}

function summary(j: JobRow, server?: FLServer) {
  const waiting = server?.waiting.get(j.id);
  return {
    ...(waiting && (j.status === 'submitted' || j.status === 'running') ? { waiting } : {}),
    id: j.id,
    name: j.name,
    status: j.status,
    submitter: j.submitter,
    submitted_at: j.submitted_at,
    started_at: j.started_at,
    finished_at: j.finished_at,
    error: j.error,
    resumed: j.resumed,
    cloned_from: j.cloned_from,
  };
}

/** Executes one admin command for an authenticated actor; the policy decides before anything changes. */
export async function handleAdmin(server: FLServer, actor: Actor, msg: Message): Promise<Reply> {
  const { cmd, args = {} } = msg.meta as { cmd: string; args?: Record<string, unknown> };
  try {
    const data = await run(server, actor, cmd, args, msg);
    if (data instanceof WithFiles) return { meta: { ok: true, data: data.data }, segments: data.segments };
    return { meta: { ok: true, data } };
  } catch (e) {
    if (e instanceof AdminError || e instanceof JobRejected) return { meta: { ok: false, error: e.message } };
    return { meta: { ok: false, error: `${cmd} failed: ${(e as Error).message}` } };
  }
}

async function run(
  server: FLServer,
  actor: Actor,
  cmd: string,
  args: Record<string, unknown>,
  msg: Message,
): Promise<unknown> {
  const store = server.store;
  switch (cmd) {
    case 'submit': {
      need(server, actor, 'submit_job');
      const bundle = bundleFromWire(args as { paths: string[]; manifest: Manifest }, msg.segments);
      const { signer, meta } = verifyJob(bundle, server.kit.rootCA);
      if (signer.name !== actor.name)
        throw new AdminError(
          `job is signed by ${signer.name} but submitted by ${actor.name}; sign it with your own kit`,
        );
      const known = new Set(server.registryParticipants('client'));
      for (const [app, targets] of Object.entries(meta.deploy_map)) {
        targets.forEach((t, i) => {
          if (t !== 'server' && t !== '@ALL' && !known.has(t))
            throw new AdminError(
              `meta.json: deploy_map.${app}[${i}]: "${t}" is not a client site of this project (sites: ${[...known].join(', ')})`,
            );
        });
      }
      checkBuiltinConfigs(meta);
      const id = randomUUID();
      writeJob(bundle, join(store.jobDir(id), 'files'));
      store.insertJob({
        id,
        name: meta.name,
        submitter: actor.name,
        submitter_org: actor.org,
        submitter_role: actor.role,
        min_clients: meta.min_clients,
        manifest: bundle.manifest,
        submitted_at: Date.now(),
        cloned_from: null,
      });
      server.log(`job ${id} (${meta.name}) submitted by ${actor.name}`);
      return { id, name: meta.name };
    }
    case 'list': {
      need(server, actor, 'view_job');
      return store
        .listJobs()
        .filter((j) => authorize(server.kit.policy, actor, 'view_job', ownerOf(j)).allowed)
        .map((j) => summary(j, server));
    }
    case 'status': {
      if (!args.id) {
        return {
          server: server.config.name,
          project: server.config.project,
          sites: server.registry.all().map((c) => ({
            name: c.name,
            org: c.org,
            connected_at: c.connectedAt,
            last_seen: c.link.lastSeen,
            jobs: Object.fromEntries(c.deployed),
          })),
          jobs: store
            .listJobs()
            .filter((j) => j.status === 'running' || j.status === 'submitted')
            .map((j) => summary(j, server)),
        };
      }
      const job = getJob(server, args.id);
      need(server, actor, 'view_job', job);
      return {
        job: summary(job, server),
        rounds: store.rounds(job.id),
        sites: store.siteRounds(job.id),
        events: store.events(job.id),
      };
    }
    case 'abort': {
      const job = getJob(server, args.id);
      need(server, actor, 'manage_job', job);
      if (job.status === 'submitted') {
        store.setStatus(job.id, 'aborted', `aborted by ${actor.name} before it started`);
      } else if (job.status === 'running') {
        store.event(job.id, `abort requested by ${actor.name}`);
        if (!server.abortJob(job.id)) store.setStatus(job.id, 'aborted', `aborted by ${actor.name}`);
        else await server.waitForJob(job.id);
      } else {
        throw new AdminError(`job ${job.id} is already ${job.status}`);
      }
      return summary(getJob(server, job.id));
    }
    case 'clone': {
      const job = getJob(server, args.id);
      need(server, actor, 'view_job', job);
      need(server, actor, 'submit_job');
      const id = randomUUID();
      mkdirSync(store.jobDir(id), { recursive: true });
      cpSync(join(store.jobDir(job.id), 'files'), join(store.jobDir(id), 'files'), { recursive: true });
      store.insertJob({
        id,
        name: job.name,
        submitter: actor.name,
        submitter_org: actor.org,
        submitter_role: actor.role,
        min_clients: job.min_clients,
        manifest: job.manifest,
        submitted_at: Date.now(),
        cloned_from: job.id,
      });
      return { id, name: job.name, cloned_from: job.id };
    }
    case 'delete': {
      const job = getJob(server, args.id);
      need(server, actor, 'manage_job', job);
      if (job.status === 'running') throw new AdminError(`job ${job.id} is running; abort it first`);
      store.deleteJob(job.id);
      return { id: job.id, deleted: true };
    }
    case 'download': {
      const job = getJob(server, args.id);
      need(server, actor, 'download_job', job);
      const base = store.jobDir(job.id);
      const paths: string[] = [];
      const segments: Uint8Array[] = [];
      for (const sub of ['files', 'result']) {
        const d = join(base, sub);
        if (!existsSync(d)) continue;
        for (const rel of listFiles(d, new Set())) {
          paths.push(`${sub === 'files' ? 'job' : 'result'}/${rel}`);
          segments.push(new Uint8Array(readFileSync(join(d, rel))));
        }
      }
      return new WithFiles({ id: job.id, status: job.status, paths }, segments);
    }
    default:
      throw new AdminError(
        `unknown command "${cmd}" (commands: submit, list, status, abort, clone, delete, download)`,
      );
  }
}
