// End-to-end encryption of WebRTC media: every encoded frame of a call passes through this worker,
// which seals it (sending) or opens it (receiving) with the core's SFrame-style frame sealer
// (sdk/crypto/frame_crypto.h, PROTOCOL.md §5). One worker serves every sender and receiver of
// one call (js/media/call.js starts it).
//
// Frames arrive two ways, handled alike:
//   - RTCRtpScriptTransform: an `rtctransform` event per sender/receiver, options in
//     event.transformer.options;
//   - insertable streams (createEncodedStreams, browsers without script transforms): the page
//     transfers the streams here in a { type: 'streams', readable, writable, options } message.
// options: { direction: 'send'|'receive', purpose: 'camera'|'voice', codec: 'vp8'|'opus'|…,
//            audit: number of sealed frames to measure (tests; 0 = none) }
//
// Keys arrive only on a key port (a MessagePort whose other end the key source holds: in the
// widget, the core worker that owns the session), so key bytes need not pass through the page's
// main thread. Messages on a key port:
//   { type: 'key', purpose, direction: 'send'|'receive', keyId: bigint|number, baseKey: Uint8Array(32) }
//       installs the sender or the remote sender's key of that purpose; a previous key is wiped.
//       The baseKey array is zeroed once the core holds its copy.
//   { type: 'rotate', purpose }   this side's sender key moves to its next generation (receivers
//                                 follow by themselves: FrameOpener ratchets on the first frame)
//   { type: 'wipe', purpose? }    drop (and thereby wipe, in the core) the keys of one purpose, or all
// A key or rotation the worker refuses is answered on the same port with
//   { type: 'error', of: 'key'|'rotate', purpose, direction, message }.
// The page may send 'rotate' and 'wipe' too (they carry no key), plus:
//   { type: 'key-port', port }    another key port to listen on
//   { type: 'stats', id }         answered with { type: 'stats', id, stats }
// 'rotate' and 'wipe' with an id are answered with { type: 'done', id, error? }.
//
// Fail closed: a frame is forwarded only when the core sealed or opened it. Without a key (none
// sent, or wiped), when the core failed to load, or when opening fails, the frame is dropped and
// counted. Frames that arrive while the core is still loading wait for it.
// Which bytes stay clear and which frames are replays is decided by the core, not here.
import { loadCore } from '../core.js';

// The core's codec for an encoded frame's MIME type (the negotiated codec, when the browser
// reports it); options.codec otherwise. Unknown codecs are sealed whole (PROTOCOL.md §5.4).
const CODEC_BY_MIME = { 'video/vp8': 'vp8', 'audio/opus': 'opus', 'video/h264': 'h264' };
const AUDIT_WINDOW = 16; // bytes of plaintext looked for in the sealed frame

let core = null;
let coreError = null;
const coreReady = loadCore().then(
  (loaded) => (core = loaded),
  (error) => (coreError = String(error?.message ?? error)),
);

const keys = new Map(); // `${direction}:${purpose}` -> { sealer | opener, keyId }
const counters = new Map(); // same key -> counters of the transforms using it
const cspViolations = [];
let operations = Promise.resolve(); // key operations run in arrival order, after the core loads

self.addEventListener('securitypolicyviolation', (e) => {
  cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI });
});

const slotName = (direction, purpose) => `${direction}:${purpose}`;

function countersFor(direction, purpose) {
  const name = slotName(direction, purpose);
  if (!counters.has(name)) {
    counters.set(name, {
      transforms: 0,
      frames: 0,
      forwarded: 0, // sealed (send) or opened (receive), then handed on
      droppedNoKey: 0,
      empty: 0, // zero-byte frames: dropped, not counted as failures
      failed: 0, // the core refused: open failures on receive (wrong key, tampering, replay)
      failures: {}, // by SealDeskError code
      firstFailures: [], // { code, bytes, type } of the first few, for diagnosis
      bytesIn: 0,
      bytesOut: 0,
      coreMs: 0, // time in the core's seal/open (successful frames), for the cost per frame
      codecs: {},
      audit: [],
    });
  }
  return counters.get(name);
}

function wipeSlot(name) {
  const slot = keys.get(name);
  if (!slot) return;
  (slot.sealer ?? slot.opener).delete(); // the core's destructor zeroes the key material
  keys.delete(name);
}

function wipe(purpose) {
  for (const name of [...keys.keys()]) {
    if (purpose === undefined || name.endsWith(`:${purpose}`)) wipeSlot(name);
  }
}

function installKey({ purpose, direction, keyId, baseKey }) {
  try {
    if (direction !== 'send' && direction !== 'receive') throw new TypeError('key direction must be send or receive');
    if (typeof purpose !== 'string') throw new TypeError('key needs a purpose');
    if (!(baseKey instanceof Uint8Array) || baseKey.byteLength !== 32) throw new TypeError('baseKey must be 32 bytes');
    const name = slotName(direction, purpose);
    wipeSlot(name);
    const handle = direction === 'send' ? new core.FrameSealer(keyId, baseKey) : new core.FrameOpener(keyId, baseKey);
    keys.set(name, direction === 'send' ? { sealer: handle, keyId } : { opener: handle, keyId });
  } finally {
    if (baseKey instanceof Uint8Array) baseKey.fill(0);
  }
}

function rotate(purpose) {
  const slot = keys.get(slotName('send', purpose));
  if (!slot) throw new Error(`no sender key for ${purpose}`);
  slot.sealer.rotate();
}

