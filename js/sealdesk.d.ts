// Types for the public SealDesk API (js/sealdesk.js). The contract in shared DESIGN.md is kept
// stable; everything else here is additive. Every call that reaches the core returns a Promise:
// the core (consent engine, PII masker, session keys, relay socket) lives in a dedicated Worker.
import { SealDeskError } from './errors.js';

/** A class (a value): `err instanceof SealDeskError` works. */
export { SealDeskError };

export type Role = 'customer' | 'agent';
export type PurposeState = 'granted' | 'denied' | 'unset' | 'expired';
export type MaskStyle = 'redact' | 'partial' | 'pseudonym' | 'sealed';

/** The personal-information handler (controller) a consent notice names. */
export interface Controller {
  name: string;
  /** A team or person to contact about the data. */
  contact: string;
  email?: string;
  phone?: string;
  address?: string;
  /** https only. */
  url?: string;
  /** The data-protection officer (PIPL Art. 52: the person in charge). */
  dpo: { name: string; contact: string };
}

export interface CreateOptions {
  role: Role;
  /** ws:// or wss:// URL of the relay. No socket opens before the first consent decision. */
  relayUrl: string;
  /**
   * Base URL of the folder the default policy (policies/default.json) and locale texts
   * (locales/<tag>.json) are fetched from; relative to the page. Default: the SDK's own copy
   * (consent/ inside the npm package; consent/ beside js/ in the repository).
   */
  consentUrl?: string;
  /**
   * The folder the package is served from (its desk and frame-transform workers, audio worklets
   * and .wasm), relative to the page; on the page's own origin (browsers refuse cross-origin
   * workers). Needed when a bundler moved the SDK's modules into a bundle; default: next to
   * sealdesk.js. The default policy and texts then come from its consent/ (unless consentUrl).
   */
  assetUrl?: string;
  /** Consent policy (object or JSON text); default: policies/default.json under consentUrl. */
  policy?: object | string;
  /**
   * Customer: who is responsible for the visitor's data, shown in the consent notice and signed
   * into every receipt. Required with the default policy (it names no controller): without it,
   * or without privacyPolicyUrl, create() rejects with CONTROLLER_REQUIRED and shows nothing.
   * The core checks the fields (POLICY_INVALID names the first wrong one).
   */
  controller?: Controller;
  /** Customer: the https URL of the site's privacy policy (the notice links to it). Required with the default policy. */
  privacyPolicyUrl?: string;
  /** Locale files, tag -> { locale, texts }; default: consent/locales/{en,zh-CN,zh-TW}.json. */
  locales?: Record<string, object>;
  /** 'en' | 'zh-CN' | 'zh-TW' | 'auto' (default: navigator.languages). */
  locale?: string;
  /** Where the <sealdesk-widget> is mounted; omit (or null) for a headless desk. */
  container?: HTMLElement | null;
  /**
   * How the widget's panel starts: 'auto' (default) open on a first visit, where the first layer
   * asks, and closed behind the launcher once a decision is stored; 'closed' always behind the
   * launcher (the first layer shows when the visitor opens it); 'open' always open.
   */
  open?: 'auto' | 'closed' | 'open';
  /** Customer: the agent desk's Ed25519 public key, base64url (32 bytes), pinned. */
  agentKey?: string;
  /** Agent: the desk's identity seed, base64url (32 bytes), and the relay token. */
  identity?: { seed: string };
  token?: string;
  /** Text overrides, merged over the locale's texts: { 'layer1.title': '…' }. */
  texts?: Record<string, string>;
  /** Consent storage name (IndexedDB database); default 'sealdesk'. */
  storageName?: string;
  /** Keep the customer's transcript locally (sealed, deleted at the end of retention); default true. */
  keepTranscript?: boolean;
  /**
   * Customer: when no agent accepted the conversation this long (ms, default 120000), the widget
   * says nobody is available and offers a form to leave a message (desk.chat.leave()).
   */
  awayAfterMs?: number;
}

export type DecisionReason =
  | 'none' | 'user' | 'dependency_revoked' | 'policy_changed' | 'purpose_removed'
  | 'global_privacy_control' | 'global_privacy_control_cleared' | 'guardian_required' | 'expired';

