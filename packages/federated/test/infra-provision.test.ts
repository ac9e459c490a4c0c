import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { loadKit } from '../src/kit/kit.js';
import { loadProject, parseProject } from '../src/kit/project.js';
import { provision } from '../src/kit/provision.js';
import { cliPath } from '../src/poc/processes.js';
import { makeProject, tempDir } from './infra-helpers.js';

const tmp = tempDir('prov');
after(() => tmp.cleanup());

describe('provisioning', () => {
  it('issues kits whose certificates openssl verifies against the root CA, carrying role and organisation', async () => {
    const p = await makeProject(join(tmp.dir, 'a'), {
      admins: [{ name: 'lead@a', org: 'hospital-a', role: 'lead' }],
    });
    for (const name of ['server', 'site-1', 'site-2', 'lead@a']) {
      const startup = join(p.kit(name), 'startup');
      // openssl is an independent implementation: it must accept the chain @peculiar/x509 produced.
      const out = execFileSync('openssl', [
        'verify',
        '-CAfile',
        join(startup, 'rootCA.pem'),
        join(startup, 'cert.pem'),
      ]).toString();
      assert.match(out, /OK/);
      const kit = loadKit(p.kit(name));
      assert.equal(kit.identity.name, name);
    }
    const lead = new X509Certificate(readFileSync(join(p.kit('lead@a'), 'startup', 'cert.pem')));
    assert.match(lead.subject, /CN=lead@a/);
    assert.match(lead.subject, /O=hospital-a/);
    assert.match(lead.subject, /OU=lead/);
    assert.equal(
      new X509Certificate(readFileSync(join(p.kit('site-2'), 'startup', 'cert.pem'))).publicKey
        .asymmetricKeyDetails?.namedCurve,
      'prime256v1',
    );
    const server = new X509Certificate(readFileSync(join(p.kit('server'), 'startup', 'cert.pem')));
    assert.equal(server.checkHost('server'), 'server');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    // The root key never ships in a kit.
    assert.ok(existsSync(join(p.ws, 'proj', 'state', 'rootCA.key')));
    for (const name of ['server', 'site-1', 'lead@a'])
      assert.ok(!readFileSync(join(p.kit(name), 'startup', 'signature.json'), 'utf8').includes('rootCA.key'));
  });

  it('uses RSA keys when key_type is rsa', async () => {
    const p = await makeProject(join(tmp.dir, 'rsa'), { keyType: 'rsa', clients: ['site-1'] });
    const cert = new X509Certificate(readFileSync(join(p.kit('site-1'), 'startup', 'cert.pem')));
    assert.equal(cert.publicKey.asymmetricKeyType, 'rsa');
    assert.equal(loadKit(p.kit('site-1')).identity.role, 'client');
  });

  it('refuses a kit with a changed, added or removed file and names it', async () => {
    const p = await makeProject(join(tmp.dir, 'tamper'));
    const cfg = join(p.kit('site-1'), 'startup', 'config.json');
    const original = readFileSync(cfg, 'utf8');
    writeFileSync(cfg, original.replace('"heartbeatMs": 500', '"heartbeatMs": 1'));
    assert.throws(() => loadKit(p.kit('site-1')), /config\.json was changed after signing/);
    writeFileSync(cfg, original);
    assert.equal(loadKit(p.kit('site-1')).identity.name, 'site-1');
    writeFileSync(join(p.kit('site-1'), 'startup', 'extra.sh'), 'echo hi');
    assert.throws(() => loadKit(p.kit('site-1')), /extra\.sh was added after signing/);
    appendFileSync(join(p.kit('site-2'), 'startup', 'rootCA.pem'), '\n');
    assert.throws(() => loadKit(p.kit('site-2')), /rootCA\.pem was changed/);
    // The start command refuses too, as a separate process, with the reason on stderr.
    const r = spawnSync(process.execPath, ['--import', 'tsx', cliPath(), 'start', p.kit('site-1')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /failed its signature check and will not run/);
    assert.match(r.stderr, /extra\.sh was added after signing/);
  });

  it('names the wrong field of a malformed project.yml', () => {
    const good = {
      name: 'p',
      participants: [
        { type: 'server', name: 's', org: 'o' },
        { type: 'client', name: 'c', org: 'o' },
      ],
    };
    type Doc = { participants: Record<string, unknown>[]; [k: string]: unknown };
    const bad = (edit: (p: Doc) => void) => {
      const p = structuredClone(good) as Doc;
      edit(p);
      return () => parseProject(stringify(p));
    };
    assert.throws(
      bad((p) => (p.participants[1].type = 'worker')),
      /participants\[1\]\.type/,
    );
    assert.throws(
      bad((p) => (p.participants[0].fed_port = 'eighty')),
      /participants\[0\]\.fed_port: .*number/,
    );
    assert.throws(
      bad((p) => p.participants.push({ type: 'admin', name: 'a', org: 'o', role: 'boss' })),
      /participants\[2\]\.role: .*project_admin/,
    );
    assert.throws(
      bad((p) => p.participants.push({ type: 'client', name: 'c', org: 'o' })),
      /participants\[2\]\.name: "c" is already used by participants\[1\]/,
    );
    assert.throws(
      bad((p) => (p.participants = [p.participants[1]])),
      /participants: needs exactly one participant with type "server"/,
    );
    assert.throws(
      bad((p) => (p.key_type = 'dsa')),
      /key_type/,
    );
    assert.throws(
      bad((p) => (p.participants[1].name = 'bad name/..')),
      /participants\[1\]\.name: must be/,
    );
    assert.throws(
      bad((p) => (p.colour = 'blue')),
      /colour/,
    );
    assert.throws(() => parseProject('name: [unclosed'), /not valid YAML/);
    assert.doesNotThrow(bad(() => {}));
  });

  it('adds participants to an existing project without re-issuing existing certificates, and removes them', async () => {
    const ws = join(tmp.dir, 'grow');
    const p = await makeProject(ws, { clients: ['site-1'] });
    const before = loadKit(p.kit('site-1')).identity.serial;
    const doc = parse(readFileSync(p.yml, 'utf8'));
    doc.participants.push({ type: 'client', name: 'site-9', org: 'hospital-z' });
    writeFileSync(p.yml, stringify(doc));
    const r = await provision(loadProject(p.yml), ws);
    assert.deepEqual(r.created, ['site-9']);
    assert.equal(loadKit(p.kit('site-1')).identity.serial, before);
    const site9 = loadKit(p.kit('site-9'));
    assert.equal(site9.rootCA, loadKit(p.kit('site-1')).rootCA, 'same root CA');
    assert.deepEqual(
      loadKit(p.kit('server'))
        .participants?.map((x) => x.name)
        .sort(),
      ['admin@tessera', 'server', 'site-1', 'site-9'],
    );
    doc.participants = doc.participants.filter((x: { name: string }) => x.name !== 'site-1');
    writeFileSync(p.yml, stringify(doc));
    const r2 = await provision(loadProject(p.yml), ws);
    assert.deepEqual(r2.removed, ['site-1']);
    assert.ok(!loadKit(p.kit('server')).participants?.some((x) => x.name === 'site-1'));
    doc.key_type = 'rsa';
    writeFileSync(p.yml, stringify(doc));
    await assert.rejects(
      provision(loadProject(p.yml), ws),
      /key_type: this project was provisioned with "p256"/,
    );
  });
});
