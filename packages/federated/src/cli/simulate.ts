/** `tessera-fl simulate`: the learning side's worker-thread simulator, run on a job folder. */
export async function runSimulateCommand(jobDir: string, o: { clients: number; threads: number; out?: string }): Promise<void> {
  const mod = (await import(new URL(`../simulator/index${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href).catch(() => undefined)) as Record<string, unknown> | undefined;
  const run = mod?.runSimulateCli ?? mod?.simulateJobFolder;
  if (typeof run !== 'function') throw new Error('the simulator is not available in this build');
  await run(jobDir, o);
}
