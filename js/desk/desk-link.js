// The page's end of a desk (js/sealdesk.js loads this after the first consent layer is on
// screen): starts the desk worker, turns its messages into Promises and events, and builds the
// public Desk object. Calls and voice notes (WebRTC, AudioWorklets) live here on the page.
import { SealDeskError } from '../errors.js';
import { Emitter } from '../events.js';
import { assetUrl } from '../assets.js';
import { DeskCalls } from '../media/desk-call.js';
import { DeskVoice } from '../media/desk-voice.js';

// State-like events keep their last value and 'message' its history, so a listener that
// subscribes late still sees where things stand (replayed asynchronously, in order).
const LATEST = new Set(['consent', 'session', 'queue', 'call', 'status']);
const HISTORY_LIMIT = 500;

// What a site owner needs to fix, said once per code in the console (the widget says it to
// the visitor in their language). Only codes and the relay URL: nothing a visitor typed.
const PROBLEM_HINTS = {
  ORIGIN_REFUSED: (url) => `the relay at ${url} does not allow this page's origin (${globalThis.location?.origin}). Add it to the relay's allowed origins (RELAY_ORIGINS or --origins).`,
  RELAY_REFUSED: (url) => `the relay at ${url} refused the connection (an agent console: check its token against the relay's RELAY_AGENTS).`,
  RELAY_UNREACHABLE: (url) => `cannot reach the relay at ${url}; retrying with backoff. Is relayUrl right and the relay running?`,
  AGENT_KEY_MISMATCH: () => 'the agent\'s identity does not match the agentKey this page pins; the conversation was stopped. Check agentKey against the desk key your agents use.',
};

class WorkerLink extends Emitter {
  constructor(worker, relayUrl) {
    super();
    this.worker = worker;
    this.relayUrl = relayUrl;
    this.next = 1;
    this.pending = new Map();
    this.history = [];
    this.latest = new Map();
    this.warned = new Set();
    worker.onmessage = ({ data }) => this.receive(data);
    worker.onerror = (e) => this.fail(new SealDeskError('INTERNAL', `the desk worker failed: ${e.message ?? 'unknown error'}`));
  }

  receive(data) {
    if (data.type === 'result') {
      const p = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (!p) return;
      if (data.error) p.reject(new SealDeskError(data.error.code, data.error.message, data.error.details));
      else p.resolve(data.value);
    } else if (data.type === 'event') {
      let value = data.value;
      if (data.name === 'error') value = new SealDeskError(value.code, value.message, value.details);
      if (LATEST.has(data.name)) this.latest.set(data.name, value);
      if (data.name === 'session' || data.name === 'status') this.warnProblem(value);
      if (data.name === 'message') {
        this.history.push(value);
        if (this.history.length > HISTORY_LIMIT) this.history.shift();
      }
      this.emit(data.name, value);
    } else if (data.type === 'ready' || data.type === 'failed') {
      this.emit(data.type, data);
    }
  }

  warnProblem(info) {
    const code = info?.problem?.code;
    if (!code || this.warned.has(code)) return;
    this.warned.add(code);
    console.warn(`SealDesk ${code}: ${PROBLEM_HINTS[code]?.(this.relayUrl) ?? 'see info().problem'}`);
  }

  /** Events raised on the page side (calls live here: WebRTC needs the main thread). */
  emitLocal(name, value) {
    if (LATEST.has(name)) this.latest.set(name, value);
    this.emit(name, value);
  }

  fail(error) {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.emit('error', error);
  }

  call(method, ...args) {
    return new Promise((resolve, reject) => {
      const id = this.next++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'call', id, method, args });
    });
  }

  /** on() with replay of the latest state event or the message history. */
  subscribe(event, fn) {
    const off = this.on(event, fn);
    const replay = event === 'message' ? [...this.history] : this.latest.has(event) ? [this.latest.get(event)] : [];
    if (replay.length) queueMicrotask(() => replay.forEach((v) => fn(v)));
    return off;
  }
}

/** desk.open()/close()/toggle(): the widget's panel; resolves with whether it is open now. */
const panel = (widget, verb) => async () => {
  if (!widget?.isConnected) throw new SealDeskError('NOT_FOUND', 'this desk has no widget on the page (created without a container, or destroyed)');
  if (verb === 'toggle') widget.toggle();
  else if (verb === 'open' && !widget.open) widget.openPanel();
  else if (verb === 'close' && widget.open) widget.close();
  return widget.open;
};

