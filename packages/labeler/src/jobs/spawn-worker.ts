import { Worker } from 'node:worker_threads';

/**
 * Starts a worker from a module next to the caller. Under tsx (tests, `node --import tsx`) the loader hooks are
 * not inherited by worker threads in Node 20, so the worker first registers tsx itself, then imports the module.
 */
export function spawnWorker(name: string, base: string, workerData: unknown): Worker {
  const isTs = base.endsWith('.ts');
  const url = new URL(`./${name}${isTs ? '.ts' : '.js'}`, base);
  if (!isTs) return new Worker(url, { workerData });
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(code, { eval: true, workerData, execArgv: [] });
}
