// sdk/session through the WASM build: handshakes, messages, attachments, frames, revocation and
// agent transfer; an independent agent written with Node's crypto completes the handshake with
// the WASM customer (so the key schedule of PROTOCOL.md is checked end to end), and a scan of the
// whole WASM heap shows a revoked purpose leaves no copy of its key bytes behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { core } from './helpers.mjs';
import {
  concat, label, u8, be, sha256, hmac, hkdfExtract, hkdfExpand, xchachaPolyOpen, xchachaPolySeal, openOpusFrame, sframeKeySalt,
} from './crypto_helpers.mjs';

const PURPOSES = ['chat', 'voice', 'camera', 'screen_share'];
const text = (bytes) => new TextDecoder().decode(bytes);

async function desk() {
  const c = await core();
  const deskIdentity = c.IdentityKey.generate();
  const customerIdentity = c.IdentityKey.generate();
  const customer = c.Session.customer(crypto.randomBytes(16), deskIdentity.publicKey);
  const handshake = (agent, purposes = PURPOSES) => {
    const hello = customer.beginHandshake(purposes);
    const reply = agent.handleHandshake(hello, deskIdentity);
    const finish = customer.handleHandshake(reply, customerIdentity);
    assert.equal(agent.handleHandshake(finish, deskIdentity).length, 0);
  };
  const cleanup = (...sessions) => {
    for (const s of [customer, ...sessions]) s.delete();
    deskIdentity.delete();
    customerIdentity.delete();
  };
  return { c, deskIdentity, customerIdentity, customer, handshake, cleanup };
}

test('customer and agent agree on a safety code and exchange messages both ways', async () => {
  const { c, customer, handshake, cleanup } = await desk();
  const agent = c.Session.agent();
  try {
    handshake(agent);
    assert.match(customer.safetyCode, /^\d{5} \d{5} \d{5}$/);
    assert.equal(customer.safetyCode, agent.safetyCode);
    assert.equal(customer.epoch, 1);
    assert.deepEqual(agent.purposes, PURPOSES);
    const sealed = customer.sealMessage('chat', '我的订单 #1234 还没到');
    assert.equal(sealed.length, c.Session.sealedMessageBytes(new TextEncoder().encode('我的订单 #1234 还没到').length));
    const opened = agent.openMessage(sealed);
    assert.equal(opened.purpose, 'chat');
    assert.equal(opened.counter, 0);
    assert.equal(text(opened.bytes), '我的订单 #1234 还没到');
    assert.equal(text(customer.openMessage(agent.sealMessage('chat', 'on its way')).bytes), 'on its way');
    assert.throws(() => agent.openMessage(sealed), { code: 'REPLAYED' });
  } finally {
    cleanup(agent);
  }
});

test('a relay that swaps the agent key is refused with KEY_MISMATCH', async () => {
  const { c, customer, customerIdentity, deskIdentity, cleanup } = await desk();
  const relay = c.Session.agent();
  const agent = c.Session.agent();
  const relayIdentity = c.IdentityKey.generate();
  try {
    const hello = customer.beginHandshake(PURPOSES);
    assert.throws(() => customer.handleHandshake(relay.handleHandshake(hello, relayIdentity), customerIdentity), {
      name: 'SealDeskError',
      code: 'KEY_MISMATCH',
    });
    agent.handleHandshake(customer.handleHandshake(agent.handleHandshake(hello, deskIdentity), customerIdentity), deskIdentity);
    assert.equal(customer.safetyCode, agent.safetyCode);
    assert.throws(() => c.Session.customer(new Uint8Array(16), new Uint8Array(0)), { code: 'INVALID_ARGUMENT' });
  } finally {
    relayIdentity.delete();
    cleanup(relay, agent);
  }
});

