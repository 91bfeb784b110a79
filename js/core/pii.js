// Friendly wrappers over wasm/pii_bindings.cpp: the PII masker and sealed reveal tokens.
// All detection and masking happens in the core; this file only moves bytes and builds the
// result objects from the offsets the core computed.
import { SealDeskError } from '../errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const STYLES = ['label', 'partial', 'pseudonym', 'sealed']; // sdk/pii/entities.h Style order

// TextDecoder costs more than the bytes themselves for chat-sized text: short runs are decoded
// here (the core's output is always valid UTF-8), long ones by TextDecoder.
function utf8(u8, at, len) {
  if (len > 96) return decoder.decode(u8.subarray(at, at + len));
  let s = '';
  const end = at + len;
  while (at < end) {
    const b = u8[at++];
    if (b < 0x80) {
      s += String.fromCharCode(b);
    } else if (b < 0xe0) {
      s += String.fromCharCode(((b & 0x1f) << 6) | (u8[at++] & 0x3f));
    } else if (b < 0xf0) {
      s += String.fromCharCode(((b & 0x0f) << 12) | ((u8[at++] & 0x3f) << 6) | (u8[at++] & 0x3f));
    } else {
      const cp = ((b & 0x07) << 18) | ((u8[at++] & 0x3f) << 12) | ((u8[at++] & 0x3f) << 6) | (u8[at++] & 0x3f);
      s += String.fromCodePoint(cp);
    }
  }
  return s;
}

