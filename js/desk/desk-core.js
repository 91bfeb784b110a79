// DeskCore: one party of SealDesk (a customer's widget or an agent desk) with everything that
// holds secrets: the consent engine, the PII masker, the end-to-end session keys and the relay
// socket. The widget runs it inside a dedicated Worker (js/desk/desk-worker.js), so keys and
// plaintext never sit in the host page's main thread; Node tests run it directly.
//
// What it enforces (the core decides, this file wires):
//   - no socket before the customer granted chat (the first consent decision comes first);
//   - chat.send asks the consent engine, masks with the core's masker, then seals with the
//     session's chat chain: the relay only ever sees sealed records (sdk/desk/payload.h);
//   - every customer record carries its consent sequence (sdk/desk/record_body.h): the agent
//     refuses records that name a consent update it never received (a dropped revoke);
//   - a revoke wipes that purpose's keys at once (Session.wipePurpose) and drops what was queued;
//     a later grant runs a new handshake, so the purpose gets fresh keys;
//   - an agent transfer (new relay epoch) runs a new handshake: the new agent gets new keys and
//     the old one holds none of them.
import { Emitter } from '../events.js';
import { SealDeskError } from '../errors.js';
import { RelayClient } from '../transport/relay-client.js';
import { CLOSE } from '../transport/envelope.js';

const SESSION_PURPOSES = ['routing', 'chat', 'voice', 'video', 'screen_share', 'attachments', 'pii_reveal'];
const TYPING_MIN_INTERVAL_MS = 2000;
const CALL_PURPOSE = { voice: 'voice', video: 'camera' }; // consent purpose -> js/media/call.js purpose
const KEYS_TIMEOUT_MS = 15_000;
const EXPIRY_CHECK_MS = 1000; // how often the consent engine is asked for decisions that expired
const AWAY_AFTER_MS = 120_000; // how long the queue may wait before the widget offers to leave a message
export const VOICE_NOTE_MAX_MS = 120_000;
// Live audio over the relay is sealed on track 1 of the voice purpose: track 0's keys are
// exported to the WebRTC transform worker, which counts its own nonces; two sealers must never
// share a key.
const LIVE_TRACK = 1;
const LIVE_FRAME = 960; // 20 ms at 48 kHz
const OPAQUE = 0; // FrameCodec.opaque: the whole plaintext (sequence number and packet) is sealed

