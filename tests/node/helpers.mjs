// Loads the same .wasm the browser uses. Emscripten 3.1.6's glue would try to fetch() a file
// path under Node 20, so the bytes are handed over as wasmBinary.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../../js/core.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let corePromise;
export function core() {
  corePromise ??= readFile(new URL('../../js/dist/sealdesk-core.wasm', import.meta.url)).then((wasmBinary) =>
    loadCore({ wasmBinary }),
  );
  return corePromise;
}
