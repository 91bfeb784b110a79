// Wires a WebRTC call (call.js) to a desk: frame keys come from the desk worker on a MessagePort
// (passed through to the frame-transform worker unread), signaling goes sealed through the relay,
// and consent decides: a revoked purpose ends its tracks at once.
//
// Call states reported as the desk's 'call' event:
//   { session, state: 'ringing' }                       the customer rang (agent side)
//   { session, state: 'starting' | 'live' | 'ended', e2ee, connection, devices, remote, error }
import { SealDeskError } from '../errors.js';
import { createCall } from './call.js';

const CALL_PURPOSE = { voice: 'voice', video: 'camera' };

export class DeskCalls {
  /**
   * @param {{ call(method, ...args): Promise<any>, on(event, fn): () => void, emitLocal(event, value): void }} link
   * @param {'customer'|'agent'} role
   */
  constructor(link, role) {
    this.link = link;
    this.role = role;
    this.current = null; // { session, call, signaling, inbox: [] }
    link.on('signal', ({ session, message }) => this.onSignal(session, message));
    link.on('purpose-stopped', ({ purpose }) => this.stopPurpose(purpose));
  }

  onSignal(session, message) {
    if (message?.type === 'ring') {
      if (this.role === 'agent') this.link.emitLocal('call', { session, state: 'ringing', video: Boolean(message.video) });
      return;
    }
    const c = this.current;
    if (!c || c.session !== session) return;
    if (c.signaling.onmessage) c.signaling.onmessage(message);
    else c.inbox.push(message);
  }

  async begin(session, frameKeys, capture) {
    if (this.current) throw new SealDeskError('INVALID_ARGUMENT', 'a call is already running');
    const signaling = {
      onmessage: null,
      send: (message) => this.link.call('call.signal', message, session).catch((e) => this.link.emitLocal('error', e)),
    };
    const entry = { session, signaling, inbox: [], call: null };
    this.current = entry;
    const report = (state) => {
      const live = state.connection === 'connected';
      this.link.emitLocal('call', { session, state: state.ended ? 'ended' : live ? 'live' : 'starting', ...state });
      if (state.ended && this.current === entry) this.current = null;
    };
    try {
      entry.call = await createCall({ role: this.role, signaling, frameKeys, capture, onState: report });
    } catch (e) {
      this.current = null;
      frameKeys.close?.();
      throw e;
    }
    // Signals that came while the camera was starting.
    for (const message of entry.inbox.splice(0)) signaling.onmessage?.(message);
    return entry.call;
  }

  /** Customer: consent is checked in the core, keys prepared, then the agent is rung. */
  async start({ video = true } = {}) {
    const port = await this.link.call('call.prepare', { video });
    const info = await this.link.call('session.info');
    const call = await this.begin(info.session, port, { camera: video, voice: true });
    await this.link.call('call.ring', { video });
    return call.state;
  }

  /** Agent: joins the call a customer rang for. */
  async join(session, { video = true } = {}) {
    const port = await this.link.call('call.prepare', session);
    const call = await this.begin(session, port, { camera: video, voice: true });
    return call.state;
  }

  /** The consent purpose was revoked: its local tracks end now, before anything else. */
  stopPurpose(purpose) {
    const callPurpose = CALL_PURPOSE[purpose] ?? (purpose === 'routing' ? null : undefined);
    const call = this.current?.call;
    if (!call) return;
    if (purpose === 'routing') return void call.hangup();
    if (callPurpose) void call.stopPurpose(callPurpose).catch(() => {});
  }

  get call() {
    return this.current?.call ?? null;
  }

  require() {
    if (!this.current?.call) throw new SealDeskError('NOT_FOUND', 'no call is running');
    return this.current.call;
  }
}
