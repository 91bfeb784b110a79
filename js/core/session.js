// Friendly wrapper over wasm/session_bindings.cpp: an end-to-end encrypted support session
// (sdk/session/session.h, sdk/crypto/PROTOCOL.md). Keys stay in the core; JS moves sealed bytes.

// A heap buffer kept across calls (the media hot path allocates nothing per frame). Grows when a
// larger frame arrives; the old one is zeroed before it is freed.
export class ReusableBuffer {
  constructor(heap) {
    this.heap = heap;
    this.ptr = 0;
    this.capacity = 0;
  }
  ensure(size) {
    if (size > this.capacity) {
      this.release();
      this.capacity = Math.max(size, 4096);
      this.ptr = this.heap.alloc(this.capacity);
    }
    return this.ptr;
  }
  zero(size = this.capacity) {
    if (this.ptr) this.heap.u8.fill(0, this.ptr, this.ptr + Math.min(size, this.capacity));
  }
  release() {
    if (this.ptr) {
      this.zero();
      this.heap.m._free(this.ptr);
    }
    this.ptr = 0;
    this.capacity = 0;
  }
}

const encoder = new TextEncoder();
const toBytes = (data) => (typeof data === 'string' ? encoder.encode(data) : data);

export function bindSession(m, heap) {
  const HANDSHAKE_MAX = m.HANDSHAKE_MAX_BYTES;

  class Session {
    constructor(handle) {
      this.handle = handle;
      this.ptr = handle._address(); // for the raw hot-path calls (0 once deleted)
      this.frames = new ReusableBuffer(heap); // reused by every frame of this session
      this.records = new ReusableBuffer(heap); // and by every message
      this.purposeNames = new Map(); // purpose -> its UTF-8 bytes
    }

    /**
     * The customer side.
     * @param {Uint8Array} sessionId 16 bytes
     * @param {Uint8Array} pinnedAgentKey the agent desk's Ed25519 public key from the widget config
     */
    static customer(sessionId, pinnedAgentKey) {
      if (!pinnedAgentKey || pinnedAgentKey.byteLength !== 32) {
        throw heap.error(100, 'the customer needs the agent desk\'s pinned 32-byte public key');
      }
      if (sessionId.byteLength !== m.SESSION_ID_BYTES) throw heap.error(100, 'session id must be 16 bytes');
      return new Session(heap.with([sessionId, pinnedAgentKey], (sid, pk) => heap.checkHandle(m.Session._createCustomer(sid, pk))));
    }

    /** The agent side; pass the customer's identity key when the desk already knows it (a transfer). */
    static agent(expectedCustomerKey = new Uint8Array(0)) {
      return new Session(
        heap.with([expectedCustomerKey], (pk) => heap.checkHandle(m.Session._createAgent(pk, expectedCustomerKey.byteLength))),
      );
    }

    static sealedMessageBytes(length) {
      return m._sealedMessageBytes(length);
    }
    static sealedAttachmentBytes(length) {
      return m._sealedAttachmentBytes(length);
    }

    get role() {
      return this.handle.role() === 0 ? 'customer' : 'agent';
    }
    get epoch() {
      return this.handle.epoch();
    }
    get established() {
      return this.handle.established();
    }
    get ended() {
      return this.handle.ended();
    }
    /** "12345 67890 12345": the same on both sides when no one is in the middle. */
    get safetyCode() {
      return this.handle.safetyCode();
    }
    /** Purpose ids of the current epoch, in index order. */
    get purposes() {
      return this.handle.purposes();
    }
    get peerIdentity() {
      return heap.with([32], (out) => {
        heap.check(this.handle._peerIdentity(out));
        return heap.copyOut(out, 32);
      });
    }
    /** The index frames use for a purpose; resolve it again after every new epoch. */
    purposeIndex(purpose) {
      return heap.check(this.handle._purposeIndex(purpose));
    }
    hasKeys(purpose) {
      return this.handle.hasKeys(purpose);
    }

    /** Customer: starts the next epoch (first contact, agent transfer, re-grant). @returns the hello */
    beginHandshake(purposes) {
      return heap.with([HANDSHAKE_MAX], (out) => {
        const n = heap.check(this.handle._beginHandshake(purposes.join(','), out, HANDSHAKE_MAX));
        return heap.copyOut(out, n);
      });
    }

    /**
     * Takes the peer's handshake message. @returns the message to send back (empty when none)
     * @param {{ handle: object }} identity an IdentityKey: this side's long-term identity
     */
    handleHandshake(message, identity) {
      return heap.with([message, HANDSHAKE_MAX], (msg, out) => {
        const n = heap.check(this.handle._handleHandshake(msg, message.byteLength, identity.handle, out, HANDSHAKE_MAX));
        return heap.copyOut(out, n);
      });
    }

    // A deleted session's heap offset must never reach the core again.
    #live() {
      if (!this.ptr) throw heap.error(209, 'the session was deleted');
      return this.ptr;
    }

    /** @param {string|Uint8Array} message @returns {Uint8Array} the sealed record */
    sealMessage(purpose, message) {
      const session = this.#live();
      const data = toBytes(message);
      let name = this.purposeNames.get(purpose);
      if (!name) this.purposeNames.set(purpose, (name = encoder.encode(purpose)));
      const len = data.byteLength;
      const cap = m._sealedMessageBytes(len);
      const at = this.records.ensure(name.byteLength + len + cap);
      const plain = at + name.byteLength;
      const out = plain + len;
      heap.u8.set(name, at);
      heap.u8.set(data, plain);
      const rc = m._sessionSealMessage(session, at, name.byteLength, plain, len, out, cap);
      const u8 = heap.u8; // read after the call: an error's detail may have grown the heap
      u8.fill(0, plain, out); // the plaintext copy
      return u8.slice(out, out + heap.check(rc));
    }

    /** @returns {{ purpose: string, counter: number, bytes: Uint8Array }} */
    openMessage(sealed) {
      const session = this.#live();
      const len = sealed.byteLength;
      const meta = this.records.ensure(12 + 2 * len); // 3 x uint32 first: aligned
      const input = meta + 12;
      const out = input + len;
      heap.u8.set(sealed, input);
      const n = heap.check(m._sessionOpenMessage(session, input, len, out, len, meta));
      const bytes = heap.u8.slice(out, out + n);
      heap.u8.fill(0, out, out + n); // the plaintext copy
      return this.#record(meta, bytes);
    }

    /** Files and voice notes, sealed in 64 KiB chunks. onProgress(done, total) after each chunk. */
    sealAttachment(purpose, data, onProgress = null) {
      const cap = m._sealedAttachmentBytes(data.byteLength);
      return heap.with([data, cap], (pt, out) =>
        heap.copyOut(out, heap.check(this.handle._sealAttachment(purpose, pt, data.byteLength, out, cap, onProgress))),
      );
    }

    openAttachment(sealed, onProgress = null) {
      return heap.with([sealed, sealed.byteLength, 12], (c, out, meta) => {
        const n = heap.check(this.handle._openAttachment(c, sealed.byteLength, out, sealed.byteLength, meta, onProgress));
        return this.#record(meta, heap.copyOut(out, n));
      });
    }

    #record(meta, data) {
      const fields = new Uint32Array(heap.u8.buffer, meta, 3);
      return { purpose: this.purposes[fields[0]], counter: fields[1] + fields[2] * 2 ** 32, bytes: data };
    }

    /**
     * Seals one encoded media frame (RTCRtpScriptTransform hot path: the heap buffer is reused).
     * @param {number} purpose index from purposeIndex() @param {number} track 0..3
     * @param {number} codec a FrameCodec value @returns {Uint8Array} the sealed frame
     */
    sealFrame(purpose, track, codec, frame) {
      const session = this.#live();
      const data = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
      const len = data.byteLength;
      const cap = 2 * len + 64; // enough for any codec, H.264 escaping included
      const input = this.frames.ensure(len + cap);
      const out = input + len; // disjoint input and output: the core encrypts in one pass
      heap.u8.set(data, input);
      const rc = m._sessionSealFrame(session, purpose, track, codec, input, len, out, cap);
      const u8 = heap.u8;
      u8.fill(0, input, out); // the plaintext copy
      return u8.slice(out, out + heap.check(rc));
    }

    /** Opens a sealed frame; throws (drop the frame) when it does not authenticate. */
    openFrame(codec, sealed) {
      const session = this.#live();
      const data = sealed instanceof Uint8Array ? sealed : new Uint8Array(sealed);
      const len = data.byteLength;
      const input = this.frames.ensure(2 * len);
      const out = input + len;
      heap.u8.set(data, input);
      const n = heap.check(m._sessionOpenFrame(session, codec, input, len, out, len));
      const u8 = heap.u8;
      const plain = u8.slice(out, out + n);
      u8.fill(0, out, out + n); // the plaintext copy
      return plain;
    }

    rotateFrameKey(purpose, track) {
      heap.check(this.handle._rotateFrameKey(purpose, track));
    }

    /**
     * The frame base keys of one call, (purpose, track), for a frame-transform worker:
     * { send: { keyId, baseKey }, receive: { keyId, baseKey } }, key ids as bigint. callId is the
     * call's 16 random bytes (the customer picks it, the ring carries it); each call id gets keys
     * once per epoch (REPLAYED after). Transfer the baseKey buffers onward (or zero them): the
     * heap copies are zeroed here.
     */
    exportCallFrameKeys(purpose, track, callId) {
      return heap.with([heap.exact(callId, 16, 'callId'), 32, 32, 16], (id, send, receive, ids) => {
        heap.check(this.handle._exportCallFrameKeys(purpose, track, id, send, receive, ids));
        const view = new DataView(heap.u8.buffer, ids, 16);
        return { // heap.with zeroes the heap copies
          send: { keyId: view.getBigUint64(0, true), baseKey: heap.copyOut(send, 32) },
          receive: { keyId: view.getBigUint64(8, true), baseKey: heap.copyOut(receive, 32) },
        };
      });
    }

    /** Consent for purpose was revoked: its keys are wiped now. */
    wipePurpose(purpose) {
      heap.check(this.handle._wipePurpose(purpose));
    }

    /** Wipes every key; later calls fail with KEY_WIPED. */
    end() {
      this.handle?.end();
      this.frames.zero();
      this.records.zero();
    }

    delete() {
      if (!this.handle) return;
      this.handle.end();
      this.frames.release();
      this.records.release();
      this.handle.delete();
      this.handle = null;
      this.ptr = 0;
    }
  }

  return { Session };
}
