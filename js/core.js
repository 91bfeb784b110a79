// Loads the SealDesk WebAssembly core (browser page, worker, or Node) and binds its modules.
// The widget runs this inside a dedicated Worker; tests and tools may load it directly.
import createSealDeskCore from './dist/sealdesk-core.mjs';
import { Heap } from './core/heap.js';
import { bindCrypto } from './core/crypto.js';
import { bindMedia } from './core/media.js';
import { bindConsent } from './core/consent.js';
import { bindPii } from './core/pii.js';
import { bindDesk } from './core/desk.js';

/**
 * @param {object} [options]
 * @param {(file: string, prefix: string) => string} [options.locateFile] where to fetch
 *   sealdesk-core.wasm from (e.g. a CDN); default: next to sealdesk-core.mjs
 * @param {ArrayBuffer|Uint8Array} [options.wasmBinary] the module's bytes, when already at hand
 *   (Node, or a site that fetched it itself)
 */
export async function loadCore({ locateFile, wasmBinary } = {}) {
  const m = await createSealDeskCore({
    ...(locateFile ? { locateFile } : {}),
    ...(wasmBinary ? { wasmBinary } : {}),
  });
  const heap = new Heap(m);
  return {
    versions: () => m.versions(),
    ...bindCrypto(m, heap),
    ...bindMedia(m, heap),
    ...bindConsent(m, heap),
    ...bindPii(m, heap),
    ...bindDesk(m, heap),
    // For tests that inspect the heap (e.g. no key bytes left after a wipe).
    _module: m,
  };
}
