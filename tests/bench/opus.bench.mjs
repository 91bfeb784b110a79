// Opus encode/decode, 48 kHz mono, 20 ms frames, VOIP, 24 kbit/s, complexity 9: SealDesk's WASM
// build against npm opusscript (libopus 1.4 in WASM) in the same process. Both encoders get the
// same frames. Both decoders get the same packets: the two encoders' output, 100 packets each
// in turn. Each decoding only its own encoder's packets would compare the packets as much as
// the decoders: libopus 1.4 chooses differently from our 1.3.1, and decoding time follows what
// a packet holds (its bands, pulses and LTP).
import { mkdirSync, writeFileSync } from 'node:fs';
import { measure, peer } from './harness.mjs';

export function speechLikeFrames(count) {
  // A voiced-like signal (harmonics of a wandering pitch) with noise: deterministic (xorshift).
  let x = 0x12345678;
  const frames = [];
  for (let f = 0; f < count; f++) {
    const pcm = new Int16Array(960);
    for (let i = 0; i < 960; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      const t = (f * 960 + i) / 48000;
      const pitch = 120 + 30 * Math.sin(2 * Math.PI * 0.7 * t);
      let v = 0;
      for (let h = 1; h <= 6; h++) v += Math.sin(2 * Math.PI * pitch * h * t) / h;
      pcm[i] = Math.round(4000 * v + ((x >>> 0) / 2 ** 32 - 0.5) * 800);
    }
    frames.push(pcm);
  }
  return frames;
}

// build/bench/opus-packets.bin: each packet as a 2-byte little-endian length and its bytes.
export const packetsFile = new URL('../../build/bench/opus-packets.bin', import.meta.url);
function writePackets(packets) {
  const out = new Uint8Array(packets.reduce((sum, p) => sum + 2 + p.length, 0));
  let at = 0;
  for (const p of packets) {
    out[at] = p.length & 0xff;
    out[at + 1] = p.length >> 8;
    out.set(p, at + 2);
    at += 2 + p.length;
  }
  mkdirSync(new URL('.', packetsFile), { recursive: true });
  writeFileSync(packetsFile, out);
}

export const groups = [
  { id: 'opus-encode', title: 'Opus encode 48 kHz mono 20 ms', unit: 'frames/s', peer: 'opusscript' },
  { id: 'opus-decode', title: 'Opus decode 48 kHz mono 20 ms', unit: 'frames/s', peer: 'opusscript' },
];

export async function run({ core, seconds, repeats }) {
  const rows = [];
  const frames = speechLikeFrames(100);
  const opts = { seconds, repeats };

  const enc = new core.OpusEncoder({ bitrate: 24000, complexity: 9 });
  const packets = frames.map((f) => enc.encode(f));
  const OpusScript = peer('opusscript');
  const os = OpusScript && new OpusScript(48000, 1, OpusScript.Application.VOIP);
  const bufs = frames.map((f) => Buffer.from(f.buffer));
  if (os) {
    os.setBitrate(24000);
    os.encoderCTL(4010, 9); // OPUS_SET_COMPLEXITY_REQUEST
    packets.push(...bufs.map((b) => Uint8Array.from(os.encode(b, 960))));
  }
  const n = packets.length;
  writePackets(packets); // native decode runs on the same packets (tests/bench/media_opus_bench.cpp)

  rows.push({ group: 'opus-encode', impl: 'sealdesk-wasm', ...(await measure((i) => enc.encode(frames[i % 100]), opts)) });
  enc.delete();
  const dec = new core.OpusDecoder(48000, 1);
  rows.push({ group: 'opus-decode', impl: 'sealdesk-wasm', ...(await measure((i) => dec.decode(packets[i % n], 960), opts)) });
  dec.delete();
  if (os) {
    const osBufs = packets.map((p) => Buffer.from(p));
    rows.push({ group: 'opus-encode', impl: 'opusscript', ...(await measure((i) => os.encode(bufs[i % 100], 960), opts)) });
    rows.push({ group: 'opus-decode', impl: 'opusscript', ...(await measure((i) => os.decode(osBufs[i % n]), opts)) });
    os.delete();
  }
  return rows;
}
