// The voice core in WebAssembly: byte-identical to the native build, typed errors, live audio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { core, repoRoot } from './helpers.mjs';

const nativeVoice = path.join(repoRoot, 'build/native/sealdesk-voice');

// Deterministic test audio: a gliding tone plus seeded noise (xorshift), mono float.
function testSignal(rate, seconds) {
  const out = new Float32Array(Math.round(rate * seconds));
  let x = 0x9e3779b9;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const noise = ((x >>> 0) / 2 ** 32 - 0.5) * 0.05;
    out[i] = 0.3 * Math.sin((2 * Math.PI * (220 + 100 * (i / out.length)) * i) / rate) + noise;
  }
  return out;
}

// espeak-ng speech as float samples at its native 22050 Hz.
function speech() {
  const dir = mkdtempSync(path.join(tmpdir(), 'sealdesk-'));
  const wav = path.join(dir, 's.wav');
  execFileSync('espeak-ng', ['-v', 'en', '-w', wav, 'Please check my refund for order four two seven.']);
  const bytes = readFileSync(wav);
  const data = bytes.indexOf('data') + 8;
  const pcm = new Int16Array(bytes.buffer.slice(bytes.byteOffset + data, bytes.byteOffset + bytes.length - ((bytes.length - data) % 2)));
  return { rate: bytes.readUInt32LE(24), samples: Float32Array.from(pcm, (v) => v / 32768) };
}

function nativeEncode(samples, rate, serial) {
  return new Uint8Array(execFileSync(nativeVoice, ['encode', '--rate', String(rate), '--serial', String(serial)], {
    input: Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength),
    maxBuffer: 64 << 20,
  }));
}

function wasmEncode(c, samples, rate, serial) {
  const rec = new c.VoiceNoteRecorder({ inputSampleRate: rate, serial });
  try {
    for (let off = 0; off < samples.length; off += 128) rec.push(samples.subarray(off, off + 128));
    return rec.finish();
  } finally {
    rec.delete();
  }
}

test('voice notes from WASM are byte-identical to the native build (tone+noise at 48 kHz and 44.1 kHz, speech at 22.05 kHz)', {
  skip: !existsSync(nativeVoice) && 'native build missing (tests/run builds it)',
}, async () => {
  const c = await core();
  const cases = [
    { name: '48k', rate: 48000, samples: testSignal(48000, 2) },
    { name: '44.1k', rate: 44100, samples: testSignal(44100, 1.5) },
    { name: 'speech', ...(({ rate, samples }) => ({ rate, samples }))(speech()) },
  ];
  for (const { name, rate, samples } of cases) {
    const wasm = wasmEncode(c, samples, rate, 1234);
    const native = nativeEncode(samples, rate, 1234);
    assert.ok(wasm.length > 1000, `${name}: a real file`);
    assert.equal(Buffer.compare(Buffer.from(wasm), Buffer.from(native)), 0, `${name}: WASM and native files differ`);
    // And the decoded PCM matches too.
    const decodedNative = new Float32Array(new Uint8Array(execFileSync(nativeVoice, ['decode'], { input: native })).buffer);
    assert.deepEqual(c.decodeVoiceNote(wasm).pcm, decodedNative, `${name}: decoded PCM differs`);
  }
});

test('a voice note decodes to its exact duration and level is reported while recording', async () => {
  const c = await core();
  const rec = new c.VoiceNoteRecorder({ inputSampleRate: 48000, maxDurationMs: 1000 });
  const samples = testSignal(48000, 2);
  assert.equal(rec.push(samples.subarray(0, 24000)), true);
  assert.ok(rec.level() > 0.1, `level ${rec.level()}`);
  assert.equal(rec.push(samples.subarray(24000)), false, 'past the maximum: stop');
  assert.equal(rec.durationMs(), 1000);
  const file = rec.finish();
  rec.delete();
  const note = c.decodeVoiceNote(file);
  assert.equal(note.durationMs, 1000);
  assert.equal(note.pcm.length, 48000);
  assert.equal(String.fromCharCode(...file.subarray(0, 4)), 'OggS');
});