export interface ConsentDecision {
  state: PurposeState;
  /** Epoch ms of the decision; null while nothing was decided (reason 'none'). */
  decidedAt: number | null;
  /** The policy version the decision was made under ('' before any). */
  policyVersion: string;
  reason: DecisionReason;
  guardianConfirmed: boolean;
  /** Epoch ms when a grant lapses (the purpose's consent_ttl); null when it does not. */
  expiresAt: number | null;
}

export interface ConsentState {
  policyId: string;
  policyVersion: string;
  /** Global Privacy Control was on when the desk started. */
  gpc: boolean;
  /** The declared age is under the policy's minor_age. */
  minor: boolean;
  declaredAge: number | null;
  purposes: Record<string, PurposeState>;
  decisions: Record<string, ConsentDecision>;
}

export interface Finding {
  type: string;
  /** UTF-16 offsets in the original text. */
  start: number;
  end: number;
  style: MaskStyle;
  /** UTF-16 offsets of the replacement in the masked text. */
  maskedStart: number;
  maskedEnd: number;
}

export interface ChatMessage {
  id: string;
  session: string;
  from: Role;
  /** Masked text: exactly what left the customer's page. Render as text, never as HTML. */
  text: string;
  /** At the agent: maskedStart/maskedEnd, and `reveal` (a sealed original) only while the customer grants pii_reveal. */
  findings: Array<Finding & { reveal?: string }>;
  at: number;
  /** 'voice-note' for a voice note (text is empty). */
  kind?: 'voice-note';
  purpose?: string;
  /** downloadable: false at the agent for what a customer sent in privacy mode (play or view only). */
  attachment?: { mime: string; durationMs: number; bytes: Uint8Array; downloadable?: boolean };
  /** Shown again from the local transcript after a reload. */
  restored?: boolean;
  /** Left for support while no agent had accepted (desk.chat.leave()). */
  left?: boolean;
  /** With a left message: how the customer asked to be answered, as typed. Render as text. */
  contact?: string;
}

export interface CallState {
  session: string;
  state: 'ringing' | 'starting' | 'live' | 'ended';
  /** 'relay': WebRTC could not connect; audio goes as sealed Opus frames through the relay. */
  path?: 'webrtc' | 'relay';
  e2ee?: 'script-transform' | 'insertable-streams' | 'relay-frames';
  connection?: RTCPeerConnectionState;
  devices?: { camera: string; microphone: string };
  remote?: { camera: string; voice: string };
  video?: boolean;
  error?: string | null;
}

export interface VoiceNote {
  sampleRate: number;
  channels: number;
  durationMs: number;
  pcm: Float32Array;
}

export interface VoiceNotePlayer {
  readonly durationMs: number;
  readonly playing: boolean;
  play(fromMs?: number): Promise<void>;
  pause(): void;
  seek(ms: number): void;
  position(): number;
  close(): void;
}

export interface LocalData {
  purpose: string;
  records: number;
  bytes: number;
  /** When the purpose's retention ends and the data is deleted (ms since the epoch). */
  deleteAt: number;
}

export interface Delivery {
  id: string;
  /** The session the message was sealed for; null while none is open yet. */
  session: string | null;
  state: 'queued' | 'sent' | 'delivered' | 'undelivered';
  /** Why a message was not delivered (a SessionProblem code, when the conversation stopped). */
  reason?: string;
}

export interface SessionInfo {
  session: string | null;
  state: 'idle' | 'connecting' | 'waiting' | 'active' | 'ended' | 'transferred';
  relay: 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';
  /** Both sides show the same code; compare it by voice to rule out a man in the middle. */
  safetyCode: string | null;
  epoch: number;
  /** What keeps the conversation from support, or null (customer side). */
  problem: SessionProblem | null;
  /** Privacy mode is on for this conversation (session.enablePrivacyMode()). */
  privacy: boolean;
  /** Customer: no agent accepted within awayAfterMs; a message may be left (chat.leave()). */
  away?: boolean;
  /** Customer: a message was left in this conversation. */
  leftMessage?: boolean;
  /** Agent: the customer left a message while nobody had accepted. */
  left?: boolean;
}

/**
 * RELAY_UNREACHABLE retries (retryAt: when the next attempt starts; queued messages wait).
 * The others stop the conversation on this page (stopped: true): queued and later messages
 * are not sent and chat.send() rejects with the same code.
 */
