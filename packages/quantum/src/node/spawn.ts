import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker from a module next to this one. Compiled (.js) it is loaded directly; under tsx (.ts,
 * tests and development) the worker first registers tsx's loader, since loader hooks do not reach workers.
 */
export function spawnWorker(name: string, options: WorkerOptions = {}): Worker {
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(`./${name}${ts ? '.ts' : '.js'}`, import.meta.url);
  if (!ts) return new Worker(url, options);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