const randomId = (bytes = 12) => {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const fromBase64url = (text, what, length) => {
  let bytes;
  try {
    const b64 = String(text).replace(/-/g, '+').replace(/_/g, '/');
    bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  } catch {
    bytes = null;
  }
  if (!bytes || bytes.byteLength !== length) {
    throw new SealDeskError('INVALID_ARGUMENT', `${what} must be ${length} bytes, base64url`);
  }
  return bytes;
};

const toBase64url = (bytes) => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

// A relay's refusal for good, as a problem code: its close code 4403 is the origin.
const refusalCode = (e) => (e?.code !== 'RELAY_REFUSED' ? null : e.details?.closeCode === CLOSE.ORIGIN_REFUSED.code ? 'ORIGIN_REFUSED' : 'RELAY_REFUSED');

const toError = (e) => (e instanceof SealDeskError ? e : new SealDeskError('INTERNAL', String(e?.message ?? e)));

class Party extends Emitter {
  constructor({ core, relayUrl, createSocket }) {
    super();
    this.core = core;
    this.relayUrl = relayUrl;
    this.createSocket = createSocket;
    this.relay = null;
    this.messages = new Map(); // `${session}:${epoch}:${counter}` -> message id (delivery state)
    this.destroyed = false;
  }

  /** RELAY_UNREACHABLE (with the next try's time) while the relay client retries, cleared once it is open; a stop stays. */
  noteRelayStatus(status) {
    if (status.state === 'reconnecting' && status.delayMs !== undefined) {
      if (!this.problem?.stopped) this.problem = { code: 'RELAY_UNREACHABLE', retryAt: Date.now() + status.delayMs };
    } else if (status.state === 'open' && this.problem?.code === 'RELAY_UNREACHABLE') {
      this.problem = null;
    }
  }

  trackDelivery(sent, id) {
    this.messages.set(`${sent.session}:${sent.epoch}:${sent.counter}`, id);
  }

  wireRelay(relay) {
    relay.on('stored', ({ session, epoch, counter }) => {
      const id = this.messages.get(`${session}:${epoch}:${counter}`);
      if (id) this.emit('delivery', { id, session, state: 'sent' });
    });
    relay.on('delivered', ({ session, epoch, upTo }) => {
      for (const [key, id] of this.messages) {
        const [s, e, c] = key.split(':');
        if (s === session && Number(e) === epoch && Number(c) <= upTo) {
          this.messages.delete(key);
          this.emit('delivery', { id, session, state: 'delivered' });
        }
      }
    });
    relay.on('undelivered', ({ session, epoch, counters, reason }) => {
      for (const counter of counters) {
        const key = `${session}:${epoch}:${counter}`;
        const id = this.messages.get(key);
        this.messages.delete(key);
        if (id) this.emit('delivery', { id, session, state: 'undelivered', reason });
      }
    });
    relay.on('error', (e) => this.emit('error', e));
  }

  /**
   * The frame keys of one call for the transform worker: per call purpose ('voice', and 'camera'
   * for the consent purpose 'video'), this side's sender key and the peer's, track 0, derived in
   * the core for this call id only (a second call never meets the first one's keys).
   */
  frameKeyRecords(session, purposes, callId) {
    const records = [];
    for (const purpose of purposes) {
      if (!session?.hasKeys(purpose)) continue;
      const { send, receive } = session.exportCallFrameKeys(purpose, 0, callId);
      const callPurpose = CALL_PURPOSE[purpose];
      records.push({ purpose: callPurpose, direction: 'send', ...send }, { purpose: callPurpose, direction: 'receive', ...receive });
    }
    return records;
  }

  /** kind | bytes to the relay (for the agent: in relaySession). @returns the relay's send receipt */
  sendPayload(kind, bytes, relaySession) {
    return this.relay.send(this.core.desk.encodePayload(kind, bytes), relaySession ? { session: relaySession } : {});
  }

  /** Seals a record body under purpose (checked in the core, with this side's consent sequence) and sends it. */
  sendRecord(session, purpose, body, relaySession) {
    const plaintext = this.core.desk.encodeBody(body, this.consentSeq ?? 0);
    try {
      return this.sendPayload('record', session.sealMessage(purpose, plaintext), relaySession);
    } finally {
      plaintext.fill(0);
    }
  }

  /** Call signaling (SDP, host candidates, hangup) goes sealed under routing: no content, but no one else's business. */
  sealSignal(session, relaySession, message) {
    this.sealSignalBody(session, relaySession, { t: 'signal', m: message });
  }

  sealSignalBody(session, relaySession, body) {
    if (!session?.established || !session.hasKeys('routing')) throw new SealDeskError('SESSION_NOT_READY', 'no session keys for signaling');
    this.sendRecord(session, 'routing', body, relaySession);
  }

  /** Seals an attachment under purpose and sends it in parts; the last part's delivery is the message's. */
  sendAttachment(session, relaySession, purpose, meta, file) {
    const plaintext = this.core.desk.encodeAttachment(meta, file);
    let sealed;
    try {
      sealed = session.sealAttachment(purpose, plaintext, (done, total) => this.emit('progress', { id: meta.id, session: relaySession, done, total }));
    } finally {
      plaintext.fill(0);
    }
    let last;
    for (const part of this.core.desk.cutParts(sealed)) last = this.relay.send(part, relaySession ? { session: relaySession } : {});
    this.trackDelivery(last, meta.id);
  }

  /** A part arrived (bounded buffering in the core); a complete attachment is opened and emitted. */
  openAttachment(session, assembler, payload, relaySession, from, { downloadable = true } = {}) {
    let sealed;
    try {
      sealed = assembler.add(payload, Date.now());
    } catch (e) {
      return this.emit('error', new SealDeskError(toError(e).code, 'an attachment from the relay was dropped: its parts did not assemble', { session: relaySession }));
    }
    if (!sealed) return;
    try {
      const record = session.openAttachment(sealed);
      const { meta, file } = this.core.desk.decodeAttachment(record.bytes);
      record.bytes.fill(0);
      this.emit('message', { id: meta.id, session: relaySession, from, text: '', findings: [], at: meta.at, kind: meta.kind, purpose: record.purpose, attachment: { mime: meta.mime, durationMs: meta.durationMs, bytes: file, downloadable } });
    } catch (e) {
      this.emit('error', new SealDeskError(toError(e).code, 'an attachment from the relay was dropped: it did not open', { session: relaySession }));
    }
  }

  // --- live audio over the relay (the call's fallback when WebRTC cannot connect) ---

  /** Starts sending and receiving live audio for a session (the voice purpose's keys). */
  startLive(relaySession) {
    const session = this.sessionFor(relaySession);
    if (!session?.hasKeys('voice')) throw new SealDeskError('CONSENT_REQUIRED', 'live audio needs the voice purpose', { purpose: 'voice' });
    this.stopLive(relaySession);
    const live = {
      relaySession,
      encoder: new this.core.OpusEncoder({ application: 'voip', bitrate: 24000, inbandFec: true, expectedLossPercent: 10 }),
      receiver: new this.core.LiveAudioReceiver({ targetDepth: 3 }),
      seq: 0,
      started: Date.now(),
      ticks: 0,
      stats: { sent: 0, received: 0, dropped: 0, played: 0, recovered: 0, concealed: 0 },
    };
    // Playout clock: one 20 ms frame per tick, catching up when the worker's timer was late.
    live.timer = setInterval(() => {
      const due = Math.floor((Date.now() - live.started) / 20);
      for (; live.ticks < due; live.ticks++) this.playLive(live);
    }, 10);
    (this.lives ??= new Map()).set(relaySession ?? '', live);
    return { track: LIVE_TRACK };
  }

  liveFor(relaySession) {
    return this.lives?.get(relaySession ?? '') ?? null;
  }

  /** One 20 ms frame of 48 kHz mono from the microphone: encode, seal, send. */
  pushLive(samples, relaySession) {
    const live = this.liveFor(relaySession);
    if (!live) throw new SealDeskError('NOT_FOUND', 'no live audio is running');
    const session = this.sessionFor(relaySession);
    if (!session?.hasKeys('voice')) {
      this.stopLive(relaySession);
      throw new SealDeskError('CONSENT_REQUIRED', 'live audio needs the voice purpose', { purpose: 'voice' });
    }
    const pcm = new Int16Array(LIVE_FRAME);
    for (let i = 0; i < LIVE_FRAME && i < samples.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767)));
    samples.fill(0);
    const packet = live.encoder.encode(pcm);
    pcm.fill(0);
    const plain = new Uint8Array(4 + packet.byteLength);
    new DataView(plain.buffer).setUint32(0, live.seq++);
    plain.set(packet, 4);
    const sealed = session.sealFrame(session.purposeIndex('voice'), LIVE_TRACK, OPAQUE, plain);
    plain.fill(0);
    this.sendPayload('liveAudio', sealed, relaySession);
    live.stats.sent++;
  }

  onLive(relaySession, session, bytes) {
    const live = this.liveFor(this.role === 'customer' ? null : relaySession);
    if (!live || !session?.established) return;
    try {
      const plain = session.openFrame(OPAQUE, bytes);
      const seq = new DataView(plain.buffer, plain.byteOffset).getUint32(0);
      if (live.receiver.receive(seq, plain.subarray(4))) live.stats.received++;
      else live.stats.dropped++;
    } catch {
      live.stats.dropped++; // wiped keys, a replay, tampering: never played
    }
  }

  playLive(live) {
    const { action, pcm } = live.receiver.play();
    if (action === 'wait') return;
    live.stats[action === 'play' ? 'played' : action === 'recover' ? 'recovered' : 'concealed']++;
    const out = new Float32Array(LIVE_FRAME);
    for (let i = 0; i < LIVE_FRAME; i++) out[i] = pcm[i] / 32768;
    pcm.fill(0);
    this.emit('live-audio', { session: live.relaySession, pcm: out });
  }

  /** Ends every live-audio stream (its playout timer would keep a worker or a process alive). */
  stopAllLive() {
    for (const key of [...(this.lives?.keys() ?? [])]) this.stopLive(key || null);
  }

  liveStats(relaySession) {
    return this.liveFor(relaySession)?.stats ?? null;
  }

  stopLive(relaySession) {
    const live = this.liveFor(relaySession);
    if (!live) return;
    clearInterval(live.timer);
    live.encoder.delete();
    live.receiver.delete();
    this.lives.delete(relaySession ?? '');
  }

  /** Decodes a received voice note (Ogg Opus) in the core for playback. */
  decodeVoiceNote(file) {
    return this.core.decodeVoiceNote(file);
  }

  /** A record the core refused (did not open, wrong purpose, lost consent update): reported, nothing shown. */
  dropped(e, sessionId) {
    const error = toError(e);
    this.emit('error', new SealDeskError(error.code, `a message from the relay was dropped: ${error.message}`, { session: sessionId }));
  }
}

