// The async loader: lets a site call SealDesk before the SDK has loaded. The site defines a
// one-line stub that queues calls (inline with its CSP nonce, or in a same-origin file):
//
//   window.sealdesk = window.sealdesk || function () { (sealdesk.q = sealdesk.q || []).push(arguments); };
//   sealdesk('create', { role: 'customer', relayUrl, agentKey, container: '#support' });
//   sealdesk('on', 'message', (m) => console.log(m.text));
//   sealdesk('consent.grant', ['chat']);
//
// and loads this module with <script type="module" src=".../js/loader.js" async>. The queued calls
// run in order once the desk exists; afterwards sealdesk(...) runs at once and returns a Promise
// (and 'on' its unsubscribe function). A command may end with a callback (error, result).
// Failures of queued calls are reported as 'error' events and to that callback, never lost.
import { SealDesk, SealDeskError } from './sealdesk.js';

const stub = globalThis.sealdesk;
const queued = Array.from(stub?.q ?? [], (args) => Array.from(args));
let desk = null;
let creating = null;
// Commands wait for the desk, however late 'create' comes.
let deskReady;
const created = new Promise((resolve, reject) => (deskReady = { resolve, reject }));

function target(path) {
  const parts = String(path).split('.');
  let owner = desk;
  for (const p of parts.slice(0, -1)) owner = owner?.[p];
  const fn = owner?.[parts.at(-1)];
  if (typeof fn !== 'function') throw new SealDeskError('NOT_FOUND', `unknown command '${path}'`);
  return fn.bind(owner);
}

async function run(command, ...args) {
  const callback = typeof args.at(-1) === 'function' && command !== 'on' ? args.pop() : null;
  try {
    let result;
    if (command === 'create') {
      const options = { ...args[0] };
      if (typeof options.container === 'string') options.container = document.querySelector(options.container);
      creating ??= SealDesk.create(options).then(
        (d) => (deskReady.resolve(d), d),
        (e) => (deskReady.reject(e), Promise.reject(e)),
      );
      desk = await creating;
      result = desk;
    } else {
      if (!desk) await created;
      result = command === 'on' ? desk.on(args[0], args[1]) : await target(command)(...args);
    }
    callback?.(null, result);
    return result;
  } catch (error) {
    callback?.(error);
    throw error;
  }
}

function sealdesk(command, ...args) {
  return run(command, ...args);
}
sealdesk.loaded = true;
globalThis.sealdesk = sealdesk;

// Replay the queue in order: 'create' first wherever it was queued, so early 'on' calls attach
// before the first events and see the replayed state.
const creates = queued.filter(([c]) => c === 'create');
const others = queued.filter(([c]) => c !== 'create');
(async () => {
  for (const args of [...creates, ...others]) {
    try {
      await run(...args);
    } catch (error) {
      globalThis.console?.error?.(`sealdesk: queued '${args[0]}' failed`, error);
    }
  }
})();
