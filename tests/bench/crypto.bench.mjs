// Frame and message sealing in WASM (through the session: header, KID, ratchet, padding; and the
// call track's FrameSealer/FrameOpener the transform worker runs) beside libsodium-wrappers' and
// @noble/ciphers' bare XChaCha20-Poly1305 and WebCrypto AES-GCM, in the same process.
import { webcrypto, randomBytes } from 'node:crypto';
import { measure, peer } from './harness.mjs';

const SIZES = [100, 1200, 65536];
const PEER = 'libsodium-wrappers xchacha20poly1305';

export const groups = SIZES.flatMap((size) => [
  { id: `frame-seal-${size}`, title: `Frame seal, ${size} B`, unit: 'ops/s', peer: PEER },
  { id: `frame-open-${size}`, title: `Frame open, ${size} B`, unit: 'ops/s', peer: PEER },
  { id: `message-seal-${size}`, title: `Message seal (ratchet + padding), ${size} B`, unit: 'ops/s', peer: PEER },
  { id: `message-open-${size}`, title: `Message open (ratchet + padding), ${size} B`, unit: 'ops/s', peer: PEER },
]);

// Frames and messages open once each (replay protection): inputs are sealed with the clock stopped.
function sealedQueue(seal) {
  const queue = [];
  let next = 0;
  return {
    refill(n) {
      queue.length = 0;
      next = 0;
      for (let i = 0; i < n; i++) queue.push(seal());
    },
    take: () => queue[next++],
  };
}

export async function run({ core, seconds, repeats }) {
  const rows = [];
  const opts = { seconds, repeats };
  const sodium = peer('libsodium-wrappers');
  if (sodium) await sodium.ready;
  const noble = peer('@noble/ciphers/chacha.js');

  const desk = core.IdentityKey.generate();
  const me = core.IdentityKey.generate();
  const customer = core.Session.customer(randomBytes(16), desk.publicKey);
  const agent = core.Session.agent();
  agent.handleHandshake(customer.handleHandshake(agent.handleHandshake(customer.beginHandshake(['chat', 'camera', 'voice']), desk), me), desk);
  const camera = customer.purposeIndex('camera');

  for (const size of SIZES) {
    const frame = randomBytes(size);
    frame[0] = 0x78; // an Opus TOC byte: the clear prefix
    const add = (group, impl, r) => rows.push({ group: `${group}-${size}`, impl, ...r });

    add('frame-seal', 'sealdesk-wasm (session)', await measure(() => customer.sealFrame(camera, 0, core.FrameCodec.opus, frame), opts));
    const frames = sealedQueue(() => customer.sealFrame(camera, 1, core.FrameCodec.opus, frame));
    add('frame-open', 'sealdesk-wasm (session)', await measure(() => agent.openFrame(core.FrameCodec.opus, frames.take()), { ...opts, refill: frames.refill }));
    // 'voice' messages are never opened here, which keeps 'chat's receive window clear.
    const trackKey = randomBytes(32);
    const trackSealer = new core.FrameSealer(0x0100_0000n, trackKey);
    const trackOpener = new core.FrameOpener(0x0100_0000n, trackKey);
    add('frame-seal', 'sealdesk-wasm (call track)', await measure(() => trackSealer.seal(core.FrameCodec.opus, frame), opts));
    const trackFrames = sealedQueue(() => trackSealer.seal(core.FrameCodec.opus, frame));
    add('frame-open', 'sealdesk-wasm (call track)', await measure(() => trackOpener.open(core.FrameCodec.opus, trackFrames.take()), { ...opts, refill: trackFrames.refill }));
    trackSealer.delete();
    trackOpener.delete();
    add('message-seal', 'sealdesk-wasm (session)', await measure(() => customer.sealMessage('voice', frame), opts));
    const messages = sealedQueue(() => customer.sealMessage('chat', frame));
    add('message-open', 'sealdesk-wasm (session)', await measure(() => agent.openMessage(messages.take()), { ...opts, refill: messages.refill }));

    const key = randomBytes(32);
    if (sodium) {
      const nonce = sodium.randombytes_buf(24);
      const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(frame, null, null, nonce, key);
      const seal = await measure(() => sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(frame, null, null, nonce, key), opts);
      const open = await measure(() => sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, null, nonce, key), opts);
      for (const g of ['frame-seal', 'message-seal']) add(g, PEER, seal);
      for (const g of ['frame-open', 'message-open']) add(g, PEER, open);
    }
    if (noble) {
      const nonce = randomBytes(24);
      const sealed = noble.xchacha20poly1305(key, nonce).encrypt(frame);
      const seal = await measure(() => noble.xchacha20poly1305(key, nonce).encrypt(frame), opts);
      const open = await measure(() => noble.xchacha20poly1305(key, nonce).decrypt(sealed), opts);
      for (const g of ['frame-seal', 'message-seal']) add(g, '@noble/ciphers xchacha20poly1305', seal);
      for (const g of ['frame-open', 'message-open']) add(g, '@noble/ciphers xchacha20poly1305', open);
    }
    const aes = await webcrypto.subtle.importKey('raw', key.subarray(0, 16), 'AES-GCM', false, ['encrypt', 'decrypt']);
    const iv = randomBytes(12);
    const aesSealed = await webcrypto.subtle.encrypt({ name: 'AES-GCM', iv }, aes, frame);
    add('frame-seal', 'WebCrypto AES-GCM (async)', await measure(() => webcrypto.subtle.encrypt({ name: 'AES-GCM', iv }, aes, frame), opts));
    add('frame-open', 'WebCrypto AES-GCM (async)', await measure(() => webcrypto.subtle.decrypt({ name: 'AES-GCM', iv }, aes, aesSealed), opts));
  }
  customer.delete();
  agent.delete();
  desk.delete();
  me.delete();
  return rows;
}
