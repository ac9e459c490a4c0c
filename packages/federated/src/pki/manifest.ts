import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sha256Hex, signBytes, verifyBytes } from './sign.js';

/**
 * A signed list of every file in a folder and its SHA-256. One signature over the canonical list covers every
 * file, so changing, adding or removing any file is caught. Used for startup kits (signed by the root CA key)
 * and for jobs (signed by the submitting admin).
 */
export interface Manifest {
  version: 1;
  files: Record<string, string>;
  signer: string;
  signature: string;
  /** The signer's certificate, for jobs whose signer is not the root. */
  signerCert?: string;
}

export function listFiles(dir: string, skip: Set<string>): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      const rel = relative(dir, p).split(sep).join('/');
      if (skip.has(rel)) continue;
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

export function hashFolder(dir: string, skip: Set<string>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const rel of listFiles(dir, skip)) files[rel] = sha256Hex(readFileSync(join(dir, rel)));
  return files;
}

function canonical(files: Record<string, string>, signer: string): string {
  const keys = Object.keys(files).sort();
  return JSON.stringify({ signer, files: keys.map((k) => [k, files[k]]) });
}

export function signManifest(
  files: Record<string, string>,
  signer: string,
  keyPem: string,
  signerCert?: string,
): Manifest {
  const m: Manifest = { version: 1, files, signer, signature: signBytes(canonical(files, signer), keyPem) };
  if (signerCert) m.signerCert = signerCert;
  return m;
}

/** Returns a list of human-readable problems; empty means the folder is exactly what was signed. */
export function checkManifest(dir: string, manifest: Manifest, certPem: string, skip: Set<string>): string[] {
  const problems: string[] = [];
  if (!verifyBytes(canonical(manifest.files, manifest.signer), manifest.signature, certPem)) {
    problems.push(
      `the signature over the file list does not verify against ${manifest.signer}'s certificate`,
    );
  }
  const present = new Set(existsSync(dir) && statSync(dir).isDirectory() ? listFiles(dir, skip) : []);
  for (const [rel, hash] of Object.entries(manifest.files)) {
    if (!present.has(rel)) problems.push(`${rel} is missing`);
    else if (sha256Hex(readFileSync(join(dir, rel))) !== hash)
      problems.push(`${rel} was changed after signing`);
  }
  for (const rel of present) if (!(rel in manifest.files)) problems.push(`${rel} was added after signing`);
  return problems;
}
