// Where the SDK's own static files are served: the desk worker, the frame-transform worker, the
// audio worklets (and, through the worker's imports, the core's .wasm). By default next to this
// module, which is right when the package folder is served as it is. A bundler moves the page
// modules into its bundle, so `new URL('./x.js', import.meta.url)` would point next to the
// bundle: CreateOptions.assetUrl names the served package folder instead. Workers must be on the
// page's own origin (browsers refuse a cross-origin Worker); worklets and the .wasm follow it.
import { SealDeskError } from './errors.js';

let base = new URL('./', import.meta.url);

/** Sets the folder the SDK's scripts are loaded from (relative to the page). */
export function setAssetBase(url) {
  let next;
  try {
    next = new URL(url, globalThis.location?.href);
  } catch {
    throw new SealDeskError('INVALID_ARGUMENT', 'assetUrl must be a URL (the folder the sealdesk package is served from)');
  }
  if (!next.pathname.endsWith('/')) next = new URL(`${next.pathname}/${next.search}`, next);
  base = next;
}

/** The URL of one of the SDK's files, e.g. assetUrl('desk/desk-worker.js'). */
export const assetUrl = (file) => new URL(file, base);
