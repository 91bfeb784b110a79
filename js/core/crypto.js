// Friendly wrappers over wasm/crypto_bindings.cpp (and, through bindSession, the session handle).
// Keys never leave the core: JS holds handles. Every temporary heap copy is zeroed when freed.
import { bindSession, ReusableBuffer } from './session.js';

/** Codec of a media track: picks the bytes that stay clear in a sealed frame (PROTOCOL.md §5.4). */
export const FrameCodec = Object.freeze({ opaque: 0, opus: 1, vp8: 2, h264: 3 });

// 64-bit key ids cross the boundary as two 32-bit halves.
function keyIdHalves(keyId) {
  const id = BigInt(keyId);
  return [Number((id >> 32n) & 0xffffffffn), Number(id & 0xffffffffn)];
}

// Worst case sealed size for any codec (H.264 escaping adds up to half): a safe capacity to hand
// to the core without asking it per frame.
const frameCapacity = (length) => 2 * length + 64;

export function bindCrypto(m, heap) {
  const PK = m.SEALED_BOX_PUBLIC_KEY_BYTES;
  const SK = m.SEALED_BOX_SECRET_KEY_BYTES;
  const OVERHEAD = m.SEALED_BOX_OVERHEAD_BYTES;
  const bytes = (data) => (typeof data === 'string' ? new TextEncoder().encode(data) : data);

  const sealedBox = {
    /** @returns {{ publicKey: Uint8Array, secretKey: Uint8Array }} */
    keypair() {
      return heap.with([PK, SK], (pk, sk) => {
        heap.check(m._sealedBoxKeypair(pk, sk));
        return { publicKey: heap.copyOut(pk, PK), secretKey: heap.copyOut(sk, SK) };
      });
    },
    seal(message, publicKey) {
      const outLen = message.byteLength + OVERHEAD;
      return heap.with([outLen, message, heap.exact(publicKey, PK, 'publicKey')], (out, msg, pk) => {
        heap.check(m._sealedBoxSeal(out, outLen, msg, message.byteLength, pk));
        return heap.copyOut(out, outLen);
      });
    },
    open(sealed, publicKey, secretKey) {
      const outLen = Math.max(sealed.byteLength - OVERHEAD, 0);
      return heap.with([outLen, sealed, heap.exact(publicKey, PK, 'publicKey'), heap.exact(secretKey, SK, 'secretKey')], (out, c, pk, sk) => {
        heap.check(m._sealedBoxOpen(out, outLen, c, sealed.byteLength, pk, sk));
        return heap.copyOut(out, outLen);
      });
    },
  };

  /** An Ed25519 identity held inside the core (the agent desk's, or the customer's per install). */
  class IdentityKey {
    constructor(handle) {
      this.handle = handle;
    }
    static generate() {
      return new IdentityKey(heap.checkHandle(m.IdentityKey._generate()));
    }
    /** @param {Uint8Array} seed the 32-byte seed this install persisted */
    static fromSeed(seed) {
      if (seed.byteLength !== m.IDENTITY_SEED_BYTES) throw heap.error(100, 'identity seed must be 32 bytes');
      return new IdentityKey(heap.with([seed], (s) => heap.checkHandle(m.IdentityKey._fromSeed(s))));
    }
    get publicKey() {
      return heap.with([m.IDENTITY_PUBLIC_KEY_BYTES], (out) => {
        heap.check(this.handle._publicKey(out));
        return heap.copyOut(out, m.IDENTITY_PUBLIC_KEY_BYTES);
      });
    }
    /** The seed, for the caller to persist (and wipe). */
    exportSeed() {
      return heap.with([m.IDENTITY_SEED_BYTES], (out) => {
        heap.check(this.handle._exportSeed(out));
        return heap.copyOut(out, m.IDENTITY_SEED_BYTES);
      });
    }
    sign(message) {
      const data = bytes(message);
      return heap.with([data, m.SIGNATURE_BYTES], (msg, out) => {
        heap.check(this.handle._sign(msg, data.byteLength, out));
        return heap.copyOut(out, m.SIGNATURE_BYTES);
      });
    }
    delete() {
      this.handle?.delete();
      this.handle = null;
    }
  }

  /** @returns {boolean} whether signature is a valid Ed25519 signature of message by publicKey */
  function verifySignature(signature, message, publicKey) {
    const data = bytes(message);
    if (signature.byteLength !== m.SIGNATURE_BYTES || publicKey.byteLength !== m.IDENTITY_PUBLIC_KEY_BYTES) return false;
    return heap.with([signature, data, publicKey], (sig, msg, pk) => {
      const rc = m._verifySignature(sig, msg, data.byteLength, pk);
      if (rc === -309) return false; // SIGNATURE_INVALID
      heap.check(rc);
      return true;
    });
  }

  /** HKDF-SHA256 (RFC 5869), extract then expand. */
  function hkdfSha256({ salt = new Uint8Array(0), ikm, info = new Uint8Array(0), length }) {
    return heap.with([length, salt, ikm, info], (out, s, k, i) => {
      heap.check(m._hkdfSha256(out, length, s, salt.byteLength, k, ikm.byteLength, i, info.byteLength));
      return heap.copyOut(out, length);
    });
  }

  // A new sealer or opener from a raw factory: its heap offset, or the core's error.
  const frameHandle = (create, keyId, baseKey) =>
    heap.with([heap.exact(baseKey, 32, 'baseKey')], (k) => {
      const ptr = create(...keyIdHalves(keyId), k);
      return ptr || heap.checkHandle(null);
    });

  /**
   * One sending track's SFrame-style sealer (suite 0xF001). Sessions have their own. The media
   * hot path: one raw call per frame on a heap buffer kept for the sealer's life.
   */
  class FrameSealer {
    constructor(keyId, baseKey) {
      this.ptr = frameHandle(m._frameSealerCreate, keyId, baseKey);
      this.buffer = new ReusableBuffer(heap);
    }
    /** @returns {Uint8Array} the sealed frame (a copy; the heap buffer is reused) */
    seal(codec, frame) {
      if (!this.ptr) throw heap.error(209, 'the sealer was deleted');
      const len = frame.byteLength;
      const cap = frameCapacity(len);
      const input = this.buffer.ensure(len + cap);
      const out = input + len; // disjoint input and output: the core encrypts in one pass
      heap.u8.set(frame, input);
      const rc = m._frameSeal(this.ptr, codec, input, len, out, cap);
      const u8 = heap.u8; // read after the call: an error's detail may have grown the heap
      u8.fill(0, input, out); // the plaintext copy
      return u8.slice(out, out + heap.check(rc));
    }
    rotate() {
      if (!this.ptr) throw heap.error(209, 'the sealer was deleted');
      heap.check(m._frameSealerRotate(this.ptr));
    }
    delete() {
      this.buffer.release();
      if (this.ptr) m._frameSealerDelete(this.ptr);
      this.ptr = 0;
    }
  }

  /** The receiving side of one remote track. A frame that fails throws: drop it. */
  class FrameOpener {
    constructor(keyId, baseKey) {
      this.ptr = frameHandle(m._frameOpenerCreate, keyId, baseKey);
      this.buffer = new ReusableBuffer(heap);
    }
    open(codec, sealed) {
      if (!this.ptr) throw heap.error(209, 'the opener was deleted');
      const len = sealed.byteLength;
      const input = this.buffer.ensure(2 * len);
      const out = input + len;
      heap.u8.set(sealed, input);
      const n = heap.check(m._frameOpen(this.ptr, codec, input, len, out, len));
      const u8 = heap.u8;
      const frame = u8.slice(out, out + n);
      u8.fill(0, out, out + n); // the plaintext copy
      return frame;
    }
    delete() {
      this.buffer.release();
      if (this.ptr) m._frameOpenerDelete(this.ptr);
      this.ptr = 0;
    }
  }

  const direction = (d) => (d === 'agent_to_customer' || d === 1 ? 1 : 0);

  /** A standalone message chain (test vectors); sessions hold their own chains. */
  class MessageSender {
    constructor({ sessionId, epoch, purpose = 0, direction: dir = 0, chainKey }) {
      this.handle = heap.with([heap.exact(sessionId, m.SESSION_ID_BYTES, 'sessionId'), heap.exact(chainKey, 32, 'chainKey')], (sid, ck) => m.MessageSender._create(sid, epoch, purpose, direction(dir), ck));
    }
    seal(message) {
      const data = bytes(message);
      const cap = m._sealedMessageBytes(data.byteLength);
      return heap.with([data, cap], (pt, out) => heap.copyOut(out, heap.check(this.handle._seal(pt, data.byteLength, out, cap))));
    }
    delete() {
      this.handle?.delete();
      this.handle = null;
    }
  }

  class MessageReceiver {
    constructor({ sessionId, epoch, purpose = 0, direction: dir = 0, chainKey }) {
      this.handle = heap.with([heap.exact(sessionId, m.SESSION_ID_BYTES, 'sessionId'), heap.exact(chainKey, 32, 'chainKey')], (sid, ck) => m.MessageReceiver._create(sid, epoch, purpose, direction(dir), ck));
    }
    open(sealed) {
      return heap.with([sealed, sealed.byteLength], (c, out) =>
        heap.copyOut(out, heap.check(this.handle._open(c, sealed.byteLength, out, sealed.byteLength))),
      );
    }
    delete() {
      this.handle?.delete();
      this.handle = null;
    }
  }

  /**
   * Keys for what the widget keeps locally, one per purpose, forgotten when the purpose's
   * retention ends or consent is revoked (sdk/crypto/local_vault.h). Times in ms since the epoch.
   */
  class LocalVault {
    constructor(handle) {
      this.handle = handle;
    }
    static create() {
      return new LocalVault(m.LocalVault._create());
    }
    /** From exportState() output; keys past their deadline are dropped. */
    static restore(state, now = Date.now()) {
      return new LocalVault(heap.with([state], (p) => heap.checkHandle(m.LocalVault._restore(p, state.byteLength, now))));
    }
    openPurpose(purpose, deleteAt, now = Date.now()) {
      heap.check(this.handle._openPurpose(purpose, deleteAt, now));
    }
    seal(purpose, recordId, plaintext, now = Date.now()) {
      const id = bytes(recordId);
      const data = bytes(plaintext);
      const cap = m._vaultSealedBytes(data.byteLength);
      return heap.with([id, data, cap], (ip, pp, out) =>
        heap.copyOut(out, heap.check(this.handle._seal(purpose, ip, id.byteLength, pp, data.byteLength, out, cap, now))),
      );
    }
    open(purpose, recordId, sealed, now = Date.now()) {
      const id = bytes(recordId);
      return heap.with([id, sealed, sealed.byteLength], (ip, sp, out) =>
        heap.copyOut(out, heap.check(this.handle._open(purpose, ip, id.byteLength, sp, sealed.byteLength, out, sealed.byteLength, now))),
      );
    }
    /** @returns {string[]} purposes whose keys were wiped now */
    expire(now = Date.now()) {
      return this.handle.expire(now);
    }
    forget(purpose) {
      this.handle.forget(purpose);
    }
    /** @returns {Array<{ purpose: string, deleteAt: number }>} */
    purposes() {
      return this.handle.purposes();
    }
    nextDeadline() {
      return this.handle.nextDeadline();
    }
    /** The keys, to persist with the records (and delete with them). */
    exportState() {
      return heap.takeOutput(this.handle._exportState());
    }
    delete() {
      this.handle?.delete();
      this.handle = null;
    }
  }

  return {
    LocalVault,
    sealedBox,
    IdentityKey,
    verifySignature,
    hkdfSha256,
    FrameCodec,
    FrameSealer,
    FrameOpener,
    MessageSender,
    MessageReceiver,
    ...bindSession(m, heap),
  };
}
