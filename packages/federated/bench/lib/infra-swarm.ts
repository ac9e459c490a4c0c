/**
 * Many client sites in one process, for the concurrency benchmark: each FLClient has its own gRPC channel,
 * so its own TCP connection and TLS session, exactly as separate machines would.
 * usage: infra-swarm.ts <kitsDir> <first> <count>
 */
import { join } from 'node:path';
import { FLClient } from '../../src/client/client.js';
import { loadKit } from '../../src/kit/kit.js';

const [kitsDir, firstArg, countArg] = process.argv.slice(2);
const first = Number(firstArg);
const count = Number(countArg);
const clients: FLClient[] = [];
for (let i = first; i < first + count; i++) {
  const c = new FLClient(loadKit(join(kitsDir ?? '.', `site-${i}`)), { quiet: true });
  c.start();
  clients.push(c);
  if (i % 50 === 0) await new Promise((r) => setTimeout(r, 20));
}
setInterval(() => process.stdout.write(`connected ${clients.filter((c) => c.connected).length}\n`), 2000);
process.on('SIGTERM', async () => {
  await Promise.all(clients.map((c) => c.stop()));
  process.exit(0);
});
