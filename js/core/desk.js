// Friendly wrappers over wasm/desk_bindings.cpp: the relay payload, attachment parts and
// plaintext, record bodies, the send path and the inboxes (sdk/desk). The rules live in the core; this
// file moves bytes to and from the heap.
import { SealDeskError } from '../errors.js';

const utf8 = new TextEncoder();

export function bindDesk(m, heap) {
  const bytesOf = (input, what) => {
    if (input instanceof Uint8Array) return input;
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    throw new SealDeskError('INVALID_ARGUMENT', `${what} must be bytes`);
  };
  const orThrow = (value) => (value === null || value === undefined ? heap.checkHandle(null) : value);

  /** { kind: 'handshake'|'record'|'part'|'liveAudio', bytes, id?, index?, count? }; MALFORMED otherwise. */
  function decodePayload(payload) {
    const bytes = bytesOf(payload, 'payload');
    const view = heap.with([bytes], (p) => orThrow(m._deskDecodePayload(p, bytes.byteLength)));
    const out = { kind: view.kind, bytes: bytes.subarray(view.offset, view.offset + view.length) };
    if (view.kind === 'part') Object.assign(out, { id: view.id, index: view.index, count: view.count });
    return out;
  }

  /** kind | bytes, for the relay. */
  function encodePayload(kind, bytes) {
    const input = bytesOf(bytes, 'payload bytes');
    return heap.with([input, input.byteLength + 1], (p, out) => {
      const n = heap.check(m._deskEncodePayload(kind, p, input.byteLength, out, input.byteLength + 1));
      return heap.copyOut(out, n);
    });
  }

  /** A sealed attachment cut into relay payloads (TOO_LARGE over 16 MiB). */
  function cutParts(sealed) {
    const count = heap.check(m._deskPartCount(sealed.byteLength));
    const id = crypto.getRandomValues(new Uint8Array(8));
    const cap = m.DESK_PART_HEADER_BYTES + m.DESK_PART_BYTES;
    return heap.with([id, sealed, cap], (pid, ps, out) => {
      const parts = [];
      for (let i = 0; i < count; i++) parts.push(heap.copyOut(out, heap.check(m._deskEncodePart(pid, i, ps, sealed.byteLength, out, cap))));
      return parts;
    });
  }

  /**
   * Collects an attachment's parts, bounded (at most maxPending attachments and maxBuffered bytes
   * at once; one whose next part is later than expiryMs is dropped).
   */
  class PartAssembler {
    constructor({ maxPending = 4, maxBuffered = m.DESK_MAX_ATTACHMENT_BYTES + m.DESK_PART_BYTES, expiryMs = 120_000 } = {}) {
      this.handle = heap.checkHandle(m.PartAssembler._create(maxPending, maxBuffered, expiryMs));
    }
    /** One part payload; returns the whole sealed attachment when this part completed it, else null. */
    add(payload, nowMs = Date.now()) {
      const bytes = bytesOf(payload, 'part');
      const done = heap.with([bytes], (p) => heap.check(this.handle._add(p, bytes.byteLength, nowMs)));
      return done ? heap.takeOutput(this.handle._take()) : null;
    }
    expire(nowMs = Date.now()) {
      return this.handle.expire(nowMs);
    }
    get pending() {
      return this.handle.pending();
    }
    get bufferedBytes() {
      return this.handle.bufferedBytes();
    }
    delete() {
      this.handle?.clear();
      this.handle?.delete();
      this.handle = null;
    }
  }

  /** Attachment plaintext: meta { id, kind, mime, durationMs, at } and the file. The caller wipes the result. */
  function encodeAttachment(meta, file) {
    const full = { id: String(meta.id), kind: String(meta.kind), mime: String(meta.mime ?? 'application/octet-stream'), durationMs: Number(meta.durationMs) || 0, at: Number(meta.at) || 0 };
    const input = bytesOf(file, 'file');
    return heap.with([input], (p) => {
      const view = orThrow(m._deskEncodeAttachment(full, p, input.byteLength));
      const out = view.slice();
      view.fill(0);
      return out;
    });
  }

  /** { meta, file } of an opened attachment's plaintext (file is a copy). */
  function decodeAttachment(plaintext, nowMs = Date.now()) {
    const bytes = bytesOf(plaintext, 'attachment');
    const view = heap.with([bytes], (p) => orThrow(m._deskDecodeAttachment(p, bytes.byteLength, nowMs)));
    return { meta: view.meta, file: bytes.slice(view.offset, view.offset + view.length) };
  }

  /** A record body to seal, checked in the core; cs: the consent sequence (customer), 0 for none. */
  function encodeBody(body, cs = 0) {
    return utf8.encode(orThrow(m._deskEncodeBody(JSON.stringify(body), cs)));
  }

  /**
   * The customer's send path in one core call: consent (chat.send), size, mask, seal under chat;
   * with revealKey (the agent's) and pii_reveal granted, each finding carries its sealed original.
   * @returns {{ payload: Uint8Array, text: string, findings: object[] }} the relay payload and the
   *   masked preview; CONSENT_REQUIRED / CONSENT_EXPIRED / TOO_LARGE / INVALID_ARGUMENT otherwise
   */
  function sealChat(engine, masker, session, text, { id, at = Date.now(), cs = 0, revealKey = null }) {
    if (typeof text !== 'string') throw new SealDeskError('INVALID_ARGUMENT', 'text must be a string');
    const bytes = utf8.encode(text);
    const key = revealKey ? bytesOf(revealKey, 'reveal key') : new Uint8Array(0);
    try {
      return heap.with([bytes, key], (p, k) => orThrow(m._deskSealChat(engine.handle, masker.handle, session.handle, p, bytes.byteLength, id, at, cs, k, key.byteLength)));
    } finally {
      bytes.fill(0);
    }
  }

  /**
   * A message left for support while no agent accepted (sdk/desk/left_message.h): consent
   * (chat.send), size, mask, sign with the customer's identity, seal to the desk's pinned key.
   * @returns {{ payload: Uint8Array, text: string, findings: object[] }} the relay payload and the masked preview
   */
  function sealLeft(engine, masker, identity, deskKey, relaySession, text, { contact = '', id, at = Date.now() }) {
    if (typeof text !== 'string' || typeof contact !== 'string') throw new SealDeskError('INVALID_ARGUMENT', 'text and contact must be strings');
    const key = bytesOf(deskKey, 'desk key');
    if (key.byteLength !== 32) throw new SealDeskError('INVALID_ARGUMENT', 'the desk key is 32 bytes');
    const bytes = utf8.encode(text);
    const contactBytes = utf8.encode(contact);
    try {
      return heap.with([key, bytes, contactBytes], (pk, pt, pc) =>
        orThrow(m._deskSealLeft(engine.handle, masker.handle, identity.handle, pk, String(relaySession), pt, bytes.byteLength, pc, contactBytes.byteLength, id, at)));
    } finally {
      bytes.fill(0);
      contactBytes.fill(0);
    }
  }

  const inbound = (view) => ({ type: view.type, purpose: view.purpose, revealGranted: view.revealGranted, privacyMode: view.privacyMode, body: JSON.parse(view.json) });

  /**
   * The agent's inbox for one conversation (sdk/desk/inbox.h): opens a record, checks its body,
   * its purpose and the customer's consent sequence, and applies consent updates to the session.
   */
  class AgentInbox {
    constructor() {
      this.handle = new m.AgentInbox();
    }
    /**
     * @returns {{ type, purpose, body, revealGranted, privacyMode }}; throws the session's errors, MALFORMED
     *   (wrong purpose for the type), CONSENT_GAP (then every key of the epoch is wiped)
     */
    receive(session, sealed, nowMs = Date.now()) {
      const bytes = bytesOf(sealed, 'record');
      return inbound(heap.with([bytes], (p) => orThrow(this.handle._receive(session.handle, p, bytes.byteLength, nowMs))));
    }
    /**
     * A message the customer left before any agent accepted (the bytes of a 'left' payload),
     * opened with the desk's identity for relaySession; its signer becomes the only customer
     * who may complete a handshake in session (KEY_MISMATCH otherwise). REPLAYED when shown before.
     */
    receiveLeft(session, deskIdentity, relaySession, sealed, nowMs = Date.now()) {
      const bytes = bytesOf(sealed, 'left message');
      return inbound(heap.with([bytes], (p) => orThrow(this.handle._receiveLeft(session.handle, deskIdentity.handle, String(relaySession), p, bytes.byteLength, nowMs))));
    }
    /** Purposes whose keys the last receive() wiped (a consent update, or the gap it revealed). */
    stopped() {
      return this.handle.stopped();
    }
    /** Privacy mode: on from the customer's first update that says so, never off again. */
    privacyMode() {
      return this.handle.privacyMode();
    }
    /** The conversation ended or moved on: wipes every key of session at once; true = forget it (privacy mode). */
    end(session) {
      return this.handle.end(session.handle);
    }
    /** True while records of session's current epoch are refused (a consent update was lost). */
    closed(session) {
      return this.handle.closed(session.handle);
    }
    delete() {
      this.handle?.delete();
      this.handle = null;
    }
  }

  /** The customer's receive: { type, purpose, body }; the same errors, without a consent sequence. */
  function customerReceive(session, sealed, nowMs = Date.now()) {
    const bytes = bytesOf(sealed, 'record');
    return inbound(heap.with([bytes], (p) => orThrow(m._deskCustomerReceive(session.handle, p, bytes.byteLength, nowMs))));
  }

  /** The agent's reveal key pair for one conversation: the secret half stays in the core. */
  class RevealKey {
    constructor() {
      this.handle = heap.checkHandle(m.RevealKey._generate());
      this.publicKey = heap.with([32], (out) => {
        heap.check(this.handle._publicKey(out));
        return heap.copyOut(out, 32);
      });
    }
    /** @returns {{ type: string, text: string }} the original of a "[sealed:type:…]" token */
    open(token) {
      if (!this.handle) throw new SealDeskError('KEY_WIPED', 'the reveal key was wiped');
      return orThrow(this.handle._open(String(token)));
    }
    delete() {
      this.handle?.wipe();
      this.handle?.delete();
      this.handle = null;
    }
  }

  return {
    desk: { decodePayload, RevealKey, sealChat, sealLeft, encodePayload, cutParts, PartAssembler, encodeAttachment, decodeAttachment, encodeBody, AgentInbox, customerReceive,
      PART_BYTES: m.DESK_PART_BYTES, MAX_ATTACHMENT_BYTES: m.DESK_MAX_ATTACHMENT_BYTES, MAX_TEXT_UNITS: m.DESK_MAX_TEXT_UNITS },
  };
}
