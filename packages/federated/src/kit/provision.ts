import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POLICY, type Policy } from '../admin/policy.js';
import { createRootCA, issueCertificate, type RootCA } from '../pki/certs.js';
import { type KeyType, privateKeyFromPem } from '../pki/keys.js';
import { hashFolder, signManifest } from '../pki/manifest.js';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { KIT, type KitConfig, type ParticipantRecord } from './layout.js';
import type { Project, ProjectParticipant } from './project.js';

/** What the project admin keeps (never shipped in a kit): the root key and who has been issued what. */
interface ProjectState {
  name: string;
  keyType: KeyType;
  participants: ParticipantRecord[];
  removed: ParticipantRecord[];
}

export interface ProvisionResult {
  projectDir: string;
  kitsDir: string;
  created: string[];
  kept: string[];
  removed: string[];
}

function startScript(): string {
  return `#!/bin/sh
# Starts this participant. The kit checks its own signatures first and refuses to run if a file changed.
DIR="$(cd "$(dirname "$0")/.." && pwd)"
exec \${TESSERA_FL:-npx tessera-fl} start "$DIR" "$@"
`;
}

function roleOf(p: ProjectParticipant): string {
  return p.type === 'admin' ? p.role : p.type;
}

async function loadOrCreateCA(
  stateDir: string,
  project: Project,
  state: ProjectState | undefined,
): Promise<RootCA> {
  const certPath = join(stateDir, 'rootCA.pem');
  const keyPath = join(stateDir, 'rootCA.key');
  if (state && existsSync(certPath) && existsSync(keyPath)) {
    if (state.keyType !== project.key_type) {
      throw new Error(
        `key_type: this project was provisioned with "${state.keyType}"; changing it to "${project.key_type}" needs a new project (new root CA)`,
      );
    }
    const certPem = readFileSync(certPath, 'utf8');
    const keyPem = readFileSync(keyPath, 'utf8');
    return {
      certPem,
      keyPem,
      cert: new x509.X509Certificate(certPem),
      key: await privateKeyFromPem(keyPem, state.keyType),
      keyType: state.keyType,
    };
  }
  const ca = await createRootCA(project.name, project.key_type);
  writeFileSync(certPath, ca.certPem);
  writeFileSync(keyPath, ca.keyPem, { mode: 0o600 });
  return ca;
}

/**
 * Writes one startup kit per participant under <workspace>/<project>/kits/<name>/. Run again with an edited
 * project.yml to add participants (existing certificates are kept) or remove them (their kit is withdrawn and
 * the server's participant list, which it checks on every connection, no longer names them).
 */
