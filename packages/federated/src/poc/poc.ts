import type { ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadProject } from '../kit/project.js';
import { provision } from '../kit/provision.js';
import { freePort, spawnParticipant, waitForLine } from './processes.js';

export interface PocOptions {
  clients: number;
  workspace: string;
  port?: number;
  /** Return once everything is up instead of waiting for Ctrl-C (tests, demo). */
  detach?: boolean;
  quiet?: boolean;
}

export interface Poc {
  projectYml: string;
  kitsDir: string;
  adminKit: string;
  port: number;
  server: ChildProcess;
  clients: Map<string, ChildProcess>;
  stop(): Promise<void>;
}

/** Writes the POC project.yml: one server, N client sites in two hospitals, one project admin. */
export function pocProject(clients: number, port: number): string {
  const participants: Record<string, unknown>[] = [
    { type: 'server', name: 'server', org: 'tessera', host: '127.0.0.1', fed_port: port },
  ];
  for (let i = 1; i <= clients; i++)
    participants.push({ type: 'client', name: `site-${i}`, org: i % 2 ? 'hospital-a' : 'hospital-b' });
  participants.push({ type: 'admin', name: 'admin@tessera.local', org: 'tessera', role: 'project_admin' });
  return stringify({
    api_version: 1,
    name: 'poc',
    heartbeat_ms: 1000,
    heartbeat_timeout_ms: 5000,
    participants,
  });
}

/**
 * Proof-of-concept mode: provisions a project on loopback and starts the server and each client as its own
 * process, exactly as a real deployment would, only all on this machine.
 */
export async function startPoc(o: PocOptions): Promise<Poc> {
  const say = (m: string) => {
    if (!o.quiet) process.stdout.write(`${m}\n`);
  };
  const port = o.port ?? (await freePort());
  const yml = join(o.workspace, 'project.yml');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(o.workspace, { recursive: true });
  writeFileSync(yml, pocProject(o.clients, port));
  const r = await provision(loadProject(yml), o.workspace);
  const adminKit = join(r.kitsDir, 'admin@tessera.local');
  const logs = join(o.workspace, 'logs');
  const server = spawnParticipant(join(r.kitsDir, 'server'), { logFile: join(logs, 'server.log') });
  await waitForLine(server, /listening on/);
  say(`server listening on 127.0.0.1:${port} (log ${join(logs, 'server.log')})`);
  const clients = new Map<string, ChildProcess>();
  for (let i = 1; i <= o.clients; i++) {
    const name = `site-${i}`;
    const c = spawnParticipant(join(r.kitsDir, name), { logFile: join(logs, `${name}.log`) });
    clients.set(name, c);
  }
  await Promise.all([...clients.values()].map((c) => waitForLine(c, /registered with/)));
  say(`${o.clients} client site(s) registered`);
  const stop = async () => {
    const all = [server, ...clients.values()];
    for (const c of all) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(
      all.map((c) => (c.exitCode === null ? new Promise((res) => c.once('exit', res)) : undefined)),
    );
  };
  const poc: Poc = { projectYml: yml, kitsDir: r.kitsDir, adminKit, port, server, clients, stop };
  say(
    `admin kit: ${adminKit}\ntry:  tessera-fl status --kit ${adminKit}\n      tessera-fl submit <job-folder> --wait --kit ${adminKit}`,
  );
  if (o.detach) return poc;
  say('Ctrl-C stops the POC');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stop();
  if (!existsSync(yml)) return poc;
  return poc;
}
