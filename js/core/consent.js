// Friendly wrappers over wasm/consent_bindings.cpp: the consent engine for the widget.
//
// The core never reads a clock: every call takes `now` (ms since the epoch), defaulting to
// Date.now() here. Calls that change state return the list of changes; a change with
// `revokes: true` means the JS layer must stop that purpose's tracks and wipe its keys now.
//
// Persistence (the widget's job): store exportStore() after every change (IndexedDB, or
// localStorage as fallback) together with the install seed (exportSeed()). On load, create the
// engine with the same seed and call importStore(). If it throws (LEDGER_TAMPERED,
// SIGNATURE_INVALID, ...), the engine is all-unset: keep the rejected store aside under another
// key, never drop it silently, and emit an error event.
import { SealDeskError } from '../errors.js';

const encoder = new TextEncoder();
const text = (value) => encoder.encode(typeof value === 'string' ? value : JSON.stringify(value));
const localeBundle = (locales) =>
  text(Object.fromEntries(Object.entries(locales).map(([tag, file]) => [tag, typeof file === 'string' ? JSON.parse(file) : file])));
const base64url = (bytes) => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const REFUSED = new Set(['CONSENT_REQUIRED', 'CONSENT_EXPIRED']);

export function bindConsent(m, heap) {
  const SEED = m.CONSENT_SEED_BYTES;
  const PK = m.CONSENT_PUBLIC_KEY_BYTES;

  class ConsentEngine {
    /**
     * @param {object} options
     * @param {string|object} options.policy policy JSON (consent/policies/*.json)
     * @param {Record<string, string|object>} options.locales tag -> locale file; 'en' is required
     * @param {Uint8Array} [options.seed] this install's 32-byte key seed; omitted: a fresh key
     */
    constructor({ policy, locales, seed }) {
      const seedBytes = seed ?? new Uint8Array(0);
      if (seed && seed.byteLength !== SEED) throw new SealDeskError('INVALID_ARGUMENT', `seed must be ${SEED} bytes`);
      const p = text(policy);
      const l = localeBundle(locales);
      this.handle = heap.with([p, l, seedBytes], (pp, lp, sp) =>
        heap.checkHandle(m.ConsentEngine._create(pp, p.byteLength, lp, l.byteLength, sp, seedBytes.byteLength)),
      );
    }

    #output(rc) {
      heap.check(rc);
      const out = this.handle._output();
      return out === '' ? null : JSON.parse(out);
    }

    #withContext(inputs, fn, context) {
      const ctx = text(context ?? {});
      return heap.with([...inputs, ctx], (...ptrs) => {
        const c = ptrs.pop();
        return this.#output(fn(...ptrs, c, ctx.byteLength));
      });
    }

    /** @returns {Array<{purpose, from, to, reason, revokes}>} */
    grant(purposes, now = Date.now(), context = {}) {
      const ids = text(purposes);
      return this.#withContext([ids], (p, c, cl) => this.handle._grant(p, ids.byteLength, now, c, cl), context);
    }

    /** Denies or revokes (the same call); dependents that were granted are revoked with them. */
    deny(purposes, now = Date.now(), context = {}) {
      const ids = text(purposes);
      return this.#withContext([ids], (p, c, cl) => this.handle._deny(p, ids.byteLength, now, c, cl), context);
    }

    revoke(purposes, now = Date.now(), context = {}) {
      return this.deny(purposes, now, context);
    }

    declareAge(years, now = Date.now(), context = {}) {
      return this.#withContext([], (c, cl) => this.handle._declareAge(years, now, c, cl), context);
    }

    /** Privacy mode was switched on: one signed receipt (action privacy_mode), no decision changes. */
    recordPrivacyMode(now = Date.now(), context = {}) {
      return this.#withContext([], (c, cl) => this.handle._recordPrivacyMode(now, c, cl), context);
    }

    /** What the page reports as navigator.globalPrivacyControl. */
    setGlobalPrivacyControl(enabled, now = Date.now(), context = {}) {
      return this.#withContext([], (c, cl) => this.handle._setGpc(!!enabled, now, c, cl), context);
    }

    upgradePolicy({ policy, locales }, now = Date.now(), context = {}) {
      const p = text(policy);
      const l = localeBundle(locales);
      return this.#withContext(
        [p, l],
        (pp, lp, c, cl) => this.handle._upgradePolicy(pp, p.byteLength, lp, l.byteLength, now, c, cl),
        context,
      );
    }

    /** Restores exportStore() output; throws (and leaves the engine all-unset) if tampered. */
    importStore(store, now = Date.now(), context = {}) {
      const s = text(store);
      return this.#withContext([s], (sp, c, cl) => this.handle._importStore(sp, s.byteLength, now, c, cl), context);
    }

    /** Decisions that expired since the last call (to stop their tracks). */
    refresh(now = Date.now()) {
      return this.#output(this.handle._refresh(now));
    }

    setSessionActive(active) {
      this.handle._setSessionActive(!!active);
    }

    /** true when the purpose and all it depends on are granted and unexpired. */
    allows(purpose, now = Date.now()) {
      return this.#refusal(() => this.assertPurpose(purpose, now));
    }

    allowsCapability(capability, now = Date.now()) {
      return this.#refusal(() => this.assertCapability(capability, now));
    }

    /** Throws CONSENT_REQUIRED / CONSENT_EXPIRED (detail names the purpose) unless allowed. */
    assertPurpose(purpose, now = Date.now()) {
      const p = text(purpose);
      heap.with([p], (ptr) => heap.check(this.handle._allows(ptr, p.byteLength, now)));
    }

    assertCapability(capability, now = Date.now()) {
      const c = text(capability);
      heap.with([c], (ptr) => heap.check(this.handle._allowsCapability(ptr, c.byteLength, now)));
    }

    #refusal(fn) {
      try {
        fn();
        return true;
      } catch (e) {
        if (e instanceof SealDeskError && REFUSED.has(e.code)) return false;
        throw e;
      }
    }

    /** When data kept for purpose since `from` must be gone (ms since the epoch): the policy's retention. */
    retentionDeadline(purpose, from = Date.now()) {
      const p = text(purpose);
      return heap.with([p], (ptr) => {
        const deadline = this.handle._retentionDeadline(ptr, p.byteLength, from);
        if (deadline < 0) heap.check(deadline);
        return deadline;
      });
    }

    /** The just-in-time prompt plan: { capability, allowed, steps, choices, blocked }. */
    plan(capability, now = Date.now()) {
      const c = text(capability);
      return heap.with([c], (ptr) => this.#output(this.handle._plan(ptr, c.byteLength, now)));
    }

    /** { policyVersion, purposes: { chat: 'granted'|'denied'|'unset'|'expired', ... }, decisions, ... } */
    state(now = Date.now()) {
      return this.#output(this.handle._state(now));
    }

    /** Locale texts with en fallback: { locale, texts, missing, noticeHash }. */
    texts(locale) {
      const l = text(locale);
      return heap.with([l], (ptr) => this.#output(this.handle._texts(ptr, l.byteLength)));
    }

    /** Signed receipts, oldest first: [{ hash, receipt, signature }]. */
    receipts() {
      return this.#output(this.handle._receipts());
    }

    /** State and ledger as JSON text, for the JS layer to persist. */
    exportStore() {
      heap.check(this.handle._exportStore());
      return this.handle._output();
    }

    /** The pseudonymous principal id and the receipts' public key (base64url, a JWK "x"). */
    principal() {
      heap.check(this.handle._principal());
      return { id: this.handle._output(), publicKey: base64url(this.publicKey()) };
    }

    publicKey() {
      return heap.with([PK], (out) => {
        heap.check(this.handle._publicKey(out));
        return heap.copyOut(out, PK);
      });
    }

    /** The install key's seed, to persist. The caller must wipe its copy (fill(0)) when stored. */
    exportSeed() {
      return heap.with([SEED], (out) => {
        heap.check(this.handle._exportSeed(out));
        return heap.copyOut(out, SEED);
      });
    }

    delete() {
      this.handle?.delete();
      this.handle = null;
    }
  }

  /**
   * Verifies a ledger (signatures and hash chain). Returns the number of receipts; throws
   * SIGNATURE_INVALID or LEDGER_TAMPERED. Without publicKey the first receipt's key is pinned.
   */
  function verifyConsentLedger(ledger, publicKey = new Uint8Array(0)) {
    const l = text(ledger);
    return heap.with([l, publicKey], (lp, kp) => heap.check(m._verifyConsentLedger(lp, l.byteLength, kp, publicKey.byteLength)));
  }

  return { ConsentEngine, verifyConsentLedger };
}
