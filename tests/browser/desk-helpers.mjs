// Shared by the end-to-end specs: a relay on loopback that accepts the demo server's agent token,
// and a record of every WebSocket frame the pages' workers send or receive.
import { createRelay } from '../../relay/relay.mjs';
import { AGENT_TOKEN } from './playwright.config.mjs';

export async function startRelay({ port = 0, logs = [], ...options } = {}) {
  const relay = await createRelay({
    ...options, // e.g. allowedOrigins, to play a relay set up for another site
    host: '127.0.0.1',
    port,
    agents: [{ id: 'agent-1', token: AGENT_TOKEN }, { id: 'agent-2', token: `${AGENT_TOKEN}-2` }],
    log: (line) => logs.push(line),
  });
  relay.url = `ws://localhost:${relay.port}`;
  relay.logs = logs;
  return relay;
}

/**
 * Records every WebSocket frame of a page and its workers (Playwright reports sockets opened by
 * dedicated workers on the page too): payloads as Buffers, with direction and URL.
 */
export function recordFrames(page, frames = []) {
  page.on('websocket', (ws) => {
    const push = (direction) => (event) => frames.push({ direction, url: ws.url(), binary: Buffer.isBuffer(event.payload), payload: Buffer.isBuffer(event.payload) ? event.payload : Buffer.from(event.payload) });
    ws.on('framesent', push('sent'));
    ws.on('framereceived', push('received'));
  });
  return frames;
}

/** Every value in every IndexedDB store and in localStorage, searched for `needle` (as UTF-8 and UTF-16 text). */
export async function scanStorage(page, needle) {
  return page.evaluate(async (n) => {
    const hits = [];
    const utf8 = new TextEncoder().encode(n);
    const contains = (bytes) => {
      outer: for (let i = 0; i + utf8.length <= bytes.length; i++) {
        for (let j = 0; j < utf8.length; j++) if (bytes[i + j] !== utf8[j]) continue outer;
        return true;
      }
      return false;
    };
    const inspect = (where, value) => {
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
        if (contains(new Uint8Array(value.buffer ?? value))) hits.push(where);
      } else if (JSON.stringify(value ?? null).includes(n)) hits.push(where);
    };
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      for (const store of db.objectStoreNames) {
        const values = await new Promise((resolve) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => resolve(r.result);
        });
        values.forEach((v, i) => inspect(`${name}/${store}/${i}`, v));
      }
      db.close();
    }
    for (let i = 0; i < localStorage.length; i++) inspect(`localStorage/${localStorage.key(i)}`, localStorage.getItem(localStorage.key(i)));
    return hits;
  }, needle);
}
