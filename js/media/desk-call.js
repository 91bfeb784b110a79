// Wires a call to a desk: WebRTC (call.js) with frame keys from the desk worker on a MessagePort
// (passed through to the frame-transform worker unread) and signaling sealed through the relay;
// and, when WebRTC cannot connect (UDP blocked, no route), live audio over the relay
// (live-audio.js). Consent decides throughout: a revoked purpose ends its tracks at once.
//
// Call states reported as the desk's 'call' event:
//   { session, state: 'ringing', video }                   the customer rang (agent side)
//   { session, state: 'starting' | 'live' | 'ended', path: 'webrtc' | 'relay', e2ee, connection,
//     devices, remote, error }
// Signals between the two desks (besides call.js's own): 'ring', 'relay-audio' (switch to the
// relay path), 'end-call'.
import { SealDeskError } from '../errors.js';
// call.js and live-audio.js load on the first call: the first paint does not wait for them.

const CALL_PURPOSE = { voice: 'voice', video: 'camera' };
export const FALLBACK_AFTER_MS = 8000;

/** A WebRTC call's snapshot (call.js) as CallState: its phase named, the internal flag dropped. */
function publicState({ ended, ...state }) {
  return { ...state, state: ended ? 'ended' : state.connection === 'connected' ? 'live' : 'starting' };
}

export class DeskCalls {
  /**
   * @param {{ call(method, ...args): Promise<any>, on(event, fn): () => void, emitLocal(event, value): void }} link
   * @param {'customer'|'agent'} role
   */
  constructor(link, role) {
    this.link = link;
    this.role = role;
    this.current = null; // { session, call, signaling, inbox, path, live, state }
    link.on('signal', ({ session, message }) => this.onSignal(session, message));
    link.on('purpose-stopped', ({ purpose }) => this.stopPurpose(purpose));
  }

  report(entry, state) {
    entry.state = { session: entry.session, path: entry.path, ...state };
    this.link.emitLocal('call', entry.state);
    if (state.state === 'ended' && this.current === entry) this.current = null;
  }

  onSignal(session, message) {
    if (message?.type === 'ring') {
      if (this.role === 'agent') this.link.emitLocal('call', { session, state: 'ringing', video: Boolean(message.video) });
      return;
    }
    const c = this.current;
    if (message?.type === 'end-call' && (!c || c.session !== session)) {
      // The customer hung up before this side joined: the ringing is over.
      if (this.role === 'agent') this.link.emitLocal('call', { session, state: 'ended' });
      return;
    }
    if (!c || c.session !== session) return;
    if (message?.type === 'relay-audio') return void this.toRelay(c, { tellPeer: false }).catch((e) => this.link.emitLocal('error', e));
    if (message?.type === 'end-call') return void this.end(c, { tellPeer: false });
    if (c.path !== 'webrtc') return; // WebRTC signals after the switch: that call is gone
    if (c.signaling.onmessage) c.signaling.onmessage(message);
    else c.inbox.push(message);
  }

  signal(entry, message) {
    return this.link.call('call.signal', message, this.role === 'agent' ? entry.session : undefined).catch((e) => this.link.emitLocal('error', e));
  }

  async begin(session, frameKeys, capture, network) {
    if (this.current) throw new SealDeskError('INVALID_ARGUMENT', 'a call is already running');
    const entry = { session, inbox: [], call: null, path: 'webrtc', live: null, state: null };
    entry.signaling = { onmessage: null, send: (message) => this.signal(entry, message) };
    this.current = entry;
    const onState = (state) => {
      if (entry.path !== 'webrtc') return; // the relay path reports for itself
      this.report(entry, publicState(state));
      if (state.connection === 'failed' && entry.fallback) entry.fallback();
    };
    try {
      const { createCall } = await import('./call.js');
      entry.call = await createCall({ role: this.role, signaling: entry.signaling, frameKeys, capture, onState, network });
    } catch (e) {
      if (this.current === entry) this.current = null;
      frameKeys.close?.();
      throw e;
    }
    if (entry.ended) {
      // Hung up while the camera and microphone were starting: they stop now.
      await entry.call.hangup().catch(() => {});
      entry.call = null;
      throw new SealDeskError('CANCELLED', 'the call was hung up while its camera and microphone started');
    }
    for (const message of entry.inbox.splice(0)) entry.signaling.onmessage?.(message); // came while the camera started
    return entry;
  }