/** The customer's side: consent first, then one support session. */
export class CustomerDesk extends Party {
  /**
   * @param {object} o
   * @param {object} o.core loadCore() result
   * @param {string} o.relayUrl
   * @param {string} o.agentKey the agent desk's Ed25519 public key, base64url (pinned)
   * @param {object} o.engine a ConsentEngine (restored by the caller from its store)
   * @param {object} o.policy the policy object the engine runs
   * @param {{ saveStore(text): Promise<void>, clear(): Promise<void> }} [o.store] consent persistence
   * @param {string} [o.locale] shared with the agent in the queue summary
   */
  /** @param {() => Promise<object>} [o.resetEngine] makes a fresh engine after "delete my local data" */
  /** @param {number} [o.awayAfterMs] no agent accepted this long: info().away, and a message may be left */
  constructor({ core, relayUrl, agentKey, engine, policy, store = null, transcript = null, locale = 'en', createSocket, resetEngine = null, awayAfterMs = AWAY_AFTER_MS }) {
    super({ core, relayUrl, createSocket });
    this.role = 'customer';
    this.agentKey = fromBase64url(agentKey, 'agentKey', 32);
    this.engine = engine;
    this.policy = policy;
    this.store = store;
    this.transcript = transcript; // the local, sealed transcript (js/desk/transcript.js), if kept
    this.resetEngine = resetEngine;
    this.locale = locale;
    this.masker = new core.PiiMasker(policy.pii_masking ?? {});
    this.identity = core.IdentityKey.generate(); // pseudonymous, per session
    this.session = null;
    this.handshaking = false;
    this.queued = []; // { id, text, findings, at } waiting for keys
    this.used = new Set(); // purposes used in this session (for the dashboard)
    this.lastTyping = 0;
    this.state = 'idle';
    this.problem = null; // see relayStatus()
    this.privacy = false; // privacy mode: see enablePrivacyMode()
    this.kept = new Set(); // ids of this conversation's messages kept in the transcript
    this.awayAfterMs = awayAfterMs;
    this.away = false; // nobody accepted within awayAfterMs
    this.awayTimer = null;
    this.leftMessage = false; // a message was left for support in this conversation
  }

  // --- consent ---

  consentState() {
    return this.engine.state();
  }

  /**
   * Grants purposes with what they need: each purpose's plan lists the steps (its unset
   * dependencies, and sensitive purposes alone), and every step is one grant: a receipt each.
   */
  async grant(purposes, context = {}) {
    const ctx = this.consentContext(context);
    const changes = [];
    for (const purpose of this.validPurposes(purposes)) {
      const plan = this.engine.plan(purpose);
      const steps = plan.steps ?? [];
      // Nothing to grant and not allowed (GPC, a minor without a guardian, ...): the core's grant says why.
      if (!steps.length && !plan.allowed) steps.push({ purposes: [purpose] });
      for (const step of steps) changes.push(...this.engine.grant(step.purposes, Date.now(), ctx));
    }
    return this.applied(changes);
  }

  async deny(purposes, context = {}) {
    return this.applied(this.engine.deny(this.validPurposes(purposes), Date.now(), this.consentContext(context)));
  }

  /** How the decision was collected, for its receipt: { collectionMethod, guardianConfirmed, locale }. */
  consentContext(context) {
    const ctx = { locale: this.locale };
    if (typeof context?.collectionMethod === 'string') ctx.collectionMethod = context.collectionMethod.slice(0, 64);
    if (context?.guardianConfirmed === true) ctx.guardianConfirmed = true;
    return ctx;
  }

  async declareAge(years, { guardian = false } = {}) {
    return this.applied(this.engine.declareAge(years, Date.now(), this.consentContext({ guardianConfirmed: guardian })));
  }

  validPurposes(purposes) {
    if (!Array.isArray(purposes) || purposes.some((p) => typeof p !== 'string')) {
      throw new SealDeskError('INVALID_ARGUMENT', 'purposes must be an array of purpose ids');
    }
    return purposes;
  }

  /** After any consent change: persist, stop and wipe what was revoked, then tell the page. */
  async applied(changes) {
    for (const change of changes) {
      if (change.revokes || change.to !== 'granted') this.stopPurpose(change.purpose);
    }
    if (this.store) await this.store.saveStore(this.engine.exportStore());
    const state = this.engine.state();
    this.emit('consent', { state, changes });
    if (changes.length) await this.afterConsentChange(changes);
    return state;
  }

  /** Every message shown is also kept in the local transcript (sealed), under its purpose; none in privacy mode. */
  emit(event, value) {
    super.emit(event, value);
    if (event === 'message' && this.transcript && !value.restored && !this.privacy) {
      const purpose = value.purpose ?? 'chat';
      this.kept.add(value.id);
      this.transcript.keep(purpose, value).catch((e) => super.emit('error', toError(e)));
    }
  }

  // --- privacy mode (隐私模式) ---
  // For a health or money question: from the switch on, nothing of this conversation is kept on
  // this device, and what was kept of it before goes at once; the relay deletes the session's
  // record and frames when it ends; the agent is told in the sealed consent update (which it
  // cannot answer with "off", sdk/desk/inbox.h) and forgets the conversation at its end. The
  // switch is signed into the consent ledger. One way: it holds until the conversation ends.

  /** @returns the session info (privacy: true) */
  async enablePrivacyMode(context = {}) {
    if (this.privacy) return this.info();
    if (this.problem?.stopped || this.state === 'ended') {
      throw new SealDeskError('SESSION_ENDED', 'the conversation has ended: privacy mode applies to a running or a new one');
    }
    this.engine.recordPrivacyMode(Date.now(), this.consentContext({ collectionMethod: 'privacy-mode', ...context }));
    this.privacy = true;
    if (this.store) await this.store.saveStore(this.engine.exportStore());
    if (this.transcript) await this.transcript.forgetMessages({ ids: this.kept, session: this.relay?.sessionId ?? null });
    this.kept.clear();
    this.relay?.setPrivacyMode(); // otherwise the first hello carries it (summary() below as well)
    this.sendControl({ t: 'consent', summary: this.summary() });
    this.emitSession();
    return this.info();
  }

  stopPurpose(purpose) {
    if (this.transcript && ['chat', 'voice', 'routing'].includes(purpose)) {
      void this.transcript.forget(purpose === 'routing' ? ['chat', 'voice'] : [purpose]).catch((e) => super.emit('error', toError(e)));
    }
    if (this.session && SESSION_PURPOSES.includes(purpose)) this.session.wipePurpose(purpose);
    if (purpose === 'voice' || purpose === 'routing') {
      this.cancelVoiceNote(); // nothing recorded is kept
      this.stopLive(null);
    }
    if (purpose === 'pii_reveal' || purpose === 'chat' || purpose === 'routing') {
      this.revealKey = null; // a later grant waits for the agent's fresh key
    }
    if (purpose === 'chat' || purpose === 'routing') {
      for (const m of this.queued.splice(0)) this.emit('delivery', { id: m.id, session: this.relay?.sessionId ?? null, state: 'undelivered', reason: 'revoked' });
    }
    this.emit('purpose-stopped', { session: this.relay?.sessionId ?? null, purpose });
  }

