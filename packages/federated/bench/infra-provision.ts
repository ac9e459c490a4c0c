/**
 * Time to provision 1,000 participants (aim: under a minute), against the floor of the same run: the bare
 * cryptography (key generation + certificate signing via WebCrypto) that provisioning cannot avoid. Also:
 * verifying every kit's signatures, adding one participant to the existing project, and RSA for comparison.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadKit } from '../src/kit/kit.js';
import { loadProject } from '../src/kit/project.js';
import { provision } from '../src/kit/provision.js';
import { createRootCA, issueCertificate } from '../src/pki/certs.js';
import { arg, machine, writeResult } from './infra-common.js';

const n = arg('participants', 1000);
const rsaN = arg('rsa', 100);
console.log(`infra-provision: ${n} participants (P-256), ${rsaN} with RSA-2048\nmachine: ${machine()}`);

function project(name: string, count: number, keyType: 'p256' | 'rsa'): Record<string, unknown> {
  const participants: Record<string, unknown>[] = [{ type: 'server', name: 'server', org: 'tessera' }];
  for (let i = 0; i < 3; i++)
    participants.push({ type: 'admin', name: `admin${i}@tessera`, org: 'tessera', role: 'lead' });
  for (let i = participants.length; i < count; i++)
    participants.push({ type: 'client', name: `site-${i}`, org: `hospital-${i % 50}` });
  return { name, key_type: keyType, participants };
}

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, performance.now() - t0];
}

const ws = mkdtempSync(join(tmpdir(), 'tessera-bench-prov-'));
try {
  const yml = join(ws, 'project.yml');
  const doc = project('bench', n, 'p256');
  writeFileSync(yml, stringify(doc));
  const [res, provMs] = await timed(() =>
    provision(loadProject(yml), ws, (d, t) => d % 250 === 0 && process.stdout.write(`  ${d}/${t}\n`)),
  );
  const [, verifyMs] = await timed(() => {
    for (const name of [...res.created]) loadKit(join(res.kitsDir, name));
  });
  (doc.participants as unknown[]).push({ type: 'client', name: 'late-site', org: 'hospital-new' });
  writeFileSync(yml, stringify(doc));
  const [added, addMs] = await timed(() => provision(loadProject(yml), ws));
  // Floor: the cryptography alone, same key type and count, no files.
  const ca = await createRootCA('floor', 'p256');
  const [, cryptoMs] = await timed(async () => {
    for (let i = 0; i < n; i++) await issueCertificate(ca, { name: `s${i}`, org: 'o', role: 'client' });
  });
  const rsaYml = join(ws, 'rsa.yml');
  writeFileSync(rsaYml, stringify(project('bench-rsa', rsaN, 'rsa')));
  const [, rsaMs] = await timed(() => provision(loadProject(rsaYml), ws));

  const rows = [
    [
      'provision (P-256)',
      `${n} kits`,
      `${(provMs / 1000).toFixed(2)} s`,
      `${(provMs / n).toFixed(1)} ms/kit`,
      `aim < 60 s: ${(60_000 / provMs).toFixed(0)}× under`,
    ],
    [
      '  crypto floor',
      `${n} key+cert`,
      `${(cryptoMs / 1000).toFixed(2)} s`,
      `${(cryptoMs / n).toFixed(1)} ms/kit`,
      `provision / floor = ${(provMs / cryptoMs).toFixed(2)}×`,
    ],
    [
      'verify every kit',
      `${res.created.length} kits`,
      `${(verifyMs / 1000).toFixed(2)} s`,
      `${(verifyMs / res.created.length).toFixed(2)} ms/kit`,
      '',
    ],
    [
      'add 1 participant',
      `${added.created.length} new, ${added.kept.length} kept`,
      `${(addMs / 1000).toFixed(2)} s`,
      '',
      'existing certificates kept',
    ],
    [
      'provision (RSA-2048)',
      `${rsaN} kits`,
      `${(rsaMs / 1000).toFixed(2)} s`,
      `${(rsaMs / rsaN).toFixed(1)} ms/kit`,
      `→ ${(((rsaMs / rsaN) * 1000) / 1000).toFixed(0)} s per 1,000`,
    ],
  ];
  for (const r of rows)
    console.log(
      `  ${r[0]?.padEnd(22)} ${r[1]?.padEnd(22)} ${r[2]?.padStart(9)}  ${r[3]?.padEnd(16)} ${r[4]}`,
    );
  const file = writeResult('infra-provision', {
    participants: n,
    provisionMs: provMs,
    cryptoFloorMs: cryptoMs,
    verifyMs,
    addOneMs: addMs,
    rsaParticipants: rsaN,
    rsaMs,
  });
  console.log(`  wrote ${file}`);
} finally {
  rmSync(ws, { recursive: true, force: true });
}
