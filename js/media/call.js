// A video/audio call between the customer and the agent over WebRTC, with every encoded frame
// sealed end to end by the core's frame sealer in a transform worker (frame-transform-worker.js).
//
//   const call = await createCall({ role: 'customer', signaling, frameKeys, onState });
//   call.setMuted(true); await call.setCamera(false); await call.stopPurpose('camera');
//   await call.hangup();
//
// Signaling is any object with send(message) and an assignable onmessage(message): the widget
// routes it through the relay, tests through a BroadcastChannel. Messages are plain objects
// ({ type: 'description' | 'candidate' | 'purpose-stopped' | 'hangup', … }); the relay sees SDP
// and host candidates, never media keys.
//
// Networking: no STUN or TURN server is configured, so only host candidates are gathered (the
// live-audio relay fallback covers networks where that fails). Negotiation is "perfect
// negotiation" (W3C WebRTC §10.7): either side may offer; the customer is the polite peer.
//
// Keys: frameKeys is a MessagePort whose other end the key source holds (the core worker, which
// owns the session): it is transferred into the transform worker, so key bytes go from worker to
// worker and never through this thread. See frame-transform-worker.js for the key messages. For
// tests and simple setups frameKeys may instead be an array of { purpose, direction, keyId,
// baseKey }; the keys are then copied into the worker once and the caller's arrays are zeroed.
// Nothing here keeps a key.
//
// E2EE is mandatory: without RTCRtpScriptTransform or createEncodedStreams the call is refused
// (MEDIA_UNAVAILABLE), never made in the clear. Frames that the worker cannot seal or open are
// dropped there (fail closed).
//
// Purposes: 'camera' covers video tracks, 'voice' audio tracks. stopPurpose(p) is the consent
// revoke: the matching local tracks end synchronously (before it returns), the frame keys of that
// purpose are wiped in the worker (both directions), the senders are detached, and the peer is
// told so that it wipes its keys of that purpose too.
import { assetUrl } from '../assets.js';
import { SealDeskError } from '../errors.js';

const PURPOSE_OF_KIND = { video: 'camera', audio: 'voice' };
const KIND_OF_PURPOSE = { camera: 'video', voice: 'audio' };
// The codec each kind is pinned to (setCodecPreferences), which is the clear-prefix rule the core
// applies to its frames; the worker also reads the frame's own MIME type when the browser gives it.
const CODEC_OF_KIND = { video: 'vp8', audio: 'opus' };
const MIME_OF_KIND = { video: ['video/vp8', 'video/rtx'], audio: ['audio/opus'] };

const frameApis = () => ({
  'script-transform': typeof RTCRtpScriptTransform === 'function',
  'insertable-streams': typeof RTCRtpSender !== 'undefined' && 'createEncodedStreams' in RTCRtpSender.prototype,
});

/** Which frame-transform API this browser offers for E2EE: 'script-transform', 'insertable-streams' or null. */
export function e2eeSupport() {
  const apis = frameApis();
  return Object.keys(apis).find((name) => apis[name]) ?? null;
}

/**
 * Starts capture and joins the call. Resolves once local media is live and negotiation has begun.
 * @param {object} options
 * @param {'customer'|'agent'} options.role the customer is the polite peer
 * @param {{ send(message: object): void, onmessage: ((message: object) => void)|null }} options.signaling
 * @param {MessagePort|Array<{purpose: string, direction: 'send'|'receive', keyId: bigint|number, baseKey: Uint8Array}>} options.frameKeys
 * @param {(state: CallState) => void} [options.onState] every change of the visible state
 * @param {{ camera?: boolean, voice?: boolean }} [options.capture] what to capture at the start
 * @param {MediaStream} [options.stream] already captured media (otherwise getUserMedia)
 * @param {'auto'|'script-transform'|'insertable-streams'} [options.e2ee]
 * @param {string|URL} [options.workerUrl] where frame-transform-worker.js is served
 * @param {RTCConfiguration} [options.network] extra peer connection settings (iceTransportPolicy, iceServers)
 * @param {number} [options.audit] tests: the worker measures this many sealed frames per sender
 *   (shared prefix with the plaintext, plaintext found in the output; numbers only)
 *
 * @typedef {object} CallState
 * @property {RTCPeerConnectionState} connection
 * @property {'script-transform'|'insertable-streams'} e2ee
 * @property {{ camera: 'live'|'off'|'revoked', microphone: 'live'|'muted'|'off'|'revoked' }} devices
 *   what this side is capturing right now (the indicators the customer must see)
 * @property {{ camera: 'none'|'receiving'|'revoked'|'ended', voice: 'none'|'receiving'|'revoked'|'ended' }} remote
 *   what the peer sends us ('revoked': that purpose was stopped on either side)
 * @property {boolean} ended
 * @property {string|null} error
 */