  // --- calls ---

  /**
   * Starts a call: asks the consent engine, makes sure this epoch holds keys for the call's
   * purposes (a purpose granted after the handshake needs a new one), and rings the agent.
   * @returns the frame key records for the transform worker
   */
  async prepareCall({ video = true } = {}) {
    const capability = video ? 'call.video' : 'call.voice';
    this.engine.assertCapability(capability);
    const purposes = video ? ['voice', 'video'] : ['voice'];
    await this.ensureKeys(purposes);
    // A fresh call id per call: the ring carries it to the agent, whose keys follow from it.
    this.callId = crypto.getRandomValues(new Uint8Array(16));
    return this.frameKeyRecords(this.session, purposes, this.callId);
  }

  /** Connects if needed and makes sure this epoch holds keys for purposes (a purpose granted after the handshake needs a new one). */
  async ensureKeys(purposes) {
    if (!this.relay) this.connectInBackground();
    if (!purposes.every((p) => this.session?.hasKeys(p))) {
      if (this.session?.established) this.startHandshake();
      await this.until(() => this.session?.established && purposes.every((p) => this.session.hasKeys(p)), `keys for ${purposes.join(', ')}`);
    }
    for (const p of purposes) this.used.add(p);
  }

  // --- voice notes ---

  /** Starts a voice note: the voice purpose is asked first; the recorder lives in the core. */
  beginVoiceNote(inputSampleRate, { maxDurationMs = VOICE_NOTE_MAX_MS } = {}) {
    this.engine.assertPurpose('voice');
    this.voiceRecorder?.delete();
    this.voiceRecorder = new this.core.VoiceNoteRecorder({ inputSampleRate, maxDurationMs });
  }

  pushVoice(samples) {
    if (!this.voiceRecorder) throw new SealDeskError('CONSENT_REQUIRED', 'no voice note is being recorded', { purpose: 'voice' });
    const more = this.voiceRecorder.push(samples);
    samples.fill(0);
    return { more, level: this.voiceRecorder.level() };
  }

  voiceDurationMs() {
    return this.voiceRecorder?.durationMs() ?? 0;
  }

  /** Ends the recording, seals the Ogg Opus file under voice and sends it. @returns the message */
  async finishVoiceNote() {
    const recorder = this.voiceRecorder;
    if (!recorder) throw new SealDeskError('CONSENT_REQUIRED', 'no voice note is being recorded', { purpose: 'voice' });
    this.voiceRecorder = null;
    let file;
    let durationMs;
    try {
      this.engine.assertPurpose('voice');
      durationMs = recorder.durationMs();
      file = recorder.finish();
    } finally {
      recorder.delete();
    }
    try {
      await this.ensureKeys(['voice']);
      this.engine.assertPurpose('voice'); // still granted after the wait
      const meta = { id: randomId(), kind: 'voice-note', mime: 'audio/ogg; codecs=opus', durationMs, at: Date.now() };
      this.sendAttachment(this.session, null, 'voice', meta, file);
      const message = { id: meta.id, session: this.relay.sessionId, from: 'customer', text: '', findings: [], at: meta.at, kind: meta.kind, purpose: 'voice', attachment: { mime: meta.mime, durationMs, bytes: file } };
      this.emit('message', message);
      return message;
    } catch (e) {
      file.fill(0);
      throw e;
    }
  }

  cancelVoiceNote() {
    this.voiceRecorder?.delete();
    this.voiceRecorder = null;
  }

  sessionFor() {
    return this.session;
  }

  ring({ video = true } = {}) {
    if (!this.callId) throw new SealDeskError('SESSION_NOT_READY', 'ring follows prepareCall: the call has no keys yet');
    this.sealSignal(this.session, null, { type: 'ring', video, call: toBase64url(this.callId) });
    this.callId = null;
  }

  signal(message) {
    this.sealSignal(this.session, null, message);
  }

  until(check, what) {
    return new Promise((resolve, reject) => {
      if (check()) return resolve();
      const started = Date.now();
      const off = this.on('session', () => {
        if (check()) {
          off();
          resolve();
        } else if (Date.now() - started > KEYS_TIMEOUT_MS) {
          off();
          reject(new SealDeskError('SESSION_NOT_READY', `timed out waiting for ${what}`));
        }
      });
      setTimeout(() => {
        off();
        if (check()) resolve();
        else reject(new SealDeskError('SESSION_NOT_READY', `timed out waiting for ${what}`));
      }, KEYS_TIMEOUT_MS);
    });
  }

  async afterConsentChange(changes) {
    const regranted = changes.some((c) => c.to === 'granted' && SESSION_PURPOSES.includes(c.purpose));
    if (!this.relay) {
      // Connecting never holds up the consent call: messages queue until the keys exist.
      if (this.engine.allows('chat')) this.connectInBackground();
      return;
    }
    if (regranted && this.session?.established) {
      this.startHandshake(); // new purposes or re-granted ones: fresh keys for them
    } else {
      this.sendControl({ t: 'consent', summary: this.summary() });
    }
  }

  summary() {
    const state = this.engine.state();
    return { purposes: state.purposes, policyVersion: state.policyVersion, locale: this.locale, ...(this.privacy ? { privacy: true } : {}) };
  }

  retentionMs() {
    // The relay may keep undelivered chat for as long as the chat purpose's retention.
    const now = Date.now();
    return this.engine.retentionDeadline('chat', now) - now;
  }

  // --- session ---

  /** Connects once; a second call waits for the same welcome. */
  connect() {
    if (this.destroyed) return Promise.resolve();
    this.connecting ??= this.openRelay().catch((e) => {
      this.connecting = null;
      throw e;
    });
    return this.connecting;
  }

  async openRelay() {
    if (this.relay) return;
    this.engine.assertCapability('session.connect');
    this.state = 'connecting';
    this.used.add('routing');
    const relay = new RelayClient({
      url: this.relayUrl,
      role: 'customer',
      summary: this.summary(),
      retentionMs: this.retentionMs() || undefined,
      privacy: this.privacy,
      ...(this.createSocket ? { createSocket: this.createSocket } : {}),
    });
    this.relay = relay;
    this.wireRelay(relay);
    relay.on('status', (status) => this.relayStatus(status));
    relay.on('error', (e) => this.relayRefused(e));
    relay.on('session', (view) => {
      // Resumed after a reload: the relay remembers privacy mode (it can only turn it on).
      if (view.privacy && !this.privacy) {
        this.privacy = true;
        void this.transcript?.forgetMessages({ ids: this.kept, session: view.session }).catch((e) => super.emit('error', toError(e)));
      }
      const epochChanged = this.session && view.epoch !== this.relayEpoch;
      this.relayEpoch = view.epoch;
      this.state = view.state;
      if (view.state === 'ended') this.endSession();
      else if (epochChanged) this.startHandshake(); // transferred: new agent, new keys
      this.watchAway();
      this.emitSession();
    });
    relay.on('message', ({ payload }) => this.onPayload(payload));
    // Consent that expires while the conversation runs ends its purpose like a revoke: tracks
    // stop, keys are wiped, the agent is told.
    clearInterval(this.expiryTimer);
    this.expiryTimer = setInterval(() => this.refreshConsent(), EXPIRY_CHECK_MS);
    this.expiryTimer.unref?.();
    this.emitSession();
    const welcome = await relay.connect();
    this.relayEpoch = welcome?.epoch ?? relay.sessions.get(relay.sessionId)?.epoch ?? 0;
    if (!this.session) this.startHandshake();
    this.watchAway();
  }