export type SessionProblem =
  | { code: 'RELAY_UNREACHABLE'; retryAt: number }
  | { code: 'ORIGIN_REFUSED' | 'RELAY_REFUSED' | 'AGENT_KEY_MISMATCH'; stopped: true };

export interface QueueEntry {
  session: string;
  since: number;
  online: boolean;
  /** When the customer left a message for support (ms since the epoch); it waits sealed for whoever accepts. */
  left?: number;
  /** The consent summary the customer shared (untrusted input: render as text). */
  summary: { purposes?: Record<string, PurposeState>; policyVersion?: string; locale?: string } | null;
}

export interface DeskEvents {
  message: ChatMessage;
  consent: { state: ConsentState; changes: Array<{ purpose: string; from: PurposeState; to: PurposeState; reason: string; revokes: boolean }> };
  delivery: Delivery;
  session: SessionInfo;
  /** Agent: the waiting customers changed. */
  queue: { sessions: QueueEntry[] };
  typing: { session: string; from: Role };
  call: CallState;
  /** Attachment / voice-note sealing progress. */
  progress: { id: string; session: string | null; done: number; total: number };
  /** The locally kept data changed (kept, expired, deleted). */
  data: { purposes: string[] };
  /** Agent: a conversation in privacy mode ended or moved on; drop everything shown of it. */
  forget: { session: string };
  /** Agent: the desk's link to the relay changed. */
  status: DeskStatus;
  error: SealDeskError;
}

/**
 * Agent: what keeps the desk from the relay. RELAY_UNREACHABLE retries (retryAt: the next
 * attempt); ORIGIN_REFUSED (the relay does not serve this console's origin) and RELAY_REFUSED
 * (the agent token) stop it.
 */
export interface DeskStatus {
  relay: 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';
  problem: { code: 'RELAY_UNREACHABLE'; retryAt: number } | { code: 'ORIGIN_REFUSED' | 'RELAY_REFUSED'; stopped: true } | null;
}

