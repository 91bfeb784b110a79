// The relay's logs carry metadata only: a canary placed in payloads (and in messages the relay
// rejects) never shows up, nor do session ids, resume secrets or agent tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRelay, pair, text, waitFor, rawCustomer, rawClient, encodeData, AGENT_TOKENS } from './relay-helpers.mjs';

const CANARY = 'canary-7f3a-身份证110101199003071234';

function leaks(logs, needle) {
  const all = logs.join('\n');
  const forms = [needle, Buffer.from(needle).toString('base64'), Buffer.from(needle).toString('hex'), JSON.stringify(needle).slice(1, -1)];
  return forms.filter((f) => all.includes(f));
}

test('a canary sent in payloads, good and rejected, never appears in the logs', async (t) => {
  const relay = await startRelay({ limits: { maxFrameBytes: 4096 } }); // debug level: every frame logged
  t.after(() => relay.close());
  const { cust, ag, session } = await pair(relay.url);
  for (let i = 0; i < 20; i++) {
    cust.send(text(`${CANARY} #${i}`));
    ag.send(text(`${CANARY} reply #${i}`), { session });
  }
  await waitFor(() => ag.inbox.length === 20 && cust.inbox.length === 20);
  assert.ok(ag.inbox[0].includes(CANARY)); // the canary really travelled through the relay

  // Rejected traffic: too big, malformed control, unknown type, malformed data.
  const big = await rawCustomer(relay.url);
  big.send(encodeData({ session: big.session, epoch: 0, counter: 1 }, text(CANARY.repeat(200))));
  await big.closedP;
  for (const bad of [`{"t":"hello","v":1,"role":"${CANARY}"}`, `not json ${CANARY}`, JSON.stringify({ t: CANARY })]) {
    const c = rawClient(relay.url);
    await c.opened;
    c.send(bad);
    await c.closedP;
  }
  const c = await rawCustomer(relay.url);
  c.send({ t: CANARY });
  await c.closedP;
  const d = await rawCustomer(relay.url);
  d.send(Buffer.concat([Buffer.from([1, 200]), Buffer.from(CANARY)]));
  await d.closedP;

  cust.close();
  ag.close();
  await waitFor(() => relay.events().filter((e) => e.event === 'close').length >= 8);

  const events = relay.events();
  assert.ok(events.filter((e) => e.event === 'frame').length >= 40, 'frames were logged (as metadata)');
  assert.deepEqual(leaks(relay.logs, CANARY), []);
  assert.deepEqual(leaks(relay.logs, '110101199003071234'), []);
  assert.deepEqual(leaks(relay.logs, session), [], 'raw session ids are hashed');
  assert.deepEqual(leaks(relay.logs, cust.resume), []);
  assert.deepEqual(leaks(relay.logs, AGENT_TOKENS[0].token), []);
});

test('log lines are JSON with event, level and timestamp; sessions appear as a stable hash', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.close());
  const { cust, ag, session } = await pair(relay.url);
  cust.send(text('x'));
  await waitFor(() => ag.inbox.length === 1);
  cust.close();
  ag.close();
  await waitFor(() => relay.events().filter((e) => e.event === 'close').length >= 2);
  const events = relay.events();
  for (const e of events) {
    assert.equal(typeof e.event, 'string');
    assert.match(e.level, /^(debug|info|warn|error)$/);
    assert.ok(!Number.isNaN(Date.parse(e.ts)));
  }
  const sids = new Set(events.filter((e) => e.sid).map((e) => e.sid));
  assert.equal(sids.size, 1, 'one session, one hash');
  assert.match([...sids][0], /^[0-9a-f]{12}$/);
  const frame = events.find((e) => e.event === 'frame');
  assert.deepEqual(Object.keys(frame).sort(), ['bytes', 'c', 'conn', 'e', 'event', 'level', 'ms', 'result', 'role', 'sid', 'ts']);
  const close = events.find((e) => e.event === 'close' && e.role === 'customer');
  assert.ok(close.bytesIn > 0 && close.ms >= 0);
  assert.ok(events.some((e) => e.event === 'accept' && e.waitedMs >= 0));
  assert.ok(!relay.logs.join('\n').includes(session));
});

test('the same salt gives the same session hash across processes; different salts do not', async (t) => {
  const a = await startRelay({ logSalt: 'ops-salt' });
  const b = await startRelay({ logSalt: 'ops-salt' });
  const c = await startRelay({ logSalt: 'other' });
  t.after(() => Promise.all([a.close(), b.close(), c.close()]));
  const first = await rawCustomer(a.url);
  const hash = () => first.session;
  for (const r of [b, c]) {
    const again = rawClient(r.url);
    await again.opened;
    again.send({ t: 'hello', v: 1, role: 'customer', session: hash(), resume: first.resume });
    await again.next((m) => m.t === 'welcome');
    again.close();
  }
  const sidOf = (r) => r.events().find((e) => e.sid).sid;
  assert.equal(sidOf(a), sidOf(b));
  assert.notEqual(sidOf(a), sidOf(c));
  first.close();
});
