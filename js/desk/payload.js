// What SealDesk puts in a relay frame's opaque payload (the relay never reads it):
//
//   byte 0     kind: 0x01 handshake message (sdk/crypto/PROTOCOL.md §3; public by design,
//              authenticated by the handshake itself), 0x02 sealed record (Session.sealMessage),
//              0x03 one part of a sealed attachment (Session.sealAttachment)
//              0x04 one live-audio frame (Session.sealFrame, voice purpose, track 1): the
//              sealed plaintext is sequence number (u32 BE) | Opus packet
//   bytes 1..  the handshake message or the sealed record; for a part:
//              attachment id (8 random bytes) | part index (u16 BE) | part count (u16 BE) | bytes
//
// A sealed attachment is cut into parts that fit a relay frame; the relay delivers them in
// order, exactly once, and the receiver opens the whole once the last part arrived. Its
// plaintext is: meta length (u32 BE) | meta JSON { id, kind: 'voice-note', mime, durationMs } | file.
//
// A sealed record's plaintext is a small JSON body:
//   { t: 'text', id, text, findings?, at }   a chat message (customer: already masked)
//   { t: 'typing' }                          typing indicator (chat purpose)
//   { t: 'consent', summary }                the customer's consent state (routing purpose)
//   { t: 'reveal-key', key }                 agent: this session's X25519 public key for sealed
//                                            PII reveal tokens (routing purpose)
//   { t: 'signal', m }                       call signaling (routing purpose)
// A text message's findings may carry `reveal`: the original, sealed to the agent's reveal key
// ("[sealed:type:base64url]"), sent only while the customer grants the pii_reveal purpose.
import { SealDeskError } from '../errors.js';

export const Kind = Object.freeze({ handshake: 0x01, record: 0x02, part: 0x03, liveAudio: 0x04 });
export const PART_BYTES = 96 * 1024; // under the relay's 128 KiB frame limit with headers
export const MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024;
const PART_HEADER = 1 + 8 + 2 + 2;
export const MAX_TEXT_CHARS = 16 * 1024; // one chat message; larger text goes as an attachment
const MAX_BODY_BYTES = 4 * MAX_TEXT_CHARS + 16 * 1024; // UTF-8 worst case plus findings

const REVEAL_TOKEN = /^\[sealed:[a-z0-9_]{1,32}:[A-Za-z0-9_-]+\]$/; // sdk/pii/masker.h, style "sealed"
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
  if (bytes.byteLength < 2 || !Object.values(Kind).includes(bytes[0])) {
    throw new SealDeskError('MALFORMED', 'not a SealDesk payload');
  }
  if (bytes[0] !== Kind.part) return { kind: bytes[0], bytes: bytes.subarray(1) };
  if (bytes.byteLength <= PART_HEADER) throw new SealDeskError('MALFORMED', 'attachment part too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const index = view.getUint16(9);
  const count = view.getUint16(11);
  if (count === 0 || index >= count || count * PART_BYTES > MAX_ATTACHMENT_BYTES + PART_BYTES) {
    throw new SealDeskError('MALFORMED', 'attachment part numbering is invalid');
  }
  let id = '';
  for (const b of bytes.subarray(1, 9)) id += b.toString(16).padStart(2, '0');
  return { kind: Kind.part, id, index, count, bytes: bytes.subarray(PART_HEADER) };
}

/** Cuts a sealed attachment into relay payloads. */
export function encodeParts(sealed) {
  if (sealed.byteLength > MAX_ATTACHMENT_BYTES) throw new SealDeskError('TOO_LARGE', `attachments are at most ${MAX_ATTACHMENT_BYTES} bytes`);
  const id = crypto.getRandomValues(new Uint8Array(8));
  const count = Math.max(1, Math.ceil(sealed.byteLength / PART_BYTES));
  const parts = [];
  for (let i = 0; i < count; i++) {
    const chunk = sealed.subarray(i * PART_BYTES, (i + 1) * PART_BYTES);
    const out = new Uint8Array(PART_HEADER + chunk.byteLength);
    out[0] = Kind.part;
    out.set(id, 1);
    new DataView(out.buffer).setUint16(9, i);
    new DataView(out.buffer).setUint16(11, count);
    out.set(chunk, PART_HEADER);
    parts.push(out);
  }
  return parts;
}

/** Collects parts per attachment id; returns the whole sealed attachment when the last one came. */
export class PartAssembler {
  constructor() {
    this.pending = new Map();
  }
  add({ id, index, count, bytes }) {
    let entry = this.pending.get(id);
    if (!entry) {
      if (index !== 0) throw new SealDeskError('MALFORMED', 'attachment part out of order');
      entry = { count, next: 0, chunks: [] };
      this.pending.set(id, entry);
    }
    if (count !== entry.count || index !== entry.next) {
      this.pending.delete(id);
      throw new SealDeskError('MALFORMED', 'attachment part out of order');
    }
    entry.chunks.push(bytes.slice());
    entry.next++;
    if (entry.next < entry.count) return null;
    this.pending.delete(id);
    const total = entry.chunks.reduce((n, c) => n + c.byteLength, 0);
    const whole = new Uint8Array(total);
    let at = 0;
    for (const c of entry.chunks) {
      whole.set(c, at);
      at += c.byteLength;
    }
    return whole;
  }
}

/** Attachment plaintext: meta length | meta JSON | file. */
export function encodeAttachment(meta, file) {
  const m = encoder.encode(JSON.stringify(meta));
  const out = new Uint8Array(4 + m.byteLength + file.byteLength);
  new DataView(out.buffer).setUint32(0, m.byteLength);
  out.set(m, 4);
  out.set(file, 4 + m.byteLength);
  return out;
}

export function decodeAttachment(bytes) {
  if (bytes.byteLength < 4) throw new SealDeskError('MALFORMED', 'attachment too short');
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (length > 4096 || 4 + length > bytes.byteLength) throw new SealDeskError('MALFORMED', 'attachment meta is malformed');
  let meta;
  try {
    meta = JSON.parse(decoder.decode(bytes.subarray(4, 4 + length)));
  } catch {
    throw new SealDeskError('MALFORMED', 'attachment meta is not UTF-8 JSON');
  }
  if (!meta || typeof meta.id !== 'string' || meta.id.length > 64 || typeof meta.kind !== 'string') {
    throw new SealDeskError('MALFORMED', 'attachment meta is malformed');
  }
  return {
    meta: { id: meta.id, kind: meta.kind.slice(0, 32), mime: String(meta.mime ?? 'application/octet-stream').slice(0, 100), durationMs: Number(meta.durationMs) || 0, at: Number(meta.at) || Date.now() },
    file: bytes.slice(4 + length),
  };
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
    ).map((f) => ({
      type: f.type.slice(0, 32),
      style: String(f.style ?? '').slice(0, 16),
      maskedStart: f.maskedStart,
      maskedEnd: f.maskedEnd,
      ...(typeof f.reveal === 'string' && f.reveal.length <= 1024 && REVEAL_TOKEN.test(f.reveal) ? { reveal: f.reveal } : {}),
    }));
  }
  return body;
}
