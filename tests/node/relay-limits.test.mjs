// The relay's defences: frame size, rate limits, origin check, agent authentication, bounded
// queues and backpressure, heartbeats, and protocol errors. Each test plays the misbehaving
// peer with a raw socket and checks the exact close code and reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startRelay,
  client,
  pair,
  text,
  waitFor,
  sleep,
  rawAgent,
  rawCustomer,
  rawClient,
  encodeData,
  AGENT_TOKENS,
} from './relay-helpers.mjs';
import { WebSocketServer } from '../../relay/node_modules/ws/wrapper.mjs';
import { headerBytes } from '../../js/transport/envelope.js';

test('a frame over maxFrameBytes closes the connection with 1009 and a reason; one at the limit passes', async (t) => {
  const relay = await startRelay({ limits: { maxFrameBytes: 1024 } });
  t.after(() => relay.close());
  const cust = await rawCustomer(relay.url);
  const at = encodeData({ session: cust.session, epoch: 0, counter: 1 }, new Uint8Array(1024 - headerBytes(cust.session)));
  assert.equal(at.length, 1024);
  cust.send(at);
  assert.equal((await cust.next((m) => m.t === 'stored')).c, 1);
  cust.send(encodeData({ session: cust.session, epoch: 0, counter: 2 }, new Uint8Array(1025 - headerBytes(cust.session))));
  const closed = await cust.closedP;
  assert.equal(closed.code, 1009);
  assert.equal(closed.reason, 'frame over 1024 bytes');
});

test('a control message over maxControlBytes closes with 1009', async (t) => {
  const relay = await startRelay({ limits: { maxControlBytes: 512 } });
  t.after(() => relay.close());
  const cust = await rawCustomer(relay.url);
  cust.send({ t: 'ping', n: 1, pad: 'x'.repeat(600) });
  assert.deepEqual(await cust.closedP, { code: 1009, reason: 'control message over 512 bytes' });
});

test('the client refuses a payload over the relay limit before sending it', async (t) => {
  const relay = await startRelay({ limits: { maxFrameBytes: 1024 } });
  t.after(() => relay.close());
  const { cust, ag } = await pair(relay.url);
  assert.throws(() => cust.send(new Uint8Array(1024)), { name: 'SealDeskError', code: 'TOO_LARGE' });
  cust.send(new Uint8Array(1024 - headerBytes(cust.sessionId)));
  await waitFor(() => ag.inbox.length === 1);
  cust.close();
  ag.close();
});

test('a connection that sends faster than its token bucket is closed with 4029', async (t) => {
  const relay = await startRelay({ limits: { ratePerSec: 5, rateBurst: 5 } });
  t.after(() => relay.close());
  const cust = await rawCustomer(relay.url); // the hello spent one token
  for (let i = 0; i < 4; i++) cust.send({ t: 'ping', n: i });
  for (let i = 0; i < 4; i++) await cust.next((m) => m.t === 'pong' && m.n === i);
  assert.equal(cust.closed, null);
  cust.send({ t: 'ping', n: 99 });
  assert.deepEqual(await cust.closedP, { code: 4029, reason: 'rate limit exceeded' });
  assert.ok(relay.events().some((e) => e.event === 'close-by-relay' && e.code === 4029));
});

test('the byte-rate bucket limits volume independently of message count', async (t) => {
  const relay = await startRelay({ limits: { byteRatePerSec: 1000, byteBurst: 4000 } });
  t.after(() => relay.close());
  const cust = await rawCustomer(relay.url);
  for (let c = 1; c <= 5; c++) cust.send(encodeData({ session: cust.session, epoch: 0, counter: c }, new Uint8Array(900)));
  assert.equal((await cust.closedP).code, 4029);
});

test('the token bucket refills: a steady sender under the rate is never cut', async (t) => {
  const relay = await startRelay({ limits: { ratePerSec: 50, rateBurst: 5 } });
  t.after(() => relay.close());
  const cust = await rawCustomer(relay.url);
  for (let i = 0; i < 20; i++) {
    cust.send({ t: 'ping', n: i });
    await sleep(30);
  }
  await cust.next((m) => m.t === 'pong' && m.n === 19);
  assert.equal(cust.closed, null);
  cust.close();
});

