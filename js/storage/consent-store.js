// Where the customer's consent state, signed receipt ledger and install key seed live between
// visits: IndexedDB, or localStorage where IndexedDB is unavailable (some private modes). The core
// verifies whatever comes back (signatures, hash chain); this module only stores bytes and keeps a
// rejected store aside instead of dropping it, so nothing is lost silently.

const DB_VERSION = 1;
const STORE = 'consent';

function openDb(name) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, DB_VERSION);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function idbBackend(db) {
  const run = (mode, fn) =>
    new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request?.result);
      tx.onerror = () => reject(tx.error);
    });
  return {
    kind: 'indexeddb',
    get: (key) => run('readonly', (s) => s.get(key)),
    set: (key, value) => run('readwrite', (s) => s.put(value, key)),
    remove: (key) => run('readwrite', (s) => s.delete(key)),
    keys: () => run('readonly', (s) => s.getAllKeys()),
  };
}

function localStorageBackend(prefix) {
  const bytes = (v) => (v instanceof Uint8Array ? { $bytes: btoa(String.fromCharCode(...v)) } : v);
  const unbytes = (v) => (v && v.$bytes ? Uint8Array.from(atob(v.$bytes), (c) => c.charCodeAt(0)) : v);
  return {
    kind: 'localstorage',
    get: async (key) => {
      const raw = localStorage.getItem(prefix + key);
      return raw === null ? undefined : unbytes(JSON.parse(raw));
    },
    set: async (key, value) => localStorage.setItem(prefix + key, JSON.stringify(bytes(value))),
    remove: async (key) => localStorage.removeItem(prefix + key),
    keys: async () => Object.keys(localStorage).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)),
  };
}

/**
 * @param {{ name?: string, prefer?: 'indexeddb'|'localstorage' }} [options]
 * @returns {Promise<{ kind, loadSeed, saveSeed, loadStore, saveStore, quarantine, quarantined, clear }>}
 */
export async function openConsentStore({ name = 'sealdesk', prefer = 'indexeddb' } = {}) {
  let backend;
  if (prefer === 'indexeddb' && globalThis.indexedDB) {
    try {
      backend = idbBackend(await openDb(name));
    } catch {
      backend = null; // e.g. blocked by the browser: fall back below
    }
  }
  backend ??= localStorageBackend(`${name}:`);
  return {
    kind: backend.kind,
    /** The install's 32-byte identity seed (signs receipts), or undefined on a first visit. */
    loadSeed: () => backend.get('seed'),
    saveSeed: (seed) => backend.set('seed', seed),
    /** The core's exportStore() text, or undefined. */
    loadStore: () => backend.get('store'),
    saveStore: (store) => backend.set('store', store),
    /** Keeps a store the core rejected (with the reason) under its own key, and removes it as current. */
    async quarantine(store, code) {
      await backend.set(`rejected:${Date.now()}`, { code, store });
      await backend.remove('store');
    },
    async quarantined() {
      const keys = (await backend.keys()).filter((k) => String(k).startsWith('rejected:'));
      return Promise.all(keys.map((k) => backend.get(k)));
    },
    /** Other local records (the sealed transcript): get/set/remove/keys on the same database. */
    records: backend,
    /** "Delete my local data": seed, store, quarantined copies and every other record. */
    async clear() {
      for (const key of await backend.keys()) await backend.remove(key);
    },
  };
}

/**
 * Creates the consent engine for this install from what was stored. A store the core rejects
 * (tampered, another install's, unknown format) is quarantined and reported through onError; the
 * engine then starts all-unset, as the core leaves it.
 * @returns {Promise<{ engine, restored: boolean, error: import('../errors.js').SealDeskError|null }>}
 */
export async function restoreConsent({ core, store, policy, locales, now = Date.now(), onError = () => {} }) {
  let seed = await store.loadSeed();
  const engine = new core.ConsentEngine({ policy, locales, ...(seed ? { seed } : {}) });
  if (!seed) {
    seed = engine.exportSeed();
    await store.saveSeed(seed);
  }
  seed.fill(0);
  const saved = await store.loadStore();
  if (saved === undefined) return { engine, restored: false, error: null };
  try {
    engine.importStore(saved, now);
    return { engine, restored: true, error: null };
  } catch (error) {
    await store.quarantine(saved, error.code);
    onError(error);
    return { engine, restored: false, error };
  }
}