export async function createCall({
  role,
  signaling,
  frameKeys,
  onState = () => {},
  capture = { camera: true, voice: true },
  stream = null,
  e2ee = 'auto',
  workerUrl = assetUrl('media/frame-transform-worker.js'),
  audit = 0,
  network = {},
}) {
  if (role !== 'customer' && role !== 'agent') throw new SealDeskError('INVALID_ARGUMENT', "role must be 'customer' or 'agent'");
  if (!signaling || typeof signaling.send !== 'function') throw new SealDeskError('INVALID_ARGUMENT', 'signaling needs send(message)');
  if (!(frameKeys instanceof MessagePort) && !Array.isArray(frameKeys)) {
    throw new SealDeskError('INVALID_ARGUMENT', 'frameKeys must be a MessagePort or an array of key records');
  }
  const api = e2ee === 'auto' ? e2eeSupport() : e2ee;
  if (!frameApis()[api]) throw new SealDeskError('MEDIA_UNAVAILABLE', 'this browser cannot encrypt media frames: no call without E2EE');

  let local = stream;
  if (!local) {
    try {
      local = capture.camera || capture.voice
        ? await navigator.mediaDevices.getUserMedia({ video: Boolean(capture.camera), audio: Boolean(capture.voice) })
        : new MediaStream();
    } catch (e) {
      throw new SealDeskError('MEDIA_UNAVAILABLE', `camera or microphone unavailable: ${e.name}`);
    }
  }

  const worker = new Worker(workerUrl, { type: 'module', name: 'sealdesk-frame-transform' });
  const keyPort = keyPortOf(frameKeys);
  worker.postMessage({ type: 'key-port', port: keyPort }, [keyPort]);

  let nextRequest = 0;
  const pending = new Map();
  worker.onmessage = ({ data }) => {
    const resolve = pending.get(data?.id);
    if (resolve) {
      pending.delete(data.id);
      resolve(data);
    }
  };
  let workerGone = false;
  const request = (message) =>
    new Promise((resolve) => {
      if (workerGone) return resolve({ error: 'the call has ended' });
      const id = nextRequest++;
      pending.set(id, resolve);
      worker.postMessage({ ...message, id });
    });

  const pc = new RTCPeerConnection({
    iceServers: [], // host candidates only
    ...network, // e.g. { iceTransportPolicy: 'relay' } on networks that only allow a TURN path
    ...(api === 'insertable-streams' ? { encodedInsertableStreams: true } : {}),
  });
  const remoteStream = new MediaStream();
  const revoked = new Set();
  const remote = { camera: 'none', voice: 'none' };
  let ended = false;
  let error = null;

  const snapshot = () => {
    const live = (kind) => local.getTracks().filter((t) => t.kind === kind && t.readyState === 'live');
    const audio = live('audio');
    return {
      connection: pc.connectionState,
      e2ee: api,
      devices: {
        camera: revoked.has('camera') ? 'revoked' : live('video').length ? 'live' : 'off',
        microphone: revoked.has('voice') ? 'revoked' : !audio.length ? 'off' : audio.some((t) => t.enabled) ? 'live' : 'muted',
      },
      remote: { ...remote },
      ended,
      error,
    };
  };
  const report = () => {
    try {
      onState(snapshot());
    } catch {
      // a listener's failure is not the call's
    }
  };
  const fail = (e) => {
    error = e?.message ?? String(e);
    report();
  };
  worker.onerror = (e) => fail(new Error(`frame transform worker failed: ${e.message ?? 'error'}`));

  // Every sender and receiver gets the transform before it can carry a frame.
  const attached = new WeakSet();
  function attach(endpoint, direction, kind) {
    if (attached.has(endpoint)) return;
    attached.add(endpoint);
    const options = { direction, purpose: PURPOSE_OF_KIND[kind], codec: CODEC_OF_KIND[kind], audit: direction === 'send' ? audit : 0 };
    if (api === 'script-transform') {
      endpoint.transform = new RTCRtpScriptTransform(worker, options);
    } else {
      const { readable, writable } = endpoint.createEncodedStreams();
      worker.postMessage({ type: 'streams', readable, writable, options }, [readable, writable]);
    }
  }
  const preferred = new WeakSet();
  function prepare(transceiver) {
    const kind = transceiver.receiver.track.kind;
    attach(transceiver.sender, 'send', kind);
    attach(transceiver.receiver, 'receive', kind);
    if (!preferred.has(transceiver) && transceiver.setCodecPreferences) {
      preferred.add(transceiver);
      const codecs = RTCRtpReceiver.getCapabilities(kind).codecs.filter((c) => MIME_OF_KIND[kind].includes(c.mimeType.toLowerCase()));
      transceiver.setCodecPreferences(codecs);
    }
  }
  const addLocalTrack = (t) => {
    t.addEventListener('ended', report); // e.g. the device was unplugged
    local.addTrack(t);
  };

  for (const t of local.getTracks()) {
    t.addEventListener('ended', report);
    const sender = pc.addTrack(t, local);
    prepare(pc.getTransceivers().find((x) => x.sender === sender));
  }
  // The agent opens the negotiation, so it offers both kinds even without local media.
  const polite = role === 'customer';
  if (!polite) {
    for (const kind of ['video', 'audio']) {
      if (!pc.getTransceivers().some((x) => x.receiver.track.kind === kind)) prepare(pc.addTransceiver(kind, { direction: 'recvonly' }));
    }
  }

  // Perfect negotiation (W3C WebRTC 1.0 §10.7), except that the polite customer waits for the
  // agent's first offer instead of racing it: in Chromium a rolled-back first offer can leave ICE
  // gathering stuck (no candidates are ever sent), which the glare of two first offers triggers.
  // After the first exchange either side may renegotiate.
  let makingOffer = false;
  let ignoreOffer = false;
  let awaitingFirstOffer = polite;
  const send = (message) => {
    if (!ended) signaling.send(message);
  };
  pc.onnegotiationneeded = async () => {
    if (awaitingFirstOffer) return; // fires again once the first answer is applied, if still needed
    try {
      makingOffer = true;
      await pc.setLocalDescription();
      send({ type: 'description', description: pc.localDescription.toJSON() });
    } catch (e) {
      fail(e);
    } finally {
      makingOffer = false;
    }
  };
  pc.onicecandidate = ({ candidate }) => {
    if (candidate) send({ type: 'candidate', candidate: candidate.toJSON() });
  };
  pc.onconnectionstatechange = report;
  pc.ontrack = ({ transceiver, track: remoteTrack }) => {
    prepare(transceiver);
    const purpose = PURPOSE_OF_KIND[remoteTrack.kind];
    remoteStream.addTrack(remoteTrack);
    // Not from track.muted: Chromium leaves the answerer's remote tracks muted while frames flow.
    if (remote[purpose] !== 'revoked') remote[purpose] = 'receiving';
    report();
  };

  // Ends this side's tracks of a purpose at once and wipes its frame keys (both directions).
  function stopLocal(purpose) {
    const kind = KIND_OF_PURPOSE[purpose];
    for (const t of local.getTracks()) {
      if (t.kind !== kind) continue;
      t.stop(); // readyState is 'ended' from here on: the device is released
      local.removeTrack(t);
    }
    revoked.add(purpose);
    remote[purpose] = 'revoked';
    const wiped = request({ type: 'wipe', purpose });
    const detached = pc.getTransceivers()
      .filter((x) => x.receiver.track.kind === kind && !x.stopped && pc.signalingState !== 'closed')
      .map((x) => x.sender.replaceTrack(null).catch(() => {}));
    report();
    return Promise.all([wiped, ...detached]);
  }

  async function teardown() {
    if (ended) return;
    for (const t of local.getTracks()) t.stop();
    ended = true;
    pc.close();
    signaling.onmessage = null;
    for (const purpose of Object.keys(remote)) if (remote[purpose] !== 'revoked') remote[purpose] = 'ended';
    report();
    // Wipe explicitly, then end the worker (which frees its heap as well).
    await Promise.race([request({ type: 'wipe' }), new Promise((r) => setTimeout(r, 1000))]);
    worker.terminate();
    workerGone = true;
    for (const resolve of pending.values()) resolve({ error: 'the call has ended' });
    pending.clear();
    report();
  }

  // Messages are handled one at a time, in arrival order.
  let inbox = Promise.resolve();
  signaling.onmessage = (message) => {
    inbox = inbox.then(() => handleSignal(message));
  };
  async function handleSignal(message) {
    if (ended || !message) return;
    try {
      if (message.type === 'description') {
        const { description } = message;
        const collision = description.type === 'offer' && (makingOffer || pc.signalingState !== 'stable');
        ignoreOffer = !polite && collision;
        if (ignoreOffer) return;
        await pc.setRemoteDescription(description);
        pc.getTransceivers().forEach(prepare);
        if (description.type === 'offer') {
          await pc.setLocalDescription();
          send({ type: 'description', description: pc.localDescription.toJSON() });
          awaitingFirstOffer = false;
        }
      } else if (message.type === 'candidate') {
        try {
          await pc.addIceCandidate(message.candidate);
        } catch (e) {
          if (!ignoreOffer) throw e;
        }
      } else if (message.type === 'purpose-stopped' && KIND_OF_PURPOSE[message.purpose]) {
        await stopLocal(message.purpose);
      } else if (message.type === 'hangup') {
        await teardown();
      }
    } catch (e) {
      fail(e);
    }
  }

  report();

  return {
    get state() {
      return snapshot();
    },
    get localStream() {
      return local;
    },
    get remoteStream() {
      return remoteStream;
    },
    get peerConnection() {
      return pc;
    },

    /** Microphone on/off (the device stays open; nothing is sent while muted). */
    setMuted(muted) {
      if (revoked.has('voice')) throw new SealDeskError('CONSENT_REQUIRED', 'voice was revoked for this call');
      for (const t of local.getAudioTracks()) t.enabled = !muted;
      report();
    },

    /** Camera on/off. Off releases the device (its light goes out); on captures anew. */
    async setCamera(on) {
      if (ended) throw new SealDeskError('INVALID_ARGUMENT', 'the call has ended');
      if (revoked.has('camera')) throw new SealDeskError('CONSENT_REQUIRED', 'camera was revoked for this call');
      const videoTransceivers = pc.getTransceivers().filter((x) => x.receiver.track.kind === 'video' && !x.stopped);
      if (!on) {
        for (const t of local.getVideoTracks()) {
          t.stop();
          local.removeTrack(t);
        }
        await Promise.all(videoTransceivers.map((x) => x.sender.replaceTrack(null)));
        return report();
      }
      if (local.getVideoTracks().some((t) => t.readyState === 'live')) return report();
      let camera;
      try {
        [camera] = (await navigator.mediaDevices.getUserMedia({ video: true })).getVideoTracks();
      } catch (e) {
        throw new SealDeskError('MEDIA_UNAVAILABLE', `camera unavailable: ${e.name}`);
      }
      if (ended || revoked.has('camera')) {
        camera.stop(); // revoked or hung up while the camera was starting
        throw new SealDeskError('CONSENT_REQUIRED', 'camera was revoked for this call');
      }
      addLocalTrack(camera);
      const transceiver = videoTransceivers[0];
      if (transceiver) {
        if (transceiver.direction === 'recvonly') transceiver.direction = 'sendrecv';
        await transceiver.sender.replaceTrack(camera);
      } else {
        const sender = pc.addTrack(camera, local); // renegotiates
        prepare(pc.getTransceivers().find((x) => x.sender === sender));
      }
      report();
    },

    /**
     * Consent for a purpose was revoked: its local tracks end now (before this returns), its
     * frame keys are wiped in the worker, and the peer is told to wipe its keys too.
     * @param {'camera'|'voice'} purpose
     */
    async stopPurpose(purpose) {
      if (!KIND_OF_PURPOSE[purpose]) throw new SealDeskError('UNKNOWN_PURPOSE', `calls carry 'camera' and 'voice', not '${purpose}'`);
      const done = stopLocal(purpose);
      send({ type: 'purpose-stopped', purpose });
      await done;
    },

    /** Moves this side's sender key of a purpose (or both) to its next generation. */
    async rotateKeys(purpose) {
      for (const p of purpose ? [purpose] : Object.keys(KIND_OF_PURPOSE)) {
        const { error: failure } = await request({ type: 'rotate', purpose: p });
        if (failure && purpose) throw new SealDeskError('NOT_FOUND', failure);
      }
    },

    /** Counters from the transform worker (frames sealed/opened/dropped, open failures by code). */
    async stats() {
      const { stats } = await request({ type: 'stats' });
      return { e2ee: api, ended, ...stats };
    },

    /** Ends the call on both sides: tracks stopped, keys wiped, connection closed. */
    async hangup() {
      send({ type: 'hangup' });
      await teardown();
    },
  };
}

// frameKeys as a port to transfer: the given port, or one fed once from an array of key records.
function keyPortOf(frameKeys) {
  if (frameKeys instanceof MessagePort) return frameKeys;
  const channel = new MessageChannel();
  for (const { purpose, direction, keyId, baseKey } of frameKeys) {
    const copy = Uint8Array.from(baseKey);
    baseKey.fill(0);
    channel.port1.postMessage({ type: 'key', purpose, direction, keyId, baseKey: copy }, [copy.buffer]);
  }
  return channel.port2;
}
