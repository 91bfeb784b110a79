// Failures of a two-process relay on Redis, on loopback: one relay process is killed
// mid-conversation and its clients move to the other; Redis itself restarts (empty, or with its
// data kept) and the relays recover. In every case each side receives every message exactly
// once and in order: senders keep what is not acknowledged and resend it, receivers and Redis
// drop duplicates by counter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, text, waitFor, sleep, AGENT_TOKENS } from './relay-helpers.mjs';
import { startRedis, startRelayProcess } from './relay-redis-helpers.mjs';

const range = (prefix, from, to) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);
// Acknowledgements held back for 400 ms, so a failure lands while frames are delivered but not
// yet acknowledged: their resend must then be dropped as duplicates.
const OPTS = { backoff: { initialMs: 50, maxMs: 300, factor: 2 }, ackDelayMs: 400 };

async function conversation(t, urlsCustomer, urlsAgent) {
  const cust = client(urlsCustomer, { role: 'customer', ...OPTS });
  await cust.connect();
  const ag = client(urlsAgent, { role: 'agent', token: AGENT_TOKENS[0].token, ...OPTS });
  await ag.connect();
  await ag.accept(cust.sessionId);
  t.after(() => {
    cust.close();
    ag.close();
  });
  const session = cust.sessionId;
  const say = (from, to) => {
    for (let i = from; i <= to; i++) {
      cust.send(text(`c${i}`));
      ag.send(text(`a${i}`), { session });
    }
  };
  return { cust, ag, session, say };
}

async function finish(t, { cust, ag, session }, total) {
  await waitFor(() => ag.inbox.length >= total && cust.inbox.length >= total, { what: `all ${total} each way`, timeout: 15_000 });
  await cust.flushed();
  await ag.flushed();
  await sleep(300); // room for any late duplicate to show up
  assert.deepEqual(ag.inbox, range('c', 1, total), 'agent got every customer message once, in order');
  assert.deepEqual(cust.inbox, range('a', 1, total), 'customer got every agent message once, in order');
  assert.equal(cust.counters.delivered, total);
  assert.equal(ag.counters.delivered, total);
  assert.equal(cust.sessions.get(session).epoch, 0);
  assert.equal(cust.sessions.get(session).agent, 'alice');
  t.diagnostic(`resent customer ${cust.counters.resent} agent ${ag.counters.resent}, duplicates dropped at receivers ${cust.counters.duplicates + ag.counters.duplicates}, ` +
    `reconnects ${cust.counters.reconnects + ag.counters.reconnects}`);
}

for (const victim of ['customer', 'agent']) {
  test(`the ${victim}'s relay process is killed mid-conversation: its client moves to the other relay, nothing lost or duplicated`, async (t) => {
    const redis = await startRedis();
    t.after(() => redis.stop());
    const A = await startRelayProcess({ redisUrl: redis.url });
    const B = await startRelayProcess({ redisUrl: redis.url });
    t.after(() => Promise.all([A.stop('SIGKILL'), B.stop('SIGKILL')]));
    // The customer starts on A, the agent on B; each knows both relays.
    const conv = await conversation(t, [A.url, B.url], [B.url, A.url]);
    const { cust, ag, session, say } = conv;

    say(1, 20);
    await waitFor(() => ag.inbox.length === 20 && cust.inbox.length === 20, { what: 'phase 1' });
    await Promise.all([cust.flushed(), ag.flushed()]); // acknowledgement timers start afresh

    say(21, 40);
    await waitFor(() => ag.inbox.length > 20 && cust.inbox.length > 20, { what: 'part of the burst delivered' });
    const moved = victim === 'customer' ? cust : ag;
    const unackedAtKill = moved.sessions.get(session).out.unacked.size;
    const dead = victim === 'customer' ? A : B;
    const survivor = victim === 'customer' ? B : A;
    await dead.stop('SIGKILL');
    assert.ok(unackedAtKill > 0, 'the kill must land with messages of the moving client not yet acknowledged');

    say(41, 50); // the moving client queues, the other one's frames wait in Redis
    await waitFor(() => moved.status === 'open' && moved.url === survivor.url, { what: 'client reconnected to the surviving relay', timeout: 10_000 });
    say(51, 60);
    await finish(t, conv, 60);
    assert.ok(moved.counters.resent > 0, 'the moving client resent what was not acknowledged');
    // Both parties now on the survivor; the session record was kept in Redis, not rebuilt.
    assert.ok(!survivor.events().some((e) => e.event === 'session-restored'));
  });
}

for (const persist of [false, true]) {
  test(`Redis restarts mid-conversation (${persist ? 'data kept' : 'came back empty'}): the relays recover and delivery continues`, async (t) => {
    const redis = await startRedis({ persist });
    t.after(() => redis.stop());
    const A = await startRelayProcess({ redisUrl: redis.url });
    const B = await startRelayProcess({ redisUrl: redis.url });
    t.after(() => Promise.all([A.stop('SIGKILL'), B.stop('SIGKILL')]));
    const conv = await conversation(t, [A.url, B.url], [B.url, A.url]);
    const { cust, ag, say } = conv;

    say(1, 20);
    await waitFor(() => ag.inbox.length === 20 && cust.inbox.length === 20, { what: 'phase 1' });
    say(21, 40);
    await waitFor(() => ag.inbox.length > 20 && cust.inbox.length > 20, { what: 'part of the burst delivered' });
    await redis.restart({ downMs: 400 });
    say(41, 50);
    // Both relays noticed the outage and the return, and told whether the data survived.
    for (const relay of [A, B]) {
      const ready = await waitFor(() => relay.events().find((e) => e.event === 'redis-ready'), { what: 'relay reconnected to Redis', timeout: 10_000 });
      assert.equal(ready.dataLost, !persist);
      assert.ok(relay.events().some((e) => e.event === 'redis-lost'));
    }
    say(51, 60);
    await finish(t, conv, 60);
    const restored = [...A.events(), ...B.events()].filter((e) => e.event === 'session-restored').length;
    if (!persist) assert.ok(restored > 0, 'the empty Redis got the session back from the clients');
    // Both relay processes are still the original ones.
    assert.equal(A.exitCode, null);
    assert.equal(B.exitCode, null);
  });
}