test('origin check: listed origins and port wildcards pass; a foreign Origin is closed with 4403 (a browser can read that, not a 403), no Origin gets HTTP 403', async (t) => {
  const relay = await startRelay({ allowedOrigins: ['https://shop.example', 'http://localhost:*'], allowMissingOrigin: false });
  t.after(() => relay.close());
  for (const [origin, ok] of [
    ['https://shop.example', true],
    ['http://localhost:8080', true],
    ['https://evil.example', false],
    ['https://shop.example.evil.example', false],
    ['http://localhost:8080.evil.example', false],
    ['null', false],
    [undefined, false],
  ]) {
    const c = rawClient(relay.url, { origin });
    await c.opened;
    if (ok || origin === undefined) assert.equal(c.unexpected, ok ? null : 403, `origin ${origin}`);
    else assert.deepEqual(await c.closedP, { code: 4403, reason: 'origin not allowed' }, `origin ${origin}`);
    c.close();
  }
  assert.ok(relay.events().some((e) => e.event === 'refused' && e.reason === 'origin'));
});

test('a wrong or missing agent token is refused with 4001 and the token is never logged', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const wrongToken = 'mallory-guess-0123456789abcdef';
  for (const token of [wrongToken, undefined, '', AGENT_TOKENS[0].token.slice(0, -1)]) {
    const c = rawClient(relay.url);
    await c.opened;
    c.send({ t: 'hello', v: 1, role: 'agent', token });
    assert.deepEqual(await c.closedP, { code: 4001, reason: 'agent authentication failed' });
  }
  const failures = relay.events().filter((e) => e.event === 'auth-failed');
  assert.equal(failures.length, 4);
  assert.ok(!relay.logs.join('\n').includes(wrongToken));
  assert.ok(!relay.logs.join('\n').includes(AGENT_TOKENS[0].token.slice(0, 12)));
});

test('the client transport gives up on a refused token instead of retrying', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const ag = client(relay.url, { role: 'agent', token: 'not-a-valid-token-at-all-0000' });
  const statuses = [];
  ag.on('status', (s) => statuses.push(s.state));
  await assert.rejects(ag.connect(), { code: 'RELAY_REFUSED' });
  await sleep(200);
  assert.equal(statuses.filter((s) => s === 'connecting' || s === 'reconnecting').length, 1);
  assert.equal(statuses.at(-1), 'closed');
});

test('flow control: a receiver never has more than windowFrames unacknowledged frames', async (t) => {
  const relay = await startRelay({ limits: { windowFrames: 4 } });
  t.after(() => relay.close());
  const cust = await rawCustomer(relay.url);
  const agent = await rawAgent(relay.url);
  agent.send({ t: 'accept', s: cust.session });
  await agent.next((m) => m.t === 'session' && m.state === 'active');
  for (let c = 1; c <= 10; c++) cust.send(encodeData({ session: cust.session, epoch: 0, counter: c }, text(`m${c}`)));
  await waitFor(() => cust.received.filter((m) => m.t === 'stored').length === 10);
  await sleep(50);
  assert.equal(agent.binary.length, 4);
  agent.send({ t: 'ack', s: cust.session, e: 0, c: 2 });
  await waitFor(() => agent.binary.length === 6, { what: 'two more after ack' });
  await sleep(50);
  assert.equal(agent.binary.length, 6);
  // The sender learns how far the receiver got.
  assert.equal((await cust.next((m) => m.t === 'ack')).c, 2);
  cust.close();
  agent.close();
});