function makeDesk(link, { role, locale, policy, widget, consentReset = null }) {
  const call = (method) => (...args) => link.call(method, ...args);
  const calls = new DeskCalls(link, role);
  const voice = new DeskVoice(link);
  // A revoke ends the matching call tracks here and now, before the round trip to the worker
  // (which wipes the keys and reports dependent purposes through 'purpose-stopped').
  const withdraw = (method) => (purposes, context) => {
    if (Array.isArray(purposes)) {
      purposes.forEach((p) => calls.stopPurpose(p));
      if (purposes.includes('voice') || purposes.includes('routing')) voice.cancel();
    }
    return link.call(method, purposes, context);
  };
  return {
    role,
    locale,
    widget,
    consentReset,
    consent: {
      state: call('consent.state'),
      grant: call('consent.grant'),
      deny: withdraw('consent.deny'),
      revoke: withdraw('consent.revoke'),
      receipts: call('consent.receipts'),
      policy: async () => policy,
      texts: (l = locale) => link.call('consent.texts', l),
      plan: call('consent.plan'),
      declareAge: call('consent.declareAge'),
    },
    pii: {
      mask: call('pii.mask'),
      /** Agent: opens a finding's sealed original, only while the customer grants pii_reveal. */
      reveal: call('pii.reveal'),
    },
    chat: {
      send: call('chat.send'),
      /** Customer: leaves a message while no agent accepted ({ text, contact }); kept sealed until one does. */
      leave: call('chat.leave'),
      typing: call('chat.typing'),
    },
    session: {
      info: call('session.info'),
      connect: call('session.connect'),
      end: call('session.end'),
      enablePrivacyMode: call('session.enablePrivacyMode'),
    },
    sessions: {
      accept: call('sessions.accept'),
      transfer: call('sessions.transfer'),
      list: call('sessions.list'),
    },
    call: {
      /** Customer: starts a video (or voice-only) call; consent is checked in the core. */
      start: (options) => calls.start(options),
      /** Agent: joins the call the customer rang for. */
      join: (session, options) => calls.join(session, options),
      setMuted: (muted) => calls.setMuted(muted),
      setCamera: (on) => calls.webrtc().setCamera(on),
      hangup: () => calls.hangup(),
      stats: () => calls.stats(),
      /** { state, path: 'webrtc'|'relay', e2ee, devices, remote, ... } or null */
      state: () => calls.state(),
      get localStream() {
        return calls.localStream;
      },
      get remoteStream() {
        return calls.call?.remoteStream ?? null;
      },
    },
    voice: {
      /** Customer: records a voice note ({ onLevel, onLimit, maxDurationMs }); stop() sends it. */
      record: (options) => voice.record(options),
      decode: (bytes) => voice.decode(bytes),
      player: (bytes, options) => voice.player(bytes, options),
    },
    data: {
      categories: call('data.categories'),
      /** What this browser holds, per purpose: [{ purpose, records, bytes, deleteAt }] (sealed; deleted at deleteAt). */
      local: call('data.local'),
      /** Deletes the kept data of some purposes (all when omitted) now: keys first, then records. */
      deleteNow: call('data.deleteNow'),
      deleteLocal: call('data.deleteLocal'),
    },
    /** Agent: the desk's link to the relay, { relay, problem } (also the 'status' event). */
    status: call('desk.status'),
    open: panel(widget, 'open'),
    close: panel(widget, 'close'),
    toggle: panel(widget, 'toggle'),
    on: (event, fn) => link.subscribe(event, fn),
    async destroy() {
      widget?.remove();
      link.worker.terminate();
      link.fail(new SealDeskError('KEY_WIPED', 'the desk was destroyed'));
    },
  };
}

/** Starts the desk worker and resolves with the Desk once the core answered. */
export async function startDesk({ options, role, locale, policy, locales, widget }) {
  const worker = new Worker(assetUrl('desk/desk-worker.js'), { type: 'module', name: `sealdesk-${role}` });
  const link = new WorkerLink(worker, options.relayUrl);
  const ready = new Promise((resolve, reject) => {
    link.on('ready', ({ info }) => resolve(info));
    link.on('failed', ({ error }) => reject(new SealDeskError(error.code, error.message, error.details)));
    link.on('error', reject);
  });
  worker.postMessage({
    type: 'init',
    options: {
      role,
      relayUrl: options.relayUrl,
      agentKey: options.agentKey,
      identity: options.identity,
      token: options.token,
      policy,
      locales,
      locale,
      storageName: options.storageName,
      keepTranscript: options.keepTranscript,
      awayAfterMs: options.awayAfterMs,
      gpc: Boolean(globalThis.navigator?.globalPrivacyControl),
    },
  });
  let info;
  try {
    info = await ready;
  } catch (e) {
    worker.terminate();
    throw e;
  }
  performance.mark('sealdesk:core-ready');
  if (info.consent) link.latest.set('consent', { state: info.consent, changes: [] });
  return makeDesk(link, { role, locale, policy, widget, consentReset: info.consentReset ?? null });
}
