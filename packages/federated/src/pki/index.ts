export * from './certs.js';
export * from './keys.js';
export * from './manifest.js';
export * from './sign.js';