  // --- away: no agent accepted within awayAfterMs ---

  /** Starts the away clock while the conversation waits in the queue; an agent's accept stops it. */
  watchAway() {
    if (this.state !== 'waiting' || this.problem?.stopped || this.destroyed) {
      clearTimeout(this.awayTimer);
      this.awayTimer = null;
      this.away = false;
      return;
    }
    if (this.away || this.awayTimer) return;
    this.awayTimer = setTimeout(() => {
      this.awayTimer = null;
      if (this.state !== 'waiting' || this.destroyed) return;
      this.away = true;
      this.emitSession();
    }, this.awayAfterMs);
    this.awayTimer.unref?.();
  }

  /**
   * Leaves a message for support while no agent has accepted (sdk/desk/left_message.h): chat
   * consent checked, masked like a chat message, signed by this conversation's identity and
   * sealed to the site's pinned desk key, so it waits in the relay's store, unreadable there,
   * until an agent accepts (within the chat retention), even after this page is closed. contact:
   * how support may answer (as typed, sealed with it). Once an agent has accepted, the text goes
   * into the conversation as a chat message instead.
   */
  async leaveMessage({ text, contact = '' } = {}) {
    if (this.problem?.stopped) throw new SealDeskError(this.problem.code, 'the conversation was stopped on this page: the message was not sent');
    this.engine.assertCapability('chat.send');
    if (!this.relay) await this.connect();
    if (this.state !== 'waiting') return { ...(await this.send(text)), left: false };
    if (!this.relay?.sessionId) throw new SealDeskError('SESSION_NOT_READY', 'support is not reachable yet: the message was not left');
    const id = randomId();
    const at = Date.now();
    const sealed = this.core.desk.sealLeft(this.engine, this.masker, this.identity, this.agentKey, this.relay.sessionId, text, { contact, id, at });
    this.used.add('chat');
    this.trackDelivery(this.relay.send(sealed.payload), id);
    this.relay.markLeft();
    this.leftMessage = true;
    const out = { id, session: this.relay.sessionId, from: 'customer', text: sealed.text, findings: sealed.findings, at, left: true, ...(contact ? { contact } : {}) };
    this.emit('message', out);
    this.emitSession();
    return out;
  }

  /** Asks the engine for decisions that expired since the last check and applies them. */
  refreshConsent(now = Date.now()) {
    if (this.destroyed) return;
    const changes = this.engine.refresh(now);
    if (changes.length) this.applied(changes).catch((e) => this.emit('error', toError(e)));
  }

  // --- what keeps the conversation from support, for a person to see (info().problem) ---
  //   RELAY_UNREACHABLE   no connection now; retryAt: when the next attempt starts (queued messages wait)
  //   ORIGIN_REFUSED      the relay does not serve this site's origin         } the conversation stops
  //   RELAY_REFUSED       the relay refused this client for another reason    } on this page: nothing
  //   AGENT_KEY_MISMATCH  the agent's identity is not the site's agentKey     } queued or later is sent

  relayStatus(status) {
    this.noteRelayStatus(status);
    this.emitSession();
  }

  relayRefused(e) {
    const code = refusalCode(e);
    if (code) this.stopConversation(code);
  }

  /** Stops the conversation for good on this page: queued messages are dropped unsent, and so is anything later. */
  stopConversation(code) {
    if (this.problem?.stopped) return;
    this.problem = { code, stopped: true };
    this.state = 'ended'; // not "Agent connected": nothing more goes to or comes from this conversation
    const session = this.relay?.sessionId ?? null;
    for (const m of this.queued.splice(0)) this.emit('delivery', { id: m.id, session, state: 'undelivered', reason: code });
    this.stopAllLive();
    this.session?.delete();
    this.session = null;
    this.relay?.close();
    this.emitSession();
  }

  connectInBackground() {
    this.connect().catch((e) => this.emit('error', toError(e)));
  }

  startHandshake() {
    if (!this.relay || this.destroyed || this.problem?.stopped) return;
    this.session ??= this.core.Session.customer(crypto.getRandomValues(new Uint8Array(16)), this.agentKey);
    const purposes = SESSION_PURPOSES.filter((p) => this.engine.allows(p));
    const hello = this.session.beginHandshake(purposes);
    this.handshaking = true;
    this.consentSeq = 0; // a new epoch counts its consent updates from 1 again
    this.sendPayload('handshake', hello);
    this.emitSession();
  }

  onPayload(payload) {
    let decoded;
    try {
      decoded = this.core.desk.decodePayload(payload);
    } catch (e) {
      return this.emit('error', toError(e));
    }
    if (decoded.kind === 'handshake') return this.onHandshake(decoded.bytes);
    if (!this.session?.established) return;
    if (decoded.kind === 'part') return this.openAttachment(this.session, (this.parts ??= new this.core.desk.PartAssembler()), payload, this.relay.sessionId, 'agent');
    if (decoded.kind === 'liveAudio') return this.onLive(null, this.session, decoded.bytes);
    let opened;
    try {
      opened = this.core.desk.customerReceive(this.session, decoded.bytes); // type x purpose checked in the core
    } catch (e) {
      return this.dropped(e, this.relay.sessionId);
    }
    const { body } = opened;
    if (opened.type === 'signal') {
      this.emit('signal', { session: this.relay.sessionId, message: body.m });
    } else if (opened.type === 'reveal-key') {
      this.revealKey = fromBase64url(body.key, 'reveal key', 32);
    } else if (opened.type === 'text') {
      this.emit('message', { id: body.id, session: this.relay.sessionId, from: 'agent', text: body.text, findings: [], at: body.at });
    } else if (opened.type === 'typing') {
      this.emit('typing', { session: this.relay.sessionId, from: 'agent' });
    }
  }

  onHandshake(message) {
    try {
      const reply = this.session.handleHandshake(message, this.identity);
      if (reply.byteLength) this.sendPayload('handshake', reply);
    } catch (e) {
      const error = toError(e);
      this.emit('error', error);
      // Not the desk this site pinned: a relay or a misconfigured agentKey. Nothing is sent to it.
      if (error.code === 'KEY_MISMATCH') this.stopConversation('AGENT_KEY_MISMATCH');
      return;
    }
    this.handshaking = false;
    this.emitSession();
    this.sendControl({ t: 'consent', summary: this.summary() });
    this.flushQueued();
  }