test('a receiver that holds frames without acknowledging is closed with 4008', async (t) => {
  const relay = await startRelay({ limits: { ackTimeoutMs: 300 } });
  t.after(() => relay.close());
  const cust = await rawCustomer(relay.url);
  const agent = await rawAgent(relay.url);
  agent.send({ t: 'accept', s: cust.session });
  await agent.next((m) => m.t === 'session' && m.state === 'active');
  cust.send(encodeData({ session: cust.session, epoch: 0, counter: 1 }, text('ignored')));
  const t0 = Date.now();
  assert.deepEqual(await agent.closedP, { code: 4008, reason: 'peer not acknowledging' });
  assert.ok(Date.now() - t0 < 2000);
  // The frame is still held for the next connection of that agent.
  assert.equal((await relay.stats()).frames, 1);
  cust.close();
});

test('a connection whose socket is not read is closed with 4008 when its send queue passes maxQueueBytes', async (t) => {
  const relay = await startRelay({
    limits: { maxQueueBytes: 256 * 1024, windowFrames: 4096, windowBytes: 1 << 30, maxFrameBytes: 64 * 1024, backlogBytes: 1 << 30, backlogFrames: 100000, byteRatePerSec: 1 << 30, byteBurst: 1 << 30, ratePerSec: 100000, rateBurst: 100000 },
  });
  t.after(() => relay.close());
  const cust = await rawCustomer(relay.url);
  const agent = await rawAgent(relay.url);
  agent.send({ t: 'accept', s: cust.session });
  await agent.next((m) => m.t === 'session' && m.state === 'active');
  agent.ws._socket.pause(); // stops reading: kernel buffers fill, then the relay's queue grows
  const payload = new Uint8Array(60 * 1024);
  let closedAt = 0;
  for (let c = 1; c <= 800 && !closedAt; c++) {
    cust.send(encodeData({ session: cust.session, epoch: 0, counter: c }, payload));
    if (c % 50 === 0) {
      await sleep(5);
      if (relay.events().some((e) => e.event === 'close-by-relay' && e.code === 4008)) closedAt = c;
    }
  }
  await waitFor(() => relay.events().find((e) => e.event === 'close-by-relay' && e.code === 4008), { what: '4008' });
  const ev = relay.events().find((e) => e.event === 'close-by-relay' && e.code === 4008);
  assert.equal(ev.reason, 'send queue full');
  assert.equal(ev.role, 'agent');
  assert.equal(cust.closed, null); // the sender is not punished for the receiver
  cust.close();
  agent.close();
});

test('backpressure to the sender: beyond backlogFrames the relay answers nack backlog-full', async (t) => {
  const relay = await startRelay({ limits: { backlogFrames: 5 } });
  t.after(() => relay.close());
  const cust = await rawCustomer(relay.url);
  for (let c = 1; c <= 6; c++) cust.send(encodeData({ session: cust.session, epoch: 0, counter: c }, text(`m${c}`)));
  const nack = await cust.next((m) => m.t === 'nack');
  assert.deepEqual({ c: nack.c, code: nack.code, last: nack.last }, { c: 6, code: 'backlog-full', last: 5 });
  // A frame that skips a counter is refused too: streams stay contiguous.
  cust.send(encodeData({ session: cust.session, epoch: 0, counter: 9 }, text('gap')));
  assert.equal((await cust.next((m) => m.t === 'nack' && m.c === 9)).code, 'gap');
  cust.close();
});

test('the client transport rides out backlog-full: everything arrives once the agent drains it', async (t) => {
  const relay = await startRelay({ limits: { backlogFrames: 5 } });
  t.after(() => relay.close());
  const cust = client(relay.url, { role: 'customer' });
  await cust.connect();
  for (let i = 1; i <= 12; i++) cust.send(text(`m${i}`));
  await sleep(300);
  const ag = client(relay.url, { role: 'agent', token: AGENT_TOKENS[0].token });
  await ag.connect();
  await ag.accept(cust.sessionId);
  await waitFor(() => ag.inbox.length === 12, { what: 'all 12', timeout: 10_000 });
  assert.deepEqual(ag.inbox, Array.from({ length: 12 }, (_, i) => `m${i + 1}`));
  cust.close();
  ag.close();
});

