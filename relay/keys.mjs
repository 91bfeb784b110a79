// The agent desk's identity: an Ed25519 key whose 32-byte seed (RFC 8032 private key) the agent
// console holds (`SealDesk.create({ role: 'agent', identity: { seed } })`) and whose public key
// every customer's widget pins (`agentKey`). Both base64url without padding, the format the SDK
// reads. node:crypto only, so the demo server can use it without installing anything.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';

// PKCS #8 wrapping of a raw Ed25519 private key (RFC 8410): a fixed 16-byte prefix, then the seed.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The base64url public key (`agentKey`) of a base64url seed; throws on a seed that is not 32 bytes. */
export function agentKeyOfSeed(seed) {
  const bytes = Buffer.from(String(seed).trim(), 'base64url');
  if (bytes.length !== 32 || bytes.toString('base64url') !== String(seed).trim()) {
    throw new Error('an identity seed is 32 bytes, base64url without padding (43 characters)');
  }
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, bytes]);
  return createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'jwk' }).x;
}

/** A fresh desk identity: { seed, agentKey }, both base64url. */
export function createDeskIdentity() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return { seed: jwk.d, agentKey: publicKey.export({ format: 'jwk' }).x };
}