export async function provision(
  project: Project,
  workspace: string,
  onProgress?: (done: number, total: number) => void,
): Promise<ProvisionResult> {
  const projectDir = join(workspace, project.name);
  const stateDir = join(projectDir, 'state');
  const kitsDir = join(projectDir, 'kits');
  mkdirSync(stateDir, { recursive: true });
  mkdirSync(kitsDir, { recursive: true });
  const statePath = join(stateDir, 'project.json');
  const prev: ProjectState | undefined = existsSync(statePath)
    ? JSON.parse(readFileSync(statePath, 'utf8'))
    : undefined;
  if (prev && prev.name !== project.name)
    throw new Error(`name: state in ${stateDir} belongs to project "${prev.name}"`);
  const ca = await loadOrCreateCA(stateDir, project, prev);

  const server = project.participants.find((p) => p.type === 'server');
  if (server?.type !== 'server')
    throw new Error('participants: needs exactly one participant with type "server"');
  const prevByName = new Map((prev?.participants ?? []).map((p) => [p.name, p]));
  const records: ParticipantRecord[] = [];
  const created: string[] = [];
  const kept: string[] = [];
  const total = project.participants.length;
  let done = 0;
  // Decide who needs a new certificate, then issue them concurrently: key generation runs on libuv's thread
  // pool, so this uses every core (RSA-2048 key generation dominates otherwise).
  const toIssue: { p: ProjectParticipant; role: string; hosts?: string[] }[] = [];
  const serials = new Map<string, string>();
  for (const p of project.participants) {
    const role = roleOf(p);
    const startup = join(kitsDir, p.name, KIT.startup);
    const old = prevByName.get(p.name);
    const serverHosts = p.type === 'server' ? [p.host, p.name, 'localhost', '127.0.0.1'] : undefined;
    const sameServerHosts =
      p.type !== 'server' ||
      (existsSync(join(startup, KIT.config)) &&
        JSON.parse(readFileSync(join(startup, KIT.config), 'utf8')).host === p.host);
    if (
      old &&
      old.type === p.type &&
      old.org === p.org &&
      old.role === role &&
      existsSync(join(startup, KIT.cert)) &&
      sameServerHosts
    ) {
      serials.set(p.name, old.serial);
      kept.push(p.name);
      onProgress?.(++done, total);
    } else {
      toIssue.push({ p, role, hosts: serverHosts });
    }
  }
  let next = 0;
  const worker = async () => {
    while (next < toIssue.length) {
      const item = toIssue[next++];
      if (!item) break;
      const issued = await issueCertificate(ca, {
        name: item.p.name,
        org: item.p.org,
        role: item.role,
        hosts: item.hosts,
      });
      const kitDir = join(kitsDir, item.p.name);
      const startup = join(kitDir, KIT.startup);
      rmSync(kitDir, { recursive: true, force: true });
      mkdirSync(startup, { recursive: true });
      writeFileSync(join(startup, KIT.cert), issued.certPem);
      writeFileSync(join(startup, KIT.key), issued.keyPem, { mode: 0o600 });
      serials.set(item.p.name, issued.serial);
      onProgress?.(++done, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, toIssue.length) }, worker));
  const issuedNames = new Set(toIssue.map((x) => x.p.name));
  for (const p of project.participants) {
    if (issuedNames.has(p.name)) created.push(p.name);
    records.push({
      name: p.name,
      type: p.type,
      org: p.org,
      role: roleOf(p),
      serial: serials.get(p.name) ?? '',
    });
  }

  const policy: Policy = project.authorization ?? DEFAULT_POLICY;
  for (const p of project.participants) {
    const startup = join(kitsDir, p.name, KIT.startup);
    writeFileSync(join(startup, KIT.rootCA), ca.certPem);
    let config: KitConfig;
    if (p.type === 'server') {
      config = {
        type: 'server',
        project: project.name,
        name: p.name,
        org: p.org,
        host: p.host,
        port: p.fed_port,
        listen: p.listen,
        heartbeatMs: project.heartbeat_ms,
        heartbeatTimeoutMs: project.heartbeat_timeout_ms,
      };
      writeFileSync(join(startup, KIT.participants), `${JSON.stringify(records, null, 1)}\n`);
    } else {
      config = {
        type: p.type,
        project: project.name,
        name: p.name,
        org: p.org,
        role: roleOf(p),
        server: { name: server.name, host: server.host, port: server.fed_port },
        heartbeatMs: project.heartbeat_ms,
        heartbeatTimeoutMs: project.heartbeat_timeout_ms,
      };
    }
    writeFileSync(join(startup, KIT.config), `${JSON.stringify(config, null, 2)}\n`);
    if (p.type !== 'admin') {
      writeFileSync(join(startup, KIT.authorization), `${JSON.stringify(policy, null, 2)}\n`);
      writeFileSync(join(startup, KIT.start), startScript());
      chmodSync(join(startup, KIT.start), 0o755);
    }
    const manifest = signManifest(
      hashFolder(startup, new Set([KIT.signature])),
      `${project.name} root CA`,
      ca.keyPem,
    );
    writeFileSync(join(startup, KIT.signature), `${JSON.stringify(manifest, null, 1)}\n`);
  }

  const names = new Set(records.map((r) => r.name));
  const removedNow = (prev?.participants ?? []).filter((r) => !names.has(r.name));
  for (const r of removedNow) rmSync(join(kitsDir, r.name), { recursive: true, force: true });
  const state: ProjectState = {
    name: project.name,
    keyType: ca.keyType,
    participants: records,
    removed: [...(prev?.removed ?? []), ...removedNow],
  };
  writeFileSync(statePath, `${JSON.stringify(state, null, 1)}\n`);
  return { projectDir, kitsDir, created, kept, removed: removedNow.map((r) => r.name) };
}