test('heartbeat: a peer that answers no ping is dropped; one that does stays', async (t) => {
  const relay = await startRelay({ limits: { heartbeatMs: 100 } });
  t.after(() => relay.close());
  const silent = rawClient(relay.url, { autoPong: false });
  await silent.opened;
  silent.send({ t: 'hello', v: 1, role: 'customer', resume: 's'.repeat(43) });
  await silent.next((m) => m.t === 'welcome');
  const lively = await rawCustomer(relay.url);
  const closed = await silent.closedP;
  assert.equal(closed.code, 1006); // terminated: a dead peer gets no closing handshake
  assert.ok(relay.events().some((e) => e.event === 'heartbeat-timeout'));
  await sleep(300);
  assert.equal(lively.closed, null);
  lively.close();
});

test('the client notices a relay that went silent and reconnects', async (t) => {
  // A stand-in relay that welcomes, then never says anything again (a half-open connection).
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  t.after(() => new Promise((r) => wss.close(r)));
  let connections = 0;
  wss.on('connection', (ws) => {
    connections++;
    ws.once('message', () =>
      ws.send(JSON.stringify({ t: 'welcome', v: 1, role: 'customer', session: 'S'.repeat(22), epoch: 0, state: 'waiting', acked: 0 })),
    );
  });
  await new Promise((r) => wss.once('listening', r));
  const cust = client(`ws://127.0.0.1:${wss.address().port}`, { role: 'customer', heartbeatMs: 50 });
  const statuses = [];
  cust.on('status', (s) => statuses.push(s.state));
  await cust.connect();
  await waitFor(() => connections >= 2, { what: 'a second connection after silence', timeout: 3000 });
  assert.ok(statuses.includes('reconnecting'));
  cust.close();
  for (const ws of wss.clients) ws.terminate();
});

test('no hello within helloTimeoutMs closes with 4002', async (t) => {
  const relay = await startRelay({ limits: { helloTimeoutMs: 100 } });
  t.after(() => relay.close());
  const c = rawClient(relay.url);
  await c.opened;
  assert.deepEqual(await c.closedP, { code: 4002, reason: 'no hello in time' });
});

test('protocol errors close with 4000 and a reason', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const cases = [
    [(c) => c.send(Buffer.from([1, 2, 3])), 'hello first'],
    [(c) => c.send('not json'), 'malformed control message'],
    [(c) => c.send({ t: 'hello', v: 99, role: 'customer', resume: 'r'.repeat(43) }), 'unsupported protocol version (want 1)'],
    [(c) => c.send({ t: 'hello', v: 1, role: 'admin' }), 'unknown role'],
    [(c) => c.send({ t: 'hello', v: 1, role: 'customer', resume: 'short' }), 'hello needs a resume secret'],
    [(c) => c.send({ t: 'hello', v: 1, role: 'customer', resume: 'r'.repeat(43), summary: { x: 'y'.repeat(3000) } }), 'summary too large'],
    [(c) => c.send({ t: 'ack', s: 'x', e: 0, c: 1 }), 'hello first'],
  ];
  for (const [act, reason] of cases) {
    const c = rawClient(relay.url);
    await c.opened;
    act(c);
    assert.deepEqual(await c.closedP, { code: 4000, reason });
  }
  const cust = await rawCustomer(relay.url);
  cust.send(Buffer.from([9, 9, 9, 9]));
  assert.deepEqual(await cust.closedP, { code: 4000, reason: 'malformed data frame' });
  const cust2 = await rawCustomer(relay.url);
  cust2.send({ t: 'accept', s: cust2.session });
  assert.deepEqual(await cust2.closedP, { code: 4000, reason: 'agents only' });
});

test('the session cap answers new customers with 1013 (try again later)', async (t) => {
  const relay = await startRelay({ limits: { maxSessions: 2 } });
  t.after(() => relay.close());
  const a = await rawCustomer(relay.url);
  const b = await rawCustomer(relay.url);
  const c = rawClient(relay.url);
  await c.opened;
  c.send({ t: 'hello', v: 1, role: 'customer', resume: 'q'.repeat(43) });
  assert.deepEqual(await c.closedP, { code: 1013, reason: 'relay full' });
  a.close();
  b.close();
});
