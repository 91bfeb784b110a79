// GET /metrics (prom-client): scraped and parsed as Prometheus text, before and after real
// traffic through a relay (in memory, then on a private redis-server for the store latency).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRelay, rawClient, rawCustomer, pair, text, waitFor, encodeData, AGENT_TOKENS } from './relay-helpers.mjs';
import { startRedis } from './relay-redis-helpers.mjs';

/** Parses the Prometheus text format into { 'name{a="x",b="y"}': value } (labels sorted). */
export function parseMetrics(body) {
  const out = new Map();
  const help = new Map();
  for (const line of body.split('\n')) {
    if (!line) continue;
    const h = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (h) {
      help.set(`${h[1]} ${h[2]}`, h[3]);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    const labels = [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`).sort();
    const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : /^nan$/i.test(m[3]) ? NaN : Number(m[3]);
    assert.ok(!Number.isNaN(value) || /^nan$/i.test(m[3]), `bad value in ${line}`);
    out.set(labels.length ? `${m[1]}{${labels.join(',')}}` : m[1], value);
  }
  return { samples: out, help };
}

async function scrape(relay, headers = {}) {
  const res = await fetch(`http://127.0.0.1:${relay.port}/metrics`, { headers });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const { samples, help } = parseMetrics(await res.text());
  const get = (name, labels = {}) => {
    const key = Object.keys(labels).length
      ? `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',')}}`
      : name;
    return samples.get(key);
  };
  return { samples, help, get };
}

test('/metrics counts connections, sessions, queue depth, frames, drops, rejections and store time', async (t) => {
  const relay = await startRelay({ allowedOrigins: ['http://localhost:*'] });
  t.after(() => relay.close());
  const m0 = await scrape(relay);
  for (const name of [
    'sealdesk_relay_connections', 'sealdesk_relay_connections_opened_total', 'sealdesk_relay_sessions', 'sealdesk_relay_queue_depth',
    'sealdesk_relay_frames_total', 'sealdesk_relay_frames_dropped_total', 'sealdesk_relay_rejections_total',
    'sealdesk_relay_store_duration_seconds', 'sealdesk_relay_backlog_frames', 'sealdesk_relay_draining',
  ]) {
    assert.ok(m0.help.has(`HELP ${name}`), `${name} is described`);
  }
  assert.ok(m0.help.has('HELP sealdesk_relay_process_resident_memory_bytes'), 'process metrics are included');
  assert.equal(m0.get('sealdesk_relay_connections', { role: 'customer' }), 0);
  assert.equal(m0.get('sealdesk_relay_queue_depth'), 0);
  assert.equal(m0.get('sealdesk_relay_frames_total', { direction: 'in' }), 0);
  assert.equal(m0.get('sealdesk_relay_rejections_total', { reason: 'origin' }), 0);
  assert.equal(m0.get('sealdesk_relay_draining'), 0);

  // A customer waits: one connection, one waiting session, queue depth 1.
  const waiting = await rawCustomer(relay.url);
  t.after(() => waiting.close());
  const m1 = await scrape(relay);
  assert.equal(m1.get('sealdesk_relay_connections', { role: 'customer' }), 1);
  assert.equal(m1.get('sealdesk_relay_sessions', { state: 'waiting' }), 1);
  assert.equal(m1.get('sealdesk_relay_queue_depth'), 1);
  assert.equal(m1.get('sealdesk_relay_local_sessions'), 1);

  // Frames into the waiting session: 3 stored for the agent to come, one with a stale epoch
  // dropped as such.
  for (let c = 1; c <= 3; c++) waiting.send(encodeData({ session: waiting.session, epoch: 0, counter: c }, text(`w${c}`)));
  await waiting.next((msg) => msg.t === 'stored' && msg.c === 3);
  waiting.send(encodeData({ session: waiting.session, epoch: 7, counter: 1 }, text('stale')));
  await waiting.next((msg) => msg.t === 'nack' && msg.code === 'stale-epoch');
  const m2 = await scrape(relay);
  assert.equal(m2.get('sealdesk_relay_frames_total', { direction: 'in' }), 4);
  assert.equal(m2.get('sealdesk_relay_frames_dropped_total', { reason: 'stale-epoch' }), 1);
  assert.equal(m2.get('sealdesk_relay_frames_dropped_total', { reason: 'backlog-full' }), 0);
  assert.equal(m2.get('sealdesk_relay_backlog_frames'), 3);
  assert.ok(m2.get('sealdesk_relay_backlog_bytes') > 0);

  // A conversation: an agent accepts another customer, 10 messages each way.
  const { cust, ag, session } = await pair(relay.url);
  t.after(() => {
    cust.close();
    ag.close();
  });
  for (let i = 0; i < 10; i++) {
    cust.send(text(`c${i}`));
    ag.send(text(`a${i}`), { session });
  }
  await waitFor(() => cust.inbox.length === 10 && ag.inbox.length === 10, { what: 'conversation delivered' });
  await cust.flushed();
  await ag.flushed();
  const m3 = await scrape(relay);
  assert.equal(m3.get('sealdesk_relay_connections', { role: 'agent' }), 1);
  assert.equal(m3.get('sealdesk_relay_connections', { role: 'customer' }), 2);
  assert.equal(m3.get('sealdesk_relay_sessions', { state: 'active' }), 1);
  assert.equal(m3.get('sealdesk_relay_queue_depth'), 1, 'the first customer still waits');
  assert.equal(m3.get('sealdesk_relay_frames_total', { direction: 'in' }), 24);
  assert.equal(m3.get('sealdesk_relay_frames_total', { direction: 'out' }), 20);
  assert.ok(m3.get('sealdesk_relay_frame_bytes_total', { direction: 'out' }) > m2.get('sealdesk_relay_frame_bytes_total', { direction: 'out' }));
  assert.ok(m3.get('sealdesk_relay_connections_opened_total') >= 3);
  const appends = m3.get('sealdesk_relay_store_duration_seconds_count', { op: 'append', backend: 'memory' });
  assert.equal(appends, 23, 'every stored frame was one timed append');
  assert.equal(m3.get('sealdesk_relay_store_duration_seconds_bucket', { op: 'append', backend: 'memory', le: '+Inf' }), appends);

  // Refusals: a foreign origin at the upgrade, a wrong agent token after hello.
  const foreign = rawClient(relay.url, { origin: 'https://evil.example' });
  await foreign.opened;
  assert.equal((await foreign.closedP).code, 4403);
  const impostor = rawClient(relay.url);
  await impostor.opened;
  impostor.send({ t: 'hello', v: 1, role: 'agent', token: 'not-the-token-0123456789' });
  assert.equal((await impostor.closedP).code, 4001);
  const m4 = await scrape(relay);
  assert.equal(m4.get('sealdesk_relay_rejections_total', { reason: 'origin' }), 1);
  assert.equal(m4.get('sealdesk_relay_rejections_total', { reason: 'auth' }), 1);
});

test('a frame over the backlog bound counts as dropped backlog-full', async (t) => {
  const relay = await startRelay({ limits: { backlogFrames: 2 }, processMetrics: false });
  t.after(() => relay.close());
  const c = await rawCustomer(relay.url);
  t.after(() => c.close());
  for (let n = 1; n <= 3; n++) c.send(encodeData({ session: c.session, epoch: 0, counter: n }, text(`b${n}`)));
  await c.next((msg) => msg.t === 'nack' && msg.code === 'backlog-full');
  const m = await scrape(relay);
  assert.equal(m.get('sealdesk_relay_frames_dropped_total', { reason: 'backlog-full' }), 1);
  assert.equal(m.get('sealdesk_relay_backlog_frames'), 2);
});

test('/metrics with a metrics token answers 401 without it', async (t) => {
  const relay = await startRelay({ metricsToken: 'scrape-token-0123456789', processMetrics: false });
  t.after(() => relay.close());
  const bare = await fetch(`http://127.0.0.1:${relay.port}/metrics`);
  assert.equal(bare.status, 401);
  assert.equal((await fetch(`http://127.0.0.1:${relay.port}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
  const m = await scrape(relay, { authorization: 'Bearer scrape-token-0123456789' });
  assert.equal(m.get('sealdesk_relay_connections', { role: 'customer' }), 0);
  assert.ok(!m.help.has('HELP sealdesk_relay_process_resident_memory_bytes'), 'processMetrics: false leaves them out');
});

let redis;
after(() => redis?.stop());

test('on Redis, /metrics shows the Redis round trips of store calls', async (t) => {
  redis = await startRedis();
  const relay = await startRelay({ redisUrl: redis.url, redisPrefix: `metrics${process.pid}:` });
  t.after(() => relay.close());
  const before = await scrape(relay);
  assert.equal(before.get('sealdesk_relay_store_duration_seconds_count', { op: 'append', backend: 'redis' }), undefined);
  const { cust, ag, session } = await pair(relay.url, { agent: { token: AGENT_TOKENS[1].token } });
  t.after(() => {
    cust.close();
    ag.close();
  });
  for (let i = 0; i < 5; i++) cust.send(text(`r${i}`));
  ag.send(text('ok'), { session });
  await waitFor(() => ag.inbox.length === 5 && cust.inbox.length === 1, { what: 'delivered over Redis' });
  const m = await scrape(relay);
  assert.equal(m.get('sealdesk_relay_store_duration_seconds_count', { op: 'append', backend: 'redis' }), 6);
  const sum = m.get('sealdesk_relay_store_duration_seconds_sum', { op: 'append', backend: 'redis' });
  assert.ok(sum > 0 && sum < 6, `Redis append time is measured (${sum} s for 6)`);
  assert.ok(m.get('sealdesk_relay_store_duration_seconds_count', { op: 'updateSession', backend: 'redis' }) >= 1);
  assert.equal(m.get('sealdesk_relay_sessions', { state: 'active' }), 1);
  assert.equal(m.get('sealdesk_relay_frames_total', { direction: 'in' }), 6);
});
