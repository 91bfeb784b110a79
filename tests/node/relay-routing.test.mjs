// Routing and session lifecycle through the reference relay (relay/), driven by the client
// transport (js/transport/relay-client.js) and by raw sockets where a peer misbehaves.
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

test('a waiting customer shows in the agent queue with only routing info and the shared consent summary', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const cust = client(relay.url, { role: 'customer', summary: { purposes: { chat: 'granted', video: 'denied' } } });
  await cust.connect();
  const ag = client(relay.url, { role: 'agent', token: AGENT_TOKENS[0].token });
  const queues = [];
  ag.on('queue', (q) => queues.push(q.sessions));
  await ag.connect();
  const q = await waitFor(() => queues.find((s) => s.length === 1), { what: 'queue with one session' });
  assert.deepEqual(Object.keys(q[0]).sort(), ['online', 'session', 'since', 'summary', 'targeted']);
  assert.equal(q[0].session, cust.sessionId);
  assert.deepEqual(q[0].summary, { purposes: { chat: 'granted', video: 'denied' } });
  assert.equal(q[0].online, true);
  cust.close();
  ag.close();
});

test('routes messages both ways in order, exactly once, with stored and delivered receipts', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const { cust, ag, session } = await pair(relay.url);
  const stored = [];
  const delivered = [];
  cust.on('stored', (s) => stored.push(s.counter));
  cust.on('delivered', (d) => delivered.push(d.upTo));
  for (let i = 1; i <= 50; i++) cust.send(text(`c${i}`));
  for (let i = 1; i <= 30; i++) ag.send(text(`a${i}`), { session });
  await waitFor(() => ag.inbox.length === 50 && cust.inbox.length === 30, { what: 'all messages' });
  await cust.flushed();
  await ag.flushed();
  assert.deepEqual(ag.inbox, Array.from({ length: 50 }, (_, i) => `c${i + 1}`));
  assert.deepEqual(cust.inbox, Array.from({ length: 30 }, (_, i) => `a${i + 1}`));
  assert.deepEqual(stored, Array.from({ length: 50 }, (_, i) => i + 1));
  assert.equal(delivered.at(-1), 50);
  // Acknowledged frames are trimmed from the relay's store.
  assert.equal((await relay.stats()).frames, 0);
  cust.close();
  ag.close();
});

test('frames sent before an agent accepts wait in the relay and arrive after accept', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const cust = client(relay.url, { role: 'customer' });
  await cust.connect();
  cust.send(text('hello?'));
  cust.send(text('anyone?'));
  await waitFor(async () => (await relay.stats()).frames === 2, { what: 'frames stored' });
  const ag = client(relay.url, { role: 'agent', token: AGENT_TOKENS[0].token });
  await ag.connect();
  await ag.accept(cust.sessionId);
  await waitFor(() => ag.inbox.length === 2, { what: 'backlog delivered' });
  assert.deepEqual(ag.inbox, ['hello?', 'anyone?']);
  cust.close();
  ag.close();
});

test('two agents race to accept: exactly one wins, the other is refused', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const cust = client(relay.url, { role: 'customer' });
  await cust.connect();
  const a = client(relay.url, { role: 'agent', token: AGENT_TOKENS[0].token });
  const b = client(relay.url, { role: 'agent', token: AGENT_TOKENS[1].token });
  await Promise.all([a.connect(), b.connect()]);
  const results = await Promise.allSettled([a.accept(cust.sessionId), b.accept(cust.sessionId)]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  const loser = results.find((r) => r.status === 'rejected');
  assert.equal(loser.reason.code, 'NOT_FOUND');
  assert.equal(loser.reason.details.code, 'not-waiting');
  for (const c of [cust, a, b]) c.close();
});

test('an agent cannot send into, acknowledge or end a session it does not hold', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const { cust, ag, session } = await pair(relay.url);
  const bob = await rawAgent(relay.url, AGENT_TOKENS[1]);
  bob.send(encodeData({ session, epoch: 0, counter: 1 }, text('injected')));
  const nack = await bob.next((m) => m.t === 'nack');
  assert.equal(nack.code, 'not-joined');
  bob.send({ t: 'end', s: session });
  assert.equal((await bob.next((m) => m.t === 'refused')).code, 'not-joined');
  bob.send({ t: 'transfer', s: session, to: 'bob' });
  assert.equal((await bob.next((m) => m.t === 'refused')).code, 'not-joined');
  bob.send({ t: 'ack', s: session, e: 0, c: 99 });
  ag.send(text('still mine'), { session });
  await waitFor(() => cust.inbox.length === 1, { what: 'real agent message' });
  assert.deepEqual(cust.inbox, ['still mine']);
  assert.equal(cust.sessions.get(session).state, 'active');
  bob.close();
  cust.close();
  ag.close();
});

