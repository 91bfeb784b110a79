// Types for js/loader.js: loading it replaces the site's queueing stub `window.sealdesk` with the
// command function and runs the queued calls (window.sealdesk: SealDeskCommand, declared in
// sealdesk.d.ts). It exports nothing else.
export type { SealDeskCommand } from './sealdesk.js';
