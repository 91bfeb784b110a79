// WASM-in-Node benchmark (not a test): frame and message seal/open through the JS wrappers, beside
// libsodium-wrappers' XChaCha20-Poly1305 and WebCrypto AES-GCM, in the same process.
//   node tests/bench/crypto_wasm_bench.mjs [seconds-per-case]
// libsodium-wrappers is resolved from tests/node_modules, or from LIBSODIUM_WRAPPERS=<dir>.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { webcrypto, randomBytes } from 'node:crypto';
import { loadCore } from '../../js/core.js';

const SECONDS = Number(process.argv[2] ?? 1);
const SIZES = [100, 1200, 65536];

async function loadSodium() {
  const from = process.env.LIBSODIUM_WRAPPERS ?? new URL('../', import.meta.url).pathname;
  try {
    const sodium = createRequire(`${from}/package.json`)('libsodium-wrappers');
    await sodium.ready;
    return sodium;
  } catch {
    return null;
  }
}

// Runs fn (which may return a promise) for SECONDS of timed work; returns ops/s. Opening needs
// fresh sealed inputs (replay protection): `refill` makes them with the clock stopped.
async function measure(fn, { batch = 64, refill = null } = {}) {
  if (refill) refill(batch);
  for (let i = 0; i < batch; i++) await fn(i); // warm up
  let ops = 0;
  let timed = 0;
  while (timed < SECONDS * 1000) {
    if (refill) refill(batch);
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) {
      const r = fn(ops + i);
      if (r instanceof Promise) await r;
    }
    timed += performance.now() - t0;
    ops += batch;
  }
  return (ops * 1000) / timed;
}

// A queue of sealed inputs, topped up outside the timed region.
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

const core = await loadCore({ wasmBinary: await readFile(new URL('../../js/dist/sealdesk-core.wasm', import.meta.url)) });
const sodium = await loadSodium();
const rows = [];
const row = (name, size, opsPerSecond) => rows.push({ name, size, opsPerSecond, mbPerSecond: (opsPerSecond * size) / 1e6 });

// A session pair (customer seals, agent opens) for the session-level numbers.
const desk = core.IdentityKey.generate();
const me = core.IdentityKey.generate();
const customer = core.Session.customer(randomBytes(16), desk.publicKey);
const agent = core.Session.agent();
agent.handleHandshake(customer.handleHandshake(agent.handleHandshake(customer.beginHandshake(['chat', 'camera', 'voice']), desk), me), desk);
const camera = customer.purposeIndex('camera');