test('a customer cannot resume a session without its resume secret', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const owner = await rawCustomer(relay.url);
  const thief = rawClient(relay.url);
  await thief.opened;
  thief.send({ t: 'hello', v: 1, role: 'customer', session: owner.session, resume: 'x'.repeat(43) });
  const closed = await thief.closedP;
  assert.equal(closed.code, 4003);
  assert.equal(closed.reason, 'session resume refused');
  owner.close();
});

test('transfer: the new agent gets a new epoch, the old agent is out, the customer continues', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const { cust, ag, session } = await pair(relay.url);
  cust.send(text('before transfer'));
  await waitFor(() => ag.inbox.length === 1);
  await cust.flushed();

  const bob = client(relay.url, { role: 'agent', token: AGENT_TOKENS[1].token });
  const bobQueues = [];
  bob.on('queue', (q) => bobQueues.push(q.sessions));
  await bob.connect();
  const aliceStates = [];
  ag.on('session', (s) => aliceStates.push(s.state));
  assert.ok(ag.transfer(session, 'bob'));
  const entry = await waitFor(() => bobQueues.at(-1)?.find((s) => s.session === session), { what: 'bob sees the transfer' });
  assert.equal(entry.transferFrom, 'alice');
  assert.equal(entry.targeted, true);
  await waitFor(() => aliceStates.includes('transferred'), { what: 'alice told' });
  assert.equal(ag.sessions.has(session), false);
  assert.throws(() => ag.send(text('too late'), { session }), { code: 'NOT_FOUND' });

  await bob.accept(session);
  await waitFor(() => cust.sessions.get(session).agent === 'bob' && cust.sessions.get(session).epoch === 1);
  cust.send(text('after transfer'));
  bob.send(text('bob here'), { session });
  await waitFor(() => bob.inbox.length === 1 && cust.inbox.length === 1);
  assert.deepEqual(bob.inbox, ['after transfer']);
  assert.deepEqual(cust.inbox, ['bob here']);
  assert.deepEqual(ag.inbox, ['before transfer']);
  for (const c of [cust, ag, bob]) c.close();
});

test('a transfer targeted at one agent is not offered to the others', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const { cust, ag, session } = await pair(relay.url);
  const bob = await rawAgent(relay.url, AGENT_TOKENS[1]);
  ag.transfer(session, 'carol');
  await sleep(100);
  const lastQueue = bob.received.filter((m) => m.t === 'queue').at(-1);
  assert.deepEqual(lastQueue.sessions, []);
  bob.send({ t: 'accept', s: session });
  assert.equal((await bob.next((m) => m.t === 'refused')).code, 'not-waiting');
  bob.close();
  cust.close();
  ag.close();
});

test('end: both parties are told, the customer connection closes, nothing is kept', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const { cust, ag, session } = await pair(relay.url);
  const custStates = [];
  cust.on('session', (s) => custStates.push(s.state));
  const custStatus = [];
  cust.on('status', (s) => custStatus.push(s.state));
  ag.end(session);
  await waitFor(() => custStates.includes('ended') && custStatus.includes('closed'), { what: 'customer ended' });
  await waitFor(() => !ag.sessions.has(session));
  assert.throws(() => cust.send(text('x')), { code: 'RELAY_CLOSED' });
  const stats = await relay.stats();
  assert.equal(stats.frames, 0);
  // The ended record stays as a tombstone: resuming it is refused.
  const again = rawClient(relay.url);
  await again.opened;
  again.send({ t: 'hello', v: 1, role: 'customer', session, resume: cust.resume });
  assert.equal((await again.closedP).code, 4004);
  ag.close();
});

test('a second connection for the same customer session supersedes the first', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const first = await rawCustomer(relay.url);
  const second = rawClient(relay.url);
  await second.opened;
  second.send({ t: 'hello', v: 1, role: 'customer', session: first.session, resume: first.resume });
  await second.next((m) => m.t === 'welcome');
  const closed = await first.closedP;
  assert.equal(closed.code, 4010);
  second.close();
});