// Runs a key operation after the ones before it and after the core has loaded.
function enqueue(operation) {
  const result = operations.then(async () => {
    await coreReady;
    if (!core) throw new Error(`core unavailable: ${coreError}`);
    return operation();
  });
  operations = result.catch(() => {});
  return result;
}

// A wipe acts at once, and again behind key installs still waiting for the core (a key that
// arrived before the revoke must not come to life after it).
function wipeNowAndQueued(purpose) {
  wipe(purpose);
  const result = operations.then(() => wipe(purpose));
  operations = result.catch(() => {});
  return result;
}

function listenForKeys(port) {
  // A refused key or rotation is reported back to the key source (never with key bytes).
  const refused = (data) => (error) =>
    port.postMessage({ type: 'error', of: data.type, purpose: data.purpose, direction: data.direction, message: String(error?.message ?? error) });
  port.onmessage = ({ data }) => {
    if (data?.type === 'key') enqueue(() => installKey(data)).catch(refused(data));
    else if (data?.type === 'rotate') enqueue(() => rotate(data.purpose)).catch(refused(data));
    else if (data?.type === 'wipe') wipeNowAndQueued(data.purpose);
  };
}

// Looks for a window of the frame's plaintext (past any clear prefix) in its sealed form, and
// measures how many leading bytes the two share. Only numbers leave the worker.
function auditFrame(plain, sealed, frameType) {
  let common = 0;
  while (common < plain.length && common < sealed.length && plain[common] === sealed[common]) common++;
  let plaintextFound = false;
  const start = 16; // beyond the longest VP8 prefix (10 bytes) and any SFrame header
  if (plain.length >= start + AUDIT_WINDOW) {
    const needle = plain.subarray(start, start + AUDIT_WINDOW);
    outer: for (let i = 0; i + AUDIT_WINDOW <= sealed.length; i++) {
      for (let j = 0; j < AUDIT_WINDOW; j++) if (sealed[i + j] !== needle[j]) continue outer;
      plaintextFound = true;
      break;
    }
  }
  return { type: frameType ?? 'audio', plainBytes: plain.length, sealedBytes: sealed.length, commonPrefix: common, plaintextFound };
}

function codecOf(frame, fallback) {
  const mime = frame.getMetadata?.().mimeType;
  return (mime && CODEC_BY_MIME[mime.toLowerCase()]) ?? (mime ? 'opaque' : fallback);
}

function transform({ readable, writable, options }) {
  const { direction, purpose, codec: codecOption = 'opaque', audit = 0 } = options ?? {};
  const stats = countersFor(direction, purpose);
  stats.transforms++;
  const name = slotName(direction, purpose);
  const sending = direction === 'send';
  const frames = new TransformStream({
    async transform(frame, controller) {
      stats.frames++;
      // The first frames wait for the core and the keys already sent (the stream holds the
      // frames behind them meanwhile); without a key after that, frames are dropped.
      if (!core) {
        await coreReady;
        await operations;
      }
      const slot = core && keys.get(name);
      if (!slot) {
        stats.droppedNoKey++;
        return;
      }
      const codec = codecOf(frame, codecOption);
      stats.codecs[codec] = (stats.codecs[codec] ?? 0) + 1;
      const input = new Uint8Array(frame.data);
      let output;
      const started = performance.now();
      try {
        output = sending ? slot.sealer.seal(core.FrameCodec[codec], input) : slot.opener.open(core.FrameCodec[codec], input);
        stats.coreMs += performance.now() - started;
      } catch (error) {
        if (input.byteLength === 0) {
          stats.empty++; // nothing to seal or open (Chromium hands receivers the odd empty audio frame)
          return;
        }
        stats.failed++;
        const code = error?.code ?? 'UNKNOWN';
        stats.failures[code] = (stats.failures[code] ?? 0) + 1;
        if (stats.firstFailures.length < 8) stats.firstFailures.push({ code, bytes: input.byteLength, type: frame.type ?? 'audio' });
        if (sending) input.fill(0);
        return; // never forwarded: not the sealed frame, not the plaintext
      }
      if (sending && stats.audit.length < audit) stats.audit.push(auditFrame(input, output, frame.type));
      if (sending) input.fill(0); // our copy of the plaintext
      stats.bytesIn += input.byteLength;
      stats.bytesOut += output.byteLength;
      frame.data = output.buffer; // output is a fresh copy out of the WASM heap
      stats.forwarded++;
      controller.enqueue(frame);
    },
  });
  readable.pipeThrough(frames).pipeTo(writable).catch(() => {}); // ends with the sender/receiver
}

self.onrtctransform = (event) => transform(event.transformer);

self.onmessage = ({ data }) => {
  switch (data?.type) {
    case 'streams':
      return transform(data);
    case 'key-port':
      return listenForKeys(data.port);
    case 'rotate':
    case 'wipe': {
      const run = data.type === 'wipe' ? wipeNowAndQueued(data.purpose) : enqueue(() => rotate(data.purpose));
      return run.then(
        () => data.id !== undefined && postMessage({ type: 'done', id: data.id }),
        (error) => data.id !== undefined && postMessage({ type: 'done', id: data.id, error: String(error?.message ?? error) }),
      );
    }
    case 'stats':
      return postMessage({
        type: 'stats',
        id: data.id,
        stats: {
          coreLoaded: core !== null,
          coreError,
          keys: [...keys.entries()].map(([slot, { keyId }]) => ({ slot, keyId: String(keyId) })),
          transforms: Object.fromEntries(counters),
          cspViolations,
        },
      });
    default:
      return undefined;
  }
};