  flushQueued() {
    while (this.queued.length && this.session?.established && this.session.hasKeys('chat')) {
      this.sealAndSend(this.queued.shift());
    }
  }

  sealAndSend(message) {
    const sent = this.sendRecord(this.session, 'chat', { t: 'text', id: message.id, text: message.text, findings: message.findings, at: message.at });
    this.trackDelivery(sent, message.id);
  }

  /** The consent state to the agent: the next consent update of this epoch (its sequence number rides in every later record). */
  sendControl(body) {
    if (!this.session?.established || !this.session.hasKeys('routing')) return;
    this.consentSeq = (this.consentSeq ?? 0) + 1;
    this.sendRecord(this.session, 'routing', body);
  }

  // --- chat ---

  mask(text) {
    if (typeof text !== 'string') throw new SealDeskError('INVALID_ARGUMENT', 'text must be a string');
    if (text.length > this.core.desk.MAX_TEXT_UNITS) throw new SealDeskError('TOO_LARGE', `a message is at most ${this.core.desk.MAX_TEXT_UNITS} characters`);
    return this.masker.mask(text);
  }

  async send(text) {
    if (this.problem?.stopped) throw new SealDeskError(this.problem.code, 'the conversation was stopped on this page: the message was not sent');
    // Keys ready, nothing queued: consent check, mask, the reveal tokens (while pii_reveal is
    // granted and the agent sent its key) and seal in one core call (sdk/desk/chat_send.h).
    if (typeof text === 'string' && this.session?.established && this.session.hasKeys('chat') && !this.queued.length) {
      const id = randomId();
      const at = Date.now();
      const sealed = this.core.desk.sealChat(this.engine, this.masker, this.session, text, { id, at, cs: this.consentSeq ?? 0, revealKey: this.revealKey ?? null });
      this.used.add('chat');
      if (sealed.findings.length && this.revealKey && this.engine.allows('pii_reveal')) this.used.add('pii_reveal');
      this.trackDelivery(this.relay.send(sealed.payload), id);
      const out = { id, session: this.relay.sessionId, from: 'customer', text: sealed.text, findings: sealed.findings, at };
      this.emit('message', out);
      return out;
    }
    this.engine.assertCapability('chat.send'); // CONSENT_REQUIRED / CONSENT_EXPIRED name the purpose
    const masked = this.mask(text);
    if (!masked.text.trim()) throw new SealDeskError('INVALID_ARGUMENT', 'an empty message is not sent');
    if (!this.relay) this.connectInBackground();
    // Queued for keys: sealed later, without reveal tokens (the agent's reveal key comes with a session).
    const message = { id: randomId(), text: masked.text, findings: masked.findings, at: Date.now() };
    this.used.add('chat');
    if (this.session?.established && this.session.hasKeys('chat') && !this.queued.length) this.sealAndSend(message);
    else this.queued.push(message);
    const out = { id: message.id, session: this.relay?.sessionId ?? null, from: 'customer', text: message.text, findings: message.findings, at: message.at };
    this.emit('message', out);
    if (this.queued.includes(message)) this.emit('delivery', { id: message.id, session: out.session, state: 'queued' });
    return out;
  }

  async typing() {
    if (!this.engine.allows('chat') || !this.session?.established || !this.session.hasKeys('chat')) return;
    const now = Date.now();
    if (now - this.lastTyping < TYPING_MIN_INTERVAL_MS) return;
    this.lastTyping = now;
    this.sendRecord(this.session, 'chat', { t: 'typing' });
  }

  info() {
    return {
      session: this.relay?.sessionId ?? null,
      state: this.state,
      relay: this.relay?.status ?? 'idle',
      safetyCode: this.session?.established ? this.session.safetyCode : null,
      epoch: this.session?.epoch ?? 0,
      problem: this.problem ?? null,
      privacy: this.privacy,
      away: this.away,
      leftMessage: this.leftMessage,
    };
  }

  emitSession() {
    this.emit('session', this.info());
  }

  categories() {
    const out = new Set();
    for (const p of this.policy.purposes ?? []) if (this.used.has(p.id)) for (const c of p.data_categories ?? []) out.add(c);
    return [...out];
  }

  async end() {
    this.relay?.end();
    this.endSession();
  }

  endSession() {
    this.session?.delete();
    this.session = null;
    this.state = 'ended';
    for (const m of this.queued.splice(0)) this.emit('delivery', { id: m.id, session: this.relay?.sessionId ?? null, state: 'undelivered', reason: 'ended' });
  }

  /** "Delete my local data": the session, its keys, the consent store and the install key. */
  async deleteLocal() {
    await this.end();
    this.relay?.close();
    this.relay = null;
    this.connecting = null;
    clearInterval(this.expiryTimer);
    clearTimeout(this.awayTimer);
    this.awayTimer = null;
    this.away = false;
    this.leftMessage = false;
    this.used.clear();
    if (this.transcript) await this.transcript.forget(this.transcript.vault.purposes().map((p) => p.purpose));
    if (this.store) await this.store.clear();
    // A fresh, all-unset engine with a new install key: nothing of the old decisions remains.
    if (this.resetEngine) {
      this.engine.delete();
      this.engine = await this.resetEngine();
      this.emit('consent', { state: this.engine.state(), changes: [] });
    }
  }

  destroy() {
    this.destroyed = true;
    clearInterval(this.expiryTimer);
    clearTimeout(this.awayTimer);
    this.stopAllLive();
    this.cancelVoiceNote();
    this.relay?.close();
    this.relay = null;
    this.session?.delete();
    this.session = null;
    this.masker.delete();
    this.transcript?.close();
    this.identity.delete();
  }
}

/** The agent desk: many sessions on one relay connection, one E2EE session each. */
export class AgentDesk extends Party {
  /**
   * @param {object} o
   * @param {string} o.identitySeed the desk's Ed25519 seed, base64url (its public key is the
   *   `agentKey` customers pin)
   * @param {string} o.token the relay's agent token
   */
  constructor({ core, relayUrl, identitySeed, token, createSocket }) {
    super({ core, relayUrl, createSocket });
    this.role = 'agent';
    const seed = fromBase64url(identitySeed, 'identity.seed', 32);
    this.identity = core.IdentityKey.fromSeed(seed);
    seed.fill(0);
    this.token = token;
    this.sessions = new Map(); // relay session id -> { session: Session|null, summary, state, epoch }
    this.queue = [];
    this.problem = null; // see relayStatus()
  }

