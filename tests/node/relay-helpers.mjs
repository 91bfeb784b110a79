// Shared by the relay tests: an in-process relay with captured logs, raw WebSocket clients for
// misbehaving peers, and RelayClient instances wired to the `ws` package (Node 20 has no global
// WebSocket client). `ws` comes from relay/node_modules (`npm ci` in relay/).
import { WebSocket } from '../../relay/node_modules/ws/wrapper.mjs';
import { createRelay } from '../../relay/relay.mjs';
import { RelayClient } from '../../js/transport/relay-client.js';
import { encodeData } from '../../js/transport/envelope.js';

export { WebSocket, createRelay, RelayClient, encodeData };

export const AGENT_TOKENS = [
  { id: 'alice', token: 'alice-token-0123456789abcdef' },
  { id: 'bob', token: 'bob-token-0123456789abcdef' },
];

let relayCount = 0;

/**
 * Starts a relay on a free loopback port; `logs` collects every JSON line it writes.
 * With SEALDESK_TEST_REDIS_URL set (relay-redis-suites.test.mjs), the relay keeps its state in
 * that Redis, under a prefix of its own.
 */
export async function startRelay({ limits, ...options } = {}) {
  const logs = [];
  const redisUrl = process.env.SEALDESK_TEST_REDIS_URL;
  const relay = await createRelay({
    host: '127.0.0.1',
    port: 0,
    agents: AGENT_TOKENS,
    logLevel: 'debug',
    log: (line) => logs.push(line),
    ...(redisUrl ? { redisUrl, redisPrefix: `suite${process.pid}-${++relayCount}:` } : {}),
    ...options,
    limits: { heartbeatMs: 60_000, ...limits },
  });
  relay.logs = logs;
  relay.events = () => logs.map((l) => JSON.parse(l));
  return relay;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(check, { timeout = 5000, every = 10, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

/**
 * A raw WebSocket to the relay that records everything: for peers that misbehave on purpose.
 * `next(pred)` resolves with the next control message matching pred (or any).
 */
export function rawClient(url, { origin, autoPong = true } = {}) {
  const ws = new WebSocket(url, { ...(origin ? { origin } : {}), autoPong });
  const received = [];
  const waiters = [];
  const state = { ws, received, binary: [], closed: null, unexpected: null };
  state.opened = new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (req, res) => {
      state.unexpected = res.statusCode;
      resolve();
    });
  });
  state.closedP = new Promise((resolve) =>
    ws.on('close', (code, reason) => {
      state.closed = { code, reason: reason.toString() };
      resolve(state.closed);
    }),
  );
  ws.on('error', () => {});
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      state.binary.push(Buffer.from(data));
      return;
    }
    const msg = JSON.parse(data.toString());
    received.push(msg);
    for (const w of [...waiters]) {
      if (w.pred(msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  });
  state.send = (obj) => ws.send(typeof obj === 'string' || Buffer.isBuffer(obj) || obj instanceof Uint8Array ? obj : JSON.stringify(obj));
  state.next = (pred = () => true, timeout = 5000) => {
    const already = received.find(pred);
    if (already) {
      received.splice(received.indexOf(already), 1);
      return Promise.resolve(already);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(w), 1);
        reject(new Error('timed out waiting for a relay message'));
      }, timeout);
      const w = {
        pred,
        resolve: (msg) => {
          clearTimeout(timer);
          resolve(msg);
        },
      };
      waiters.push(w);
    });
  };
  state.close = () => ws.terminate();
  return state;
}

/** Opens a raw agent connection that said hello with a valid token. */
export async function rawAgent(url, agent = AGENT_TOKENS[0], extra = {}) {
  const c = rawClient(url, extra);
  await c.opened;
  c.send({ t: 'hello', v: 1, role: 'agent', token: agent.token, ...extra.hello });
  c.welcome = await c.next((m) => m.t === 'welcome');
  return c;
}

/** A raw customer that created a new session. */
export async function rawCustomer(url, extra = {}) {
  const c = rawClient(url, extra);
  await c.opened;
  c.resume = 'r'.repeat(43);
  c.send({ t: 'hello', v: 1, role: 'customer', resume: c.resume, ...extra.hello });
  c.welcome = await c.next((m) => m.t === 'welcome');
  c.session = c.welcome.session;
  return c;
}

/** A RelayClient using `ws`; `inbox` collects delivered payloads as strings. */
export function client(url, options) {
  const c = new RelayClient({
    url,
    createSocket: (u) => new WebSocket(u),
    backoff: { initialMs: 50, maxMs: 500, factor: 2 },
    ...options,
  });
  c.inbox = [];
  c.on('message', (m) => c.inbox.push(new TextDecoder().decode(m.payload)));
  return c;
}

export const text = (s) => new TextEncoder().encode(s);

/** Customer + agent (alice) joined in one session, via RelayClient. */
export async function pair(url, { customer = {}, agent = {} } = {}) {
  const cust = client(url, { role: 'customer', summary: { purposes: ['chat'] }, ...customer });
  await cust.connect();
  const ag = client(url, { role: 'agent', token: AGENT_TOKENS[0].token, ...agent });
  await ag.connect();
  await ag.accept(cust.sessionId);
  await waitFor(() => cust.sessions.get(cust.sessionId)?.state === 'active', { what: 'customer sees active' });
  return { cust, ag, session: cust.sessionId };
}
