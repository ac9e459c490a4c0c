import { webcrypto } from 'node:crypto';

export type KeyType = 'p256' | 'rsa';

/** The WebCrypto algorithm for each key type; P-256 is the default because it is fast to generate. */
export function keyAlgorithm(type: KeyType): RsaHashedKeyGenParams | EcKeyGenParams {
  if (type === 'rsa') {
    return {
      name: 'RSASSA-PKCS1-v1_5',
      hash: 'SHA-256',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
    };
  }
  return { name: 'ECDSA', namedCurve: 'P-256' };
}

export function signingAlgorithm(type: KeyType): Algorithm | EcdsaParams {
  return type === 'rsa'
    ? ({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm)
    : ({ name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams);
}

export async function generateKeys(type: KeyType): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(keyAlgorithm(type), true, ['sign', 'verify'])) as CryptoKeyPair;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

/** Re-imports a PKCS#8 PEM private key as a WebCrypto signing key (used when adding participants later). */
export async function privateKeyFromPem(text: string, type: KeyType): Promise<CryptoKey> {
  const b64 = text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const der = Buffer.from(b64, 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, keyAlgorithm(type), true, ['sign']);
}