test('attachments are sealed in chunks with progress, and a cut stream is rejected', async () => {
  const { c, customer, handshake, cleanup } = await desk();
  const agent = c.Session.agent();
  try {
    handshake(agent);
    const file = crypto.randomBytes(200 * 1024);
    const progress = [];
    const sealed = customer.sealAttachment('chat', file, (done, total) => progress.push([done, total]));
    assert.deepEqual(progress.at(-1), [file.length, file.length]);
    assert.equal(progress.length, 4);
    const opened = agent.openAttachment(sealed, () => {});
    assert.deepEqual(opened.bytes, new Uint8Array(file));
    const cut = customer.sealAttachment('chat', file).subarray(0, 32 + 24 + 2 * (65536 + 17));
    assert.throws(() => agent.openAttachment(cut), { code: 'TRUNCATED' });
  } finally {
    cleanup(agent);
  }
});

test('media frames flow through the session hot path and a tampered frame is dropped', async () => {
  const { c, customer, handshake, cleanup } = await desk();
  const agent = c.Session.agent();
  try {
    handshake(agent);
    const camera = customer.purposeIndex('camera');
    for (let i = 0; i < 200; i++) {
      const frame = concat([i % 2 ? 0x01 : 0x00], crypto.randomBytes(1200 + i));
      const sealed = customer.sealFrame(camera, 0, c.FrameCodec.vp8, frame);
      assert.deepEqual(agent.openFrame(c.FrameCodec.vp8, sealed), frame);
    }
    const sealed = customer.sealFrame(camera, 1, c.FrameCodec.vp8, concat([0x00], crypto.randomBytes(500)));
    sealed[20] ^= 0x40;
    assert.throws(() => agent.openFrame(c.FrameCodec.vp8, sealed), { code: 'AUTH_FAILED' });
  } finally {
    cleanup(agent);
  }
});

test('agent transfer: the old agent opens nothing sent after it', async () => {
  const { c, customer, customerIdentity, deskIdentity, handshake, cleanup } = await desk();
  const oldAgent = c.Session.agent();
  const newAgent = c.Session.agent(customerIdentity.publicKey);
  try {
    handshake(oldAgent);
    const hello = customer.beginHandshake(PURPOSES);
    assert.throws(() => customer.sealMessage('chat', 'too early'), { code: 'UNKNOWN_KEY' });
    const finish = customer.handleHandshake(newAgent.handleHandshake(hello, deskIdentity), customerIdentity);
    newAgent.handleHandshake(finish, deskIdentity);
    assert.equal(customer.epoch, 2);
    const sealed = customer.sealMessage('chat', 'for the new agent only');
    assert.equal(text(newAgent.openMessage(sealed).bytes), 'for the new agent only');
    assert.throws(() => oldAgent.openMessage(sealed), { code: 'UNKNOWN_KEY' });
    const frame = customer.sealFrame(customer.purposeIndex('voice'), 0, c.FrameCodec.opus, concat([0x78], crypto.randomBytes(60)));
    assert.throws(() => oldAgent.openFrame(c.FrameCodec.opus, frame), { code: 'UNKNOWN_KEY' });
    assert.throws(() => oldAgent.handleHandshake(finish, deskIdentity), { code: 'HANDSHAKE_FAILED' });
  } finally {
    cleanup(oldAgent, newAgent);
  }
});

// --- an independent agent: Node's crypto, following PROTOCOL.md §2-§5 -------------------------

