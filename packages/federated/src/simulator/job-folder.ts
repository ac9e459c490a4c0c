/**
 * Reads the server and client app configs out of a job folder's meta.json (the format the admin CLI
 * submits: deploy_map + apps.{server, client}), for running the same job in the simulator.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface JobConfigs {
  name: string;
  server: unknown;
  client: unknown;
}

export function readJobConfigs(jobDir: string): JobConfigs {
  const file = path.join(jobDir, 'meta.json');
  if (!existsSync(file)) throw new Error(`${jobDir} is not a job folder: meta.json is missing`);
  let meta: {
    name?: unknown;
    deploy_map?: Record<string, string[]>;
    apps?: Record<string, { server?: unknown; client?: unknown }>;
  };
  try {
    meta = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  const deploy = meta.deploy_map ?? {};
  const apps = meta.apps ?? {};
  const serverAppName = Object.keys(deploy).find((a) =>
    deploy[a]?.some((t) => t === 'server' || t === '@ALL'),
  );
  if (!serverAppName) throw new Error(`${file}: deploy_map deploys no app to "server"`);
  const clientAppName = Object.keys(deploy).find(
    (a) => deploy[a]?.some((t) => t !== 'server') && apps[a]?.client,
  );
  if (!clientAppName) throw new Error(`${file}: deploy_map deploys no app with a client config to any site`);
  const server = apps[serverAppName]?.server;
  if (!server) throw new Error(`${file}: apps.${serverAppName}.server is missing`);
  return {
    name: typeof meta.name === 'string' ? meta.name : path.basename(jobDir),
    server,
    client: apps[clientAppName]?.client,
  };
}
