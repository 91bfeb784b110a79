// Friendly wrappers over wasm/media_bindings.cpp: Opus encoder/decoder, voice notes and the
// live-audio receiver. Handles own WASM memory: call delete() when done.
import { SealDeskError } from '../errors.js';

export const Application = Object.freeze({ voip: 2048, audio: 2049 });
export const PlayAction = Object.freeze(['wait', 'play', 'recover', 'conceal']);

export function bindMedia(m, heap) {
  const FRAME_48K = 960;

  class OpusEncoder {
    /**
     * @param {{sampleRate?: number, channels?: number, application?: 'voip'|'audio', bitrate?: number,
     *   complexity?: number, dtx?: boolean, inbandFec?: boolean, expectedLossPercent?: number}} [settings]
     */
    constructor({
      sampleRate = 48000,
      channels = 1,
      application = 'voip',
      bitrate = 0,
      complexity = 9,
      dtx = false,
      inbandFec = false,
      expectedLossPercent = 0,
    } = {}) {
      this.channels = channels;
      this.handle = heap.checkHandle(
        m.VoiceEncoder._create(sampleRate, channels, Application[application] ?? -1, bitrate, complexity, dtx,
          inbandFec, expectedLossPercent),
      );
      // Frame buffers kept for the encoder's life. The Opus state holds the last frames of
      // audio until delete() anyway, so zeroing them per call would not shorten any exposure.
      this.pcm = heap.buffer();
      this.packet = heap.buffer();
    }
    /** @param {Int16Array} pcm one interleaved frame @returns {Uint8Array} the Opus packet */
    encode(pcm) {
      if (!this.handle) throw new SealDeskError('INVALID_ARGUMENT', 'invalid argument: the encoder was deleted');
      const cap = m.OPUS_MAX_PACKET_BYTES;
      const out = this.packet.reserve(cap);
      const p = this.pcm.put(pcm); // after the reserve, which may move the heap
      return heap.copyOut(out, heap.check(this.handle._encode(p, pcm.length, out, cap)));
    }
    /** Samples the decoded output lags the input (the Ogg pre-skip). */
    lookahead() {
      return heap.check(this.handle._lookahead());
    }
    delete() {
      this.pcm.release();
      this.packet.release();
      this.handle?.delete();
      this.handle = null;
    }
  }

  class OpusDecoder {
    constructor(sampleRate = 48000, channels = 1) {
      this.channels = channels;
      this.handle = heap.checkHandle(m.VoiceDecoder._create(sampleRate, channels));
      this.packet = heap.buffer(); // as in OpusEncoder
      this.pcm = heap.buffer();
    }
    #run(input, frameSamples, call) {
      if (!this.handle) throw new SealDeskError('INVALID_ARGUMENT', 'invalid argument: the decoder was deleted');
      const samples = frameSamples * this.channels;
      const out = this.pcm.reserve(samples * 2);
      const p = this.packet.put(input);
      const n = heap.check(call(p, out, samples));
      return m.HEAP16.slice(out >> 1, (out >> 1) + n * this.channels);
    }
    /** @param {Uint8Array} packet @returns {Int16Array} interleaved PCM */
    decode(packet, frameSamples = m.OPUS_MAX_FRAME_SAMPLES) {
      return this.#run(packet, frameSamples, (p, out, n) => this.handle._decode(p, packet.byteLength, out, n));
    }
    /** Packet-loss concealment for one lost frame of frameSamples. */
    conceal(frameSamples) {
      return this.#run(new Uint8Array(0), frameSamples, (_p, out, n) => this.handle._conceal(out, n));
    }
    /** Rebuilds the lost frame before nextPacket from its in-band FEC. */
    recover(nextPacket, frameSamples) {
      return this.#run(nextPacket, frameSamples, (p, out, n) => this.handle._recover(p, nextPacket.byteLength, out, n));
    }
    delete() {
      this.packet.release();
      this.pcm.release();
      this.handle?.delete();
      this.handle = null;
    }
  }

  class VoiceNoteRecorder {
    /**
     * @param {{inputSampleRate: number, maxDurationMs?: number, bitrate?: number, complexity?: number,
     *   serial?: number}} options serial: the Ogg stream serial (random by default)
     */
    constructor({ inputSampleRate, maxDurationMs = 120000, bitrate = 24000, complexity = 9, serial } = {}) {
      const s = serial ?? globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
      this.handle = heap.checkHandle(m.VoiceNoteRecorder._create(inputSampleRate, maxDurationMs, bitrate, complexity, s));
    }
    /**
     * Adds mono samples in [-1, 1]. Returns false once the maximum length is reached (the part
     * that fits is kept): stop recording then.
     * @param {Float32Array} samples
     */
    push(samples) {
      const rc = heap.with([samples], (p) => this.handle._push(p, samples.length));
      if (rc === -m.STATUS_TOO_LARGE) return false;
      heap.check(rc);
      return true;
    }
    /** RMS of the newest 20 ms, 0..1. */
    level() {
      return this.handle.level();
    }
    durationMs() {
      return this.handle.durationMs();
    }
    /** @returns {Uint8Array} the Ogg Opus file */
    finish() {
      return heap.takeOutput(this.handle._finish());
    }
    delete() {
      this.handle?.delete();
      this.handle = null;
    }
  }

  /**
   * @param {Uint8Array} oggFile
   * @returns {{ sampleRate: number, channels: number, durationMs: number, pcm: Float32Array }}
   */
  function decodeVoiceNote(oggFile) {
    const note = heap.with([oggFile], (p) => m._decodeVoiceNote(p, oggFile.byteLength));
    if (note === null) heap.checkHandle(null);
    return { ...note, pcm: note.pcm.slice() };
  }

  class LiveAudioReceiver {
    constructor({ targetDepth = 3 } = {}) {
      this.handle = heap.checkHandle(m.LiveAudioReceiver._create(targetDepth));
      this.frame = heap.buffer();
    }
    /** @returns {boolean} false for a duplicate or late packet (dropped), true when queued */
    receive(seq, packet) {
      const rc = heap.with([packet], (p) => this.handle._receive(seq, p, packet.byteLength));
      if (rc === -m.STATUS_REPLAYED || rc === -m.STATUS_OUTSIDE_WINDOW) return false;
      heap.check(rc);
      return true;
    }
    /** The next 20 ms at 48 kHz: { action: 'wait'|'play'|'recover'|'conceal', pcm: Int16Array } */
    play() {
      const out = this.frame.reserve(FRAME_48K * 2);
      const action = heap.check(this.handle._play(out));
      return { action: PlayAction[action], pcm: new Int16Array(heap.copyOut(out, FRAME_48K * 2).buffer) };
    }
    stats() {
      return this.handle.stats();
    }
    delete() {
      if (this.handle) {
        this.frame.release();
        this.handle.delete();
        this.handle = null;
      }
    }
  }

  return { OpusEncoder, OpusDecoder, VoiceNoteRecorder, decodeVoiceNote, LiveAudioReceiver };
}