  /**
   * Customer: consent is checked in the core, keys prepared, then the agent is rung. When WebRTC
   * has not connected after fallbackAfterMs (or fails), the call goes on as audio over the relay.
   * @param {{ video?: boolean, fallbackAfterMs?: number, network?: RTCConfiguration }} [options]
   *   network: extra RTCPeerConnection settings (e.g. { iceTransportPolicy: 'relay' } where only
   *   a TURN path is allowed; without a TURN server that forces the relay fallback)
   */
  async start({ video = true, fallbackAfterMs = FALLBACK_AFTER_MS, network } = {}) {
    if (this.current || this.starting) throw new SealDeskError('INVALID_ARGUMENT', 'a call is already running');
    // Until the session has keys (no agent yet) nothing is captured and nobody is rung. A hangup
    // in that time cancels the call for good: start() rejects with CANCELLED at once, and the
    // keys that arrive later are dropped unused.
    const cancelError = () => new SealDeskError('CANCELLED', 'the call was hung up before it started');
    const starting = { cancelled: false };
    const cancelled = new Promise((_, reject) => {
      starting.cancel = () => {
        starting.cancelled = true;
        reject(cancelError());
      };
    });
    this.starting = starting;
    const prepared = this.link.call('call.prepare', { video });
    let entry;
    try {
      const port = await Promise.race([prepared, cancelled]);
      const info = await this.link.call('session.info');
      if (starting.cancelled) throw cancelError();
      entry = await this.begin(info.session, port, { camera: video, voice: true }, network);
    } catch (e) {
      if (e.code === 'CANCELLED') void prepared.then((port) => port.close?.(), () => {});
      throw e;
    } finally {
      if (this.starting === starting) this.starting = null;
    }
    await this.link.call('call.ring', { video });
    entry.fallback = () => {
      entry.fallback = null;
      clearTimeout(entry.timer);
      if (this.current === entry && entry.path === 'webrtc') void this.toRelay(entry, { tellPeer: true }).catch((e) => this.link.emitLocal('error', e));
    };
    entry.timer = setTimeout(() => {
      if (entry.call?.state.connection !== 'connected') entry.fallback?.();
    }, fallbackAfterMs);
    return entry.call.state;
  }

  /** Agent: joins the call a customer rang for. */
  async join(session, { video = true, network } = {}) {
    const port = await this.link.call('call.prepare', session);
    const entry = await this.begin(session, port, { camera: video, voice: true }, network);
    return entry.call.state;
  }

  /** WebRTC could not connect: the call continues as live audio over the relay (audio only). */
  async toRelay(entry, { tellPeer }) {
    if (entry.path === 'relay') return;
    entry.path = 'relay';
    clearTimeout(entry.timer);
    if (tellPeer) await this.signal(entry, { type: 'relay-audio' });
    const webrtc = entry.call;
    entry.call = null;
    await webrtc?.hangup().catch(() => {}); // its camera and microphone are released here
    this.report(entry, { state: 'starting', devices: { camera: 'off', microphone: 'live' } });
    try {
      const { startLiveAudio } = await import('./live-audio.js');
      entry.live = await startLiveAudio({ link: this.link, session: this.role === 'agent' ? entry.session : null });
    } catch (e) {
      this.report(entry, { state: 'ended', error: e.message });
      throw e;
    }
    this.report(entry, { state: 'live', e2ee: 'relay-frames', devices: { camera: 'off', microphone: 'live' }, remote: { camera: 'none', voice: 'receiving' } });
  }

  async end(entry, { tellPeer }) {
    entry.ended = true;
    clearTimeout(entry.timer);
    if (tellPeer) await this.signal(entry, { type: 'end-call' });
    const { call, live } = entry;
    entry.call = null;
    entry.live = null;
    await Promise.all([call?.hangup().catch(() => {}), live?.stop()]);
    this.report(entry, { state: 'ended', devices: { camera: 'off', microphone: 'off' } });
  }

  /** The consent purpose was revoked: its local tracks end now, before anything else. */
  stopPurpose(purpose) {
    const entry = this.current;
    if (!entry) return;
    if (purpose === 'routing' || (purpose === 'voice' && entry.path === 'relay')) return void this.end(entry, { tellPeer: purpose !== 'routing' });
    const callPurpose = CALL_PURPOSE[purpose];
    if (callPurpose && entry.call) void entry.call.stopPurpose(callPurpose).catch(() => {});
  }

  /** Microphone on/off: on WebRTC the track is disabled; over the relay no frame is sent. */
  async setMuted(muted) {
    const entry = this.require();
    if (entry.call) return entry.call.setMuted(muted);
    entry.live?.setMuted(muted);
    this.report(entry, { ...entry.state, devices: { ...entry.state?.devices, microphone: muted ? 'muted' : 'live' } });
  }

  async hangup() {
    if (!this.current && this.starting) return void this.starting.cancel();
    const entry = this.require();
    await this.end(entry, { tellPeer: true });
  }

  state() {
    const entry = this.current;
    if (!entry) return null;
    if (!entry.call || entry.path !== 'webrtc') return entry.state;
    return { ...entry.state, ...publicState(entry.call.state), session: entry.session, path: 'webrtc' };
  }

  async stats() {
    const entry = this.require();
    if (entry.call) return { path: 'webrtc', ...(await entry.call.stats()) };
    return { path: 'relay', e2ee: 'relay-frames', ...(await entry.live?.stats()) };
  }

  get call() {
    return this.current?.call ?? null;
  }

  get localStream() {
    return this.current?.call?.localStream ?? this.current?.live?.stream ?? null;
  }

  require() {
    if (!this.current) throw new SealDeskError('NOT_FOUND', 'no call is running');
    return this.current;
  }

  webrtc() {
    const call = this.current?.call;
    if (!call) throw new SealDeskError('NOT_FOUND', 'no WebRTC call is running');
    return call;
  }
}
