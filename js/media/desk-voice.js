// Voice notes for a desk: the microphone and the AudioWorklet live on the page (they must), the
// recorder (resampling, Opus, Ogg) and the sealing live in the desk worker. A revoke of the voice
// purpose cancels the recording at once: the worklet stops within one render quantum and the
// core drops what it had.
import { SealDeskError } from '../errors.js';
// voice-note.js loads on first use: the first paint does not wait for it.
const voiceNote = () => import('./voice-note.js');

export class DeskVoice {
  constructor(link) {
    this.link = link;
    this.recording = null;
    link.on('purpose-stopped', ({ purpose }) => {
      if (purpose === 'voice' || purpose === 'routing') this.cancel();
    });
  }

  /**
   * Records a voice note; resolves once the microphone is live.
   * @returns {{ stop(): Promise<object>, cancel(): Promise<void>, readonly state: string }} stop() sends it and resolves with the message
   */
  async record({ stream, onLevel = () => {}, onLimit = () => {}, maxDurationMs } = {}) {
    if (this.recording) throw new SealDeskError('INVALID_ARGUMENT', 'a voice note is already being recorded');
    await this.link.call('voice.check'); // no microphone before consent
    const link = this.link;
    let begun;
    const { startVoiceNote } = await voiceNote();
    const note = await startVoiceNote({
      stream,
      createRecorder: (rate) => {
        begun = link.call('voice.begin', rate, maxDurationMs ? { maxDurationMs } : {});
        return {
          push: async (samples) => {
            await begun;
            const { more, level } = await link.call('voice.push', samples);
            this.level = level;
            return more;
          },
          level: () => this.level ?? 0,
          durationMs: () => link.call('voice.duration'),
          finish: () => link.call('voice.finish'),
          delete: async () => {},
        };
      },
      onLevel,
      onLimit,
    });
    await begun;
    const recording = {
      get state() {
        return note.state;
      },
      /** Stops, seals and sends: resolves with the sent message. */
      stop: async () => {
        this.recording = null;
        return (await note.stop()).file;
      },
      cancel: async () => {
        this.recording = null;
        await note.cancel();
        await link.call('voice.cancel');
      },
    };
    this.recording = recording;
    return recording;
  }

  /** The consent was withdrawn (or the page asked): the recording ends now, nothing is sent. */
  cancel() {
    const r = this.recording;
    this.recording = null;
    if (r) void r.cancel().catch(() => {});
  }

  /** Decodes a received note in the core: { sampleRate, channels, durationMs, pcm }. */
  decode(bytes) {
    return this.link.call('voice.decode', bytes);
  }

  /** A player with play(fromMs), pause(), seek(ms), position(), durationMs. */
  async player(bytes, options) {
    const { createVoiceNotePlayer } = await voiceNote();
    return createVoiceNotePlayer(await this.decode(bytes), options);
  }
}
