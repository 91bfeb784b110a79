// What a customer's desk does when it cannot reach support, as a site owner would misconfigure it
// or a network would fail it: the real relay, the real core. Each case is named in info().problem
// (what the widget shows), and nothing is sent where the conversation stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { core as loadTestCore, repoRoot } from './helpers.mjs';
import { WebSocket, startRelay, waitFor, AGENT_TOKENS } from './relay-helpers.mjs';
import { CustomerDesk, AgentDesk } from '../../js/desk/desk-core.js';

// The shipped policy with the example site's controller, as SealDesk.create({ controller }) adds it.
const policy = { ...JSON.parse(await readFile(`${repoRoot}/consent/policies/default.json`, 'utf8')), ...JSON.parse(await readFile(`${repoRoot}/tests/fixtures/site.json`, 'utf8')) };
const locales = Object.fromEntries(
  await Promise.all(['en', 'zh-CN', 'zh-TW'].map(async (t) => [t, JSON.parse(await readFile(`${repoRoot}/consent/locales/${t}.json`, 'utf8'))])),
);
const core = await loadTestCore();
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

function deskKey() {
  const key = core.IdentityKey.generate();
  const out = { seed: b64url(key.exportSeed()), publicKey: b64url(key.publicKey) };
  key.delete();
  return out;
}

/** A socket factory that records what the customer sent and how often it tried. */
function recordingSockets(origin) {
  const sent = [];
  let attempts = 0;
  const createSocket = (url) => {
    attempts++;
    const ws = new WebSocket(url, origin ? { origin } : undefined);
    const send = ws.send.bind(ws);
    ws.send = (data, ...rest) => {
      sent.push(data);
      return send(data, ...rest);
    };
    return ws;
  };
  return { createSocket, sent, attempts: () => attempts };
}

const collect = (emitter, event) => {
  const seen = [];
  emitter.on(event, (v) => seen.push(v));
  return seen;
};

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

test('a relay that does not serve this site\'s origin: ORIGIN_REFUSED at once, no retry loop, the queued message is not sent', async () => {
  const relay = await startRelay({ allowedOrigins: ['https://shop.example'], allowMissingOrigin: false });
  const sockets = recordingSockets('https://other-shop.example');
  const customer = new CustomerDesk({ core, relayUrl: `ws://127.0.0.1:${relay.port}`, agentKey: deskKey().publicKey, engine: new core.ConsentEngine({ policy, locales }), policy, createSocket: sockets.createSocket });
  try {
    const deliveries = collect(customer, 'delivery');
    const errors = collect(customer, 'error');
    await customer.grant(['chat']);
    const sent = await customer.send('where is my order?');
    const info = await waitFor(() => customer.info().problem && customer.info(), { what: 'the problem' });
    assert.deepEqual(info.problem, { code: 'ORIGIN_REFUSED', stopped: true });
    assert.equal(info.relay, 'closed');
    await waitFor(() => deliveries.find((d) => d.id === sent.id && d.state === 'undelivered'), { what: 'the message marked not delivered' });
    assert.ok(errors.some((e) => e.code === 'RELAY_REFUSED' && e.details.closeCode === 4403));
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(sockets.attempts(), 1, 'a refused origin is not retried');
    assert.ok(!sockets.sent.some((d) => typeof d !== 'string'), 'no binary frame left the page');
    await assert.rejects(customer.send('hello?'), (e) => e.code === 'ORIGIN_REFUSED');
  } finally {
    customer.destroy();
    await relay.close();
  }
});

test('support unreachable: RELAY_UNREACHABLE with the next retry time; the message waits and goes out once the relay is up', async () => {
  const port = await freePort();
  const keys = deskKey();
  const sockets = recordingSockets();
  const customer = new CustomerDesk({ core, relayUrl: `ws://127.0.0.1:${port}`, agentKey: keys.publicKey, engine: new core.ConsentEngine({ policy, locales }), policy, createSocket: sockets.createSocket });
  let relay = null;
  let agent = null;
  try {
    await customer.grant(['chat']);
    const sent = await customer.send('is anyone there?');
    const before = Date.now();
    const info = await waitFor(() => customer.info().problem?.code === 'RELAY_UNREACHABLE' && customer.info(), { what: 'unreachable' });
    assert.equal(info.problem.stopped, undefined, 'unreachable is not the end: it retries');
    assert.ok(info.problem.retryAt >= before - 50 && info.problem.retryAt <= Date.now() + 10_000, 'the next attempt is named, within the backoff bound');
    // Later attempts move the retry time forward (backoff), still named.
    const first = info.problem.retryAt;
    await waitFor(() => customer.info().problem?.retryAt > first, { what: 'the next retry time', timeout: 5000 });
    // The relay comes up on that port; an agent takes the conversation; the waiting message arrives.
    relay = await startRelay({ port });
    agent = new AgentDesk({ core, relayUrl: `ws://127.0.0.1:${port}`, identitySeed: keys.seed, token: AGENT_TOKENS[0].token, createSocket: (url) => new WebSocket(url) });
    await agent.connect();
    const messages = collect(agent, 'message');
    const queue = collect(agent, 'queue');
    const waiting = await waitFor(() => queue.at(-1)?.sessions?.[0], { what: 'the customer in the queue', timeout: 15_000 });
    assert.equal(customer.info().problem, null, 'connected again: no problem shown');
    await agent.accept(waiting.session);
    const got = await waitFor(() => messages.find((m) => m.id === sent.id), { what: 'the queued message' });
    assert.equal(got.text, 'is anyone there?');
  } finally {
    customer.destroy();
    agent?.destroy();
    await relay?.close();
  }
});

