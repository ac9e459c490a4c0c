/** Choosing and waiting for the sites that take part in a round. */
import type { ControllerContext } from '../core/contracts.js';
import { deriveSeed, Rng } from '../numeric/random.js';

/** Resolves with the connected sites once at least `min` are there, or with what is there after `waitMs`. */
export async function waitForSites(ctx: ControllerContext, min: number, waitMs: number): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  let sites = ctx.comm.sites();
  let announced = false;
  while (sites.length < min && Date.now() < deadline && !ctx.signal.aborted) {
    if (!announced) {
      ctx.progress({ kind: 'log', message: `waiting for clients: ${sites.length} of ${min} connected` });
      announced = true;
    }
    await new Promise((r) => setTimeout(r, Math.min(250, Math.max(1, deadline - Date.now()))));
    sites = ctx.comm.sites();
  }
  return sites;
}

/** The round's targets: all sites, or a seeded sample of `perRound` of them; always in name order. */
export function chooseSites(
  sites: string[],
  perRound: number | undefined,
  seed: number,
  round: number,
): string[] {
  const sorted = sites.slice().sort();
  if (perRound === undefined || perRound >= sorted.length) return sorted;
  return new Rng(deriveSeed(seed, 'sample', round)).sample(sorted, perRound).sort();
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Error('job aborted');
}
