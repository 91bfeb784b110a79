// The page side of live audio over the relay (the call's fallback when WebRTC cannot connect):
// the microphone at 48 kHz through the capture worklet, 20 ms frames to the desk worker (which
// encodes, seals and sends them), and the frames the worker decoded played through a small
// playback worklet. The page never sees a key or a packet.
import { assetUrl } from '../assets.js';
import { openMicrophone } from './voice-note.js';

/**
 * @param {object} o
 * @param {{ call(method, ...args): Promise<any>, on(event, fn): () => void }} o.link the desk worker
 * @param {string|null} o.session the relay session (agent), null for the customer
 * @param {MediaStream} [o.stream] a microphone stream to use (otherwise getUserMedia)
 */
export async function startLiveAudio({ link, session = null, stream = null }) {
  await link.call('live.start', session); // consent (the voice purpose's keys) is checked here
  const ownStream = !stream;
  try {
    stream ??= await openMicrophone();
  } catch (e) {
    await link.call('live.stop', session);
    throw e;
  }
  const context = new AudioContext({ sampleRate: 48000, latencyHint: 'interactive' });
  await Promise.all([context.audioWorklet.addModule(assetUrl('media/capture-worklet.js')), context.audioWorklet.addModule(assetUrl('media/playback-worklet.js'))]);
  const source = context.createMediaStreamSource(stream);
  const capture = new AudioWorkletNode(context, 'sealdesk-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
  const playback = new AudioWorkletNode(context, 'sealdesk-playback', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
  playback.connect(context.destination);
  const stats = { captured: 0, playback: null };
  let stopped = false;
  let muted = false;
  capture.port.onmessage = ({ data }) => {
    if (stopped || muted || !(data instanceof Float32Array)) return;
    stats.captured++;
    link.call('live.push', data, session).catch(() => stop());
  };
  playback.port.onmessage = ({ data }) => (stats.playback = data);
  const off = link.on('live-audio', (frame) => {
    if (!stopped && (frame.session ?? null) === session) playback.port.postMessage(frame.pcm, [frame.pcm.buffer]);
  });
  source.connect(capture);
  if (context.state === 'suspended') await context.resume();

  async function stop() {
    if (stopped) return;
    stopped = true;
    off();
    capture.port.postMessage('cancel');
    playback.port.postMessage('stop');
    source.disconnect();
    if (ownStream) for (const t of stream.getTracks()) t.stop();
    await context.close().catch(() => {});
    await link.call('live.stop', session).catch(() => {});
  }

  return {
    get stream() {
      return stream;
    },
    get stopped() {
      return stopped;
    },
    /** Muted: nothing is captured into frames or sent (the playback goes on). */
    setMuted(value) {
      muted = Boolean(value);
    },
    /** Frames captured and what the playback worklet reported (frames, underruns, level). */
    async stats() {
      return { ...stats, core: await link.call('live.stats', session) };
    },
    stop,
  };
}
