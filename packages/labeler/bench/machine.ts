import os from 'node:os';

export function machine(): string {
  return `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`;
}

/** Samples resident memory while fn runs; returns its result, seconds and peak RSS in MB. */
export async function measure<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; seconds: number; peakMb: number; baseMb: number }> {
  global.gc?.();
  const baseMb = process.memoryUsage().rss / 1024 ** 2;
  let peak = baseMb;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss / 1024 ** 2);
  }, 20);
  const t0 = performance.now();
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss / 1024 ** 2);
    return { result, seconds: (performance.now() - t0) / 1000, peakMb: peak, baseMb };
  } finally {
    clearInterval(timer);
  }
}
