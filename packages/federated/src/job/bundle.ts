import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { type Identity, verifiedIdentity } from '../pki/certs.js';
import { hashFolder, listFiles, type Manifest, signManifest } from '../pki/manifest.js';
import { sha256Hex, verifyBytes } from '../pki/sign.js';
import { type JobMeta, parseJobMeta } from './meta.js';

/** A job folder in transit: its files and the submitting admin's signature over all of them. */
export interface JobBundle {
  files: { path: string; data: Uint8Array }[];
  manifest: Manifest;
}

const SKIP = new Set(['signature.json', 'node_modules', '.git']);

/** Reads and signs a job folder with an admin's key; the admin's certificate travels in the manifest. */
export function packJob(dir: string, signer: { name: string; keyPem: string; certPem: string }): JobBundle {
  const files = listFiles(dir, SKIP).map((path) => ({
    path,
    data: new Uint8Array(readFileSync(join(dir, path))),
  }));
  if (!files.some((f) => f.path === 'meta.json'))
    throw new Error(`${dir} is not a job folder: meta.json is missing`);
  const manifest = signManifest(hashFolder(dir, SKIP), signer.name, signer.keyPem, signer.certPem);
  return { files, manifest };
}

export class JobRejected extends Error {}

/**
 * Checks a bundle before anything in it is used: the signer's certificate was issued by this project's CA, the
 * signature over the file list verifies, and every file matches its hash with none added or missing.
 * Returns the signer's identity (from the certificate, not from any claim) and the parsed meta.
 */
export function verifyJob(bundle: JobBundle, rootCA: string): { signer: Identity; meta: JobMeta } {
  const m = bundle.manifest;
  if (!m?.signerCert || !m.signature || !m.files)
    throw new JobRejected('job is not signed: it has no manifest with signer certificate and signature');
  let signer: Identity;
  try {
    signer = verifiedIdentity(m.signerCert, rootCA);
  } catch (e) {
    throw new JobRejected(`job signer rejected: ${(e as Error).message}`);
  }
  const canonical = JSON.stringify({
    signer: m.signer,
    files: Object.keys(m.files)
      .sort()
      .map((k) => [k, m.files[k]]),
  });
  if (m.signer !== signer.name || !verifyBytes(canonical, m.signature, m.signerCert)) {
    throw new JobRejected(
      `job signature does not verify against ${signer.name}'s certificate: the job was changed after it was signed`,
    );
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const f of bundle.files) {
    seen.add(f.path);
    const want = m.files[f.path];
    if (want === undefined) problems.push(`${f.path} was added after signing`);
    else if (sha256Hex(f.data) !== want) problems.push(`${f.path} was changed after signing`);
  }
  for (const p of Object.keys(m.files)) if (!seen.has(p)) problems.push(`${p} is missing`);
  if (problems.length)
    throw new JobRejected(`job signed by ${signer.name} was tampered with: ${problems.join('; ')}`);
  const metaFile = bundle.files.find((f) => f.path === 'meta.json');
  if (!metaFile) throw new JobRejected('job has no meta.json');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(metaFile.data).toString('utf8'));
  } catch (e) {
    throw new JobRejected(`meta.json: not valid JSON: ${(e as Error).message}`);
  }
  return { signer, meta: parseJobMeta(raw) };
}

/** Writes a bundle's files under `dir`, refusing paths that would escape it. */
export function writeJob(bundle: JobBundle, dir: string): void {
  for (const f of bundle.files) {
    const rel = normalize(f.path);
    if (rel.startsWith('..') || rel.startsWith(sep) || rel.includes(`..${sep}`))
      throw new JobRejected(`job file path "${f.path}" escapes the job folder`);
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.data);
  }
  writeFileSync(join(dir, 'signature.json'), JSON.stringify(bundle.manifest, null, 1));
}

export function readJobBundle(dir: string): JobBundle {
  const manifest = JSON.parse(readFileSync(join(dir, 'signature.json'), 'utf8')) as Manifest;
  const files = listFiles(dir, SKIP).map((path) => ({
    path,
    data: new Uint8Array(readFileSync(join(dir, path))),
  }));
  return { files, manifest };
}

export function bundleToWire(b: JobBundle): {
  meta: { paths: string[]; manifest: Manifest };
  segments: Uint8Array[];
} {
  return {
    meta: { paths: b.files.map((f) => f.path), manifest: b.manifest },
    segments: b.files.map((f) => f.data),
  };
}

export function bundleFromWire(
  meta: { paths: string[]; manifest: Manifest },
  segments: Uint8Array[],
  offset = 0,
): JobBundle {
  return {
    manifest: meta.manifest,
    files: meta.paths.map((path, i) => ({ path, data: segments[offset + i] ?? new Uint8Array(0) })),
  };
}
