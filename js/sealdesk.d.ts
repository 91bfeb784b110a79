// Types for the public SealDesk API (js/sealdesk.js). The contract in shared DESIGN.md is kept
// stable; everything else here is additive. Every call that reaches the core returns a Promise:
// the core (consent engine, PII masker, session keys, relay socket) lives in a dedicated Worker.
import type { SealDeskError } from './errors.js';

export { SealDeskError };

export type Role = 'customer' | 'agent';
export type PurposeState = 'granted' | 'denied' | 'unset' | 'expired';
export type MaskStyle = 'redact' | 'partial' | 'pseudonym' | 'sealed';

export interface CreateOptions {
  role: Role;
  /** ws:// or wss:// URL of the relay. No socket opens before the first consent decision. */
  relayUrl: string;
  /** Consent policy (object or JSON text); default: consent/policies/default.json next to js/. */
  policy?: object | string;
  /** Locale files, tag -> { locale, texts }; default: consent/locales/{en,zh-CN,zh-TW}.json. */
  locales?: Record<string, object>;
  /** 'en' | 'zh-CN' | 'zh-TW' | 'auto' (default: navigator.languages). */
  locale?: string;
  /** Where the <sealdesk-widget> is mounted; omit (or null) for a headless desk. */
  container?: HTMLElement | null;
  /** Customer: the agent desk's Ed25519 public key, base64url (32 bytes), pinned. */
  agentKey?: string;
  /** Agent: the desk's identity seed, base64url (32 bytes), and the relay token. */
  identity?: { seed: string };
  token?: string;
  /** Text overrides, merged over the locale's texts: { 'layer1.title': '…' }. */
  texts?: Record<string, string>;
  /** Consent storage name (IndexedDB database); default 'sealdesk'. */
  storageName?: string;
}

export interface ConsentState {
  policyVersion: string;
  purposes: Record<string, PurposeState>;
  decisions: Record<string, { state: PurposeState; at: number; policyVersion: string; expires?: number; reason?: string }>;
  [extra: string]: unknown;
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
  findings: Finding[];
  at: number;
}

export interface Delivery {
  id: string;
  state: 'queued' | 'sent' | 'delivered' | 'undelivered';
}

export interface SessionInfo {
  session: string | null;
  state: 'idle' | 'connecting' | 'waiting' | 'active' | 'ended' | 'transferred';
  relay: 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';
  /** Both sides show the same code; compare it by voice to rule out a man in the middle. */
  safetyCode: string | null;
  epoch: number;
}

export interface QueueEntry {
  session: string;
  since: number;
  online: boolean;
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
  call: { state: string; [extra: string]: unknown };
  error: SealDeskError;
}

export interface Desk {
  readonly role: Role;
  readonly locale: string;
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
  };
  chat: {
    /** Rejects with SealDeskError CONSENT_REQUIRED (details.purpose === 'chat') without chat consent. */
    send(text: string, options?: { session?: string }): Promise<ChatMessage>;
    typing(options?: { session?: string }): Promise<void>;
  };
  session: {
    info(session?: string): Promise<SessionInfo>;
    end(session?: string): Promise<void>;
  };
  /** Agent only. */
  sessions: {
    accept(session: string): Promise<SessionInfo>;
    transfer(session: string, to?: string): Promise<void>;
  };
  data: {
    /** Data categories collected so far in this session (from the purposes used). */
    categories(): Promise<string[]>;
    /** Wipes the consent store, ledger and keys held in this browser. */
    deleteLocal(): Promise<void>;
  };
  on<K extends keyof DeskEvents>(event: K, fn: (value: DeskEvents[K]) => void): () => void;
  destroy(): Promise<void>;
}

export const SealDesk: {
  create(options: CreateOptions): Promise<Desk>;
};