export function bindPii(m, heap) {
  // Per finding: kind, start, end, style, maskedStart, maskedEnd (UTF-16), masked byte range.
  const FIELDS = m.PII_FINDING_FIELDS;

  // Heap views shared by every masker: refreshed only when the heap grew (growing detaches the
  // old buffer, and a view of a detached buffer has length 0), not re-read on every call.
  let u8 = m.HEAPU8;
  let i32 = m.HEAP32;
  const refresh = () => {
    u8 = m.HEAPU8;
    i32 = m.HEAP32;
  };

  class PiiMasker {
    /**
     * @param {object|string} [config] the masker config (sdk/pii/masker.h): styles per entity,
     *   locale, keys, host rules. An object or its JSON text.
     */
    constructor(config = {}) {
      const bytes = encoder.encode(typeof config === 'string' ? config : JSON.stringify(config));
      this.handle = heap.with([bytes], (p) => heap.checkHandle(m._piiMaskerCreate(p, bytes.byteLength)));
      this.input = heap.buffer(); // the text's UTF-8 copy
      this.view = null; // u8 over the input buffer, for TextEncoder.encodeInto
      this.info = heap.alloc(20); // 5 x uint32 the core fills: where its result lies
      const n = m._piiMaskerKindNames(this.handle, this.info);
      const at = m.HEAPU32[this.info >> 2];
      this.types = decoder.decode(heap.u8.subarray(at, at + n)).split('\n');
      // The label style's replacement is "[label]", fixed per kind for the life of the masker:
      // decoded once per kind, on first use.
      this.labels = new Array(this.types.length).fill(null);
    }

    /**
     * @param {string} text
     * @returns {{ text: string, findings: Array<{ type: string, start: number, end: number,
     *   style: string, maskedStart: number, maskedEnd: number }> }} offsets in UTF-16 units:
     *   start/end in `text` given, maskedStart/maskedEnd in the masked text
     */
    mask(text) {
      const count = this.call(m._piiMask, text);
      if (u8.length === 0) refresh();
      const f = i32;
      const slot = this.info >> 2;
      // The masked text is the input with each finding's span replaced. When the input is
      // well-formed UTF-16 (the core saw no U+FFFD, which is what the encoder writes for a
      // lone surrogate), the core copied the text between findings byte for byte, so it is the
      // input itself when nothing was found, and is otherwise rebuilt here from slices of the
      // input and the replacements: decoding the whole output costs more than masking it
      // (Node decodes CJK UTF-8 at ~90 MB/s). Otherwise the core's output is decoded as it is.
      const rebuild = f[slot + 4] === 0;
      if (count === 0 && rebuild) return { text, findings: [] };
      const out = f[slot] >>> 0; // heap offsets are unsigned
      const findings = new Array(count);
      const types = this.types;
      const labels = this.labels;
      let masked = '';
      let prev = 0;
      for (let i = 0, k = f[slot + 2] >>> 2; i < count; i++, k += FIELDS) {
        const kind = f[k];
        const start = f[k + 1];
        const end = f[k + 2];
        const style = f[k + 3];
        findings[i] = {
          type: types[kind],
          start,
          end,
          style: STYLES[style],
          maskedStart: f[k + 4],
          maskedEnd: f[k + 5],
        };
        if (rebuild) {
          let replacement = style === 0 ? labels[kind] : null;
          if (replacement === null) {
            replacement = utf8(u8, out + f[k + 6], f[k + 7] - f[k + 6]);
            if (style === 0) labels[kind] = replacement;
          }
          masked += text.slice(prev, start) + replacement;
          prev = end;
        }
      }
      masked = rebuild ? masked + text.slice(prev) : utf8(u8, out, f[slot + 1] >>> 0);
      return { text: masked, findings };
    }

    /** The result as the JSON text sealdesk-mask prints for the same input. */
    maskJson(text) {
      const n = this.call(m._piiMaskJson, text);
      const at = m.HEAPU32[this.info >> 2];
      return decoder.decode(heap.u8.subarray(at, at + n));
    }

    // Copies text into the heap as UTF-8 and runs the core, which zeroes that copy (it holds
    // PII) on success and on failure, and wipes its own result on the next call and on delete().
    call(fn, text) {
      if (typeof text !== 'string') throw new TypeError('mask() takes a string');
      if (!this.handle) throw new SealDeskError('INVALID_ARGUMENT', 'invalid argument: the masker was deleted');
      const need = text.length * 3; // UTF-8 bytes for UTF-16 units, at most
      const input = this.input;
      if (need > input.cap || !input.ptr) this.grow(need); // the first buffer too, even for ''
      if (u8.length === 0) refresh();
      if (this.view.length === 0) this.view = u8.subarray(input.ptr, input.ptr + input.cap);
      // Lone surrogates become U+FFFD here, as in any TextEncoder: one unit each, offsets hold.
      // encodeInto into a view made once (not per call) beats a JS loop even on short messages.
      const { written } = encoder.encodeInto(text, this.view);
      return heap.check(fn(this.handle, input.ptr, written, this.info)); // the core zeroes the copy
    }

    grow(size) {
      const ptr = this.input.reserve(Math.max(size, 4096));
      refresh(); // malloc may have grown the heap
      this.view = u8.subarray(ptr, ptr + this.input.cap);
    }

    delete() {
      this.input.release();
      this.view = null;
      if (this.info) m._free(this.info);
      this.info = 0;
      if (this.handle) m._piiMaskerDelete(this.handle); // wipes the last result
      this.handle = 0;
    }
  }

  /**
   * Agent side: opens a "[sealed:<type>:<base64url>]" token with the desk's X25519 key pair.
   * @returns {{ type: string, text: string }}
   */
  function openRevealToken(token, publicKey, secretKey) {
    const tokenBytes = encoder.encode(token);
    return heap.with([tokenBytes, publicKey, secretKey, tokenBytes.byteLength], (t, pk, sk, out) => {
      const n = heap.check(m._piiOpenRevealToken(t, tokenBytes.byteLength, pk, sk, out, tokenBytes.byteLength));
      const bytes = heap.u8.subarray(out, out + n);
      const nul = bytes.indexOf(0);
      return { type: decoder.decode(bytes.subarray(0, nul)), text: decoder.decode(bytes.subarray(nul + 1)) };
    });
  }

  return { PiiMasker, pii: { openRevealToken } };
}
