import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_POLICY, type Policy, policySchema } from '../admin/policy.js';
import { type Identity, verifiedIdentity } from '../pki/certs.js';
import { checkManifest, type Manifest } from '../pki/manifest.js';
import { KIT, type KitConfig, type ParticipantRecord } from './layout.js';

/** A startup kit whose every file has been checked against the root CA's signature. */
export interface Kit {
  dir: string;
  config: KitConfig;
  rootCA: string;
  cert: string;
  key: string;
  identity: Identity;
  /** Server kits only. */
  participants?: ParticipantRecord[];
  /** Server and client kits; a client's unsigned local/authorization.json, when present, replaces it. */
  policy: Policy;
}

export class KitError extends Error {}

/** Verifies a kit's signatures and loads it; throws KitError naming each changed, added or missing file. */
export function loadKit(dir: string): Kit {
  const root = resolve(dir);
  const startup = join(root, KIT.startup);
  const sigPath = join(startup, KIT.signature);
  if (!existsSync(sigPath)) {
    throw new KitError(
      `${root} is not a startup kit: ${KIT.startup}/${KIT.signature} is missing (run "tessera-fl provision project.yml" and use a folder under kits/)`,
    );
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(sigPath, 'utf8')) as Manifest;
  } catch (e) {
    throw new KitError(
      `startup kit ${root}: ${KIT.signature} is not valid JSON (${(e as Error).message}); the kit was tampered with`,
    );
  }
  const rootCA = readFileSync(join(startup, KIT.rootCA), 'utf8');
  let problems: string[];
  try {
    problems = checkManifest(startup, manifest, rootCA, new Set([KIT.signature]));
  } catch (e) {
    problems = [`the signature could not be checked: ${(e as Error).message}`];
  }
  if (problems.length > 0) {
    throw new KitError(
      `startup kit ${root} failed its signature check and will not run:\n  - ${problems.join('\n  - ')}\nAsk the project admin for a fresh kit.`,
    );
  }
  const config = JSON.parse(readFileSync(join(startup, KIT.config), 'utf8')) as KitConfig;
  const cert = readFileSync(join(startup, KIT.cert), 'utf8');
  const key = readFileSync(join(startup, KIT.key), 'utf8');
  const identity = verifiedIdentity(cert, rootCA);
  const kit: Kit = { dir: root, config, rootCA, cert, key, identity, policy: DEFAULT_POLICY };
  const authPath = join(startup, KIT.authorization);
  if (existsSync(authPath)) kit.policy = JSON.parse(readFileSync(authPath, 'utf8')) as Policy;
  const localAuth = join(root, KIT.local, KIT.authorization);
  if (config.type === 'client' && existsSync(localAuth)) {
    const parsed = policySchema.safeParse(JSON.parse(readFileSync(localAuth, 'utf8')));
    if (!parsed.success)
      throw new KitError(
        `${localAuth}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    kit.policy = parsed.data as Policy;
  }
  if (config.type === 'server')
    kit.participants = JSON.parse(
      readFileSync(join(startup, KIT.participants), 'utf8'),
    ) as ParticipantRecord[];
  return kit;
}

export function dataDir(kit: Kit): string {
  return join(kit.dir, KIT.data);
}
