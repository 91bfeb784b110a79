import { test } from 'node:test';
import assert from 'node:assert/strict';
import { core } from './helpers.mjs';
import { SealDeskError } from '../../js/errors.js';

test('reports the versions of the libraries built into the module', async () => {
  const v = (await core()).versions();
  assert.equal(v.sodium, '1.0.18');
  assert.match(v.opus, /^libopus 1\.3/);
  assert.match(v.sealdesk, /^\d+\.\d+\.\d+$/);
});

test('sealed box round trip, and a flipped bit fails with AUTH_FAILED', async () => {
  const c = await core();
  const { publicKey, secretKey } = c.sealedBox.keypair();
  const msg = new TextEncoder().encode('身份证 110101199003071234');
  const sealed = c.sealedBox.seal(msg, publicKey);
  assert.equal(sealed.length, msg.length + 48);
  assert.deepEqual(c.sealedBox.open(sealed, publicKey, secretKey), msg);

  sealed[60] ^= 0x01;
  assert.throws(() => c.sealedBox.open(sealed, publicKey, secretKey), (e) => {
    assert.ok(e instanceof SealDeskError);
    assert.equal(e.code, 'AUTH_FAILED');
    return true;
  });
});

test('Opus encodes and decodes a 20 ms frame of a tone at 48 kHz', async () => {
  const c = await core();
  const enc = new c.OpusEncoder({ sampleRate: 48000, channels: 1 });
  const dec = new c.OpusDecoder(48000, 1);
  try {
    let lastPacket;
    let out;
    for (let f = 0; f < 10; f++) {
      const pcm = new Int16Array(960);
      for (let i = 0; i < 960; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (f * 960 + i)) / 48000));
      lastPacket = enc.encode(pcm);
      out = dec.decode(lastPacket, 960);
    }
    assert.ok(lastPacket.length > 2 && lastPacket.length <= 1275);
    assert.equal(out.length, 960);
    const rms = Math.sqrt(out.reduce((s, x) => s + x * x, 0) / out.length);
    assert.ok(rms > 3000 && rms < 8000, `decoded RMS ${rms} should be near the input's ~5657`);
  } finally {
    enc.delete();
    dec.delete();
  }
});

test('bad codec arguments become typed SealDeskErrors, not crashes', async () => {
  const c = await core();
  assert.throws(() => new c.OpusEncoder({ sampleRate: 44100 }), { name: 'SealDeskError', code: 'CODEC_BAD_ARG' });
  const dec = new c.OpusDecoder(48000, 1);
  try {
    assert.throws(() => dec.decode(new Uint8Array([0x03, 0x00])), { code: 'CODEC_INVALID_PACKET' });
  } finally {
    dec.delete();
  }
});

test('fixed-size inputs of the wrong length are refused before the core reads them', async () => {
  const c = await core();
  const { publicKey, secretKey } = c.sealedBox.keypair();
  const msg = new Uint8Array([1, 2, 3]);
  assert.throws(() => c.sealedBox.seal(msg, publicKey.subarray(0, 31)), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => c.sealedBox.open(new Uint8Array(60), publicKey, secretKey.subarray(0, 16)), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => new c.FrameSealer(1n, new Uint8Array(16)), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => new c.FrameOpener(1n, new Uint8Array(33)), { code: 'INVALID_ARGUMENT' });
});
