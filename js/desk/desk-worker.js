// The dedicated Worker that hosts a desk (js/desk/desk-core.js): the WASM core, the consent
// store, the session keys and the relay socket live here, not in the host page's main thread.
// The page (js/sealdesk.js) talks to it with three message shapes:
//   page -> worker  { type: 'init', options }                 once
//                   { type: 'call', id, method, args }         one RPC
//   worker -> page  { type: 'ready', info } | { type: 'failed', error }
//                   { type: 'result', id, value } | { type: 'result', id, error }
//                   { type: 'event', name, value }
// Errors cross as { code, message, details } and become SealDeskError again on the page.
import { loadCore } from '../core.js';
import { SealDeskError } from '../errors.js';
import { openConsentStore, restoreConsent } from '../storage/consent-store.js';
import { CustomerDesk, AgentDesk } from './desk-core.js';
import { Transcript } from './transcript.js';

const EVENTS = ['message', 'consent', 'delivery', 'session', 'queue', 'typing', 'error', 'signal', 'purpose-stopped', 'progress', 'data', 'live-audio', 'forget', 'status'];

// Frame keys travel to the page's frame-transform worker on a MessagePort: this worker posts the
// key records into one end and hands the other to the page, which transfers it on unread. The
// kept end wipes the transform worker's keys of a purpose when it is revoked.
const keyPorts = new Map(); // relay session id -> MessagePort

function keyPort(session, records) {
  keyPorts.get(session)?.close();
  const channel = new MessageChannel();
  for (const record of records) channel.port1.postMessage({ type: 'key', ...record }, [record.baseKey.buffer]);
  keyPorts.set(session, channel.port1);
  return channel.port2;
}

function wipeCallKeys({ session, purpose }) {
  const callPurpose = { voice: 'voice', video: 'camera' }[purpose];
  const targets = session ? [keyPorts.get(session)] : [...keyPorts.values()];
  for (const port of targets) if (port && callPurpose) port.postMessage({ type: 'wipe', purpose: callPurpose });
}

let desk = null;
let methods = null;

const plainError = (e) =>
  e instanceof SealDeskError
    ? { code: e.code, message: e.message, details: e.details ?? {} }
    : { code: 'INTERNAL', message: String(e?.message ?? e), details: {} };

function customerMethods(d, { policy, texts }) {
  return {
    'consent.state': () => d.consentState(),
    'consent.grant': (purposes, context) => d.grant(purposes, context),
    'consent.deny': (purposes, context) => d.deny(purposes, context),
    'consent.revoke': (purposes, context) => d.deny(purposes, context),
    'consent.declareAge': (years, options) => d.declareAge(years, options),
    'consent.receipts': () => d.engine.receipts(),
    'consent.plan': (capability) => d.engine.plan(capability),
    'consent.texts': (locale) => texts(locale),
    'consent.policy': () => policy,
    'pii.mask': (text) => d.mask(text),
    'chat.send': (text) => d.send(text),
    'chat.leave': (message) => d.leaveMessage(message),
    'chat.typing': () => d.typing(),
    'call.prepare': async (options) => keyPort(d.relay?.sessionId ?? 'customer', await d.prepareCall(options)),
    'voice.check': () => d.engine.assertPurpose('voice'),
    'live.start': () => d.startLive(null),
    'live.push': (samples) => d.pushLive(samples, null),
    'live.stats': () => d.liveStats(null),
    'live.stop': () => d.stopLive(null),
    'voice.begin': (rate, options) => d.beginVoiceNote(rate, options),
    'voice.push': (samples) => d.pushVoice(samples),
    'voice.duration': () => d.voiceDurationMs(),
    'voice.finish': () => d.finishVoiceNote(),
    'voice.cancel': () => d.cancelVoiceNote(),
    'voice.decode': (bytes) => d.decodeVoiceNote(bytes),
    'call.ring': (options) => d.ring(options),
    'call.signal': (message) => d.signal(message),
    'session.info': () => d.info(),
    'session.connect': () => d.connect(),
    'session.end': () => d.end(),
    'session.enablePrivacyMode': () => d.enablePrivacyMode(),
    'data.categories': () => d.categories(),
    'data.local': () => d.transcript?.summary() ?? [],
    'data.deleteNow': (purposes) => d.transcript?.forget(purposes ?? d.transcript.vault.purposes().map((p) => p.purpose)),
    'data.deleteLocal': () => d.deleteLocal(),
  };
}

