// The customer's local transcript: what the widget keeps so a reload still shows the
// conversation. Only what left the page is kept (masked text, never the original PII), and every
// record is sealed by the core's LocalVault under its purpose's key. The key is wiped when the
// purpose's retention (from the consent policy, counted from the first record) ends or consent
// is revoked, and the records are deleted with it: what a failed delete leaves behind is
// unreadable. Records live in the consent store's database (IndexedDB; a Map in Node tests).
import { SealDeskError } from '../errors.js';

const VAULT_KEY = 'vault';
const PREFIX = 'transcript:';
const MAX_TIMER_MS = 2 ** 31 - 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Transcript {
  /**
   * @param {object} o
   * @param {object} o.core loadCore() result
   * @param {object} o.engine the ConsentEngine (retention deadlines)
   * @param {{ get, set, remove, keys }} o.records key-value storage
   * @param {(purposes: string[]) => void} [o.onChange] local data changed (kept, expired, forgotten)
   */
  constructor({ core, engine, records, vault, onChange = () => {}, now = () => Date.now() }) {
    this.core = core;
    this.engine = engine;
    this.records = records;
    this.vault = vault;
    this.onChange = onChange;
    this.now = now;
    this.timer = null;
    this.work = Promise.resolve(); // storage operations run one at a time
  }

  static async open({ core, engine, records, onChange, now = () => Date.now() }) {
    const state = await records.get(VAULT_KEY);
    let vault;
    try {
      vault = state ? core.LocalVault.restore(state, now()) : core.LocalVault.create();
    } catch {
      vault = core.LocalVault.create(); // unreadable state: the records below go as unreadable
    }
    const transcript = new Transcript({ core, engine, records, vault, onChange, now });
    await transcript.expireNow();
    return transcript;
  }

  serial(fn) {
    const next = this.work.then(fn, fn);
    this.work = next.catch(() => {});
    return next;
  }

  async saveVault() {
    await this.records.set(VAULT_KEY, this.vault.exportState());
  }

  /** Keeps one message (its text masked already; voice notes with their Ogg bytes). */
  keep(purpose, message) {
    return this.serial(async () => {
      const now = this.now();
      const deleteAt = this.engine.retentionDeadline(purpose, now);
      if (deleteAt <= now) return; // the policy keeps nothing of this purpose
      this.vault.openPurpose(purpose, deleteAt, now);
      const { attachment, ...rest } = message;
      const body = encoder.encode(JSON.stringify({ ...rest, attachment: attachment ? { mime: attachment.mime, durationMs: attachment.durationMs } : undefined }));
      const file = attachment?.bytes ?? new Uint8Array(0);
      const plain = new Uint8Array(4 + body.byteLength + file.byteLength);
      new DataView(plain.buffer).setUint32(0, body.byteLength);
      plain.set(body, 4);
      plain.set(file, 4 + body.byteLength);
      const sealed = this.vault.seal(purpose, message.id, plain, now);
      plain.fill(0);
      await this.records.set(`${PREFIX}${purpose}:${message.at}:${message.id}`, sealed);
      await this.saveVault();
      this.arm();
      this.onChange([purpose]);
    });
  }

  /** Every readable record, oldest first; unreadable ones (key gone) are deleted on the way. */
  load() {
    return this.serial(async () => {
      const out = [];
      for (const key of await this.recordKeys()) {
        const [, purpose, , id] = key.split(':');
        const sealed = await this.records.get(key);
        try {
          const plain = this.vault.open(purpose, id, sealed, this.now());
          const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
          const length = view.getUint32(0);
          const message = JSON.parse(decoder.decode(plain.subarray(4, 4 + length)));
          if (message.attachment) message.attachment.bytes = plain.slice(4 + length);
          plain.fill(0);
          out.push({ ...message, restored: true });
        } catch (e) {
          if (!(e instanceof SealDeskError)) throw e;
          await this.records.remove(key);
        }
      }
      this.arm();
      return out.sort((a, b) => a.at - b.at);
    });
  }

  async recordKeys() {
    return (await this.records.keys()).map(String).filter((k) => k.startsWith(PREFIX));
  }

  async deleteRecords(purposes) {
    for (const key of await this.recordKeys()) {
      if (purposes.includes(key.split(':')[1])) await this.records.remove(key);
    }
  }

  /** Consent revoked or "delete now": the key is wiped at once, then the records go. */
  forget(purposes) {
    for (const p of purposes) this.vault.forget(p); // synchronous: unreadable from this instant
    return this.serial(async () => {
      await this.deleteRecords(purposes);
      await this.saveVault();
      this.arm();
      this.onChange(purposes);
    });
  }

  /**
   * Privacy mode switched on: the records of one conversation go now, the purpose keys stay for
   * the others. `ids`: the messages this page kept; `session`: records from an earlier load of
   * the same conversation (opened to read their session). An unreadable record goes too.
   */
  forgetMessages({ ids = new Set(), session = null } = {}) {
    return this.serial(async () => {
      const gone = new Set();
      for (const key of await this.recordKeys()) {
        const [, purpose, , id] = key.split(':');
        let match = ids.has(id);
        if (!match && session) {
          try {
            const plain = this.vault.open(purpose, id, await this.records.get(key), this.now());
            const length = new DataView(plain.buffer, plain.byteOffset, plain.byteLength).getUint32(0);
            match = JSON.parse(decoder.decode(plain.subarray(4, 4 + length))).session === session;
            plain.fill(0);
          } catch (e) {
            if (!(e instanceof SealDeskError)) throw e;
            match = true;
          }
        }
        if (!match) continue;
        await this.records.remove(key);
        gone.add(purpose);
      }
      if (gone.size) this.onChange([...gone]);
    });
  }

  expireNow() {
    return this.serial(async () => {
      const gone = this.vault.expire(this.now());
      if (gone.length) {
        await this.deleteRecords(gone);
        await this.saveVault();
        this.onChange(gone);
      }
      this.arm();
      return gone;
    });
  }

  /** A timer for the next retention deadline: retention is a timer in code, not a sentence. */
  arm() {
    clearTimeout(this.timer);
    const next = this.vault.nextDeadline();
    if (!next) return;
    this.timer = setTimeout(() => void this.expireNow(), Math.min(MAX_TIMER_MS, Math.max(0, next - this.now()) + 5));
  }

  /** What is held locally, per purpose: [{ purpose, records, bytes, deleteAt }]. */
  async summary() {
    await this.work;
    const byPurpose = new Map(this.vault.purposes().map((p) => [p.purpose, { purpose: p.purpose, records: 0, bytes: 0, deleteAt: p.deleteAt }]));
    for (const key of await this.recordKeys()) {
      const entry = byPurpose.get(key.split(':')[1]);
      if (!entry) continue;
      entry.records++;
      entry.bytes += (await this.records.get(key))?.byteLength ?? 0;
    }
    return [...byPurpose.values()];
  }

  close() {
    clearTimeout(this.timer);
    this.vault.delete();
  }
}