  async connect() {
    if (this.relay) return;
    const relay = new RelayClient({ url: this.relayUrl, role: 'agent', token: this.token, ...(this.createSocket ? { createSocket: this.createSocket } : {}) });
    this.relay = relay;
    this.wireRelay(relay);
    relay.on('queue', ({ sessions }) => {
      this.queue = sessions;
      this.emit('queue', { sessions });
    });
    relay.on('session', (view) => {
      const entry = this.entry(view.session);
      if (view.summary) entry.summary = view.summary;
      if (view.privacy) entry.privacy = true; // the relay can only add privacy, never take it away
      // A new epoch keeps the Session: the core accepts the next handshake only from the
      // customer it already knows (a relay that splices in another identity gets KEY_MISMATCH).
      if (view.state === 'ended' || view.state === 'transferred') {
        // The core wipes every key of it at once and says whether to forget it (privacy mode).
        if (entry.session && entry.inbox?.end(entry.session)) entry.privacy = true;
        this.dropSession(entry); // this desk keeps no key of it
      } else if (view.epoch !== entry.epoch) this.dropRevealKey(entry);
      entry.epoch = view.epoch;
      entry.state = view.state;
      this.emit('session', this.info(view.session));
      // Privacy mode: at its end (or when it moves to another agent) this desk forgets the
      // conversation; the console drops what it showed ('forget').
      if (entry.privacy && (view.state === 'ended' || view.state === 'transferred')) this.forget(view.session);
    });
    relay.on('message', ({ session, payload }) => this.onPayload(session, payload));
    relay.on('status', (status) => this.relayStatus(status));
    relay.on('error', (e) => this.refused(e));
    // Started once the relay welcomed this desk, or once it proved unreachable (the desk keeps
    // retrying and says so in status()); a refusal (token, origin) rejects.
    await new Promise((resolve, reject) => {
      this.onUnreachable = resolve;
      relay.connect().then(resolve, (e) => {
        this.refused(e);
        reject(e);
      });
    });
    this.onUnreachable = null;
  }

  // --- what keeps this desk from the relay, for the agent to see (status().problem) ---
  //   RELAY_UNREACHABLE   no connection now; retryAt: when the next attempt starts
  //   ORIGIN_REFUSED      the relay does not serve this console's origin   } for good:
  //   RELAY_REFUSED       the relay refused the agent token                } the desk stops

  relayStatus(status) {
    this.noteRelayStatus(status);
    if (this.problem?.code === 'RELAY_UNREACHABLE') this.onUnreachable?.();
    this.emit('status', this.status());
  }

  refused(e) {
    const code = refusalCode(e);
    if (!code || this.problem?.stopped) return;
    this.problem = { code, stopped: true };
    this.emit('status', this.status());
  }

  /** The desk's link to the relay: { relay, problem }. */
  status() {
    return { relay: this.relay?.status ?? 'idle', problem: this.problem ?? null };
  }

  /** Drops everything this desk holds of a conversation (privacy mode's end). */
  forget(id) {
    const entry = this.sessions.get(id);
    if (!entry) return;
    this.dropSession(entry);
    if (this.liveFor(id)) this.stopLive(id);
    this.sessions.delete(id);
    for (const [key] of this.messages) if (key.startsWith(`${id}:`)) this.messages.delete(key);
    this.emit('forget', { session: id });
  }

  entry(id) {
    if (!this.sessions.has(id)) this.sessions.set(id, { session: null, customerKey: null, summary: null, state: 'waiting', epoch: 0, consent: null, alert: null, privacy: false });
    return this.sessions.get(id);
  }

  async accept(id) {
    const view = await this.relay.accept(id);
    const entry = this.entry(id);
    entry.state = view.state;
    entry.epoch = view.epoch;
    entry.summary = view.summary ?? this.queue.find((q) => q.session === id)?.summary ?? null;
    return this.info(id);
  }

  onPayload(id, payload) {
    const entry = this.entry(id);
    let decoded;
    try {
      decoded = this.core.desk.decodePayload(payload);
    } catch (e) {
      return this.emit('error', toError(e));
    }
    if (decoded.kind === 'handshake') {
      try {
        // One Session per relay session for its whole life; after a transfer back, a new one
        // still pinned to the customer this desk first met in it.
        entry.session ??= this.core.Session.agent(entry.customerKey ?? undefined);
        const reply = entry.session.handleHandshake(decoded.bytes, this.identity);
        if (reply.byteLength) this.sendPayload('handshake', reply, id);
        if (entry.session.established) entry.customerKey ??= entry.session.peerIdentity;
      } catch (e) {
        const error = toError(e);
        if (error.code === 'KEY_MISMATCH') entry.alert = 'KEY_MISMATCH'; // an impostor: the conversation is marked
        this.emit('error', new SealDeskError(error.code, error.code === 'KEY_MISMATCH'
          ? 'a handshake from a different customer identity was refused in this conversation'
          : 'a handshake from the customer failed', { session: id }));
      }
      this.emit('session', this.info(id));
      return;
    }
    if (decoded.kind === 'left') return this.onLeft(id, entry, decoded.bytes);
    if (!entry.session?.established) return;
    // In privacy mode a voice note or file is played or viewed here, never offered for download.
    if (decoded.kind === 'part') return this.openAttachment(entry.session, (entry.parts ??= new this.core.desk.PartAssembler()), payload, id, 'customer', { downloadable: !entry.privacy });
    if (decoded.kind === 'liveAudio') return this.onLive(id, entry.session, decoded.bytes);
    // Opened, checked by purpose and by the customer's consent sequence in the core; a consent
    // update wipes the keys it does not grant there too.
    const inbox = (entry.inbox ??= new this.core.desk.AgentInbox());
    let opened;
    try {
      opened = inbox.receive(entry.session, decoded.bytes);
    } catch (e) {
      this.stopPurposes(id, inbox.stopped());
      return toError(e).code === 'CONSENT_GAP' ? this.consentGap(id, entry, toError(e)) : this.dropped(e, id);
    }
    this.stopPurposes(id, inbox.stopped());
    const { body } = opened;
    if (opened.type === 'signal') {
      if (body.m?.type === 'ring') entry.callId = fromBase64url(body.m.call, 'call id', 16); // 16 bytes, checked in the core
      this.emit('signal', { session: id, message: body.m });
    } else if (opened.type === 'text') {
      this.emit('message', { id: body.id, session: id, from: 'customer', text: body.text, findings: body.findings ?? [], at: body.at });
    } else if (opened.type === 'typing') {
      this.emit('typing', { session: id, from: 'customer' });
    } else if (opened.type === 'consent') {
      entry.consent = body.summary;
      if (opened.privacyMode) entry.privacy = true; // the core keeps it on; so does this desk
      // A reveal key exists exactly while the customer grants pii_reveal.
      if (!opened.revealGranted) this.dropRevealKey(entry);
      else if (!entry.reveal) this.offerRevealKey(id, entry);
      this.emit('session', this.info(id));
    }
  }

