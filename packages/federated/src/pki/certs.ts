import 'reflect-metadata';
import { X509Certificate as NodeX509, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { generateKeys, type KeyType, privateKeyToPem, signingAlgorithm } from './keys.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type ParticipantType = 'server' | 'client' | 'admin';

/** What a certificate says about its holder; the server trusts only this, never a name a peer claims. */
export interface Identity {
  name: string;
  org: string;
  /** 'server' or 'client' for sites; the admin's role (project_admin, org_admin, lead, member) for admins. */
  role: string;
  serial: string;
}

export interface IssuedCert {
  certPem: string;
  keyPem: string;
  serial: string;
}

export interface RootCA {
  certPem: string;
  keyPem: string;
  key: CryptoKey;
  cert: x509.X509Certificate;
  keyType: KeyType;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

function serialHex(): string {
  const b = randomBytes(16);
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x40; // positive INTEGER, no leading zero byte to normalise away
  return b.toString('hex');
}

/** Escapes a value for an RFC 4514 distinguished name. */
function dnValue(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, '\\$1');
}

export async function createRootCA(project: string, keyType: KeyType, years = 10): Promise<RootCA> {
  const keys = await generateKeys(keyType);
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialHex(),
    name: `CN=${dnValue(project)} Root CA, O=${dnValue(project)}`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + years * YEAR_MS),
    keys,
    signingAlgorithm: signingAlgorithm(keyType),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certPem: cert.toString('pem'),
    keyPem: await privateKeyToPem(keys.privateKey),
    key: keys.privateKey,
    cert,
    keyType,
  };
}

export interface LeafRequest {
  name: string;
  org: string;
  role: string;
  /** Extra DNS names / IPs the server certificate must match (the host clients dial). */
  hosts?: string[];
}

export async function issueCertificate(ca: RootCA, req: LeafRequest, years = 3): Promise<IssuedCert> {
  const keys = await generateKeys(ca.keyType);
  const now = new Date();
  const serial = serialHex();
  const hosts = new Set(req.hosts ?? []);
  const san: x509.JsonGeneralName[] = [];
  for (const h of hosts)
    san.push(/^[\d.]+$|:/.test(h) ? { type: 'ip', value: h } : { type: 'dns', value: h });
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
  ];
  if (san.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(san));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: `CN=${dnValue(req.name)}, O=${dnValue(req.org)}, OU=${dnValue(req.role)}`,
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + years * YEAR_MS),
    signingKey: ca.key,
    publicKey: keys.publicKey,
    signingAlgorithm: signingAlgorithm(ca.keyType),
    extensions,
  });
  return {
    certPem: cert.toString('pem'),
    keyPem: await privateKeyToPem(keys.privateKey),
    serial: serial.toUpperCase(),
  };
}

/** Reads name/org/role/serial from a PEM certificate, after checking that `caPem` issued it and it is in date. */
export function verifiedIdentity(certPem: string, caPem: string, now = new Date()): Identity {
  const cert = new NodeX509(certPem);
  const ca = new NodeX509(caPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
    throw new Error(
      `certificate "${cert.subject.replace(/\n/g, ', ')}" was not issued by this project's root CA`,
    );
  }
  if (new Date(cert.validTo) < now || new Date(cert.validFrom) > now) {
    throw new Error(
      `certificate for ${cert.subject.replace(/\n/g, ', ')} is out of date (valid ${cert.validFrom} – ${cert.validTo})`,
    );
  }
  return identityFromSubject(cert.subject, cert.serialNumber);
}

/** Parses Node's multi-line subject string ("CN=x\nO=y\nOU=z"). */
export function identityFromSubject(
  subject: string | Record<string, string | string[] | undefined>,
  serial: string,
): Identity {
  const fields: Record<string, string> = {};
  if (typeof subject === 'string') {
    for (const line of subject.split('\n')) {
      const i = line.indexOf('=');
      if (i > 0) fields[line.slice(0, i)] = line.slice(i + 1);
    }
  } else {
    for (const [k, v] of Object.entries(subject))
      if (v !== undefined) fields[k] = Array.isArray(v) ? String(v[0]) : v;
  }
  return {
    name: fields.CN ?? '',
    org: fields.O ?? '',
    role: fields.OU ?? '',
    serial: serial.toUpperCase().replace(/^0+/, ''),
  };
}