test('an agent whose identity is not the site\'s agentKey: AGENT_KEY_MISMATCH, the conversation stops, nothing typed reaches it', async () => {
  const relay = await startRelay();
  const real = deskKey();
  const impostor = deskKey();
  const sockets = recordingSockets();
  const customer = new CustomerDesk({ core, relayUrl: `ws://127.0.0.1:${relay.port}`, agentKey: real.publicKey, engine: new core.ConsentEngine({ policy, locales }), policy, createSocket: sockets.createSocket });
  const agent = new AgentDesk({ core, relayUrl: `ws://127.0.0.1:${relay.port}`, identitySeed: impostor.seed, token: AGENT_TOKENS[0].token, createSocket: (url) => new WebSocket(url) });
  try {
    await agent.connect();
    const queue = collect(agent, 'queue');
    const messages = collect(agent, 'message');
    const deliveries = collect(customer, 'delivery');
    await customer.grant(['chat']);
    const canary = 'teal-otter-4410';
    const sent = await customer.send(`my card is 6222 0212 3456 7890 ${canary}`);
    const waiting = await waitFor(() => queue.at(-1)?.sessions?.[0], { what: 'the customer in the queue' });
    await agent.accept(waiting.session);
    const info = await waitFor(() => customer.info().problem && customer.info(), { what: 'the mismatch' });
    assert.deepEqual(info.problem, { code: 'AGENT_KEY_MISMATCH', stopped: true });
    assert.equal(info.safetyCode, null);
    await waitFor(() => deliveries.find((d) => d.id === sent.id && d.state === 'undelivered' && d.reason === 'AGENT_KEY_MISMATCH'), { what: 'not delivered' });
    await assert.rejects(customer.send('hello?'), (e) => e.code === 'AGENT_KEY_MISMATCH');
    await customer.grant(['voice']).catch(() => {}); // a later grant does not re-key towards it either
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(messages.length, 0, 'the impostor agent received nothing');
    const wire = Buffer.concat(sockets.sent.filter((d) => typeof d !== 'string').map((d) => Buffer.from(d)));
    assert.ok(!wire.includes(Buffer.from(canary)), 'the canary never left in the clear');
    // Only the handshake hello went out as a binary frame (no sealed record).
    assert.equal(sockets.sent.filter((d) => typeof d !== 'string').length, 1);
  } finally {
    customer.destroy();
    agent.destroy();
    await relay.close();
  }
});

// --- the agent console's side of the same failures ---

test('agent desk, relay down: it starts anyway and says RELAY_UNREACHABLE with the next try; once the relay is up it clears and customers arrive', async () => {
  const port = await freePort();
  const keys = deskKey();
  const agent = new AgentDesk({ core, relayUrl: `ws://127.0.0.1:${port}`, identitySeed: keys.seed, token: AGENT_TOKENS[0].token, createSocket: (url) => new WebSocket(url) });
  const statuses = collect(agent, 'status');
  let relay = null;
  let customer = null;
  try {
    const before = Date.now();
    await agent.connect(); // does not hang on a relay that is not there
    const status = agent.status();
    assert.equal(status.problem.code, 'RELAY_UNREACHABLE');
    assert.ok(status.problem.retryAt >= before && status.problem.retryAt <= Date.now() + 10_000);
    assert.ok(statuses.some((s) => s.problem?.code === 'RELAY_UNREACHABLE'), 'the change is an event too');
    relay = await startRelay({ port });
    await waitFor(() => agent.status().problem === null && agent.status().relay === 'open', { what: 'connected', timeout: 15_000 });
    const queue = collect(agent, 'queue');
    customer = new CustomerDesk({ core, relayUrl: `ws://127.0.0.1:${port}`, agentKey: keys.publicKey, engine: new core.ConsentEngine({ policy, locales }), policy, createSocket: (url) => new WebSocket(url) });
    await customer.grant(['chat']);
    await waitFor(() => queue.at(-1)?.sessions?.length === 1, { what: 'the customer in the queue' });
  } finally {
    customer?.destroy();
    agent.destroy();
    await relay?.close();
  }
});

test('agent desk with a wrong token, or on an origin the relay does not serve: connect rejects, status names it, no retry loop', async () => {
  const relay = await startRelay({ allowedOrigins: ['https://desk.example'], allowMissingOrigin: false });
  const keys = deskKey();
  try {
    let attempts = 0;
    const wrong = new AgentDesk({ core, relayUrl: `ws://127.0.0.1:${relay.port}`, identitySeed: keys.seed, token: 'not-the-token', createSocket: (url) => (attempts++, new WebSocket(url, { origin: 'https://desk.example' })) });
    await assert.rejects(wrong.connect(), (e) => e.code === 'RELAY_REFUSED');
    assert.deepEqual(wrong.status().problem, { code: 'RELAY_REFUSED', stopped: true });
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(attempts, 1, 'a refused token is not retried');
    wrong.destroy();
    const foreign = new AgentDesk({ core, relayUrl: `ws://127.0.0.1:${relay.port}`, identitySeed: keys.seed, token: AGENT_TOKENS[0].token, createSocket: (url) => new WebSocket(url, { origin: 'https://elsewhere.example' }) });
    await assert.rejects(foreign.connect(), (e) => e.code === 'RELAY_REFUSED' && e.details.closeCode === 4403);
    assert.deepEqual(foreign.status().problem, { code: 'ORIGIN_REFUSED', stopped: true });
    foreign.destroy();
  } finally {
    await relay.close();
  }
});