function agentMethods(d) {
  return {
    'sessions.accept': (id) => d.accept(id),
    'sessions.transfer': (id, to) => d.transfer(id, to),
    'sessions.list': () => d.queue,
    'chat.send': (text, options) => d.send(text, options),
    'chat.typing': (options) => d.typing(options),
    'call.prepare': async (id) => keyPort(id, await d.prepareCall(id)),
    'voice.decode': (bytes) => d.decodeVoiceNote(bytes),
    'pii.reveal': (id, token) => d.reveal(id, token),
    'live.start': (id) => d.startLive(id),
    'live.push': (samples, id) => d.pushLive(samples, id),
    'live.stats': (id) => d.liveStats(id),
    'live.stop': (id) => d.stopLive(id),
    'call.signal': (message, id) => d.signal(message, id),
    'session.info': (id) => d.info(id),
    'session.end': (id) => d.end(id),
    'desk.status': () => d.status(),
  };
}

function forwardEvents(d) {
  d.on('purpose-stopped', wipeCallKeys);
  // Live audio frames go to the page as transferable buffers (50 per second).
  d.on('live-audio', ({ session, pcm }) => self.postMessage({ type: 'event', name: 'live-audio', value: { session, pcm } }, [pcm.buffer]));
  for (const name of EVENTS) {
    if (name === 'live-audio') continue;
    d.on(name, (value) => self.postMessage({ type: 'event', name, value: name === 'error' ? plainError(value) : value }));
  }
}

async function init(options) {
  const core = await loadCore();
  if (options.role === 'agent') {
    desk = new AgentDesk({ core, relayUrl: options.relayUrl, identitySeed: options.identity?.seed, token: options.token });
    methods = agentMethods(desk);
    forwardEvents(desk);
    await desk.connect();
    return { role: 'agent' };
  }
  const store = await openConsentStore({ name: options.storageName ?? 'sealdesk' });
  const restoreErrors = [];
  const { engine } = await restoreConsent({ core, store, policy: options.policy, locales: options.locales, onError: (e) => restoreErrors.push(e) });
  if (options.gpc) engine.setGlobalPrivacyControl(true);
  let transcript = null;
  if (options.keepTranscript !== false) {
    transcript = await Transcript.open({ core, engine, records: store.records, onChange: (purposes) => desk?.emit('data', { purposes }) });
  }
  const resetEngine = async () => {
    const fresh = (await restoreConsent({ core, store, policy: options.policy, locales: options.locales })).engine;
    if (options.gpc) fresh.setGlobalPrivacyControl(true);
    transcript && (transcript.engine = fresh);
    return fresh;
  };
  desk = new CustomerDesk({ core, relayUrl: options.relayUrl, agentKey: options.agentKey, engine, policy: options.policy, store, transcript, locale: options.locale, resetEngine, ...(options.awayAfterMs !== undefined ? { awayAfterMs: options.awayAfterMs } : {}) });
  methods = customerMethods(desk, { policy: options.policy, texts: (locale) => desk.engine.texts(locale ?? options.locale) });
  forwardEvents(desk);
  for (const message of (await transcript?.load()) ?? []) desk.emit('message', message); // the conversation so far
  // A stored consent that failed verification was set aside (quarantined) and the engine starts
  // fresh: the desk starts anyway, and says so (desk.consentReset) for the visitor to decide again.
  const reset = restoreErrors[0] ? plainError(restoreErrors[0]) : null;
  return { role: 'customer', storage: store.kind, consent: engine.state(), consentReset: reset && { code: reset.code, message: reset.message } };
}

self.onmessage = async ({ data }) => {
  if (data?.type === 'init') {
    try {
      self.postMessage({ type: 'ready', info: await init(data.options) });
    } catch (e) {
      self.postMessage({ type: 'failed', error: plainError(e) });
    }
    return;
  }
  if (data?.type !== 'call') return;
  const { id, method, args = [] } = data;
  try {
    const fn = methods?.[method];
    if (!fn) throw new SealDeskError('NOT_FOUND', `no method ${method} for this role`);
    const value = await fn(...args);
    self.postMessage({ type: 'result', id, value }, value instanceof MessagePort ? [value] : []);
  } catch (e) {
    self.postMessage({ type: 'result', id, error: plainError(e) });
  }
};