for (const size of SIZES) {
  const frame = randomBytes(size);
  frame[0] = 0x78;
  const key = randomBytes(32);

  // Standalone sender key (FrameSealer/FrameOpener).
  const sealer = new core.FrameSealer(1n << 24n, key);
  const opener = new core.FrameOpener(1n << 24n, key);
  row('frame seal (FrameSealer)', size, await measure(() => sealer.seal(core.FrameCodec.opus, frame)));
  const frames = sealedQueue(() => sealer.seal(core.FrameCodec.opus, frame));
  row('frame open (FrameOpener)', size, await measure(() => opener.open(core.FrameCodec.opus, frames.take()), { refill: frames.refill }));
  sealer.delete();
  opener.delete();

  // Through the session (purpose lookup, KID, per-track sender key).
  row('frame seal (Session)', size, await measure(() => customer.sealFrame(camera, 0, core.FrameCodec.opus, frame)));
  const sessionFrames = sealedQueue(() => customer.sealFrame(camera, 1, core.FrameCodec.opus, frame));
  row('frame open (Session)', size, await measure(() => agent.openFrame(core.FrameCodec.opus, sessionFrames.take()), { refill: sessionFrames.refill }));

  // Messages: ratchet step + padding + XChaCha20-Poly1305.
  row('message seal (Session)', size, await measure(() => customer.sealMessage('voice', frame))); // never opened: keeps chat's window clear
  const messages = sealedQueue(() => customer.sealMessage('chat', frame));
  row('message open (Session)', size, await measure(() => agent.openMessage(messages.take()), { refill: messages.refill }));

  if (sodium) {
    const nonce = sodium.randombytes_buf(24);
    const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(frame, null, null, nonce, key);
    row('libsodium-wrappers xchacha seal', size, await measure(() => sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(frame, null, null, nonce, key)));
    row('libsodium-wrappers xchacha open', size, await measure(() => sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, null, nonce, key)));
  }
  const aes = await webcrypto.subtle.importKey('raw', key.subarray(0, 16), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const iv = randomBytes(12);
  const aesSealed = await webcrypto.subtle.encrypt({ name: 'AES-GCM', iv }, aes, frame);
  row('WebCrypto AES-GCM seal', size, await measure(() => webcrypto.subtle.encrypt({ name: 'AES-GCM', iv }, aes, frame)));
  row('WebCrypto AES-GCM open', size, await measure(() => webcrypto.subtle.decrypt({ name: 'AES-GCM', iv }, aes, aesSealed)));
}
// Paired comparison against libsodium-wrappers: short alternating rounds, median of the per-round
// ratios, so a machine shared with other jobs skews both sides alike.
const paired = [];
if (sodium) {
  const ROUNDS = 9;
  const SLICE = Math.max(0.1, SECONDS / 5);
  const timeFor = async (fn, refill) => {
    let ops = 0;
    let timed = 0;
    while (timed < SLICE * 1000) {
      if (refill) refill(32);
      const t0 = performance.now();
      for (let i = 0; i < 32; i++) fn();
      timed += performance.now() - t0;
      ops += 32;
    }
    return (ops * 1000) / timed;
  };
  for (const size of SIZES) {
    const frame = randomBytes(size);
    frame[0] = 0x78;
    const key = randomBytes(32);
    const nonce = sodium.randombytes_buf(24);
    const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(frame, null, null, nonce, key);
    const sessionFrames = sealedQueue(() => customer.sealFrame(camera, 2, core.FrameCodec.opus, frame));
    const ratios = { seal: [], open: [] };
    for (let r = 0; r < ROUNDS; r++) {
      const ours = await timeFor(() => customer.sealFrame(camera, 3, core.FrameCodec.opus, frame));
      const theirs = await timeFor(() => sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(frame, null, null, nonce, key));
      ratios.seal.push(ours / theirs);
      const oursOpen = await timeFor(() => agent.openFrame(core.FrameCodec.opus, sessionFrames.take()), sessionFrames.refill);
      const theirsOpen = await timeFor(() => sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, null, nonce, key));
      ratios.open.push(oursOpen / theirsOpen);
    }
    const median = (v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
    paired.push({ size, seal: median(ratios.seal), open: median(ratios.open) });
  }
}

customer.delete();
agent.delete();
desk.delete();
me.delete();

console.log(`node ${process.version}, ${SECONDS}s per case${sodium ? '' : ' (libsodium-wrappers not found: set LIBSODIUM_WRAPPERS)'}`);
console.log('case'.padEnd(34) + 'bytes'.padStart(7) + 'ops/s'.padStart(12) + 'MB/s'.padStart(10));
for (const r of rows) {
  console.log(r.name.padEnd(34) + String(r.size).padStart(7) + Math.round(r.opsPerSecond).toString().padStart(12) + r.mbPerSecond.toFixed(1).padStart(10));
}
if (paired.length) {
  console.log('\nSession frame path vs libsodium-wrappers XChaCha20-Poly1305 (median of 9 alternating rounds; same ratio for ops/s and MB/s)');
  for (const p of paired) console.log(`  ${String(p.size).padStart(6)} B   seal ${p.seal.toFixed(2)}x   open ${p.open.toFixed(2)}x`);
}
