// Types for js/core.js: the WebAssembly core's loader, for tools and tests that use the core
// directly (the widget loads it inside its desk worker). The bound modules are not part of the
// stable contract and are typed loosely.
export interface LoadCoreOptions {
  /** Where to fetch sealdesk-core.wasm from (e.g. a CDN); default: next to sealdesk-core.mjs. */
  locateFile?: (file: string, prefix: string) => string;
  /** The module's bytes, when already at hand (Node, or a site that fetched them itself). */
  wasmBinary?: ArrayBuffer | Uint8Array;
}
export interface Core {
  versions(): Record<string, string>;
  [binding: string]: unknown;
}
export function loadCore(options?: LoadCoreOptions): Promise<Core>;
