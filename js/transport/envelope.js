// The relay wire format (relay/PROTOCOL.md), shared by the relay and the client transport.
// Plain ES module with no DOM and no Node API: it runs in a page, a worker and Node.
//
// Data frames are binary WebSocket messages with a fixed header and an opaque payload:
//   offset 0      u8    kind, 0x01 = DATA
//   offset 1      u8    L, length of the session id (16..64)
//   offset 2      L     session id, ASCII [A-Za-z0-9_-]
//   offset 2+L    u32   epoch, big-endian
//   offset 6+L    u32   counter, big-endian, 1..2^32-1, per (session, epoch, direction)
//   offset 10+L   ...   payload: opaque bytes (ciphertext); the relay never reads it
// Everything else (hello, ack, session changes) is a text message holding one JSON object
// with a string field `t`.

export const PROTOCOL_VERSION = 1;
export const KIND_DATA = 0x01;
export const MIN_SESSION_ID = 16;
export const MAX_SESSION_ID = 64;
export const MAX_COUNTER = 0xffffffff;
export const MAX_EPOCH = 0xffffffff;
/** Largest header a data frame can have (kind + length + longest id + epoch + counter). */
export const MAX_HEADER_BYTES = 2 + MAX_SESSION_ID + 8;

const ID_RE = /^[A-Za-z0-9_-]{16,64}$/;
const SECRET_RE = /^[A-Za-z0-9_-]{32,128}$/;
const AGENT_ID_RE = /^[A-Za-z0-9_.@-]{1,64}$/;

/** A session id as the relay issues it: 16..64 characters of base64url's alphabet. */
export const isSessionId = (v) => typeof v === 'string' && ID_RE.test(v);
/** A customer's resume secret: 32..128 base64url characters. */
export const isResumeSecret = (v) => typeof v === 'string' && SECRET_RE.test(v);
export const isAgentId = (v) => typeof v === 'string' && AGENT_ID_RE.test(v);
export const isCounter = (v) => Number.isInteger(v) && v >= 1 && v <= MAX_COUNTER;
export const isEpoch = (v) => Number.isInteger(v) && v >= 0 && v <= MAX_EPOCH;
/** A delivered/acked watermark: 0 means nothing yet. */
export const isWatermark = (v) => Number.isInteger(v) && v >= 0 && v <= MAX_COUNTER;

/**
 * WebSocket close codes the relay uses (RFC 6455 section 7.4: 4000-4999 are private use).
 * `retry` says whether a client should reconnect after it.
 */
export const CLOSE = Object.freeze({
  NORMAL: { code: 1000, retry: false },
  GOING_AWAY: { code: 1001, retry: true }, // relay shutting down
  TOO_BIG: { code: 1009, retry: false }, // RFC 6455 "message too big"
  STATE_RESET: { code: 1012, retry: true }, // RFC 6455 "service restart": the relay's shared store came back empty
  TRY_LATER: { code: 1013, retry: true }, // RFC 6455 "try again later": session cap reached
  PROTOCOL: { code: 4000, retry: false }, // malformed message, or a message out of order
  AUTH: { code: 4001, retry: false }, // agent token wrong or missing
  HELLO_TIMEOUT: { code: 4002, retry: true },
  RESUME_REFUSED: { code: 4003, retry: false }, // customer resume secret does not match
  SESSION_ENDED: { code: 4004, retry: false },
  QUEUE_FULL: { code: 4008, retry: true }, // send queue over its bound, or peer not acknowledging
  SUPERSEDED: { code: 4010, retry: false }, // a newer connection took this role in the session
  RATE: { code: 4029, retry: true }, // token bucket empty
  ORIGIN_REFUSED: { code: 4403, retry: false }, // the page's Origin is not on the relay's list
});

const RETRY_BY_CODE = new Map(Object.values(CLOSE).map((c) => [c.code, c.retry]));

/** Whether a client should reconnect after a close with this code (1006 etc.: yes). */
export function shouldReconnect(code) {
  return RETRY_BY_CODE.get(code) ?? true;
}

function asBytes(data) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError('payload must be a Uint8Array, ArrayBuffer or typed array');
}

/**
 * Builds a data frame.
 * @param {{session: string, epoch: number, counter: number}} header
 * @param {Uint8Array|ArrayBuffer} payload opaque bytes
 * @returns {Uint8Array}
 */
export function encodeData({ session, epoch, counter }, payload) {
  if (!isSessionId(session)) throw new RangeError('bad session id');
  if (!isEpoch(epoch)) throw new RangeError('bad epoch');
  if (!isCounter(counter)) throw new RangeError('bad counter');
  const body = asBytes(payload);
  const L = session.length;
  const out = new Uint8Array(10 + L + body.byteLength);
  out[0] = KIND_DATA;
  out[1] = L;
  for (let i = 0; i < L; i++) out[2 + i] = session.charCodeAt(i);
  const view = new DataView(out.buffer);
  view.setUint32(2 + L, epoch);
  view.setUint32(6 + L, counter);
  out.set(body, 10 + L);
  return out;
}

/**
 * Reads a data frame's header. Returns null for anything malformed; never looks at the payload
 * beyond slicing it out.
 * @param {Uint8Array|ArrayBuffer} data
 * @returns {{session: string, epoch: number, counter: number, payloadOffset: number} | null}
 */
export function decodeDataHeader(data) {
  const bytes = asBytes(data);
  if (bytes.byteLength < 2 || bytes[0] !== KIND_DATA) return null;
  const L = bytes[1];
  if (L < MIN_SESSION_ID || L > MAX_SESSION_ID || bytes.byteLength < 10 + L) return null;
  let session = '';
  for (let i = 0; i < L; i++) session += String.fromCharCode(bytes[2 + i]);
  if (!ID_RE.test(session)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const epoch = view.getUint32(2 + L);
  const counter = view.getUint32(6 + L);
  if (counter === 0) return null;
  return { session, epoch, counter, payloadOffset: 10 + L };
}

/** Full decode for a receiving client: header plus a view of the payload. */
export function decodeData(data) {
  const bytes = asBytes(data);
  const header = decodeDataHeader(bytes);
  if (!header) return null;
  return { ...header, payload: bytes.subarray(header.payloadOffset) };
}

/** Header size of a data frame for this session id. */
export const headerBytes = (session) => 10 + session.length;

/** Parses a text control message: an object with a string `t`, or null. */
export function parseControl(text) {
  if (typeof text !== 'string') return null;
  let msg;
  try {
    msg = JSON.parse(text);
  } catch {
    return null;
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg) || typeof msg.t !== 'string') return null;
  return msg;
}

/** Stream name used in logs, acks and the store: the direction a frame travels. */
export const otherRole = (role) => (role === 'customer' ? 'agent' : 'customer');

/** Random base64url string of n bytes, from WebCrypto (page, worker and Node 20 all have it). */
export function randomToken(n = 32) {
  const bytes = new Uint8Array(n);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
