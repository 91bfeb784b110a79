// What SealDesk puts in a relay frame's opaque payload (the relay never reads it):
//
//   byte 0     kind: 0x01 handshake message (sdk/crypto/PROTOCOL.md §3; public by design,
//              authenticated by the handshake itself), 0x02 sealed record (Session.sealMessage)
//   bytes 1..  the handshake message or the sealed record
//
// A sealed record's plaintext is a small JSON body:
//   { t: 'text', id, text, findings?, at }   a chat message (customer: already masked)
//   { t: 'typing' }                          typing indicator (chat purpose)
//   { t: 'consent', summary }                the customer's consent state (routing purpose)
import { SealDeskError } from '../errors.js';

export const Kind = Object.freeze({ handshake: 0x01, record: 0x02 });
export const MAX_TEXT_CHARS = 16 * 1024; // one chat message; larger text goes as an attachment
const MAX_BODY_BYTES = 4 * MAX_TEXT_CHARS + 16 * 1024; // UTF-8 worst case plus findings

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodePayload(kind, bytes) {
  const out = new Uint8Array(1 + bytes.byteLength);
  out[0] = kind;
  out.set(bytes, 1);
  return out;
}

export function decodePayload(payload) {
  const bytes = payload instanceof Uint8Array ? payload : new Uint8Array(payload);
  if (bytes.byteLength < 2 || (bytes[0] !== Kind.handshake && bytes[0] !== Kind.record)) {
    throw new SealDeskError('MALFORMED', 'not a SealDesk payload');
  }
  return { kind: bytes[0], bytes: bytes.subarray(1) };
}

export function encodeBody(body) {
  return encoder.encode(JSON.stringify(body));
}

/** A record's plaintext, checked: the peer is authenticated but its software may be buggy. */
export function decodeBody(bytes) {
  if (bytes.byteLength > MAX_BODY_BYTES) throw new SealDeskError('TOO_LARGE', 'message body too large');
  let body;
  try {
    body = JSON.parse(decoder.decode(bytes));
  } catch {
    throw new SealDeskError('MALFORMED', 'message body is not UTF-8 JSON');
  }
  if (!body || typeof body !== 'object' || typeof body.t !== 'string') throw new SealDeskError('MALFORMED', 'message body has no type');
  if (body.t === 'text') {
    if (typeof body.text !== 'string' || body.text.length > MAX_TEXT_CHARS || typeof body.id !== 'string' || body.id.length > 64) {
      throw new SealDeskError('MALFORMED', 'text message is malformed');
    }
    if (!Number.isFinite(body.at)) body.at = Date.now();
    if (!Array.isArray(body.findings)) body.findings = [];
    body.findings = body.findings.filter(
      (f) => f && typeof f.type === 'string' && Number.isInteger(f.maskedStart) && Number.isInteger(f.maskedEnd) && f.maskedStart >= 0 && f.maskedEnd <= body.text.length,
    ).map((f) => ({ type: f.type.slice(0, 32), style: String(f.style ?? '').slice(0, 16), maskedStart: f.maskedStart, maskedEnd: f.maskedEnd }));
  }
  return body;
}
