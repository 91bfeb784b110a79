// Voice notes in the browser: microphone -> AudioWorklet -> the core's VoiceNoteRecorder (which
// resamples to 48 kHz, encodes Opus and writes Ogg), and playback of a received note with seeking.
// The recorder object may be the core's (same thread) or a proxy to the core's worker: it needs
// push(Float32Array) -> boolean|Promise<boolean>, level(), finish(), delete().
import { assetUrl } from '../assets.js';
import { SealDeskError } from '../errors.js';

/**
 * Starts recording. Resolves once the microphone is live.
 * @param {object} options
 * @param {(inputSampleRate: number) => object} options.createRecorder makes the core recorder
 * @param {MediaStream} [options.stream] an existing microphone stream (otherwise getUserMedia)
 * @param {(level: number) => void} [options.onLevel] 0..1, about every 20 ms
 * @param {() => void} [options.onLimit] the maximum length was reached (recording stopped)
 */
/** The microphone, with the browser's echo cancellation and noise suppression; MEDIA_UNAVAILABLE otherwise. */
export async function openMicrophone() {
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
  } catch (e) {
    throw new SealDeskError('MEDIA_UNAVAILABLE', `microphone unavailable: ${e.name}`);
  }
}

export async function startVoiceNote({ createRecorder, stream, onLevel = () => {}, onLimit = () => {} }) {
  const ownStream = !stream;
  stream ??= await openMicrophone();
  const context = new AudioContext();
  await context.audioWorklet.addModule(assetUrl('media/capture-worklet.js'));
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, 'sealdesk-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
  const recorder = createRecorder(context.sampleRate);
  let state = 'recording';
  let pending = Promise.resolve(true);
  let stoppedSignal;
  const stopped = new Promise((resolve) => (stoppedSignal = resolve));

  const release = () => {
    source.disconnect();
    node.port.onmessage = null;
    if (ownStream) for (const track of stream.getTracks()) track.stop();
    context.close();
  };

  node.port.onmessage = (e) => {
    if (e.data === 'stopped') return stoppedSignal();
    if (state === 'cancelled') return;
    const chunk = e.data;
    pending = pending.then(async (open) => {
      if (!open) return false;
      const more = await recorder.push(chunk);
      onLevel(await recorder.level());
      if (!more && state === 'recording') {
        state = 'limit';
        node.port.postMessage('stop');
        onLimit();
      }
      return more;
    });
  };
  source.connect(node);
  if (context.state === 'suspended') await context.resume();

  return {
    get sampleRate() {
      return context.sampleRate;
    },
    get state() {
      return state;
    },
    /** Stops and returns { file: what the recorder's finish() gave (the core's: the Ogg Opus file; a desk's: the sent message), durationMs }. */
    async stop() {
      if (state === 'cancelled' || state === 'done') throw new SealDeskError('INVALID_ARGUMENT', `voice note already ${state}`);
      if (state === 'recording') node.port.postMessage('stop');
      state = 'stopping';
      await stopped;
      await pending;
      release();
      try {
        const durationMs = await recorder.durationMs();
        const file = await recorder.finish();
        state = 'done';
        return { file, durationMs };
      } finally {
        await recorder.delete();
      }
    },
    /** Drops the recording: nothing is kept. */
    async cancel() {
      if (state === 'done' || state === 'cancelled') return;
      state = 'cancelled';
      node.port.postMessage('cancel');
      release();
      await pending.catch(() => {});
      await recorder.delete();
    },
  };
}

/**
 * A player for a decoded voice note ({ sampleRate, channels, pcm: Float32Array, durationMs }).
 * play(fromMs) / pause() / seek(ms); position() in ms; onEnded callback.
 */
export function createVoiceNotePlayer(note, { onEnded = () => {} } = {}) {
  let context = null;
  let source = null;
  let startedAt = 0;
  let offsetMs = 0;
  let playing = false;

  const buffer = () => {
    const frames = note.pcm.length / note.channels;
    const b = new AudioBuffer({ length: Math.max(frames, 1), numberOfChannels: note.channels, sampleRate: note.sampleRate });
    for (let c = 0; c < note.channels; c++) {
      const channel = b.getChannelData(c);
      for (let i = 0; i < frames; i++) channel[i] = note.pcm[i * note.channels + c];
    }
    return b;
  };
  let audio = null;

  const player = {
    durationMs: note.durationMs,
    get playing() {
      return playing;
    },
    position() {
      if (!playing) return offsetMs;
      return Math.min(note.durationMs, offsetMs + (context.currentTime - startedAt) * 1000);
    },
    async play(fromMs = offsetMs) {
      player.pause();
      context ??= new AudioContext({ sampleRate: note.sampleRate });
      audio ??= buffer();
      offsetMs = Math.max(0, Math.min(fromMs, note.durationMs));
      source = new AudioBufferSourceNode(context, { buffer: audio });
      source.connect(context.destination);
      source.onended = () => {
        if (source && playing) {
          playing = false;
          offsetMs = 0;
          onEnded();
        }
      };
      startedAt = context.currentTime;
      source.start(0, offsetMs / 1000);
      playing = true;
      if (context.state === 'suspended') await context.resume();
    },
    pause() {
      if (!playing) return;
      offsetMs = player.position();
      playing = false;
      const s = source;
      source = null;
      s.onended = null;
      s.stop();
    },
    seek(ms) {
      if (playing) player.play(ms);
      else offsetMs = Math.max(0, Math.min(ms, note.durationMs));
    },
    close() {
      player.pause();
      context?.close();
    },
  };
  return player;
}