export interface Desk {
  readonly role: Role;
  readonly locale: string;
  /**
   * Customer: the consent stored on this device failed verification on this load (edited,
   * rolled back or damaged; LEDGER_TAMPERED, SIGNATURE_INVALID, ...). It was set aside and every
   * purpose starts undecided; the widget asks again and says why. null otherwise.
   */
  readonly consentReset: { code: string; message: string } | null;
  consent: {
    state(): Promise<ConsentState>;
    grant(purposes: string[]): Promise<ConsentState>;
    deny(purposes: string[]): Promise<ConsentState>;
    revoke(purposes: string[]): Promise<ConsentState>;
    /** Signed receipts, oldest first: [{ hash, receipt, signature }]. */
    receipts(): Promise<Array<{ hash: string; receipt: object; signature: string }>>;
    /** The policy the engine runs (purposes with data categories, retention, third parties). */
    policy(): Promise<object>;
    /** Locale texts with en fallback and the overrides applied. */
    texts(locale?: string): Promise<{ locale: string; texts: Record<string, unknown>; missing: string[]; noticeHash: string }>;
    /** The just-in-time plan for a capability ('chat', 'voice_note', 'video_call', ...). */
    plan(capability: string): Promise<{ capability: string; allowed: boolean; steps: unknown[]; choices: unknown[]; blocked: unknown }>;
    declareAge(years: number, options?: { guardian?: boolean }): Promise<ConsentState>;
  };
  pii: {
    mask(text: string): Promise<{ text: string; findings: Finding[] }>;
    /** Agent: opens a finding's sealed original; CONSENT_REQUIRED unless the customer grants pii_reveal. */
    reveal(session: string, token: string): Promise<{ type: string; text: string }>;
  };
  chat: {
    /** Rejects with SealDeskError CONSENT_REQUIRED (details.purpose === 'chat') without chat consent. */
    send(text: string, options?: { session?: string }): Promise<ChatMessage>;
    /**
     * Customer: leaves a message while no agent has accepted. Masked like a chat message and
     * sealed to the pinned desk key with the contact; the relay keeps it, unreadable, until an
     * agent accepts (within the chat retention), even after the page closes. If an agent has
     * accepted meanwhile, the text is sent as a chat message (left: false). Rejects like send(),
     * and with TOO_LARGE / INVALID_ARGUMENT for a contact over 200 characters or with line breaks.
     */
    leave(message: { text: string; contact?: string }): Promise<ChatMessage>;
    typing(options?: { session?: string }): Promise<void>;
  };
  session: {
    info(session?: string): Promise<SessionInfo>;
    /** Customer: connect now (otherwise on the first chat grant or message). */
    connect(): Promise<void>;
    end(session?: string): Promise<void>;
    /**
     * Customer: privacy mode for this conversation, one way until it ends. Nothing of it is kept
     * on this device from now on (what was kept goes now), the relay deletes its record and
     * frames at the end, the agent is told (sealed) and forgets it then; the agent cannot turn
     * it off. A signed receipt records the switch. SESSION_ENDED after the end.
     */
    enablePrivacyMode(): Promise<SessionInfo>;
  };
  call: {
    /**
     * Customer: consent is checked in the core; falls back to audio over the relay after
     * fallbackAfterMs. Waits for the session keys (an agent) before it captures or rings; a
     * hangup() meanwhile rejects it with CANCELLED.
     */
    start(options?: { video?: boolean; fallbackAfterMs?: number; network?: RTCConfiguration }): Promise<CallState>;
    /** Agent: joins the call a customer rang for ('call' event with state 'ringing'). */
    join(session: string, options?: { video?: boolean; network?: RTCConfiguration }): Promise<CallState>;
    setMuted(muted: boolean): Promise<void>;
    setCamera(on: boolean): Promise<void>;
    hangup(): Promise<void>;
    stats(): Promise<Record<string, unknown>>;
    state(): CallState | null;
    readonly localStream: MediaStream | null;
    readonly remoteStream: MediaStream | null;
  };
  voice: {
    /** Customer: records a voice note (needs the voice purpose); stop() seals and sends it. */
    record(options?: { onLevel?: (level: number) => void; onLimit?: () => void; maxDurationMs?: number; stream?: MediaStream }): Promise<{
      readonly state: 'recording' | 'stopping' | 'limit' | 'done' | 'cancelled';
      stop(): Promise<ChatMessage>;
      cancel(): Promise<void>;
    }>;
    decode(bytes: Uint8Array): Promise<VoiceNote>;
    player(bytes: Uint8Array, options?: { onEnded?: () => void }): Promise<VoiceNotePlayer>;
  };
  /** Agent only. */
  sessions: {
    accept(session: string): Promise<SessionInfo>;
    /** Back to the queue (or to agent `to`); the customer re-keys, this desk keeps no key. */
    transfer(session: string, to?: string): Promise<void>;
    list(): Promise<QueueEntry[]>;
  };
  data: {
    /** Data categories collected so far in this session (from the purposes used). */
    categories(): Promise<string[]>;
    /** What this browser holds per purpose (sealed) and when it will be deleted. */
    local(): Promise<LocalData[]>;
    /** Deletes the kept data of these purposes (all when omitted) now. */
    deleteNow(purposes?: string[]): Promise<void>;
    /** Wipes the consent store, ledger, transcript and keys held in this browser. */
    deleteLocal(): Promise<void>;
  };
  /** Customer with a widget: opens, closes or toggles its panel; resolves with whether it is open. NOT_FOUND without a widget. */
  /** Agent: the desk's link to the relay (the 'status' event says when it changes). */
  status(): Promise<DeskStatus>;
  open(): Promise<boolean>;
  close(): Promise<boolean>;
  toggle(): Promise<boolean>;
  on<K extends keyof DeskEvents>(event: K, fn: (value: DeskEvents[K]) => void): () => void;
  destroy(): Promise<void>;
}

export const SealDesk: {
  create(options: CreateOptions): Promise<Desk>;
};

/** 'en' | 'zh-CN' | 'zh-TW' for navigator.languages. */
export function detectLocale(languages?: readonly string[]): 'en' | 'zh-CN' | 'zh-TW';

/** js/loader.js: the command function that replaces the site's queueing stub. */
export interface SealDeskCommand {
  (command: 'create', options: Omit<CreateOptions, 'container'> & { container?: HTMLElement | string }): Promise<Desk>;
  (command: 'on', event: keyof DeskEvents, fn: (value: unknown) => void): Promise<() => void>;
  (command: string, ...args: unknown[]): Promise<unknown>;
  readonly loaded: true;
}
declare global {
  interface Window {
    SealDesk: typeof SealDesk;
    sealdesk: SealDeskCommand;
  }
}