test('damaged voice notes and bad codec arguments are typed SealDeskErrors', async () => {
  const c = await core();
  const file = wasmEncode(c, testSignal(48000, 0.5), 48000, 9);
  assert.throws(() => c.decodeVoiceNote(file.subarray(0, file.length - 20)), { name: 'SealDeskError', code: 'TRUNCATED' });
  const flipped = file.slice();
  flipped[200] ^= 0x10;
  assert.throws(() => c.decodeVoiceNote(flipped), { name: 'SealDeskError', code: 'MALFORMED' });
  assert.throws(() => new c.VoiceNoteRecorder({ inputSampleRate: 1000 }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => new c.OpusEncoder({ complexity: 11 }), (e) => e.code === 'CODEC_BAD_ARG' && /complexity/.test(e.message));
  const dec = new c.OpusDecoder(48000, 1);
  assert.throws(() => dec.conceal(961), { code: 'CODEC_BAD_ARG' });
  assert.equal(dec.conceal(960).length, 960);
  dec.delete();
});

test('live audio: FEC rebuilds a lost packet, duplicates and late packets are dropped', async () => {
  const c = await core();
  const enc = new c.OpusEncoder({ bitrate: 32000, inbandFec: true, expectedLossPercent: 20 });
  const rx = new c.LiveAudioReceiver({ targetDepth: 2 });
  try {
    const signal = testSignal(48000, 0.4);
    const packets = [];
    for (let f = 0; f < 20; f++) {
      packets.push(enc.encode(Int16Array.from(signal.subarray(f * 960, (f + 1) * 960), (v) => Math.round(v * 32767))));
    }
    const actions = [];
    for (let seq = 0; seq < 20; seq++) {
      if (seq !== 10) assert.equal(rx.receive(seq, packets[seq]), true);
      if (seq === 5) assert.equal(rx.receive(seq, packets[seq]), false, 'duplicate');
      const { action, pcm } = rx.play();
      assert.equal(pcm.length, 960);
      actions.push(action);
    }
    assert.equal(rx.receive(0, packets[0]), false, 'late');
    assert.ok(actions.includes('recover'), actions.join());
    assert.equal(rx.stats().recovered, 1);
    assert.equal(rx.stats().duplicates, 1);
  } finally {
    enc.delete();
    rx.delete();
  }
});

test('deleting an encoder or decoder wipes its Opus state and frame buffers (they hold recent audio)', async () => {
  const c = await core();
  const u8 = () => c._module.HEAPU8;
  const u32 = () => c._module.HEAPU32;
  // Embind keeps the C++ object's address in $$.ptr. VoiceEncoder/VoiceDecoder start with the
  // unique_ptr to the Opus state, which libc++ lays out as the pointer, then the deleter's size.
  const regions = (codec) => {
    const self = codec.handle.$$.ptr >> 2;
    return [
      { what: 'Opus state', at: u32()[self], bytes: u32()[self + 1] },
      { what: 'pcm buffer', at: codec.pcm.ptr, bytes: codec.pcm.cap },
      { what: 'packet buffer', at: codec.packet.ptr, bytes: codec.packet.cap },
    ];
  };
  // Bytes that free() itself writes (list links at the start, the next chunk's header at the
  // end) are left out.
  const nonZero = ({ at, bytes }) => u8().subarray(at + 32, at + bytes - 16).reduce((n, b) => n + (b !== 0), 0);

  const pcm = new Int16Array(960);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(12000 * Math.sin(i / 7) + 3000 * Math.sin(i / 3.1));
  const enc = new c.OpusEncoder({ bitrate: 32000 });
  const dec = new c.OpusDecoder(48000, 1);
  for (let i = 0; i < 25; i++) dec.decode(enc.encode(pcm), 960);
  const held = [...regions(enc), ...regions(dec)];
  assert.ok(held.every((r) => r.at > 0 && r.bytes >= 64), 'every region located');
  for (const r of held) assert.ok(nonZero(r) > 8, `${r.what} holds audio-derived bytes before delete`);
  enc.delete();
  dec.delete();
  for (const r of held) assert.equal(nonZero(r), 0, `${r.what} left ${nonZero(r)} non-zero bytes after delete`);
  // A deleted codec refuses work with a typed error (and allocates nothing for it).
  assert.throws(() => enc.encode(pcm), { name: 'SealDeskError', code: 'INVALID_ARGUMENT' });
  assert.throws(() => dec.decode(new Uint8Array([0xf8, 0xff, 0xfe]), 960), { name: 'SealDeskError', code: 'INVALID_ARGUMENT' });
  assert.equal(enc.pcm.ptr + dec.packet.ptr, 0);
});

/** The file with its last Ogg page's granule position set, CRC recomputed (RFC 3533 §6), as a crafting sender would. */
function withFinalGranule(file, granule) {
  const out = file.slice();
  let last = 0;
  for (let i = 0; i + 4 <= out.length; i++) if (out[i] === 0x4f && out[i + 1] === 0x67 && out[i + 2] === 0x67 && out[i + 3] === 0x53) last = i;
  const segments = out[last + 26];
  let end = last + 27 + segments;
  for (let k = 0; k < segments; k++) end += out[last + 27 + k];
  const view = new DataView(out.buffer);
  view.setBigUint64(last + 6, BigInt(granule), true);
  view.setUint32(last + 22, 0, true);
  let crc = 0;
  for (let i = last; i < end; i++) {
    crc = (crc ^ (out[i] << 24)) >>> 0;
    for (let b = 0; b < 8; b++) crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
  }
  view.setUint32(last + 22, crc, true);
  return out;
}

test('a voice note whose granule position claims hours (near 2^32) is MALFORMED in WASM, and the heap does not grow', async () => {
  const c = await core();
  const file = wasmEncode(c, testSignal(48000, 0.5), 48000, 9);
  const honest = c.decodeVoiceNote(file);
  const granule = Math.round((honest.durationMs / 1000) * 48000) + 312; // pre-skip 312
  assert.equal(c.decodeVoiceNote(withFinalGranule(file, granule)).pcm.length, honest.pcm.length, 'the crafting helper keeps an honest file valid');
  const heapBefore = c._module.HEAPU8.byteLength;
  for (const g of [2 ** 32 - 100, 2 ** 32 + 312, 2 ** 40, granule + 5760 * 60]) {
    assert.throws(() => c.decodeVoiceNote(withFinalGranule(file, g)), { name: 'SealDeskError', code: 'MALFORMED' }, `granule ${g}`);
  }
  assert.equal(c._module.HEAPU8.byteLength, heapBefore, 'no heap growth from a crafted note');
  assert.equal(c.decodeVoiceNote(file).pcm.length, honest.pcm.length, 'the module still works');
});