test('frames past their retention are dropped at the relay and reported as undelivered', async (t) => {
  const relay = await startRelay({ limits: { ackTimeoutMs: 200 } });
  t.after(() => relay.close());
  const cust = client(relay.url, { role: 'customer', retentionMs: 150 });
  const undelivered = [];
  cust.on('undelivered', (u) => undelivered.push(u));
  await cust.connect();
  cust.send(text('nobody will read this'));
  cust.send(text('nor this'));
  await waitFor(() => undelivered.length, { what: 'expiry reported', timeout: 3000 });
  assert.deepEqual(undelivered[0].counters, [1, 2]);
  assert.equal(undelivered[0].reason, 'expired');
  assert.equal((await relay.stats()).frames, 0);
  // An agent that accepts later starts after the expired frames.
  const ag = client(relay.url, { role: 'agent', token: AGENT_TOKENS[0].token });
  await ag.connect();
  await ag.accept(cust.sessionId);
  cust.send(text('fresh'));
  await waitFor(() => ag.inbox.length === 1);
  assert.deepEqual(ag.inbox, ['fresh']);
  cust.close();
  ag.close();
});

test('an agent whose connection drops rejoins its sessions and receives what it missed', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const { cust, ag, session } = await pair(relay.url);
  cust.send(text('one'));
  await waitFor(() => ag.inbox.length === 1);
  ag.socket.terminate(); // network drop, not a close()
  cust.send(text('two'));
  cust.send(text('three'));
  await waitFor(() => ag.inbox.length === 3, { what: 'agent caught up' });
  assert.deepEqual(ag.inbox, ['one', 'two', 'three']);
  assert.equal(ag.sessions.get(session).state, 'active');
  cust.close();
  ag.close();
});

test('a customer page reload rejoins the same session with a new client and continues its counters', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const { cust, ag, session } = await pair(relay.url);
  cust.send(text('before reload 1'));
  cust.send(text('before reload 2'));
  ag.send(text('reply 1'), { session });
  await waitFor(() => ag.inbox.length === 2 && cust.inbox.length === 1);
  await cust.flushed();
  const saved = cust.resumeInfo; // what the widget would keep in sessionStorage
  cust.close();

  ag.send(text('reply while reloading'), { session });
  const reloaded = client(relay.url, { role: 'customer', resume: saved });
  await reloaded.connect();
  assert.equal(reloaded.sessionId, session);
  const sent = reloaded.send(text('after reload'));
  assert.equal(sent.counter, 3);
  await waitFor(() => ag.inbox.length === 3 && reloaded.inbox.length >= 1, { what: 'traffic after reload' });
  assert.deepEqual(ag.inbox, ['before reload 1', 'before reload 2', 'after reload']);
  assert.deepEqual(reloaded.inbox, ['reply while reloading']);
  reloaded.close();
  ag.close();
});

test('an accepted session whose agent stays away past agentGraceMs goes back to the queue in a new epoch', async (t) => {
  const relay = await startRelay({ limits: { agentGraceMs: 200, ackTimeoutMs: 400 } });
  t.after(() => relay.close());
  const { cust, ag, session } = await pair(relay.url);
  const undelivered = [];
  cust.on('undelivered', (u) => undelivered.push(u));
  ag.close();
  cust.send(text('are you there?'));
  await waitFor(() => cust.sessions.get(session).state === 'waiting', { what: 'requeued', timeout: 3000 });
  assert.equal(cust.sessions.get(session).epoch, 1);
  assert.deepEqual(undelivered.map((u) => u.counters), [[1]]);
  assert.ok(relay.events().some((e) => e.event === 'requeue' && e.reason === 'agent-away'));
  const bob = client(relay.url, { role: 'agent', token: AGENT_TOKENS[1].token });
  await bob.connect();
  await bob.accept(session);
  cust.send(text('hello bob'));
  await waitFor(() => bob.inbox.length === 1);
  assert.deepEqual(bob.inbox, ['hello bob']);
  cust.close();
  bob.close();
});

test('a session nobody is connected to is deleted after sessionIdleMs', async (t) => {
  const relay = await startRelay({ limits: { sessionIdleMs: 200, ackTimeoutMs: 400 } });
  t.after(() => relay.close());
  const cust = client(relay.url, { role: 'customer' });
  await cust.connect();
  cust.send(text('left behind'));
  cust.close();
  await waitFor(async () => (await relay.stats()).sessions === 0, { what: 'session deleted', timeout: 3000 });
  assert.equal((await relay.stats()).frames, 0);
  assert.ok(relay.events().some((e) => e.event === 'session-expired'));
});
