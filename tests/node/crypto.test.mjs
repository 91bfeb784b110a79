// sdk/crypto through the WASM build: the same vectors as the native tests (byte-for-byte
// interop), and cross-checks against an independent implementation (Node's crypto).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { core } from './helpers.mjs';
import {
  concat, fromHex, hex, label, be, openOpusFrame, sframeKeySalt, sframeHeader, chachaPolySeal, xchachaPolyOpen, hmac,
} from './crypto_helpers.mjs';

const range = (first, n) => Uint8Array.from({ length: n }, (_, i) => (first + i) & 0xff);

test('HKDF-SHA256 matches RFC 5869 A.1 and A.3', async () => {
  const c = await core();
  const a1 = c.hkdfSha256({ salt: range(0, 13), ikm: new Uint8Array(22).fill(0x0b), info: range(0xf0, 10), length: 42 });
  assert.equal(hex(a1), '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  const a3 = c.hkdfSha256({ ikm: new Uint8Array(22).fill(0x0b), length: 42 });
  assert.equal(hex(a3), '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
});

const MESSAGE_KAT =
  '0101000102030405060708090a0b0c0d0e0f0000000100000000000000000000' +
  '1fe6af4087a1841a686e593f3f19547712c08115a9de6aa738418d52af6f9bfe03c5d9d572f9109306d1ab50aef38975f53ad3d407e7f6474a' +
  '82519319b8d66f48a3dac0597228bceff73326f5b58eb365c20619200b8daa1148bc7446b52a451d49e96356838e5b20734f09daa4ef99690f' +
  '0ff377280f49923feb59267cfd1deab1e1a9e1a6ab4be7625a5f1f8f0f03';

test('a message seals to the same bytes as the native build (known-answer vector)', async () => {
  const c = await core();
  const chain = { sessionId: range(0, 16), epoch: 1, purpose: 0, direction: 0, chainKey: new Uint8Array(32).fill(0x11) };
  const sender = new c.MessageSender(chain);
  const receiver = new c.MessageReceiver(chain);
  try {
    const sealed = sender.seal('hello agent');
    assert.equal(hex(sealed), MESSAGE_KAT);
    assert.equal(new TextDecoder().decode(receiver.open(fromHex(MESSAGE_KAT))), 'hello agent');
    assert.throws(() => receiver.open(sealed), { code: 'REPLAYED' });
    // Independent check: HMAC-SHA256 chain step + HChaCha20 + OpenSSL's ChaCha20-Poly1305.
    const mk = hmac(new Uint8Array(32).fill(0x11), new Uint8Array([1]));
    const header = sealed.subarray(0, 32);
    const padded = xchachaPolyOpen(mk, concat(header.subarray(18), new Uint8Array(10)), header, sealed.subarray(32));
    assert.equal(new TextDecoder().decode(padded.subarray(0, 11)), 'hello agent');
    assert.equal(padded[11], 0x80);
    assert.equal(padded.length, 128);
  } finally {
    sender.delete();
    receiver.delete();
  }
});

test('an Opus frame seals to the same bytes as the native build and opens with Node crypto', async () => {
  const c = await core();
  const sealer = new c.FrameSealer(0x01000000n, range(0, 32));
  const opener = new c.FrameOpener(0x01000000n, range(0, 32));
  try {
    const frame = concat(new Uint8Array([0x78]), label('SealDesk frame KAT'));
    const first = sealer.seal(c.FrameCodec.opus, frame);
    const second = sealer.seal(c.FrameCodec.opus, frame);
    assert.equal(hex(first), '78b00100000027c00e33aeeb0cbccd23c474d18191d04ebe1e6b256ba8a9da73c352583bbf2c7ed3');
    assert.equal(hex(second), '78b101000000eb7e116b4cd6e29cc3eea2aacd14c3b4d426f384d506ccc2f4b162b9ea802f47671b');
    assert.deepEqual(opener.open(c.FrameCodec.opus, second), frame);
    assert.deepEqual(openOpusFrame(range(0, 32), first).frame, frame);
    assert.throws(() => opener.open(c.FrameCodec.opus, second), { code: 'REPLAYED' });
    const flipped = first.slice();
    flipped[first.length - 1] ^= 1;
    assert.throws(() => opener.open(c.FrameCodec.opus, flipped), { code: 'AUTH_FAILED' });
  } finally {
    sealer.delete();
    opener.delete();
  }
});

// The WASM build runs ChaCha20 four blocks (256 bytes) at a time (sdk/crypto/chacha20.h): every
// length around a block and a four-block boundary, frames and records, checked against OpenSSL.
const AROUND_BLOCKS = [0, 1, 15, 16, 63, 64, 65, 127, 128, 191, 192, 255, 256, 257, 319, 320, 511, 512, 513, 767, 1024, 1199, 1200, 1500, 4095, 4097, 65535];

test('frames and records of every length across the four-block boundaries match OpenSSL both ways', async () => {
  const c = await core();
  const baseKey = crypto.randomBytes(32);
  const sealer = new c.FrameSealer(0x0401_0000n, baseKey);
  const opener = new c.FrameOpener(0x0401_0000n, baseKey);
  const chain = { sessionId: crypto.randomBytes(16), epoch: 3, purpose: 0, direction: 0, chainKey: crypto.randomBytes(32) };
  const sender = new c.MessageSender(chain);
  const receiver = new c.MessageReceiver(chain);
  const { key, salt } = sframeKeySalt(baseKey, 0x0401_0000n);
  let chainKey = chain.chainKey;
  try {
    let counter = 0n;
    for (const n of AROUND_BLOCKS) {
      const frame = concat([0x78], crypto.randomBytes(n));
      const sealed = sealer.seal(c.FrameCodec.opus, frame);
      assert.deepEqual(openOpusFrame(baseKey, sealed).frame, frame, `frame of ${n + 1} bytes opens with OpenSSL`);
      // And the other way: OpenSSL seals with the same key, WASM opens.
      const header = concat([0x78], sframeHeader(0x0401_0000n, ++counter));
      const nonce = concat(salt);
      be(counter, 12).forEach((b, i) => (nonce[i] ^= b));
      const theirs = concat(header, chachaPolySeal(key, nonce, header, frame.subarray(1)));
      assert.deepEqual(opener.open(c.FrameCodec.opus, theirs), frame, `OpenSSL frame of ${n + 1} bytes opens in WASM`);
      const message = new Uint8Array(crypto.randomBytes(n));
      const record = sender.seal(message);
      const mk = hmac(chainKey, new Uint8Array([1])); // KDF_CK (Double Ratchet §5.2)
      chainKey = hmac(chainKey, new Uint8Array([2]));
      const padded = xchachaPolyOpen(mk, concat(record.subarray(18, 32), new Uint8Array(10)), record.subarray(0, 32), record.subarray(32));
      assert.deepEqual(padded.subarray(0, n), message, `record of ${n} bytes opens with OpenSSL`);
      assert.deepEqual(receiver.open(record), message);
    }
  } finally {
    sealer.delete();
    opener.delete();
    sender.delete();
    receiver.delete();
  }
});

test('frames sealed by Node crypto (RFC 9605 with suite 0xF001) open in WASM, every codec prefix intact', async () => {
  const c = await core();
  const baseKey = crypto.randomBytes(32);
  const keyId = 0x0203_8100n;
  const opener = new c.FrameOpener(keyId, baseKey);
  const { key, salt } = sframeKeySalt(baseKey, keyId);
  try {
    const cases = [
      { codec: c.FrameCodec.opus, frame: concat([0xfc], crypto.randomBytes(150)), prefix: 1 },
      { codec: c.FrameCodec.vp8, frame: concat([0x10], crypto.randomBytes(1199)), prefix: 10 },
      { codec: c.FrameCodec.vp8, frame: concat([0x31], crypto.randomBytes(600)), prefix: 3 },
      { codec: c.FrameCodec.opaque, frame: crypto.randomBytes(64 * 1024), prefix: 0 },
    ];
    cases.forEach(({ codec, frame, prefix }, counter) => {
      const header = sframeHeader(keyId, counter + 300);
      const nonce = concat(salt);
      be(counter + 300, 12).forEach((b, i) => (nonce[i] ^= b));
      const clear = frame.subarray(0, prefix);
      const sealed = concat(clear, header, chachaPolySeal(key, nonce, concat(clear, header), frame.subarray(prefix)));
      assert.deepEqual(opener.open(codec, sealed), new Uint8Array(frame));
    });
  } finally {
    opener.delete();
  }
});

test('H.264 frames keep their NAL headers clear and carry no start code in the sealed part', async () => {
  const c = await core();
  const key = crypto.randomBytes(32);
  const sealer = new c.FrameSealer(7n << 24n, key);
  const opener = new c.FrameOpener(7n << 24n, key);
  try {
    const prefix = concat([0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e], [0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80], [0, 0, 1, 0x65, 0x88]);
    for (let i = 0; i < 20; i++) {
      const body = crypto.randomBytes(30000).map((b) => (b === 0 ? 0x11 : b)); // clear input without start codes
      const frame = concat(prefix, body);
      const sealed = sealer.seal(c.FrameCodec.h264, frame);
      assert.deepEqual(sealed.subarray(0, prefix.length), prefix);
      for (let j = prefix.length; j + 2 < sealed.length; j++) {
        assert.ok(!(sealed[j] === 0 && sealed[j + 1] === 0 && sealed[j + 2] <= 2), `start code at ${j}`);
      }
      assert.deepEqual(opener.open(c.FrameCodec.h264, sealed), frame);
    }
  } finally {
    sealer.delete();
    opener.delete();
  }
});

test('frame key rotation: the opener follows, the old generation stops opening', async () => {
  const c = await core();
  const key = crypto.randomBytes(32);
  const sealer = new c.FrameSealer(1n << 24n, key);
  const opener = new c.FrameOpener(1n << 24n, key);
  try {
    const frame = concat([0x78], crypto.randomBytes(80));
    const late = sealer.seal(c.FrameCodec.opus, frame);
    sealer.rotate();
    assert.deepEqual(opener.open(c.FrameCodec.opus, sealer.seal(c.FrameCodec.opus, frame)), frame);
    assert.throws(() => opener.open(c.FrameCodec.opus, late), { code: 'UNKNOWN_KEY' });
  } finally {
    sealer.delete();
    opener.delete();
  }
});

test('an identity signs in WASM and Node verifies it (and the other way round)', async () => {
  const c = await core();
  const id = c.IdentityKey.generate();
  try {
    const msg = label('{"receipt":"r1"}');
    const sig = id.sign(msg);
    const publicKey = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(id.publicKey).toString('base64url') }, format: 'jwk' });
    assert.ok(crypto.verify(null, msg, publicKey, sig));
    const seed = id.exportSeed();
    const again = c.IdentityKey.fromSeed(seed);
    assert.deepEqual(again.publicKey, id.publicKey);
    again.delete();

    const node = crypto.generateKeyPairSync('ed25519');
    const nodePublic = Buffer.from(node.publicKey.export({ format: 'jwk' }).x, 'base64url');
    const nodeSig = crypto.sign(null, msg, node.privateKey);
    assert.equal(c.verifySignature(nodeSig, msg, nodePublic), true);
    nodeSig[0] ^= 1;
    assert.equal(c.verifySignature(nodeSig, msg, nodePublic), false);
  } finally {
    id.delete();
  }
});

test('garbage is a typed error, never a crash', async () => {
  const c = await core();
  const opener = new c.FrameOpener(1n, new Uint8Array(32));
  const receiver = new c.MessageReceiver({ sessionId: new Uint8Array(16), epoch: 1, chainKey: new Uint8Array(32) });
  try {
    for (let n = 0; n < 200; n += 7) {
      const junk = crypto.randomBytes(n);
      for (const codec of Object.values(c.FrameCodec)) {
        assert.throws(() => opener.open(codec, junk), (e) => e.name === 'SealDeskError' && typeof e.code === 'string');
      }
      assert.throws(() => receiver.open(junk), (e) => ['MALFORMED', 'UNSUPPORTED_VERSION', 'UNKNOWN_KEY', 'AUTH_FAILED', 'OUTSIDE_WINDOW'].includes(e.code));
    }
    assert.throws(() => opener.open(9, crypto.randomBytes(40)), { code: 'INVALID_ARGUMENT' });
  } finally {
    opener.delete();
    receiver.delete();
  }
});
