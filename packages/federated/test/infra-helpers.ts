import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadProject } from '../src/kit/project.js';
import { provision } from '../src/kit/provision.js';
import { freePort } from '../src/poc/processes.js';

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `tessera-fl-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestProject {
  ws: string;
  kits: string;
  port: number;
  yml: string;
  kit(name: string): string;
}

/** Provisions a real project (real root CA and certificates) on a free loopback port. */
export async function makeProject(
  ws: string,
  o: {
    name?: string;
    clients?: string[];
    admins?: { name: string; org: string; role: string }[];
    keyType?: 'p256' | 'rsa';
    heartbeatMs?: number;
    heartbeatTimeoutMs?: number;
  } = {},
): Promise<TestProject> {
  const port = await freePort();
  const name = o.name ?? 'proj';
  const participants: Record<string, unknown>[] = [
    { type: 'server', name: 'server', org: 'tessera', host: '127.0.0.1', fed_port: port },
  ];
  for (const [i, c] of (o.clients ?? ['site-1', 'site-2']).entries())
    participants.push({ type: 'client', name: c, org: i % 2 ? 'hospital-b' : 'hospital-a' });
  for (const a of o.admins ?? [{ name: 'admin@tessera', org: 'tessera', role: 'project_admin' }])
    participants.push({ type: 'admin', ...a });
  mkdirSync(ws, { recursive: true });
  const yml = join(ws, `${name}.yml`);
  writeFileSync(
    yml,
    stringify({
      name,
      key_type: o.keyType ?? 'p256',
      heartbeat_ms: o.heartbeatMs ?? 500,
      heartbeat_timeout_ms: o.heartbeatTimeoutMs ?? 3000,
      participants,
    }),
  );
  const r = await provision(loadProject(yml), ws);
  return { ws, kits: r.kitsDir, port, yml, kit: (n) => join(r.kitsDir, n) };
}

export async function until(
  pred: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const t0 = Date.now();
  while (!(await pred())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
