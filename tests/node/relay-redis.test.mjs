// Two relay processes sharing one Redis (relay/redis.mjs): a customer on relay A talks to
// an agent on relay B; accepting is atomic across processes; retention deletes undelivered
// ciphertext from Redis; a relay that died leaves no presence behind; logs stay content-free.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRedisState } from '../../relay/redis.mjs';
import { client, text, waitFor, sleep, rawAgent, rawCustomer, startRelay, AGENT_TOKENS } from './relay-helpers.mjs';
import { startRedis, startRelayProcess } from './relay-redis-helpers.mjs';
import { runLoad } from '../../relay/load.mjs';

let redis;
let relayA;
let relayB;
before(async () => {
  redis = await startRedis();
  [relayA, relayB] = await Promise.all([startRelayProcess({ redisUrl: redis.url }), startRelayProcess({ redisUrl: redis.url })]);
});
after(async () => {
  await Promise.all([relayA?.stop(), relayB?.stop()]);
  await redis?.stop();
});

const range = (prefix, from, to) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

test('both relays run on Redis and say so in their logs', () => {
  for (const relay of [relayA, relayB]) {
    const listening = relay.events().find((e) => e.event === 'listening');
    assert.equal(listening.store, 'redis');
    assert.ok(!relay.lines.some((l) => l.includes(redis.url)), 'the Redis URL is not logged');
  }
});

test('a customer on relay A and an agent on relay B chat both ways, in order, exactly once', async (t) => {
  const cust = client(relayA.url, { role: 'customer', summary: { purposes: ['chat'] } });
  t.after(() => cust.close());
  await cust.connect();
  const ag = client(relayB.url, { role: 'agent', token: AGENT_TOKENS[0].token });
  t.after(() => ag.close());
  const queued = new Promise((resolve) => ag.on('queue', (q) => q.sessions.some((s) => s.session === cust.sessionId) && resolve(q)));
  await ag.connect();
  const q = await queued; // the waiting session reached the agent's queue on the other process
  assert.deepEqual(q.sessions.find((s) => s.session === cust.sessionId).summary, { purposes: ['chat'] });
  cust.send(text('before accept')); // kept in Redis for whoever accepts
  await ag.accept(cust.sessionId);
  const session = cust.sessionId;
  await waitFor(() => cust.sessions.get(session)?.state === 'active' && cust.sessions.get(session).peer, { what: 'customer sees the agent' });
  for (let i = 1; i <= 30; i++) {
    cust.send(text(`c${i}`));
    ag.send(text(`a${i}`), { session });
  }
  await waitFor(() => ag.inbox.length === 31 && cust.inbox.length === 30, { what: 'all delivered' });
  await cust.flushed();
  await ag.flushed();
  assert.deepEqual(ag.inbox, ['before accept', ...range('c', 1, 30)]);
  assert.deepEqual(cust.inbox, range('a', 1, 30));
  assert.equal(cust.counters.duplicates + ag.counters.duplicates, 0);
  // Acknowledged frames are gone from Redis.
  const raw = redis.client();
  assert.equal(await raw.xlen(`sealdesk:{${session}}:x:0:agent`), 0);
  assert.equal(await raw.xlen(`sealdesk:{${session}}:x:0:customer`), 0);
  cust.end();
  await waitFor(async () => (await raw.exists(`sealdesk:{${session}}:m:0:agent`)) === 0, { what: 'streams deleted at end' });
});

test('two agents on two relays accept the same session at once: exactly one wins', async (t) => {
  const cust = await rawCustomer(relayA.url);
  const alice = await rawAgent(relayA.url, AGENT_TOKENS[0]);
  const bob = await rawAgent(relayB.url, AGENT_TOKENS[1]);
  t.after(() => [cust, alice, bob].forEach((c) => c.close()));
  alice.send({ t: 'accept', s: cust.session });
  bob.send({ t: 'accept', s: cust.session });
  const answer = (c) => c.next((m) => (m.t === 'session' && m.s === cust.session && m.state === 'active') || (m.t === 'refused' && m.s === cust.session));
  const [a, b] = await Promise.all([answer(alice), answer(bob)]);
  assert.deepEqual([a.t, b.t].sort(), ['refused', 'session']);
  const winner = a.t === 'session' ? 'alice' : 'bob';
  const seen = await cust.next((m) => m.t === 'session' && m.state === 'active');
  assert.equal(seen.agent, winner);
  assert.equal([a, b].find((m) => m.t === 'refused').code, 'not-waiting');
});

test('retention: undelivered frames are deleted from Redis and the sender is told they expired', async (t) => {
  const raw = redis.client();
  const cust = client(relayA.url, { role: 'customer', retentionMs: 400 });
  t.after(() => cust.close());
  await cust.connect();
  const session = cust.sessionId;
  const undelivered = [];
  cust.on('undelivered', (u) => undelivered.push(u));
  for (let i = 1; i <= 5; i++) cust.send(text(`sealed-${i}`));
  const xkey = `sealdesk:{${session}}:x:0:agent`;
  await waitFor(async () => (await raw.xlen(xkey)) === 5, { what: 'frames held in Redis' });
  const pttl = await raw.pttl(xkey);
  assert.ok(pttl > 0 && pttl <= 400 + 2000, `the stream key carries the retention as a TTL (PTTL ${pttl})`);
  // No agent ever takes it: the relays' sweep deletes the frames once retention ends.
  await waitFor(() => undelivered.length > 0, { what: 'expired reported', timeout: 5000 });
  assert.equal(await raw.xlen(xkey), 0);
  assert.equal(await raw.exists(xkey), 0);
  assert.deepEqual(undelivered.flatMap((u) => u.counters), [1, 2, 3, 4, 5]);
  assert.ok(undelivered.every((u) => u.reason === 'expired'));
  assert.equal(await raw.zscore('sealdesk:expiry', `${session}:0:agent`), null, 'nothing left to sweep');
  // An agent on the other relay that accepts now starts after the expired frames.
  const ag = client(relayB.url, { role: 'agent', token: AGENT_TOKENS[1].token });
  t.after(() => ag.close());
  await ag.connect();
  await ag.accept(session);
  cust.send(text('fresh'));
  await waitFor(() => ag.inbox.length === 1, { what: 'fresh message' });
  assert.deepEqual(ag.inbox, ['fresh']);
});

