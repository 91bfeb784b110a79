// The client transport against a scripted socket that offers only the browser's WebSocket API
// (readyState, send, close, onopen/onmessage/onclose, binaryType): proves it needs nothing
// Node-specific, and lets each test play a relay that reorders, repeats or drops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RelayClient } from '../../js/transport/relay-client.js';
import { encodeData, decodeData } from '../../js/transport/envelope.js';

const SESSION = 'S0123456789abcdefghijk';

class ScriptedSocket {
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.binaryType = 'blob';
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  send(data) {
    this.sent.push(typeof data === 'string' ? JSON.parse(data) : decodeData(data));
  }
  close(code = 1000, reason = '') {
    this.readyState = 3;
    this.closedWith = code;
    queueMicrotask(() => this.onclose?.({ code, reason }));
  }
  drop(code = 1006, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  control(msg) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  frame(counter, body, { epoch = 0, session = SESSION } = {}) {
    const bytes = encodeData({ session, epoch, counter }, new TextEncoder().encode(body));
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  }
  get controls() {
    return this.sent.filter((m) => m && typeof m.t === 'string');
  }
  get frames() {
    return this.sent.filter((m) => m && m.payload).map((f) => ({ c: f.counter, e: f.epoch, body: new TextDecoder().decode(f.payload) }));
  }
}

const welcome = (extra = {}) => ({ t: 'welcome', v: 1, role: 'customer', session: SESSION, epoch: 0, state: 'active', agent: 'alice', peer: true, acked: 0, recvFrom: 0, limits: { maxFrameBytes: 4096, heartbeatMs: 60_000 }, ...extra });

function setup(options = {}) {
  const sockets = [];
  const c = new RelayClient({
    url: 'ws://relay.test',
    role: 'customer',
    createSocket: (u) => {
      const s = new ScriptedSocket(u);
      sockets.push(s);
      return s;
    },
    backoff: { initialMs: 5, maxMs: 40, factor: 2 },
    ackDelayMs: 5,
    ...options,
  });
  const inbox = [];
  c.on('message', (m) => inbox.push(new TextDecoder().decode(m.payload)));
  return { c, sockets, inbox, last: () => sockets.at(-1) };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

async function connected(options) {
  const env = setup(options);
  const p = env.c.connect();
  env.last().open();
  env.last().control(welcome());
  await p;
  return env;
}

test('says hello with a resume secret and sets binaryType to arraybuffer', async () => {
  const { c, last } = setup({ summary: { chat: 'granted' }, retentionMs: 60_000 });
  c.connect();
  last().open();
  const hello = last().controls[0];
  assert.equal(last().binaryType, 'arraybuffer');
  assert.equal(hello.t, 'hello');
  assert.equal(hello.v, 1);
  assert.equal(hello.role, 'customer');
  assert.match(hello.resume, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(hello.summary, { chat: 'granted' });
  assert.equal(hello.retentionMs, 60_000);
  assert.equal(hello.session, undefined);
  c.close();
});

test('delivers in counter order exactly once, whatever order and repeats the relay sends', async () => {
  const { c, last, inbox } = await connected();
  for (const n of [1, 2, 2, 4, 3, 1, 6, 5, 6, 4]) last().frame(n, `m${n}`);
  assert.deepEqual(inbox, ['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  assert.equal(c.counters.duplicates, 4);
  await tick(20);
  assert.equal(last().controls.filter((m) => m.t === 'ack').at(-1).c, 6);
  c.close();
});

test('frames of another session or an old epoch are ignored', async () => {
  const { c, last, inbox } = await connected();
  last().frame(1, 'wrong session', { session: 'X0123456789abcdefghijk' });
  last().frame(1, 'old epoch', { epoch: 7 });
  last().frame(1, 'right');
  assert.deepEqual(inbox, ['right']);
  c.close();
});

test('keeps what the peer has not acknowledged and resends exactly that after a reconnect', async () => {
  const { c, sockets, last } = await connected();
  for (const m of ['a', 'b', 'c']) c.send(new TextEncoder().encode(m));
  assert.deepEqual(last().frames.map((f) => f.body), ['a', 'b', 'c']);
  last().control({ t: 'ack', s: SESSION, e: 0, c: 1 });
  last().drop(1006);
  c.send(new TextEncoder().encode('d')); // while disconnected: queued
  await tick(30);
  assert.equal(sockets.length, 2);
  last().open();
  const hello = last().controls[0];
  assert.deepEqual({ session: hello.session, epoch: hello.epoch, delivered: hello.delivered, agent: hello.agent }, { session: SESSION, epoch: 0, delivered: 0, agent: 'alice' });
  assert.equal(hello.resume, sockets[0].controls[0].resume);
  last().control(welcome({ acked: 2 })); // the agent had b too
  assert.deepEqual(last().frames.map((f) => [f.c, f.body]), [[3, 'c'], [4, 'd']]);
  assert.equal(c.counters.resent, 1);
  c.close();
});

test('tells the relay how far it got, so a restarted relay does not send old frames again', async () => {
  const { c, last } = await connected();
  last().frame(1, 'x');
  last().frame(2, 'y');
  last().drop(1006);
  await tick(30);
  last().open();
  assert.equal(last().controls[0].delivered, 2);
  c.close();
});

test('reconnect delays grow exponentially with jitter up to the cap, and reset after a welcome', async () => {
  const { c, last } = await connected();
  const delays = [];
  c.on('status', (s) => s.state === 'reconnecting' && s.delayMs !== undefined && delays.push(s.delayMs));
  for (let i = 0; i < 5; i++) {
    last().drop(1006);
    await tick(60);
  }
  const bases = [5, 10, 20, 40, 40];
  delays.forEach((d, i) => assert.ok(d >= bases[i] / 2 && d <= bases[i], `delay ${i}: ${d} within [${bases[i] / 2}, ${bases[i]}]`));
  last().open();
  last().control(welcome());
  last().drop(1006);
  assert.ok(delays.at(-1) <= 5);
  c.close();
});

test('with several relay URLs, each reconnect tries the next one and resends there', async () => {
  const urls = ['ws://relay-a.test', 'ws://relay-b.test', 'ws://relay-c.test'];
  const { c, sockets, last } = await connected({ url: urls });
  assert.equal(sockets[0].url, urls[0]);
  c.send(new TextEncoder().encode('a'));
  last().drop(1006);
  await tick(30);
  assert.equal(last().url, urls[1]);
  assert.equal(c.url, urls[1]);
  last().drop(1006); // b is down too (never opened)
  await tick(60);
  assert.equal(last().url, urls[2]);
  last().open();
  last().control(welcome());
  assert.deepEqual(last().frames.map((f) => f.body), ['a']);
  last().drop(1006);
  await tick(30);
  assert.equal(last().url, urls[0], 'wraps around');
  c.close();
  assert.throws(() => new RelayClient({ url: [], role: 'customer' }), (e) => e.code === 'INVALID_ARGUMENT');
  assert.throws(() => new RelayClient({ url: ['ws://a.test', 'http://b.test'], role: 'customer' }), (e) => e.code === 'INVALID_ARGUMENT');
});

test('does not reconnect after a refusal, and reports it once', async () => {
  const { c, sockets, last } = await connected();
  const errors = [];
  c.on('error', (e) => errors.push(e.code));
  last().drop(4001, 'agent authentication failed');
  await tick(50);
  assert.equal(sockets.length, 1);
  assert.deepEqual(errors, ['RELAY_REFUSED']);
  assert.equal(c.status, 'closed');
});

test('a transfer to a new epoch reports unacknowledged messages as undelivered and restarts counters', async () => {
  const { c, last } = await connected();
  c.send(new TextEncoder().encode('to alice'));
  const undelivered = [];
  c.on('undelivered', (u) => undelivered.push(u));
  last().control({ t: 'session', s: SESSION, e: 1, state: 'active', agent: 'bob', peer: true });
  assert.deepEqual(undelivered, [{ session: SESSION, epoch: 0, counters: [1], reason: 'transferred' }]);
  const sent = c.send(new TextEncoder().encode('to bob'));
  assert.deepEqual(sent, { session: SESSION, epoch: 1, counter: 1 });
  assert.deepEqual(last().frames.at(-1), { c: 1, e: 1, body: 'to bob' });
  c.close();
});

test('a nack for a full backlog rewinds and retries the same counters later', async () => {
  const { c, last } = await connected();
  for (const m of ['1', '2', '3']) c.send(new TextEncoder().encode(m));
  last().control({ t: 'nack', s: SESSION, e: 0, c: 2, code: 'backlog-full', last: 1 });
  c.send(new TextEncoder().encode('4')); // paused: not sent yet
  assert.deepEqual(last().frames.map((f) => f.c), [1, 2, 3]);
  await tick(300);
  assert.deepEqual(last().frames.map((f) => f.c), [1, 2, 3, 2, 3, 4]);
  c.close();
});

test('sending window: no more than `window` frames in flight without acknowledgement', async () => {
  const { c, last } = await connected({ window: 3 });
  for (let i = 1; i <= 5; i++) c.send(new TextEncoder().encode(String(i)));
  assert.deepEqual(last().frames.map((f) => f.c), [1, 2, 3]);
  last().control({ t: 'ack', s: SESSION, e: 0, c: 2 });
  assert.deepEqual(last().frames.map((f) => f.c), [1, 2, 3, 4, 5]);
  c.close();
});

test('bounded local queue: beyond maxPending, send throws RELAY_QUEUE_FULL', async () => {
  const { c } = await connected({ maxPending: 3, window: 1 });
  for (let i = 0; i < 3; i++) c.send(new Uint8Array([i]));
  assert.throws(() => c.send(new Uint8Array([9])), { name: 'SealDeskError', code: 'RELAY_QUEUE_FULL' });
  c.close();
});

test('a throwing listener does not stop delivery to the others', async () => {
  const { c, last, inbox } = await connected();
  const original = console.error;
  console.error = () => {};
  try {
    c.on('message', () => {
      throw new Error('listener bug');
    });
    last().frame(1, 'one');
    last().frame(2, 'two');
  } finally {
    console.error = original;
  }
  assert.deepEqual(inbox, ['one', 'two']);
  c.close();
});

test('flushed() resolves once everything was acknowledged', async () => {
  const { c, last } = await connected();
  c.send(new Uint8Array([1]));
  c.send(new Uint8Array([2]));
  let done = false;
  const p = c.flushed().then(() => (done = true));
  last().control({ t: 'ack', s: SESSION, e: 0, c: 1 });
  await tick();
  assert.equal(done, false);
  last().control({ t: 'ack', s: SESSION, e: 0, c: 2 });
  await p;
  c.close();
});
