import { createHash, createPrivateKey, sign, verify, X509Certificate } from 'node:crypto';

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Signs bytes with a PEM private key (EC or RSA); the digest is SHA-256. */
export function signBytes(data: Uint8Array | string, keyPem: string): string {
  const key = createPrivateKey(keyPem);
  return sign('sha256', typeof data === 'string' ? Buffer.from(data) : data, key).toString('base64');
}

export function verifyBytes(data: Uint8Array | string, signatureB64: string, certPem: string): boolean {
  const cert = new X509Certificate(certPem);
  return verify(
    'sha256',
    typeof data === 'string' ? Buffer.from(data) : data,
    cert.publicKey,
    Buffer.from(signatureB64, 'base64'),
  );
}
