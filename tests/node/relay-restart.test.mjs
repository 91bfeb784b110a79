// Delivery survives a relay restart: the relay runs as a child process (relay/server.mjs)
// with its in-memory store, is killed mid-conversation and started again on the same port.
// Both parties resend what the other did not acknowledge and drop duplicates by counter, so
// each side sees every message exactly once, in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, text, waitFor, sleep, AGENT_TOKENS } from './relay-helpers.mjs';
import { freePort, startRelayProcess } from './relay-redis-helpers.mjs';


// The relay program in memory (no Redis URL), as relay-redis-helpers.mjs starts it. SIGTERM
// with --drain-ms 0 stops at once (the drain that lets frames in flight finish first is
// relay-drain.test.mjs); here the restart must be repaired by the clients' resends.
const startChild = (port) => startRelayProcess({ port, args: ['--drain-ms', '0'] });

const range = (prefix, from, to) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

for (const signal of ['SIGKILL', 'SIGTERM']) {
  test(`relay ${signal === 'SIGKILL' ? 'killed' : 'stopped without drain'} and restarted mid-conversation: nothing lost, nothing shown twice`, async (t) => {
    const port = await freePort();
    let relay = await startChild(port);
    t.after(() => relay.kill('SIGKILL'));
    const url = `ws://127.0.0.1:${port}`;
    // Acknowledgements held back for 150 ms, so the kill lands while frames are delivered but
    // not yet acknowledged: the resend after restart must then be dropped as duplicates.
    const opts = { backoff: { initialMs: 50, maxMs: 300, factor: 2 }, ackDelayMs: 150 };
    const cust = client(url, { role: 'customer', ...opts });
    await cust.connect();
    const ag = client(url, { role: 'agent', token: AGENT_TOKENS[0].token, ...opts });
    await ag.connect();
    await ag.accept(cust.sessionId);
    const session = cust.sessionId;
    t.after(() => {
      cust.close();
      ag.close();
    });

    // Phase 1: a normal conversation.
    for (let i = 1; i <= 20; i++) {
      cust.send(text(`c${i}`));
      ag.send(text(`a${i}`), { session });
      if (i % 5 === 0) await sleep(10);
    }
    await waitFor(() => ag.inbox.length === 20 && cust.inbox.length === 20, { what: 'phase 1' });

    // Phase 2: a burst, then the relay dies while it is in flight.
    for (let i = 21; i <= 40; i++) {
      cust.send(text(`c${i}`));
      ag.send(text(`a${i}`), { session });
    }
    await waitFor(() => ag.inbox.length > 20 && cust.inbox.length > 20, { what: 'part of the burst delivered' });
    const unackedAtKill = cust.sessions.get(session).out.unacked.size + ag.sessions.get(session).out.unacked.size;
    relay.kill(signal);
    await relay.exited;
    assert.ok(unackedAtKill > 0, 'the kill must land with messages not yet acknowledged');

    // Phase 3: both keep writing while there is no relay.
    for (let i = 41; i <= 50; i++) {
      cust.send(text(`c${i}`));
      ag.send(text(`a${i}`), { session });
    }
    await sleep(200);
    relay = await startChild(port);
    await waitFor(() => cust.status === 'open' && ag.status === 'open', { what: 'both reconnected' });

    // Phase 4: the conversation goes on over the new process.
    for (let i = 51; i <= 60; i++) {
      cust.send(text(`c${i}`));
      ag.send(text(`a${i}`), { session });
    }
    await waitFor(() => ag.inbox.length >= 60 && cust.inbox.length >= 60, { what: 'all 60 each way', timeout: 10_000 });
    await cust.flushed();
    await ag.flushed();
    await sleep(300); // room for any late duplicate to show up

    assert.deepEqual(ag.inbox, range('c', 1, 60));
    assert.deepEqual(cust.inbox, range('a', 1, 60));
    assert.ok(cust.counters.resent + ag.counters.resent > 0, 'frames were resent after the restart');
    // Resent frames the receiver already had were dropped by counter: at the relay (the
    // receiver's hello told it how far it got) or, if they got through, at the receiver.
    const events2 = relay.lines.map((l) => JSON.parse(l));
    const relayDuplicates = events2.filter((e) => e.event === 'frame' && e.result === 'duplicate').length;
    t.diagnostic(`unacked at kill ${unackedAtKill}; resent ${cust.counters.resent + ag.counters.resent}; ` +
      `duplicates dropped at relay ${relayDuplicates}, at receivers ${cust.counters.duplicates + ag.counters.duplicates}`);
    assert.equal(cust.sessions.get(session).epoch, 0);
    assert.equal(cust.sessions.get(session).agent, 'alice');
    const events = relay.lines.map((l) => JSON.parse(l));
    assert.ok(events.some((e) => e.event === 'session-restored'), 'the new process rebuilt the session from the clients');
  });
}
