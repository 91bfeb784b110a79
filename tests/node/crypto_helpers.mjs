// An independent implementation of the pieces of sdk/crypto/PROTOCOL.md the node tests check the
// WASM core against: Node's own crypto (OpenSSL) for X25519, Ed25519, SHA-256, HMAC and
// ChaCha20-Poly1305, plus HChaCha20 written out here for XChaCha20-Poly1305.
import crypto from 'node:crypto';

export const hex = (b) => Buffer.from(b).toString('hex');
export const fromHex = (s) => new Uint8Array(Buffer.from(s, 'hex'));
export const concat = (...parts) => new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))));
export const label = (s) => new TextEncoder().encode(s);
export const u8 = (...values) => new Uint8Array(values);
export const be = (value, bytes) => {
  const out = new Uint8Array(bytes);
  let v = BigInt(value);
  for (let i = bytes - 1; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
};

export const sha256 = (...parts) => new Uint8Array(crypto.createHash('sha256').update(concat(...parts)).digest());
export const hmac = (key, ...parts) => new Uint8Array(crypto.createHmac('sha256', key).update(concat(...parts)).digest());
export const hkdfExtract = (salt, ikm) => hmac(salt.length ? salt : new Uint8Array(32), ikm);
export function hkdfExpand(prk, info, length) {
  let t = new Uint8Array(0);
  const out = [];
  for (let i = 1, n = 0; n < length; i++) {
    t = hmac(prk, t, info, u8(i));
    out.push(t);
    n += t.length;
  }
  return concat(...out).slice(0, length);
}

// HChaCha20 (draft-irtf-cfrg-xchacha §2.2): the subkey step of XChaCha20.
export function hchacha20(key, nonce16) {
  const s = new Uint32Array(16);
  s.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
  const k = new DataView(key.buffer, key.byteOffset, 32);
  const n = new DataView(nonce16.buffer, nonce16.byteOffset, 16);
  for (let i = 0; i < 8; i++) s[4 + i] = k.getUint32(4 * i, true);
  for (let i = 0; i < 4; i++) s[12 + i] = n.getUint32(4 * i, true);
  const rotl = (v, c) => ((v << c) | (v >>> (32 - c))) >>> 0;
  const qr = (a, b, c, d) => {
    s[a] += s[b]; s[d] = rotl(s[d] ^ s[a], 16);
    s[c] += s[d]; s[b] = rotl(s[b] ^ s[c], 12);
    s[a] += s[b]; s[d] = rotl(s[d] ^ s[a], 8);
    s[c] += s[d]; s[b] = rotl(s[b] ^ s[c], 7);
  };
  for (let r = 0; r < 10; r++) {
    qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15);
    qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14);
  }
  const out = new Uint8Array(32);
  const o = new DataView(out.buffer);
  [0, 1, 2, 3, 12, 13, 14, 15].forEach((w, i) => o.setUint32(4 * i, s[w], true));
  return out;
}

export function chachaPolyOpen(key, nonce12, aad, ciphertextAndTag) {
  const ct = ciphertextAndTag.subarray(0, ciphertextAndTag.length - 16);
  const d = crypto.createDecipheriv('chacha20-poly1305', key, nonce12, { authTagLength: 16 });
  d.setAAD(aad, { plaintextLength: ct.length });
  d.setAuthTag(ciphertextAndTag.subarray(ciphertextAndTag.length - 16));
  return new Uint8Array(Buffer.concat([d.update(ct), d.final()]));
}

export function chachaPolySeal(key, nonce12, aad, plaintext) {
  const c = crypto.createCipheriv('chacha20-poly1305', key, nonce12, { authTagLength: 16 });
  c.setAAD(aad, { plaintextLength: plaintext.length });
  return concat(c.update(plaintext), c.final(), c.getAuthTag());
}

const xchachaParts = (key, nonce24) => [hchacha20(key, nonce24.subarray(0, 16)), concat(new Uint8Array(4), nonce24.subarray(16))];
export const xchachaPolyOpen = (key, nonce24, aad, sealed) => chachaPolyOpen(...xchachaParts(key, nonce24), aad, sealed);
export const xchachaPolySeal = (key, nonce24, aad, plaintext) => chachaPolySeal(...xchachaParts(key, nonce24), aad, plaintext);

// RFC 9605 §4.4.2 key schedule with suite 0xF001.
export function sframeKeySalt(baseKey, keyId, suite = 0xf001) {
  const secret = hkdfExtract(new Uint8Array(0), baseKey);
  const context = concat(be(keyId, 8), be(suite, 2));
  return {
    key: hkdfExpand(secret, concat(label('SFrame 1.0 Secret key '), context), 32),
    salt: hkdfExpand(secret, concat(label('SFrame 1.0 Secret salt '), context), 12),
  };
}

export function sframeHeader(keyId, counter) {
  const field = (v) => {
    if (BigInt(v) < 8n) return { bits: Number(v), bytes: new Uint8Array(0), ext: 0 };
    let n = 1;
    while (n < 8 && BigInt(v) >> BigInt(8 * n) !== 0n) n++;
    return { bits: n - 1, bytes: be(v, n), ext: 1 };
  };
  const k = field(keyId);
  const c = field(counter);
  return concat(u8((k.ext << 7) | (k.bits << 4) | (c.ext << 3) | c.bits), k.bytes, c.bytes);
}

// Opens an Opus frame sealed with suite 0xF001 (prefix: 1 TOC byte).
export function openOpusFrame(baseKey, sealed) {
  const config = sealed[1];
  const klen = config & 0x80 ? ((config >> 4) & 7) + 1 : 0;
  const clen = config & 0x08 ? (config & 7) + 1 : 0;
  const read = (at, n) => [...sealed.subarray(at, at + n)].reduce((v, b) => (v << 8n) | BigInt(b), 0n);
  const keyId = klen ? read(2, klen) : BigInt((config >> 4) & 7);
  const counter = clen ? read(2 + klen, clen) : BigInt(config & 7);
  const headerEnd = 2 + klen + clen;
  const { key, salt } = sframeKeySalt(baseKey, keyId);
  const nonce = concat(salt);
  be(counter, 12).forEach((b, i) => (nonce[i] ^= b));
  const payload = chachaPolyOpen(key, nonce, sealed.subarray(0, headerEnd), sealed.subarray(headerEnd));
  return { keyId, counter, frame: concat(sealed.subarray(0, 1), payload) };
}