const rawPublic = (keyObject) => new Uint8Array(Buffer.from(keyObject.export({ format: 'jwk' }).x, 'base64url'));
const okpPublic = (crv, raw) => crypto.createPublicKey({ key: { kty: 'OKP', crv, x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });

class NodeAgent {
  constructor() {
    this.identity = crypto.generateKeyPairSync('ed25519');
    this.publicKey = rawPublic(this.identity.publicKey);
  }

  reply(hello) {
    assert.equal(hello[0], 1);
    assert.equal(hello[1], 0x10);
    this.sessionId = hello.slice(2, 18);
    this.epoch = new DataView(hello.buffer, hello.byteOffset).getUint32(18);
    const customerEphemeral = hello.slice(22, 54);
    this.purposes = [];
    for (let i = 0, pos = 55; i < hello[54]; i++) {
      this.purposes.push(text(hello.subarray(pos + 1, pos + 1 + hello[pos])));
      pos += 1 + hello[pos];
    }
    const ephemeral = crypto.generateKeyPairSync('x25519');
    const dh = new Uint8Array(crypto.diffieHellman({ privateKey: ephemeral.privateKey, publicKey: okpPublic('X25519', customerEphemeral) }));
    const body = concat(u8(1, 0x11), this.sessionId, be(this.epoch, 4), rawPublic(ephemeral.publicKey), this.publicKey);
    const th2 = sha256(label('SealDesk/1 handshake'), hello, body);
    this.prk = hkdfExtract(th2, dh);
    const agentMacKey = hkdfExpand(this.prk, label('SealDesk/1 agent confirm'), 32);
    this.customerMacKey = hkdfExpand(this.prk, label('SealDesk/1 customer confirm'), 32);
    const signature = crypto.sign(null, concat(label('SealDesk/1 agent signature'), u8(0), th2), this.identity.privateKey);
    this.transcript = concat(hello, body, signature, hmac(agentMacKey, th2));
    return this.transcript.slice(hello.length);
  }

  finish(message) {
    const body = message.subarray(0, 54);
    const th3 = sha256(label('SealDesk/1 handshake'), this.transcript, body);
    const signed = concat(label('SealDesk/1 customer signature'), u8(0), th3);
    assert.ok(crypto.verify(null, signed, okpPublic('Ed25519', message.subarray(22, 54)), message.subarray(54, 118)), 'customer signature');
    assert.deepEqual(hmac(this.customerMacKey, th3), message.slice(118, 150), 'customer key confirmation');
    this.master = hkdfExpand(this.prk, concat(label('SealDesk/1 epoch master'), th3), 32);
    const s = sha256(label('SealDesk/1 safety code'), th3);
    this.safetyCode = [0, 1, 2]
      .map((g) => String(Number([...s.subarray(5 * g, 5 * g + 5)].reduce((v, b) => (v << 8n) | BigInt(b), 0n) % 100000n)).padStart(5, '0'))
      .join(' ');
  }

  // direction 0: customer -> agent, 1: agent -> customer
  purposeSecret(purpose, direction) {
    const index = this.purposes.indexOf(purpose);
    return hkdfExpand(this.master, concat(label('SealDesk/1 purpose'), u8(index, purpose.length), label(purpose), u8(direction)), 32);
  }
  chainKey(purpose, direction) {
    return hkdfExpand(this.purposeSecret(purpose, direction), label('SealDesk/1 message chain'), 32);
  }
  frameBaseKey(purpose, direction, track) {
    return hkdfExpand(this.purposeSecret(purpose, direction), concat(label('SealDesk/1 frame sender'), u8(track)), 32);
  }
  frameKeyId(purpose, direction, track) {
    return (BigInt(this.epoch) << 24n) | (BigInt(this.purposes.indexOf(purpose)) << 16n) | (BigInt(direction) << 15n) | (BigInt(track) << 8n);
  }
}

const messageKey = (chainKey) => hmac(chainKey, u8(1));
const nextChainKey = (chainKey) => hmac(chainKey, u8(2));
const recordNonce = (header) => concat(header.subarray(18, 32), new Uint8Array(10));

async function withNodeAgent() {
  const c = await core();
  const nodeAgent = new NodeAgent();
  const customerIdentity = c.IdentityKey.generate();
  const customer = c.Session.customer(crypto.randomBytes(16), nodeAgent.publicKey);
  const hello = customer.beginHandshake(PURPOSES);
  nodeAgent.finish(customer.handleHandshake(nodeAgent.reply(hello), customerIdentity));
  customerIdentity.delete();
  return { c, nodeAgent, customer };
}

test('an agent written with Node crypto completes the handshake and interoperates byte for byte', async () => {
  const { c, nodeAgent, customer } = await withNodeAgent();
  try {
    assert.equal(customer.safetyCode, nodeAgent.safetyCode);
    assert.deepEqual(customer.peerIdentity, nodeAgent.publicKey);

    // WASM customer -> Node agent: a chat message.
    const sealed = customer.sealMessage('chat', 'hello from WASM');
    const header = sealed.subarray(0, 32);
    const padded = xchachaPolyOpen(messageKey(nodeAgent.chainKey('chat', 0)), recordNonce(header), header, sealed.subarray(32));
    assert.equal(text(padded.subarray(0, 15)), 'hello from WASM');

    // Node agent -> WASM customer.
    const reply = label('hello from Node');
    const replyHeader = concat(u8(1, 1), nodeAgent.sessionId, be(nodeAgent.epoch, 4), u8(nodeAgent.purposes.indexOf('chat'), 1), be(0, 8));
    const body = concat(reply, u8(0x80), new Uint8Array(128 - reply.length - 1));
    const record = concat(replyHeader, xchachaPolySeal(messageKey(nodeAgent.chainKey('chat', 1)), recordNonce(replyHeader), replyHeader, body));
    assert.equal(text(customer.openMessage(record).bytes), 'hello from Node');

    // WASM customer -> Node agent: an Opus frame on the camera purpose, track 2.
    const frame = concat([0x78], crypto.randomBytes(100));
    const sealedFrame = customer.sealFrame(customer.purposeIndex('camera'), 2, c.FrameCodec.opus, frame);
    const opened = openOpusFrame(nodeAgent.frameBaseKey('camera', 0, 2), sealedFrame);
    assert.equal(opened.keyId, nodeAgent.frameKeyId('camera', 0, 2));
    assert.deepEqual(opened.frame, frame);
  } finally {
    customer.delete();
  }
});

test('after a revoke, the WASM heap holds no copy of that purpose\'s key bytes', async () => {
  const { c, nodeAgent, customer } = await withNodeAgent();
  const heapBytes = () => Buffer.from(c._module.HEAPU8.buffer, c._module.HEAPU8.byteOffset, c._module.HEAPU8.byteLength);
  const found = (keys) => keys.filter((k) => heapBytes().indexOf(Buffer.from(k)) !== -1).length;
  try {
    // Use chat both ways so its chains have moved on; camera stays at its initial keys.
    customer.sealMessage('chat', 'x');
    const chatHeader = concat(u8(1, 1), nodeAgent.sessionId, be(nodeAgent.epoch, 4), u8(0, 1), be(0, 8));
    const pad = concat(label('y'), u8(0x80), new Uint8Array(126));
    customer.openMessage(concat(chatHeader, xchachaPolySeal(messageKey(nodeAgent.chainKey('chat', 1)), recordNonce(chatHeader), chatHeader, pad)));
    const camera = customer.purposeIndex('camera');
    customer.sealFrame(camera, 0, c.FrameCodec.opus, concat([0x78], crypto.randomBytes(50)));

    const keysOf = (purpose) => {
      const keys = [nodeAgent.chainKey(purpose, 0), nodeAgent.chainKey(purpose, 1)];
      for (const direction of [0, 1]) {
        for (let track = 0; track < 4; track++) {
          const base = nodeAgent.frameBaseKey(purpose, direction, track);
          const { key, salt } = sframeKeySalt(base, nodeAgent.frameKeyId(purpose, direction, track));
          keys.push(base, key, concat(key, salt));
        }
      }
      return keys;
    };
    const cameraKeys = keysOf('camera');
    const chatNow = [nextChainKey(nodeAgent.chainKey('chat', 0)), nextChainKey(nodeAgent.chainKey('chat', 1))];

    assert.equal(found(cameraKeys), cameraKeys.length, 'the scan finds every live camera key before the revoke');
    assert.equal(found(chatNow), 2);
    assert.equal(found([nodeAgent.master, nodeAgent.prk, nodeAgent.chainKey('chat', 0)]), 0, 'master, PRK and used chain keys are gone');

    customer.wipePurpose('camera');
    assert.equal(found(cameraKeys), 0, 'no camera key byte string is left anywhere in the heap');
    assert.equal(found(chatNow), 2, 'chat is untouched');
    assert.throws(() => customer.sealFrame(camera, 0, c.FrameCodec.opus, u8(0x78, 1)), { code: 'KEY_WIPED' });

    customer.end();
    assert.equal(found(chatNow), 0, 'ending the session wipes the rest');
  } finally {
    customer.delete();
  }
});
