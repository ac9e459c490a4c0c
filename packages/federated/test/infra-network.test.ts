import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { parse, stringify } from 'yaml';
import { AdminAPI } from '../src/admin/api.js';
import { FLClient } from '../src/client/client.js';
import { loadKit } from '../src/kit/kit.js';
import { loadProject } from '../src/kit/project.js';
import { provision } from '../src/kit/provision.js';
import { consensusExpected, writeConsensusJob } from '../src/poc/demo-job.js';
import { FLServer } from '../src/server/server.js';
import { readWeightsFile } from '../src/server/weights-file.js';
import { newClient } from '../src/transport/service.js';
import { makeProject, type TestProject, tempDir, until } from './infra-helpers.js';

/** The generic client's Connect method, which makeGenericClientConstructor adds at run time. */
type Streams = { Connect(): grpc.ClientDuplexStream<unknown, unknown> };

const tmp = tempDir('net');
after(() => tmp.cleanup());

describe('server and clients over mutual TLS (in one process, real sockets)', () => {
  let p: TestProject;
  let server: FLServer;
  const clients: FLClient[] = [];
  const admins = [
    { name: 'boss@tessera', org: 'tessera', role: 'project_admin' },
    { name: 'lead@a', org: 'hospital-a', role: 'lead' },
    { name: 'lead2@b', org: 'hospital-b', role: 'lead' },
    { name: 'orgadmin@a', org: 'hospital-a', role: 'org_admin' },
    { name: 'viewer@b', org: 'hospital-b', role: 'member' },
  ];
  const api = (name: string) => AdminAPI.fromKit(p.kit(name));

  before(async () => {
    p = await makeProject(join(tmp.dir, 'main'), { clients: ['site-1', 'site-2', 'site-3'], admins });
    server = new FLServer(loadKit(p.kit('server')), { quiet: true });
    await server.start();
    for (const s of ['site-1', 'site-2']) {
      const c = new FLClient(loadKit(p.kit(s)), { quiet: true });
      c.start();
      clients.push(c);
    }
    await Promise.all(clients.map((c) => c.waitConnected()));
  });
  after(async () => {
    for (const c of clients) await c.stop();
    await server.stop();
  });

  it('registers sites under the identity in their certificates', async () => {
    const s = await api('viewer@b').status();
    assert.deepEqual(s.sites.map((x) => x.name).sort(), ['site-1', 'site-2']);
    assert.deepEqual(s.sites.map((x) => x.org).sort(), ['hospital-a', 'hospital-b']);
  });

  it('streams a 48 MB model (3× the 16 MiB message limit) in chunks and reproduces analytic FedAvg', async () => {
    const sites = { 'site-1': { target: 1, samples: 10 }, 'site-2': { target: 4, samples: 30 } };
    const dir = writeConsensusJob(join(tmp.dir, 'bigjob'), {
      rounds: 2,
      minClients: 2,
      dim: 12_000_000,
      lr: 0.5,
      sites,
    });
    const lead = api('lead@a');
    const { id } = await lead.submit(dir);
    const st = await lead.waitFor(id, { timeoutMs: 120_000 });
    assert.equal(st.job.status, 'finished', st.job.error ?? '');
    assert.equal(st.rounds.length, 2);
    assert.deepEqual(st.rounds[1]?.sites, ['site-1', 'site-2']);
    assert.equal(st.sites.filter((r) => r.status === 'ok').length, 4);
    const out = join(tmp.dir, 'bigjob-dl');
    const dl = await lead.download(id, out);
    assert.ok(dl.files.some((f) => f.endsWith('job/meta.json')));
    const w = readWeightsFile(join(out, 'result', 'model.bin')).w;
    assert.equal(w?.data.length, 12_000_000);
    const expected = consensusExpected(Object.values(sites), 0.5, 2);
    assert.ok(Math.abs((w?.data[0] ?? 0) - expected) < 1e-5);
    assert.ok(Math.abs((w?.data[11_999_999] ?? 0) - expected) < 1e-5);
  });

  it('says which sites a job is waiting for before it starts, and stops saying it once aborted', async () => {
    const admin = api('boss@tessera');
    const { id } = await admin.submit(
      writeConsensusJob(join(tmp.dir, 'waits'), {
        rounds: 1,
        minClients: 3,
        sites: { 'site-1': { target: 1, samples: 1 }, 'site-2': { target: 1, samples: 1 } },
      }),
    );
    await until(async () => !!(await admin.status(id)).job.waiting, 10_000, 'waiting reason');
    const st = await admin.status(id);
    assert.equal(st.job.status, 'submitted');
    assert.equal(
      st.job.waiting,
      'waiting for 3 site(s) to connect (min_clients 3); 2 connected: site-1, site-2',
    );
    assert.ok((await admin.status()).jobs.some((j) => j.id === id && j.waiting === st.job.waiting));
    await admin.abort(id);
    const aborted = await admin.status(id);
    assert.equal(aborted.job.status, 'aborted');
    assert.equal(aborted.job.waiting, undefined);
  });

  it('lets a site join while a job runs; it takes part in later rounds', async () => {
    const sites = {
      'site-1': { target: 1, samples: 1, delayMs: 100 },
      'site-2': { target: 1, samples: 1, delayMs: 100 },
      'site-3': { target: 1, samples: 1, delayMs: 100 },
    };
    const { id } = await api('boss@tessera').submit(
      writeConsensusJob(join(tmp.dir, 'join'), { rounds: 40, minClients: 2, waitAfterMinMs: 3_000, sites }),
    );
    await until(async () => (await api('boss@tessera').status(id)).rounds.length >= 1, 20_000, 'first round');
    const late = new FLClient(loadKit(p.kit('site-3')), { quiet: true });
    late.start();
    clients.push(late);
    const st = await api('boss@tessera').waitFor(id, { timeoutMs: 60_000 });
    assert.equal(st.job.status, 'finished');
    assert.ok(!st.rounds[0]?.sites.includes('site-3'));
    assert.ok(
      st.rounds.at(-1)?.sites.includes('site-3'),
      `site-3 should be in the last round: ${JSON.stringify(st.rounds.map((r) => r.sites))}`,
    );
  });

  it('enforces the authorization policy with messages naming who may do what', async () => {
    const dir = writeConsensusJob(join(tmp.dir, 'policy'), {
      rounds: 1,
      minClients: 1,
      sites: { 'site-1': { target: 1, samples: 1 } },
    });
    await assert.rejects(
      api('viewer@b').submit(dir),
      /not authorized: viewer@b \(role member, org hospital-b\) has no "submit_job" right/,
    );
    await assert.rejects(api('orgadmin@a').submit(dir), /has no "submit_job" right/);
    const { id } = await api('lead2@b').submit(dir);
    await api('lead2@b').waitFor(id, { timeoutMs: 30_000 });
    await assert.rejects(
      api('lead@a').delete(id),
      /lead@a .* may "manage_job" only on jobs they submitted; this job was submitted by lead2@b/,
    );
    await assert.rejects(api('orgadmin@a').delete(id), /only on jobs of org hospital-a/);
    await assert.rejects(api('viewer@b').download(id, join(tmp.dir, 'x')), /has no "download_job" right/);
    assert.ok(
      (await api('viewer@b').list()).some((j) => j.id === id),
      'members may view',
    );
    const clone = await api('lead@a').clone(id);
    assert.equal(clone.cloned_from, id);
    await api('lead@a').waitFor(clone.id, { timeoutMs: 30_000 });
    assert.equal((await api('lead@a').status(clone.id)).job.status, 'finished');
    await api('lead@a').delete(clone.id);
    await assert.rejects(api('lead@a').status(clone.id), /no job with id/);
    await api('boss@tessera').delete(id);
    await assert.rejects(api('boss@tessera').abort('no-such-job'), /no job with id "no-such-job"/);
  });

  it("refuses a job changed after signing, or submitted under someone else's signature", async () => {
    const dir = writeConsensusJob(join(tmp.dir, 'tamper'), {
      rounds: 1,
      sites: { 'site-1': { target: 1, samples: 1 } },
    });
    const lead = api('lead@a');
    const bundle = lead.pack(dir);
    const mod = bundle.files.find((f) => f.path === 'custom/consensus.mjs');
    assert.ok(mod);
    mod.data = new TextEncoder().encode(`${new TextDecoder().decode(mod.data)}\nprocess.exit(1);\n`);
    await assert.rejects(
      lead.submitBundle(bundle),
      /job signed by lead@a was tampered with: custom\/consensus\.mjs was changed after signing/,
    );
    const other = api('lead2@b').pack(dir);
    await assert.rejects(lead.submitBundle(other), /job is signed by lead2@b but submitted by lead@a/);
    const before = (await lead.list()).length;
    assert.equal((await lead.list()).length, before, 'nothing stored');
  });

  it('refuses to run a job whose stored copy on the server was changed after signing', async () => {
    const dir = writeConsensusJob(join(tmp.dir, 'stored'), {
      rounds: 1,
      sites: { 'site-1': { target: 1, samples: 1 } },
    });
    const lead = api('lead@a');
    const { id } = await lead.submit(dir);
    assert.equal((await lead.waitFor(id, { timeoutMs: 30_000 })).job.status, 'finished');
    const stored = join(server.store.jobDir(id), 'files', 'custom', 'consensus.mjs');
    writeFileSync(stored, `${readFileSync(stored, 'utf8')}\nthrow new Error('injected');\n`);
    const clone = await lead.clone(id);
    const st = await lead.waitFor(clone.id, { timeoutMs: 30_000 });
    assert.equal(st.job.status, 'failed');
    assert.match(
      st.job.error ?? '',
      /job files on the server failed verification: .*custom\/consensus\.mjs was changed after signing/,
    );
    assert.ok(!st.events.some((e) => /deployed/.test(e.message)));
  });

  it('names the wrong field of a malformed job', async () => {
    const dir = writeConsensusJob(join(tmp.dir, 'badmeta'), {
      rounds: 1,
      sites: { 'site-1': { target: 1, samples: 1 } },
    });
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    meta.min_clients = 0;
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
    await assert.rejects(api('lead@a').submit(dir), /meta\.json: min_clients: .*>=1/);
    meta.min_clients = 1;
    meta.deploy_map = { app: ['server', 'site-77'] };
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
    await assert.rejects(
      api('lead@a').submit(dir),
      /deploy_map\.app\[1\]: "site-77" is not a client site of this project/,
    );
    meta.deploy_map = { other: ['server'] };
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
    await assert.rejects(
      api('lead@a').submit(dir),
      /deploy_map\.other: app "other" is not defined under apps/,
    );
    // Built-in workflow and trainer configs are checked at submission too, naming the field.
    const builtin = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', 'jobs', 'breast-cancer-logreg', 'meta.json'), 'utf8'),
    );
    builtin.apps.app.server.rounds = 0;
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(builtin));
    await assert.rejects(
      api('lead@a').submit(dir),
      /meta\.json: apps\.app\.server: invalid server app config: rounds: /,
    );
    builtin.apps.app.server.rounds = 2;
    builtin.apps.app.client.dataset.partition.kind = 'round-robin';
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(builtin));
    await assert.rejects(
      api('lead@a').submit(dir),
      /meta\.json: apps\.app\.client: invalid client app config: dataset\.partition\.kind/,
    );
  });

  it('lets a site refuse jobs by its own local policy', async () => {
    const site3 = p.kit('site-3');
    mkdirSync(join(site3, 'local'), { recursive: true });
    writeFileSync(join(site3, 'local', 'authorization.json'), JSON.stringify({ lead: { run_job: 'org' } }));
    const strict = new FLClient(loadKit(site3), { quiet: true });
    clients.find((c) => c.name === 'site-3')?.stop();
    strict.start();
    clients.push(strict);
    await strict.waitConnected();
    // lead2@b is in hospital-b; site-3 is in hospital-a and only runs jobs from its own org's leads.
    const dir = writeConsensusJob(join(tmp.dir, 'local'), {
      rounds: 1,
      minClients: 1,
      sites: { 'site-3': { target: 1, samples: 1 } },
    });
    const { id } = await api('lead2@b').submit(dir);
    await until(
      async () => (await api('lead2@b').status(id)).events.some((e) => /refused the job/.test(e.message)),
      20_000,
      'site-3 refusal',
    );
    const ev = (await api('lead2@b').status(id)).events.find((e) => /refused the job/.test(e.message));
    assert.match(
      ev?.message ?? '',
      /site policy of site-3: lead2@b .* may "run_job" only on jobs of org hospital-b/,
    );
    await api('lead2@b').abort(id);
    assert.equal((await api('lead2@b').status(id)).job.status, 'aborted');
  });

  it("refuses a connection with no certificate, with another CA's certificate, or from a removed participant", async () => {
    // No client certificate: the TLS handshake fails before any RPC handler runs.
    const kit = loadKit(p.kit('site-1'));
    const bare = newClient(
      `127.0.0.1:${p.port}`,
      grpc.credentials.createSsl(Buffer.from(kit.rootCA)),
      'server',
    );
    const err = await new Promise<grpc.ServiceError>((resolve) => {
      const s = (bare as unknown as Streams).Connect();
      s.on('error', resolve);
      s.write({ h: { t: 'hello', site: 'site-1', version: 1 } });
    });
    bare.close();
    assert.notEqual(err.code, grpc.status.OK);
    // Same site name, same server address, but a kit from another project's root CA.
    const q = await makeProject(join(tmp.dir, 'other'), { name: 'other', clients: ['site-1'] });
    const rogue = new FLClient(loadKit(q.kit('site-1')), {
      quiet: true,
      address: `127.0.0.1:${p.port}`,
      maxRetries: 0,
    });
    rogue.start();
    const why = await rogue.finished;
    assert.match(
      why,
      /gave up after 1 failed connection attempts: TLS handshake with 127\.0\.0\.1:\d+ failed: the server's certificate does not chain to this kit's root CA/,
    );
    // A client that trusts our server but presents another CA's certificate: the server ends the handshake.
    const otherKit = loadKit(q.kit('site-1'));
    const mixed = newClient(
      `127.0.0.1:${p.port}`,
      grpc.credentials.createSsl(
        Buffer.from(kit.rootCA),
        Buffer.from(otherKit.key),
        Buffer.from(otherKit.cert),
      ),
      'server',
    );
    const err2 = await new Promise<grpc.ServiceError>((resolve) => {
      const s = (mixed as unknown as Streams).Connect();
      s.on('error', resolve);
      s.write({ h: { t: 'hello', site: 'site-1', version: 1 } });
    });
    mixed.close();
    assert.equal(err2.code, grpc.status.UNAVAILABLE);
    assert.ok(!server.registry.all().some((c) => c.serial === otherKit.identity.serial));
    // Removed participant: re-provision without site-2; the server reloads its signed list on the next connection.
    const doc = parse(readFileSync(p.yml, 'utf8'));
    doc.participants = doc.participants.filter((x: { name: string }) => x.name !== 'site-2');
    writeFileSync(p.yml, stringify(doc));
    await provision(loadProject(p.yml), p.ws);
    const removed = new FLClient(loadKit(join(tmp.dir, 'main', 'proj', 'kits', 'site-1')), { quiet: true });
    removed.start();
    await removed.waitConnected();
    await until(() => !server.registry.get('site-2'), 10_000, 'site-2 dropped after removal');
    const again = new FLClient(clients[1]?.kit ?? loadKit(p.kit('site-1')), { quiet: true });
    again.start();
    assert.match(
      await again.finished,
      /the server refused this participant: "site-2" is not a participant of project proj/,
    );
    await removed.stop();
    const names = (await api('viewer@b').status()).sites.map((x) => x.name);
    assert.ok(!names.includes('site-2'));
  });
});
