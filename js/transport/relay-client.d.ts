// Types for js/transport/relay-client.js (wire format: demo/relay/PROTOCOL.md).
import type { SealDeskError } from '../errors.js';

export type Role = 'customer' | 'agent';
export type SessionState = 'waiting' | 'active' | 'ended' | 'transferred';

export interface RelayClientOptions {
  /** The relay, or several relay processes sharing one Redis: the next one is tried at every reconnect. */
  url: string | string[];
  role: Role;
  /** Agents only. */
  token?: string;
  /** Customer: the consent summary shown in the agents' queue (≤ 2 KiB of JSON). */
  summary?: Record<string, unknown>;
  /** Customer: how long the relay may keep undelivered frames. */
  retentionMs?: number;
  /** Customer: rejoin a session after a page reload (from `resumeInfo`). */
  resume?: { session: string; resume: string };
  /** Default: `new globalThis.WebSocket(url)`; in Node pass `(u) => new WebSocket(u)` from `ws`. */
  createSocket?: (url: string) => WebSocket;
  backoff?: { initialMs?: number; maxMs?: number; factor?: number };
  heartbeatMs?: number;
  window?: number;
  maxPending?: number;
  ackDelayMs?: number;
}

export interface SessionView {
  session: string;
  epoch: number;
  state: SessionState;
  agent: string | null;
  peer: boolean;
  summary?: Record<string, unknown>;
}

export interface QueueEntry {
  session: string;
  since: number;
  online: boolean;
  summary: Record<string, unknown> | null;
  transferFrom?: string;
  targeted: boolean;
}

export interface RelayClientEvents {
  message: { session: string; epoch: number; counter: number; payload: Uint8Array };
  session: SessionView;
  queue: { sessions: QueueEntry[] };
  stored: { session: string; epoch: number; counter: number };
  delivered: { session: string; epoch: number; upTo: number };
  undelivered: { session: string; epoch: number; counters: number[]; reason: 'transferred' | 'ended' | 'expired' };
  refused: { session: string; code: string };
  status: { state: 'connecting' | 'open' | 'reconnecting' | 'closed'; code?: number; reason?: string; attempt?: number; delayMs?: number };
  open: { role: Role; session: string | null };
  error: SealDeskError;
}

export class RelayClient {
  constructor(options: RelayClientOptions);
  readonly role: Role;
  /** The relay URL in use (with several, the one tried now). */
  readonly url: string;
  readonly status: 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';
  /** Customer: the session id once welcomed. */
  readonly sessionId: string | null;
  readonly resumeInfo: { session: string; resume: string } | null;
  readonly counters: { sent: number; resent: number; delivered: number; duplicates: number; reconnects: number };
  on<K extends keyof RelayClientEvents>(event: K, fn: (value: RelayClientEvents[K]) => void): () => void;
  connect(): Promise<unknown>;
  send(payload: Uint8Array, options?: { session?: string }): { session: string; epoch: number; counter: number };
  flushed(session?: string): Promise<void>;
  accept(session: string): Promise<SessionView>;
  transfer(session: string, to?: string): boolean;
  end(session?: string): boolean;
  close(): void;
}
