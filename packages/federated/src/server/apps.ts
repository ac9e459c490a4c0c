import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Controller, Executor } from '../core/contracts.js';

/**
 * Where a job's code comes from. A config with `module: "custom/x.mjs"` loads that file from the (signed,
 * verified) job folder and calls its createController / createExecutor; otherwise the built-in workflows and
 * learners of this package are used. The module key is removed before the config reaches the factory.
 */
async function importFromJob(jobDir: string, spec: unknown, what: string): Promise<Record<string, unknown>> {
  if (typeof spec !== 'string' || spec.length === 0)
    throw new Error(`${what}.module must be a path inside the job folder, got ${JSON.stringify(spec)}`);
  const rel = normalize(spec);
  if (isAbsolute(rel) || rel.startsWith('..'))
    throw new Error(`${what}.module "${spec}" must be a path inside the job folder`);
  const file = join(jobDir, rel);
  if (!existsSync(file)) throw new Error(`${what}.module "${spec}" does not exist in the job folder`);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

function builtin(name: string): string {
  // Resolved at run time so that this file works from source (tsx maps .js to .ts) and from dist.
  return new URL(`../${name}/index.js`, import.meta.url).href;
}

export async function loadController(jobDir: string, config: Record<string, unknown>): Promise<Controller> {
  const { module, ...rest } = config;
  const mod =
    module !== undefined
      ? await importFromJob(jobDir, module, 'server')
      : ((await import(builtin('workflows'))) as Record<string, unknown>);
  const factory = mod.createController;
  if (typeof factory !== 'function') throw new Error(`server app module has no createController export`);
  return (await factory(rest)) as Controller;
}

export async function loadExecutor(
  jobDir: string,
  config: Record<string, unknown>,
  site: string,
): Promise<Executor> {
  const { module, ...rest } = config;
  const mod =
    module !== undefined
      ? await importFromJob(jobDir, module, 'client')
      : ((await import(builtin('learners'))) as Record<string, unknown>);
  const factory = mod.createExecutor;
  if (typeof factory !== 'function') throw new Error(`client app module has no createExecutor export`);
  return (await factory(rest, site)) as Executor;
}