/** Every key name and value in Redis, as one latin1 string. */
async function dumpRedis(raw) {
  const parts = [];
  let cursor = '0';
  do {
    const [next, keys] = await raw.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      parts.push(key);
      const type = await raw.type(key);
      if (type === 'string') parts.push((await raw.getBuffer(key))?.toString('latin1') ?? '');
      else if (type === 'hash') parts.push(...Object.entries(await raw.hgetallBuffer(key)).flatMap(([k, v]) => [k, v.toString('latin1')]));
      else if (type === 'set') parts.push(...(await raw.smembers(key)));
      else if (type === 'zset') parts.push(...(await raw.zrange(key, 0, -1)));
      else if (type === 'stream') parts.push(...(await raw.xrangeBuffer(key, '-', '+')).flatMap(([id, f]) => [id, ...f].map((b) => b.toString('latin1'))));
    }
  } while (cursor !== '0');
  return parts.join('\n');
}

test('logs of both relays stay content-free, and Redis holds no secret and no acknowledged frame', async (t) => {
  const payloadCanary = `PAYLOAD-${randomBytes(6).toString('hex')}`;
  const summaryCanary = `SUMMARY-${randomBytes(6).toString('hex')}`;
  const cust = client(relayB.url, { role: 'customer', summary: { note: summaryCanary } });
  t.after(() => cust.close());
  await cust.connect();
  const ag = client(relayA.url, { role: 'agent', token: AGENT_TOKENS[0].token });
  t.after(() => ag.close());
  await ag.connect();
  await ag.accept(cust.sessionId);
  cust.send(text(payloadCanary));
  ag.send(text(payloadCanary), { session: cust.sessionId });
  await waitFor(() => ag.inbox.length === 1 && cust.inbox.length === 1, { what: 'delivered' });
  await cust.flushed();
  await ag.flushed();
  await sleep(100);
  for (const relay of [relayA, relayB]) {
    const all = relay.lines.join('\n') + relay.stderrText;
    for (const secret of [payloadCanary, summaryCanary, cust.sessionId, cust.resume, ...AGENT_TOKENS.map((a) => a.token)]) {
      assert.ok(!all.includes(secret), 'content or an id in a relay log');
    }
  }
  const dump = await dumpRedis(redis.client());
  assert.ok(dump.includes(cust.sessionId), 'sanity: the dump sees this session');
  assert.ok(!dump.includes(payloadCanary), 'acknowledged frames are gone from Redis');
  assert.ok(!dump.includes(cust.resume), 'the resume secret is stored only as a hash');
  for (const a of AGENT_TOKENS) assert.ok(!dump.includes(a.token), 'agent tokens never reach Redis');
});

test('a relay process that died leaves no presence: its agent counts as away and the session is requeued', async (t) => {
  // In-process relay with short timers; the record claims an agent on a relay that never beats.
  const prefix = `gone${randomBytes(3).toString('hex')}:`;
  const relay = await startRelay({ redisUrl: redis.url, redisPrefix: prefix, limits: { agentGraceMs: 400, sessionIdleMs: 60_000, ackTimeoutMs: 400 } });
  const { store, bus } = await createRedisState({ url: redis.url, prefix });
  t.after(async () => {
    await relay.close();
    await bus.close();
    await store.close();
  });
  const id = 'Sgone0123456789abcdefg';
  const now = Date.now();
  await store.createSession({
    id, state: 'active', epoch: 0, agent: 'alice', target: null, transferFrom: null, resumeHash: null, summary: null,
    retentionMs: 60_000, createdAt: now, updatedAt: now, waitingSince: now, presence: { customer: null, agent: 'deadrelay/7' },
    agentOfflineSince: null, lastSeen: now,
  });
  await waitFor(() => relay.events().some((e) => e.event === 'presence-cleared'), { what: 'presence cleared', timeout: 5000 });
  await waitFor(async () => (await store.getSession(id)).state === 'waiting', { what: 'requeued', timeout: 5000 });
  const rec = await store.getSession(id);
  assert.equal(rec.epoch, 1);
  assert.equal(rec.presence.agent, null);
  assert.equal(rec.transferFrom, 'alice');
  // The live relay's own presence is not cleared.
  assert.ok(await store.liveInstances(new Set(['deadrelay'])).then((s) => s.size === 0));
});

test('the load generator runs sessions across two relay processes on its own Redis and reports every figure', async () => {
  const r = await runLoad({ sessions: 6, messages: 5, rate: 50, bytes: 64, seconds: 30, perAgent: 3, relays: 2, redis: true, url: null, token: null });
  assert.equal(r.complete, true);
  assert.equal(r.store, 'redis');
  assert.equal(r.relays, 2);
  assert.equal(r.messagesDelivered, 30);
  assert.equal(r.echoesDelivered, 30);
  assert.ok(r.oneWayMs.p50 > 0 && r.oneWayMs.p99 >= r.oneWayMs.p50);
  assert.ok(r.relayRssMB.idle > 0 && r.redisRssMB.idle > 0);
  assert.equal(typeof r.relayBytesPerSession, 'number');
  assert.equal(typeof r.redisBytesPerSession, 'number');
});
