// Opus encode/decode, 48 kHz mono, 20 ms frames, VOIP, 24 kbit/s, complexity 9: SealDesk's WASM
// build against npm opusscript (libopus 1.4 in WASM) in the same process.
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

export const groups = [
  { id: 'opus-encode', title: 'Opus encode 48 kHz mono 20 ms', unit: 'frames/s', peer: 'opusscript' },
  { id: 'opus-decode', title: 'Opus decode 48 kHz mono 20 ms', unit: 'frames/s', peer: 'opusscript' },
];

export async function run({ core, seconds, repeats }) {
  const rows = [];
  const frames = speechLikeFrames(100);
  const opts = { seconds, repeats };

  const enc = new core.OpusEncoder({ bitrate: 24000, complexity: 9 });
  const dec = new core.OpusDecoder(48000, 1);
  const packets = frames.map((f) => enc.encode(f));
  rows.push({ group: 'opus-encode', impl: 'sealdesk-wasm', ...(await measure((i) => enc.encode(frames[i % 100]), opts)) });
  rows.push({ group: 'opus-decode', impl: 'sealdesk-wasm', ...(await measure((i) => dec.decode(packets[i % 100], 960), opts)) });
  enc.delete();
  dec.delete();

  const OpusScript = peer('opusscript');
  if (OpusScript) {
    const os = new OpusScript(48000, 1, OpusScript.Application.VOIP);
    os.setBitrate(24000);
    os.encoderCTL(4010, 9); // OPUS_SET_COMPLEXITY_REQUEST
    const bufs = frames.map((f) => Buffer.from(f.buffer));
    const osPackets = bufs.map((b) => Buffer.from(os.encode(b, 960)));
    rows.push({ group: 'opus-encode', impl: 'opusscript', ...(await measure((i) => os.encode(bufs[i % 100], 960), opts)) });
    rows.push({ group: 'opus-decode', impl: 'opusscript', ...(await measure((i) => os.decode(osPackets[i % 100]), opts)) });
    os.delete();
  }
  return rows;
}
