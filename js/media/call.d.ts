// Types for js/media/call.js: a WebRTC call whose every encoded frame is sealed end to end.

export type CallRole = 'customer' | 'agent';
export type CallPurpose = 'camera' | 'voice';
export type FrameTransformApi = 'script-transform' | 'insertable-streams';

/** Any transport for the call's signaling (the relay in the widget). Messages are plain objects. */
export interface CallSignaling {
  send(message: object): void;
  /** Assigned by the call; the transport calls it with each message from the peer. */
  onmessage: ((message: object) => void) | null;
}

/** One frame key as the key source hands it to the transform worker (PROTOCOL.md §5.3). */
export interface FrameKeyRecord {
  purpose: CallPurpose;
  /** 'send': this side's sender key; 'receive': the peer's sender key. */
  direction: 'send' | 'receive';
  keyId: bigint | number;
  /** 32 bytes; zeroed once handed over. */
  baseKey: Uint8Array;
}

/**
 * Messages a key source posts on the key port (the other end of CreateCallOptions.frameKeys).
 * Key bytes travel only this way: key source -> transform worker.
 */
export type FrameKeyMessage =
  | ({ type: 'key' } & FrameKeyRecord)
  | { type: 'rotate'; purpose: CallPurpose }
  | { type: 'wipe'; purpose?: CallPurpose };

export interface CallState {
  connection: RTCPeerConnectionState;
  e2ee: FrameTransformApi;
  /** What this side captures right now: the indicators the customer must see. */
  devices: {
    camera: 'live' | 'off' | 'revoked';
    microphone: 'live' | 'muted' | 'off' | 'revoked';
  };
  /** What the peer sends ('revoked': the purpose was stopped on either side). */
  remote: Record<CallPurpose, 'none' | 'receiving' | 'revoked' | 'ended'>;
  ended: boolean;
  error: string | null;
}

export interface CreateCallOptions {
  role: CallRole;
  signaling: CallSignaling;
  /** Preferably a MessagePort whose other end the key source (the core worker) holds. */
  frameKeys: MessagePort | FrameKeyRecord[];
  onState?: (state: CallState) => void;
  /** What to capture at the start (default both). */
  capture?: { camera?: boolean; voice?: boolean };
  /** Already captured media instead of getUserMedia. */
  stream?: MediaStream;
  e2ee?: 'auto' | FrameTransformApi;
  /** Where frame-transform-worker.js is served (default: next to call.js). */
  workerUrl?: string | URL;
  /** Tests: the worker measures this many sealed frames per sender (numbers only). */
  audit?: number;
}

export interface TransformCounters {
  transforms: number;
  frames: number;
  /** Sealed (send) or opened (receive) and handed on. */
  forwarded: number;
  droppedNoKey: number;
  empty: number;
  failed: number;
  /** By SealDeskError code, e.g. { AUTH_FAILED: 12 }. */
  failures: Record<string, number>;
  firstFailures: Array<{ code: string; bytes: number; type: string }>;
  bytesIn: number;
  bytesOut: number;
  coreMs: number;
  codecs: Record<string, number>;
  audit: Array<{ type: string; plainBytes: number; sealedBytes: number; commonPrefix: number; plaintextFound: boolean }>;
}

export interface CallStats {
  e2ee: FrameTransformApi;
  ended: boolean;
  coreLoaded?: boolean;
  coreError?: string | null;
  /** Installed keys by slot ('send:camera', 'receive:voice', …); ids only, never key bytes. */
  keys?: Array<{ slot: string; keyId: string }>;
  transforms?: Record<string, TransformCounters>;
  cspViolations?: Array<{ directive: string; blocked: string }>;
}

export interface Call {
  readonly state: CallState;
  readonly localStream: MediaStream;
  readonly remoteStream: MediaStream;
  readonly peerConnection: RTCPeerConnection;
  /** Microphone on/off; throws CONSENT_REQUIRED after voice was revoked. */
  setMuted(muted: boolean): void;
  /** Camera on/off: off releases the device; rejects with CONSENT_REQUIRED after a revoke. */
  setCamera(on: boolean): Promise<void>;
  /** Consent revoked: the purpose's local tracks end before this returns; keys wiped on both sides. */
  stopPurpose(purpose: CallPurpose): Promise<void>;
  rotateKeys(purpose?: CallPurpose): Promise<void>;
  stats(): Promise<CallStats>;
  hangup(): Promise<void>;
}

export function e2eeSupport(): FrameTransformApi | null;
export function createCall(options: CreateCallOptions): Promise<Call>;
