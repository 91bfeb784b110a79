// RelayClient: a party's connection to the relay (relay/PROTOCOL.md), for the page, a
// worker, or Node (pass `ws`'s WebSocket). It turns an unreliable socket into exactly-once,
// in-order delivery of opaque payloads per session:
//   - every outgoing payload gets the next counter of its (session, epoch) stream and is kept
//     until the receiving party acknowledges it (not merely the relay: an in-memory relay can
//     restart and forget), then resent after any reconnect;
//   - received frames are delivered in counter order and duplicates are dropped by counter,
//     so the application sees each message once;
//   - reconnects with exponential backoff and jitter, app-level heartbeats (a page cannot see
//     WebSocket pings) to notice a dead relay, and a send window for flow control;
//   - given several relay URLs (relay processes sharing one Redis), moves to the next one at
//     every reconnect, so a dead process is left behind.
// Payloads are opaque here too: the caller seals them before send() and opens them after.
import { SealDeskError } from '../errors.js';
import { Emitter } from '../events.js';
import {
  PROTOCOL_VERSION,
  encodeData,
  decodeData,
  parseControl,
  headerBytes,
  shouldReconnect,
  randomToken,
  MAX_COUNTER,
} from './envelope.js';

const OPEN = 1;

/**
 * Transport-level error codes (JS only; the core's codes live in sdk/common/status.h):
 *   TOO_LARGE          payload over the relay's maxFrameBytes
 *   INVALID_ARGUMENT   bad options or arguments
 *   NOT_FOUND          a session this client does not hold
 *   RELAY_QUEUE_FULL   more unacknowledged messages than `maxPending`
 *   RELAY_REFUSED      the relay refused us for good (agent token, resume secret, protocol)
 *   RELAY_CLOSED       close() was called
 */
const error = (code, message, details) => new SealDeskError(code, message, details);

function newStreams() {
  return {
    out: { next: 1, unacked: new Map(), ackedUpTo: 0, sentUpTo: 0, highWater: 0, paused: false, retryTimer: null, retryMs: 0 },
    in: { delivered: 0, ackSent: 0, ackDue: false, ahead: new Map() },
  };
}

