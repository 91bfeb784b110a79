// Drain on SIGTERM: the relay program stops taking new connections, lets the open ones finish
// what they sent, tells them (close 1001), flushes its store and exits 0. A message sent right
// before the signal is not lost:
//   - in memory, with the receiver connected: delivered and acknowledged before the relay exits,
//     so the sender has nothing left to resend;
//   - on Redis, with no receiver yet: stored (the sender got `stored`) before the relay exits, and
//     delivered by the next relay process to the agent who accepts later, though the sender is gone.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { client, rawClient, rawCustomer, rawAgent, encodeData, text, waitFor, AGENT_TOKENS } from './relay-helpers.mjs';
import { startRedis, startRelayProcess } from './relay-redis-helpers.mjs';

let redis;
after(() => redis?.stop());

const unacked = (c) => [...c.sessions.values()].reduce((n, st) => n + st.out.unacked.size, 0);

test('in memory: messages sent right before SIGTERM reach the connected agent before the relay exits', async (t) => {
  const relay = await startRelayProcess({ args: ['--drain-ms', '5000'] });
  t.after(() => relay.kill('SIGKILL'));
  const cust = client(relay.url, { role: 'customer' });
  await cust.connect();
  const ag = client(relay.url, { role: 'agent', token: AGENT_TOKENS[0].token });
  await ag.connect();
  await ag.accept(cust.sessionId);
  t.after(() => {
    cust.close();
    ag.close();
  });

  for (let i = 1; i <= 30; i++) cust.send(text(`m${i}`));
  relay.kill('SIGTERM'); // same tick: the frames are still in the socket
  const { code, signal } = await relay.exited;
  assert.equal(code, 0, `clean exit (signal ${signal})`);
  // Checked at once: delivery happened before the relay went, not after a reconnect.
  assert.deepEqual(ag.inbox, Array.from({ length: 30 }, (_, i) => `m${i + 1}`));
  assert.equal(unacked(cust), 0, 'every message acknowledged: nothing to resend');
  assert.equal(cust.counters.resent, 0);
  const events = relay.events();
  const drained = events.find((e) => e.event === 'drained');
  assert.ok(events.find((e) => e.event === 'draining'), 'the drain is logged');
  assert.equal(drained.busyConnections, 0);
  const goingAway = events.filter((e) => e.event === 'close-by-relay' && e.code === 1001);
  assert.equal(goingAway.length, 2, 'both parties told: close 1001 relay shutting down');
  assert.ok(events.findIndex((e) => e.event === 'stopped') > events.indexOf(drained));
});

test('during the drain new connections are refused; a receiver that never acknowledges holds it only up to --drain-ms', async (t) => {
  const relay = await startRelayProcess({ args: ['--drain-ms', '1500'] });
  t.after(() => relay.kill('SIGKILL'));
  const cust = await rawCustomer(relay.url);
  const ag = await rawAgent(relay.url);
  t.after(() => {
    cust.close();
    ag.close();
  });
  ag.send({ t: 'accept', s: cust.session });
  await ag.next((m) => m.t === 'session' && m.state === 'active');
  cust.send(encodeData({ session: cust.session, epoch: 0, counter: 1 }, text('never acked')));
  await waitFor(() => ag.binary.length === 1, { what: 'frame forwarded' });
  const t0 = Date.now();
  relay.kill('SIGTERM');
  await waitFor(() => relay.events().some((e) => e.event === 'draining'), { what: 'draining' });
  const late = rawClient(relay.url);
  const refused = await late.opened.then(() => `opened (${late.unexpected})`, (err) => err.code);
  assert.match(refused, /ECONNREFUSED|opened \(503\)/, 'no new connection during the drain');
  const { code } = await relay.exited;
  const ms = Date.now() - t0;
  assert.equal(code, 0);
  assert.ok(ms >= 1400 && ms < 5000, `the drain waited for the acknowledgement up to its bound (${ms} ms)`);
  assert.equal(relay.events().find((e) => e.event === 'drained').busyConnections, 1);
  assert.equal((await ag.closedP).code, 1001);
  assert.equal((await cust.closedP).code, 1001);
});

test('on Redis: a message left right before SIGTERM is stored, and the next relay delivers it after the sender left', async (t) => {
  redis = await startRedis();
  const prefix = `drain${process.pid}:`;
  const args = ['--drain-ms', '5000', '--redis-prefix', prefix];
  const first = await startRelayProcess({ redisUrl: redis.url, args });
  t.after(() => first.kill('SIGKILL'));
  const cust = client(first.url, { role: 'customer' });
  await cust.connect();
  const session = cust.sessionId;
  const stored = [];
  cust.on('stored', (e) => stored.push(e.counter));

  cust.send(text('please call me back'));
  first.kill('SIGTERM');
  assert.equal((await first.exited).code, 0);
  assert.deepEqual(stored, [1], 'the relay confirmed the message was stored before it exited');
  cust.close(); // the customer leaves for good: nobody can resend it

  const second = await startRelayProcess({ redisUrl: redis.url, args });
  t.after(() => second.stop());
  const ag = client(second.url, { role: 'agent', token: AGENT_TOKENS[0].token });
  t.after(() => ag.close());
  await ag.connect();
  await ag.accept(session);
  await waitFor(() => ag.inbox.length === 1, { what: 'the stored message delivered by the second relay' });
  assert.deepEqual(ag.inbox, ['please call me back']);
});