  /**
   * A message the customer left while nobody had accepted: opened with this desk's identity and
   * bound to this conversation in the core, which pins its signer on the Session (a customer
   * still on the page must complete the handshake as that identity).
   */
  onLeft(id, entry, bytes) {
    const inbox = (entry.inbox ??= new this.core.desk.AgentInbox());
    entry.session ??= this.core.Session.agent(entry.customerKey ?? undefined);
    let opened;
    try {
      opened = inbox.receiveLeft(entry.session, this.identity, id, bytes);
    } catch (e) {
      const error = toError(e);
      if (error.code === 'KEY_MISMATCH') {
        entry.alert = 'KEY_MISMATCH';
        this.emit('session', this.info(id));
      }
      return this.dropped(error, id);
    }
    const { body } = opened;
    entry.left = true;
    this.emit('message', { id: body.id, session: id, from: 'customer', text: body.text, findings: body.findings ?? [], at: body.at, left: true, ...(body.contact ? { contact: body.contact } : {}) });
  }

  /** The customer withdrew purposes (or a consent update was lost): their keys are gone, the media they carried stops. */
  stopPurposes(id, purposes) {
    for (const p of purposes) {
      this.emit('purpose-stopped', { session: id, purpose: p });
      if (p === 'voice') this.stopLive(id);
    }
  }

  /**
   * A record named a consent update this desk never received (the relay dropped it, maybe a
   * revoke): every key of the epoch is wiped and the reveal key dropped, so nothing the
   * customer may have withdrawn goes on working. The customer's next handshake starts afresh.
   */
  consentGap(id, entry, error) {
    entry.alert = 'CONSENT_GAP'; // the core wiped every key of the epoch
    this.stopLive(id);
    this.dropRevealKey(entry);
    this.emit('error', new SealDeskError(error.code, 'a consent update from the customer was lost on the way: this conversation stopped until the customer reconnects', { session: id }));
    this.emit('session', this.info(id));
  }

  info(id) {
    const entry = this.sessions.get(id);
    return {
      session: id,
      state: entry?.state ?? 'idle',
      relay: this.relay?.status ?? 'idle',
      safetyCode: entry?.session?.established ? entry.session.safetyCode : null,
      epoch: entry?.session?.epoch ?? 0,
      consent: entry?.consent ?? entry?.summary ?? null,
      // 'KEY_MISMATCH' once the relay tried to splice in another customer; 'CONSENT_GAP' once a
      // consent update was lost (the conversation stopped)
      alert: entry?.alert ?? null,
      privacy: entry?.privacy ?? false,
      left: entry?.left ?? false, // the customer left a message while nobody had accepted
    };
  }

  usable(id) {
    const entry = this.sessions.get(id);
    if (!entry) throw new SealDeskError('NOT_FOUND', 'no such session at this desk', { session: id });
    if (!entry.session?.established) throw new SealDeskError('SESSION_NOT_READY', 'the session has no keys yet', { session: id });
    return entry;
  }

  async send(text, { session: id } = {}) {
    if (typeof text !== 'string' || !text.trim()) throw new SealDeskError('INVALID_ARGUMENT', 'text must be a non-empty string');
    if (text.length > this.core.desk.MAX_TEXT_UNITS) throw new SealDeskError('TOO_LARGE', `a message is at most ${this.core.desk.MAX_TEXT_UNITS} characters`);
    const entry = this.usable(id);
    // The customer's consent bounds the agent too: no chat keys once chat was revoked.
    if (!entry.session.hasKeys('chat')) throw new SealDeskError('CONSENT_REQUIRED', 'the customer has not granted chat', { purpose: 'chat', session: id });
    const message = { id: randomId(), session: id, from: 'agent', text, findings: [], at: Date.now() };
    this.trackDelivery(this.sendRecord(entry.session, 'chat', { t: 'text', id: message.id, text, at: message.at }, id), message.id);
    this.emit('message', message);
    return message;
  }

  async typing({ session: id } = {}) {
    const entry = this.usable(id);
    if (entry.session.hasKeys('chat')) this.sendRecord(entry.session, 'chat', { t: 'typing' }, id);
  }

  /** A reveal key pair for this session; the public half goes to the customer, sealed. */
  offerRevealKey(id, entry) {
    entry.reveal = new this.core.desk.RevealKey(); // the secret half stays in the core
    try {
      this.sealSignalBody(entry.session, id, { t: 'reveal-key', key: toBase64url(entry.reveal.publicKey) });
    } catch (e) {
      this.emit('error', toError(e));
    }
  }

  dropSession(entry) {
    entry.session?.delete();
    entry.session = null;
    entry.inbox?.delete(); // its consent count belongs to that Session
    entry.inbox = null;
    this.dropRevealKey(entry);
  }

  dropRevealKey(entry) {
    entry.reveal?.delete(); // wipes the secret in the core
    entry.reveal = null;
  }

  /**
   * Opens a sealed reveal token of a customer's message. Only while the customer grants
   * pii_reveal: a revoke (or a transfer, or the end) wipes this session's reveal key.
   * @returns {{ type: string, text: string }}
   */
  reveal(id, token) {
    const entry = this.usable(id);
    if (entry.consent?.purposes?.pii_reveal !== 'granted' || !entry.reveal) {
      throw new SealDeskError('CONSENT_REQUIRED', 'the customer has not granted PII reveal', { purpose: 'pii_reveal', session: id });
    }
    return entry.reveal.open(token);
  }

  sessionFor(id) {
    return this.sessions.get(id)?.session ?? null;
  }

  /** Joins the customer's call: the frame key records of the purposes the customer keyed. */
  async prepareCall(id) {
    const entry = this.usable(id);
    const purposes = ['voice', 'video'].filter((p) => entry.session.hasKeys(p));
    if (!purposes.length) throw new SealDeskError('CONSENT_REQUIRED', 'the customer has not granted voice or video', { purpose: 'voice', session: id });
    const callId = entry.callId;
    if (!callId) throw new SealDeskError('SESSION_NOT_READY', 'the customer has not rung: no call to join', { session: id });
    entry.callId = null; // one join per ring; the core refuses a call id twice anyway
    return this.frameKeyRecords(entry.session, purposes, callId);
  }

  signal(message, id) {
    this.sealSignal(this.usable(id).session, id, message);
  }

  async transfer(id, to) {
    await this.relay.flushed(id);
    this.relay.transfer(id, to);
    const entry = this.sessions.get(id);
    if (entry) this.dropSession(entry);
  }

  async end(id) {
    this.relay.end(id);
    const entry = this.sessions.get(id);
    if (entry) this.dropSession(entry);
  }

  destroy() {
    this.destroyed = true;
    this.stopAllLive();
    this.relay?.close();
    for (const entry of this.sessions.values()) this.dropSession(entry);
    this.sessions.clear();
    this.identity.delete();
  }
}