export class RelayClient extends Emitter {
  /**
   * @param {object} options
   * @param {string|string[]} options.url ws:// or wss:// address of the relay, or of several
   *   relay processes that share their state (tried in turn, one per reconnect)
   * @param {'customer'|'agent'} options.role
   * @param {string} [options.token] agent token (agents only)
   * @param {object} [options.summary] customer: the consent summary shown in the agents' queue
   * @param {number} [options.retentionMs] customer: how long undelivered frames may be kept
   * @param {{session: string, resume: string}} [options.resume] customer: rejoin this session
   * @param {(url: string) => WebSocket} [options.createSocket] default: new globalThis.WebSocket(url)
   * @param {{initialMs?: number, maxMs?: number, factor?: number}} [options.backoff]
   * @param {number} [options.heartbeatMs] app-level ping interval (default: the relay's)
   * @param {number} [options.window=128] unacknowledged frames on the wire per session
   * @param {number} [options.maxPending=1000] unacknowledged messages kept per session
   * @param {number} [options.ackDelayMs=20] acknowledgements are batched this long
   */
  constructor(options) {
    super();
    const { url, role } = options ?? {};
    const urls = Array.isArray(url) ? [...url] : [url];
    if (!urls.length || !urls.every((u) => typeof u === 'string' && /^wss?:\/\//.test(u))) {
      throw error('INVALID_ARGUMENT', 'url must be ws:// or wss:// (or a non-empty list of them)');
    }
    if (role !== 'customer' && role !== 'agent') throw error('INVALID_ARGUMENT', "role must be 'customer' or 'agent'");
    if (role === 'agent' && typeof options.token !== 'string') throw error('INVALID_ARGUMENT', 'agents need a token');
    this.urls = urls;
    this.urlIndex = 0;
    this.url = urls[0]; // the relay this client connects to now
    this.role = role;
    this.options = options;
    this.createSocket = options.createSocket ?? ((u) => new globalThis.WebSocket(u));
    this.backoff = { initialMs: 250, maxMs: 10_000, factor: 2, ...options.backoff };
    this.window = options.window ?? 128;
    this.maxPending = options.maxPending ?? 1000;
    this.ackDelayMs = options.ackDelayMs ?? 20;
    this.resume = options.resume?.resume ?? randomToken(32);
    this.sessionId = options.resume?.session ?? null; // customer
    this.sessions = new Map(); // id -> { id, epoch, state, agent, peer, out, in }
    this.limits = null;
    this.socket = null;
    this.welcomed = false;
    this.closedByUser = false;
    this.attempt = 0;
    this.status = 'idle';
    this.pendingAccepts = new Map();
    this.flushWaiters = new Set();
    /** Counts for tests and diagnostics: messages sent, frames resent, delivered, duplicates dropped. */
    this.counters = { sent: 0, resent: 0, delivered: 0, duplicates: 0, reconnects: 0 };
  }

  /** Connects (and keeps reconnecting). Resolves with the first welcome. */
  connect() {
    if (this.closedByUser) return Promise.reject(error('RELAY_CLOSED', 'client was closed'));
    this.firstWelcome ??= new Promise((resolve, reject) => {
      this.resolveFirst = resolve;
      this.rejectFirst = reject;
    });
    if (!this.socket && !this.reconnectTimer) this.open();
    return this.firstWelcome;
  }

  /** The customer's session id and resume secret: enough to rejoin after a page reload. */
  get resumeInfo() {
    return this.sessionId ? { session: this.sessionId, resume: this.resume } : null;
  }

  setStatus(state, extra = {}) {
    this.status = state;
    this.emit('status', { state, ...extra });
  }

  open() {
    this.setStatus(this.attempt ? 'reconnecting' : 'connecting', { attempt: this.attempt });
    let sock;
    try {
      sock = this.createSocket(this.url);
    } catch (err) {
      this.scheduleReconnect(1006, String(err?.message ?? err));
      return;
    }
    sock.binaryType = 'arraybuffer';
    this.socket = sock;
    this.welcomed = false;
    sock.onopen = () => {
      this.lastHeard = Date.now();
      sock.send(JSON.stringify(this.helloMessage()));
    };
    sock.onmessage = (ev) => {
      this.lastHeard = Date.now();
      if (typeof ev.data === 'string') this.onControl(ev.data);
      else this.onData(ev.data);
    };
    sock.onclose = (ev) => {
      if (this.socket !== sock) return;
      this.dropSocket();
      this.onClosed(ev.code, ev.reason);
    };
    sock.onerror = () => {}; // a close event follows
  }

  helloMessage() {
    if (this.role === 'agent') {
      return {
        t: 'hello',
        v: PROTOCOL_VERSION,
        role: 'agent',
        token: this.options.token,
        sessions: [...this.sessions.values()].map((st) => ({ session: st.id, epoch: st.epoch, delivered: st.in.delivered })),
      };
    }
    const hello = { t: 'hello', v: PROTOCOL_VERSION, role: 'customer', resume: this.resume };
    if (this.options.summary) hello.summary = this.options.summary;
    if (this.options.retentionMs) hello.retentionMs = this.options.retentionMs;
    if (this.options.privacy) hello.privacy = true;
    if (this.options.left) hello.left = true;
    if (this.sessionId) {
      hello.session = this.sessionId;
      const st = this.sessions.get(this.sessionId);
      if (st) Object.assign(hello, { epoch: st.epoch, delivered: st.in.delivered, ...(st.agent ? { agent: st.agent } : {}) });
    }
    return hello;
  }

  dropSocket() {
    const sock = this.socket;
    this.socket = null;
    this.welcomed = false;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    clearTimeout(this.ackTimer);
    this.ackTimer = null;
    for (const st of this.sessions.values()) {
      clearTimeout(st.out.retryTimer);
      st.out.retryTimer = null;
      st.out.paused = false;
    }
    if (sock) {
      sock.onopen = sock.onmessage = sock.onclose = null;
      sock.onerror = () => {}; // a socket closed while connecting still reports an error
      if (sock.readyState <= OPEN) {
        // A dead peer never answers a closing handshake: ws can cut the socket at once.
        if (typeof sock.terminate === 'function') sock.terminate();
        else sock.close(1000);
      }
    }
  }

  onClosed(code, reason) {
    if (this.closedByUser) return;
    const ended = code === 1000 && /ended/.test(reason ?? '');
    if (!shouldReconnect(code) || ended) {
      const err = ended || code === 4004
        ? error('NOT_FOUND', 'session ended', { closeCode: code })
        : error('RELAY_REFUSED', `relay refused the connection: ${reason || code}`, { closeCode: code });
      this.closedByUser = true;
      if (this.sessionId && (ended || code === 4004)) this.finishSession(this.sessionId, 'ended');
      this.setStatus('closed', { code, reason });
      this.rejectFirst?.(err);
      this.resolveFirst = this.rejectFirst = null;
      if (!ended) this.emit('error', err);
      this.rejectAll(err);
      return;
    }
    this.scheduleReconnect(code, reason);
  }

  scheduleReconnect(code, reason) {
    const base = Math.min(this.backoff.maxMs, this.backoff.initialMs * this.backoff.factor ** this.attempt);
    const delayMs = Math.round(base * (0.5 + Math.random() * 0.5)); // "equal jitter"
    this.attempt++;
    this.counters.reconnects++;
    if (this.urls.length > 1) {
      this.urlIndex = (this.urlIndex + 1) % this.urls.length;
      this.url = this.urls[this.urlIndex];
    }
    this.setStatus('reconnecting', { code, reason, attempt: this.attempt, delayMs });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.closedByUser) this.open();
    }, delayMs);
  }

  /** Stops for good: no reconnect; unacknowledged messages are dropped. */
  close() {
    if (this.closedByUser && !this.socket) return;
    // Acknowledge what was delivered before going, so a later instance is not sent it again.
    if (this.ackTimer) this.sendAcks();
    this.closedByUser = true;
    clearTimeout(this.reconnectTimer);
    const sock = this.socket;
    this.socket = null;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.ackTimer);
    for (const st of this.sessions.values()) clearTimeout(st.out.retryTimer);
    if (sock) {
      sock.onopen = sock.onmessage = sock.onclose = null;
      sock.onerror = () => {};
      try {
        sock.close(1000, 'client closed');
      } catch {
        /* not open yet */
      }
    }
    this.setStatus('closed', { code: 1000 });
    const err = error('RELAY_CLOSED', 'client was closed');
    this.rejectFirst?.(err);
    this.resolveFirst = this.rejectFirst = null;
    this.firstWelcome?.catch(() => {}); // nobody may be waiting any more
    this.rejectAll(err);
  }

  rejectAll(err) {
    for (const { reject } of this.pendingAccepts.values()) reject(err);
    this.pendingAccepts.clear();
    for (const w of this.flushWaiters) w.reject(err);
    this.flushWaiters.clear();
  }

  sendControl(msg) {
    if (this.socket && this.welcomed && this.socket.readyState === OPEN) {
      this.socket.send(JSON.stringify(msg));
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ sending
  /**
   * Queues an opaque payload for the other party of a session.
   * @param {Uint8Array} payload
   * @param {{session?: string}} [opts] agents must name the session
   * @returns {{session: string, epoch: number, counter: number}}
   */
  send(payload, { session } = {}) {
    if (this.closedByUser) throw error('RELAY_CLOSED', 'client was closed');
    const id = this.role === 'customer' ? this.sessionId : session;
    const st = id && this.sessions.get(id);
    if (!st) throw error('NOT_FOUND', this.role === 'customer' ? 'no session yet: await connect()' : 'not joined to that session');
    if (st.state === 'ended') throw error('NOT_FOUND', 'session ended');
    const bytes = payload instanceof Uint8Array ? payload : new Uint8Array(payload);
    const max = this.limits?.maxFrameBytes ?? Infinity;
    if (headerBytes(id) + bytes.byteLength > max) {
      throw error('TOO_LARGE', `payload over the relay's ${max}-byte frame limit`, { max });
    }
    const out = st.out;
    if (out.unacked.size >= this.maxPending) throw error('RELAY_QUEUE_FULL', 'too many messages not yet delivered');
    if (out.next > MAX_COUNTER) throw error('RELAY_QUEUE_FULL', 'stream counter exhausted');
    const counter = out.next++;
    out.unacked.set(counter, encodeData({ session: id, epoch: st.epoch, counter }, bytes));
    this.counters.sent++;
    this.flush(st);
    return { session: id, epoch: st.epoch, counter };
  }

  flush(st) {
    const out = st.out;
    const sock = this.socket;
    if (!sock || !this.welcomed || sock.readyState !== OPEN || out.paused || st.state === 'ended') return;
    while (out.sentUpTo < out.next - 1 && out.sentUpTo - out.ackedUpTo < this.window) {
      const c = out.sentUpTo + 1;
      const frame = out.unacked.get(c);
      if (frame) {
        sock.send(frame);
        if (c <= out.highWater) this.counters.resent++;
      }
      out.sentUpTo = c;
      if (c > out.highWater) out.highWater = c;
    }
  }

  /** Resolves when every message sent so far (in one session, or all) was acknowledged. */
  flushed(session) {
    const pending = () =>
      [...this.sessions.values()].some((st) => (!session || st.id === session) && st.out.unacked.size > 0);
    if (!pending()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = { check: () => !pending() && (this.flushWaiters.delete(w), resolve()), resolve, reject };
      this.flushWaiters.add(w);
    });
  }

  onAcked(st, upTo) {
    const out = st.out;
    if (upTo > out.next - 1) upTo = out.next - 1;
    if (upTo <= out.ackedUpTo) return;
    for (let c = out.ackedUpTo + 1; c <= upTo; c++) out.unacked.delete(c);
    out.ackedUpTo = upTo;
    if (out.sentUpTo < upTo) out.sentUpTo = upTo;
    out.paused = false;
    out.retryMs = 0;
    this.emit('delivered', { session: st.id, epoch: st.epoch, upTo });
    this.flush(st);
    for (const w of [...this.flushWaiters]) w.check();
  }

  onNack(st, msg) {
    const out = st.out;
    if (msg.code !== 'backlog-full' && msg.code !== 'gap') {
      out.paused = true; // not-joined / stale-epoch: a session update follows
      return;
    }
    // Rewind to the refused frame and retry after a growing pause (or at the next ack).
    if (msg.c - 1 < out.sentUpTo) out.sentUpTo = Math.max(out.ackedUpTo, msg.c - 1);
    if (out.paused) return;
    out.paused = true;
    out.retryMs = Math.min(5000, out.retryMs ? out.retryMs * 2 : 200);
    out.retryTimer = setTimeout(() => {
      out.retryTimer = null;
      out.paused = false;
      this.flush(st);
    }, out.retryMs);
  }

  // ------------------------------------------------------------------ receiving
  onData(data) {
    const frame = decodeData(data);
    if (!frame) return;
    const st = this.sessions.get(frame.session);
    if (!st || frame.epoch !== st.epoch) return;
    const inn = st.in;
    if (frame.counter <= inn.delivered || inn.ahead.has(frame.counter)) {
      this.counters.duplicates++;
      inn.ackDue = true; // a resend: the sender missed our ack
      this.scheduleAck(true); // a resend: the sender missed our ack
    } else if (frame.counter === inn.delivered + 1) {
      this.deliver(st, frame.counter, frame.payload);
      while (inn.ahead.has(inn.delivered + 1)) {
        const c = inn.delivered + 1;
        const payload = inn.ahead.get(c);
        inn.ahead.delete(c);
        this.deliver(st, c, payload);
      }
    } else if (inn.ahead.size < this.window * 2) {
      inn.ahead.set(frame.counter, frame.payload);
    }
    this.scheduleAck(inn.delivered - inn.ackSent >= this.window / 2);
  }

  deliver(st, counter, payload) {
    st.in.delivered = counter;
    this.counters.delivered++;
    this.emit('message', { session: st.id, epoch: st.epoch, counter, payload });
  }

  scheduleAck(now) {
    if (now) {
      clearTimeout(this.ackTimer);
      this.ackTimer = null;
      this.sendAcks();
    } else {
      this.ackTimer ??= setTimeout(() => {
        this.ackTimer = null;
        this.sendAcks();
      }, this.ackDelayMs);
    }
  }

  sendAcks() {
    for (const st of this.sessions.values()) {
      const inn = st.in;
      if (inn.delivered === 0 || (inn.delivered === inn.ackSent && !inn.ackDue)) continue;
      if (this.sendControl({ t: 'ack', s: st.id, e: st.epoch, c: inn.delivered })) {
        inn.ackSent = inn.delivered;
        inn.ackDue = false;
      }
    }
  }

  // ------------------------------------------------------------------ control
  onControl(text) {
    const msg = parseControl(text);
    if (!msg) return;
    const st = typeof msg.s === 'string' ? this.sessions.get(msg.s) : undefined;
    switch (msg.t) {
      case 'welcome':
        return this.onWelcome(msg);
      case 'ack':
        if (st && msg.e === st.epoch) this.onAcked(st, msg.c);
        return;
      case 'stored':
        if (st && msg.e === st.epoch) this.emit('stored', { session: st.id, epoch: msg.e, counter: msg.c });
        return;
      case 'nack':
        if (st && msg.e === st.epoch) this.onNack(st, msg);
        return;
      case 'expired':
        if (st && msg.e === st.epoch) this.onExpired(st, msg);
        return;
      case 'session':
        return this.onSessionUpdate(msg);
      case 'queue':
        return this.emit('queue', { sessions: msg.sessions });
      case 'refused': {
        const p = this.pendingAccepts.get(msg.s);
        if (p) {
          this.pendingAccepts.delete(msg.s);
          p.reject(error('NOT_FOUND', `relay refused: ${msg.code}`, { code: msg.code }));
        }
        return this.emit('refused', { session: msg.s, code: msg.code });
      }
      default:
        return; // pong, and anything newer than this client
    }
  }

  onWelcome(msg) {
    this.limits = msg.limits ?? this.limits;
    this.attempt = 0;
    if (this.role === 'customer') {
      if (this.sessionId !== msg.session) this.sessions.delete(this.sessionId);
      this.sessionId = msg.session;
      const st = this.ensureSession(msg.session, msg.epoch);
      Object.assign(st, { state: msg.state, agent: msg.agent ?? null, peer: !!msg.peer, privacy: msg.privacy === true || !!st.privacy });
      this.welcomed = true;
      this.applyAckWatermark(st, msg.acked, msg.sent);
      this.applyRecvFrom(st, msg.recvFrom);
      this.emit('session', this.sessionView(st));
    } else {
      this.welcomed = true;
      const listed = new Set();
      for (const info of msg.sessions ?? []) {
        listed.add(info.session);
        if (info.state === 'ended' || info.state === 'transferred') {
          this.finishSession(info.session, info.state);
          continue;
        }
        const st = this.ensureSession(info.session, info.epoch);
        Object.assign(st, { state: info.state, agent: msg.agent, peer: !!info.peer, summary: info.summary ?? st.summary });
        this.applyAckWatermark(st, info.acked, info.sent);
        this.applyRecvFrom(st, info.recvFrom);
        this.emit('session', this.sessionView(st));
      }
      for (const id of [...this.sessions.keys()]) if (!listed.has(id)) this.finishSession(id, 'transferred');
    }
    this.startHeartbeat();
    this.setStatus('open');
    this.emit('open', { role: this.role, session: this.sessionId });
    for (const st of this.sessions.values()) this.flush(st);
    this.sendAcks();
    const resolve = this.resolveFirst;
    this.resolveFirst = this.rejectFirst = null;
    resolve?.(msg);
  }

  applyAckWatermark(st, acked, sent) {
    const out = st.out;
    // A fresh client (page reload) holds nothing: its counters continue after what the relay
    // already has from an earlier instance, or the relay would take them for duplicates.
    if (out.unacked.size === 0 && Number.isInteger(sent) && sent >= out.next) {
      out.next = sent + 1;
      out.ackedUpTo = out.highWater = sent;
    }
    // Everything we sent is resent from the first unacknowledged frame on this connection.
    out.sentUpTo = out.ackedUpTo;
    out.paused = false;
    if (Number.isInteger(acked) && acked > st.out.ackedUpTo) this.onAcked(st, acked);
  }

  // The relay's settled watermark for frames towards us (raised only by our own acks or by
  // retention expiry): never wait for a frame at or below it.
  applyRecvFrom(st, recvFrom) {
    if (!Number.isInteger(recvFrom) || recvFrom <= st.in.delivered) return;
    st.in.delivered = recvFrom;
    for (const c of [...st.in.ahead.keys()]) if (c <= recvFrom) st.in.ahead.delete(c);
  }

  ensureSession(id, epoch) {
    let st = this.sessions.get(id);
    if (st && st.epoch !== epoch) {
      this.dropUnacked(st, 'transferred');
      Object.assign(st, newStreams(), { epoch });
    }
    if (!st) {
      st = { id, epoch, state: 'waiting', agent: null, peer: false, summary: null, ...newStreams() };
      this.sessions.set(id, st);
    }
    return st;
  }

  dropUnacked(st, reason) {
    clearTimeout(st.out.retryTimer);
    const counters = [...st.out.unacked.keys()];
    st.out.unacked.clear();
    if (counters.length) this.emit('undelivered', { session: st.id, epoch: st.epoch, counters, reason });
    for (const w of [...this.flushWaiters]) w.check();
  }

  finishSession(id, state) {
    const st = this.sessions.get(id);
    if (!st) return;
    st.state = state;
    this.dropUnacked(st, state);
    this.sessions.delete(id);
    this.emit('session', { session: id, epoch: st.epoch, state, agent: st.agent, peer: false });
  }

  onExpired(st, msg) {
    if (msg.to === this.role) {
      // Frames towards us outlived their retention at the relay: skip past them.
      const inn = st.in;
      if (msg.c > inn.delivered) inn.delivered = msg.c;
      for (const c of [...inn.ahead.keys()]) if (c <= inn.delivered) inn.ahead.delete(c);
    } else {
      const counters = [];
      for (let c = st.out.ackedUpTo + 1; c <= msg.c; c++) if (st.out.unacked.delete(c)) counters.push(c);
      if (msg.c > st.out.ackedUpTo) st.out.ackedUpTo = msg.c;
      if (st.out.sentUpTo < msg.c) st.out.sentUpTo = msg.c;
      if (counters.length) this.emit('undelivered', { session: st.id, epoch: st.epoch, counters, reason: 'expired' });
    }
  }

  onSessionUpdate(msg) {
    if (msg.state === 'ended' || msg.state === 'transferred') return this.finishSession(msg.s, msg.state);
    const st = this.ensureSession(msg.s, msg.e);
    Object.assign(st, { state: msg.state, agent: msg.agent ?? null, peer: !!msg.peer, privacy: msg.privacy === true || !!st.privacy });
    if (msg.summary !== undefined) st.summary = msg.summary;
    if (Number.isInteger(msg.acked)) this.applyAckWatermark(st, msg.acked, msg.sent);
    this.applyRecvFrom(st, msg.recvFrom);
    this.emit('session', this.sessionView(st));
    const p = this.pendingAccepts.get(msg.s);
    if (p && msg.state === 'active') {
      this.pendingAccepts.delete(msg.s);
      p.resolve(this.sessionView(st));
    }
    this.flush(st);
  }

  sessionView(st) {
    return { session: st.id, epoch: st.epoch, state: st.state, agent: st.agent, peer: st.peer, summary: st.summary ?? undefined, privacy: !!st.privacy };
  }

  // ------------------------------------------------------------------ session commands
  /** Agent: take a waiting session from the queue. Resolves when it is ours. */
  accept(session) {
    if (this.role !== 'agent') throw error('INVALID_ARGUMENT', 'agents only');
    return new Promise((resolve, reject) => {
      this.pendingAccepts.set(session, { resolve, reject });
      if (!this.sendControl({ t: 'accept', s: session })) {
        this.pendingAccepts.delete(session);
        reject(error('RELAY_CLOSED', 'not connected'));
      }
    });
  }

  /** Agent: hand a session to another agent (`to`) or back to the queue. */
  transfer(session, to) {
    if (this.role !== 'agent') throw error('INVALID_ARGUMENT', 'agents only');
    return this.sendControl(to ? { t: 'transfer', s: session, to } : { t: 'transfer', s: session });
  }

  /**
   * Customer: privacy mode for this session (the relay deletes its record and frames when the
   * session ends). One way; a hello after a reconnect says it again.
   */
  setPrivacyMode() {
    if (this.role !== 'customer') throw error('INVALID_ARGUMENT', 'customers only');
    this.options.privacy = true;
    return this.sendControl({ t: 'privacy' });
  }

  /**
   * Customer: the frame just sent is a message left for support (no agent accepted yet): the
   * relay keeps the session for whoever accepts it within its retention, even once this page is
   * gone. A hello after a reconnect says it again.
   */
  markLeft() {
    if (this.role !== 'customer') throw error('INVALID_ARGUMENT', 'customers only');
    this.options.left = true;
    return this.sendControl({ t: 'left' });
  }

  /** Either party: end the session for both. */
  end(session) {
    const s = this.role === 'customer' ? this.sessionId : session;
    return this.sendControl({ t: 'end', s });
  }

  // ------------------------------------------------------------------ heartbeat
  startHeartbeat() {
    clearInterval(this.heartbeatTimer);
    const every = this.options.heartbeatMs ?? this.limits?.heartbeatMs ?? 15_000;
    let n = 0;
    this.heartbeatTimer = setInterval(() => {
      if (Date.now() - this.lastHeard > every * 2.5) {
        // Nothing from the relay for too long (it died without closing): start over.
        this.dropSocket();
        this.onClosed(1006, 'heartbeat timeout');
        return;
      }
      this.sendControl({ t: 'ping', n: ++n });
    }, every);
    this.heartbeatTimer.unref?.();
  }
}
