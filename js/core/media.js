// Friendly wrappers over wasm/media_bindings.cpp: Opus encoder/decoder handles.
export const Application = Object.freeze({ voip: 2048, audio: 2049 });

export function bindMedia(m, heap) {
  class OpusEncoder {
    constructor(sampleRate, channels, application = 'voip') {
      this.channels = channels;
      this.handle = heap.checkHandle(m.VoiceEncoder._create(sampleRate, channels, Application[application] ?? -1));
    }
    setBitrate(bps) {
      heap.check(this.handle._setBitrate(bps));
    }
    setComplexity(c) {
      heap.check(this.handle._setComplexity(c));
    }
    /** @param {Int16Array} pcm one interleaved frame @returns {Uint8Array} the Opus packet */
    encode(pcm) {
      const cap = m.OPUS_MAX_PACKET_BYTES;
      return heap.with([pcm, cap], (p, out) => {
        const n = heap.check(this.handle._encode(p, pcm.length, out, cap));
        return heap.copyOut(out, n);
      });
    }
    delete() {
      this.handle?.delete();
      this.handle = null;
    }
  }

  class OpusDecoder {
    constructor(sampleRate, channels) {
      this.channels = channels;
      this.handle = heap.checkHandle(m.VoiceDecoder._create(sampleRate, channels));
    }
    /** @param {Uint8Array|null} packet null conceals a lost packet @returns {Int16Array} */
    decode(packet, frameSamples = m.OPUS_MAX_FRAME_SAMPLES) {
      const samples = frameSamples * this.channels;
      const bytes = packet ?? new Uint8Array(0);
      return heap.with([bytes, samples * 2], (p, out) => {
        const n = heap.check(this.handle._decode(p, bytes.byteLength, out, samples));
        return new Int16Array(heap.copyOut(out, n * this.channels * 2).buffer);
      });
    }
    delete() {
      this.handle?.delete();
      this.handle = null;
    }
  }

  return { OpusEncoder, OpusDecoder };
}
