// The desk end to end in Node: a customer and an agent desk (js/desk/desk-core.js) talking
// through the real relay, with the real WASM core. The browser runs the same code in a Worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { core as loadTestCore, repoRoot } from './helpers.mjs';
import { WebSocket, startRelay, waitFor, sleep, AGENT_TOKENS } from './relay-helpers.mjs';
import { CustomerDesk, AgentDesk } from '../../js/desk/desk-core.js';
import { decodeData } from '../../js/transport/envelope.js';
import { startRedis, Redis } from './relay-redis-helpers.mjs';

// The shipped policy with the example site's controller, as SealDesk.create({ controller }) adds it.
const policy = { ...JSON.parse(await readFile(`${repoRoot}/consent/policies/default.json`, 'utf8')), ...JSON.parse(await readFile(`${repoRoot}/tests/fixtures/site.json`, 'utf8')) };
const locales = Object.fromEntries(
  await Promise.all(['en', 'zh-CN', 'zh-TW'].map(async (t) => [t, JSON.parse(await readFile(`${repoRoot}/consent/locales/${t}.json`, 'utf8'))])),
);
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

/** A relay, an agent desk connected to it, and a factory for customers; frames on the wire are recorded. */
async function world({ relay: relayOptions = {} } = {}) {
  const core = await loadTestCore();
  const relay = await startRelay(relayOptions);
  const url = `ws://127.0.0.1:${relay.port}`;
  const wire = []; // every binary frame either side sent or received
  const createSocket = (u) => {
    const ws = new WebSocket(u);
    const send = ws.send.bind(ws);
    ws.send = (data, ...rest) => {
      if (typeof data !== 'string') wire.push(new Uint8Array(data));
      return send(data, ...rest);
    };
    ws.addEventListener('message', (ev) => {
      if (typeof ev.data !== 'string') wire.push(new Uint8Array(ev.data));
    });
    return ws;
  };
  const deskKey = core.IdentityKey.generate();
  const seed = deskKey.exportSeed();
  const agentKey = b64url(deskKey.publicKey);
  deskKey.delete();
  const agents = [];
  const newAgent = async (index = 0) => {
    const agent = new AgentDesk({ core, relayUrl: url, identitySeed: b64url(seed), token: AGENT_TOKENS[index].token, createSocket });
    await agent.connect();
    agents.push(agent);
    return agent;
  };
  const customers = [];
  const newCustomer = (options = {}) => {
    const engine = new core.ConsentEngine({ policy, locales });
    const c = new CustomerDesk({ core, relayUrl: url, agentKey, engine, policy, createSocket, ...options });
    customers.push(c);
    return c;
  };
  const close = async () => {
    for (const c of customers) c.destroy();
    for (const a of agents) a.destroy();
    await relay.close();
  };
  return { core, relay, url, wire, newAgent, newCustomer, close, createSocket };
}

const collect = (emitter, event) => {
  const seen = [];
  emitter.on(event, (v) => seen.push(v));
  return seen;
};

test('no socket before consent; chat.send without chat consent rejects with CONSENT_REQUIRED and sends nothing', async () => {
  const w = await world();
  try {
    const customer = w.newCustomer();
    await assert.rejects(customer.send('hello'), (e) => e.code === 'CONSENT_REQUIRED' && /chat/.test(e.message));
    await customer.deny(['chat', 'voice']);
    assert.equal(customer.relay, null, 'a reject opens no socket');
    assert.equal(w.wire.length, 0);
  } finally {
    await w.close();
  }
});

test('customer and agent chat end to end: the agent reads the masked text; the wire carries neither the canary nor the numbers', async () => {
  const w = await world();
  try {
    const agent = await w.newAgent();
    const queue = collect(agent, 'queue');
    const customer = w.newCustomer();
    const state = await customer.grant(['chat']);
    assert.equal(state.purposes.chat, 'granted');
    assert.equal(state.purposes.routing, 'granted', 'chat brings the routing it depends on');
    const waiting = await waitFor(() => queue.at(-1)?.sessions?.[0], { what: 'the customer in the queue' });
    assert.equal(waiting.summary.purposes.chat, 'granted');
    const canary = 'purple-walrus-7731';
    const text = `my phone is 13812345678 and ID 11010519491231002X, ${canary}`;
    const sentPromise = customer.send(text); // before the agent accepts: queued, sealed on handshake
    const agentMessages = collect(agent, 'message');
    await agent.accept(waiting.session);
    const sent = await sentPromise;
    assert.ok(sent.findings.length >= 2);
    const got = await waitFor(() => agentMessages.find((m) => m.from === 'customer'), { what: 'the agent to receive' });
    assert.ok(got.text.includes(canary));
    assert.ok(!got.text.includes('13812345678') && !got.text.includes('11010519491231002X'));
    assert.equal(got.text, sent.text);
    // Safety codes agree.
    const cInfo = await waitFor(() => customer.info().safetyCode && customer.info());
    const aInfo = await waitFor(() => agent.info(waiting.session).safetyCode && agent.info(waiting.session));
    assert.equal(cInfo.safetyCode, aInfo.safetyCode);
    // Agent answers.
    const customerMessages = collect(customer, 'message');
    await agent.send(`thanks, ${canary}-reply`, { session: waiting.session });
    await waitFor(() => customerMessages.find((m) => m.from === 'agent'), { what: 'the reply' });
    // Delivery states reach 'delivered'.
    const deliveries = collect(customer, 'delivery');
    const second = await customer.send('second message');
    await waitFor(() => deliveries.find((d) => d.id === second.id && d.state === 'delivered'), { what: 'delivered' });
    // The wire: every frame, both directions.
    const needles = [canary, '13812345678', '11010519491231002X', '1381234', 'second message'].map((s) => Buffer.from(s));
    assert.ok(w.wire.length >= 6);
    for (const frame of w.wire) {
      const buf = Buffer.from(frame);
      for (const n of needles) assert.equal(buf.indexOf(n), -1, 'plaintext on the wire');
    }
  } finally {
    await w.close();
  }
});

test('revoking chat wipes its keys at once: send rejects, the agent cannot send either, re-grant gets fresh keys', async () => {
  const w = await world();
  try {
    const { agent, customer, session } = await pair(w, ['chat']);
    const waiting = { session };
    const firstEpoch = customer.info().epoch;
    await customer.deny(['chat']);
    assert.equal(customer.session.hasKeys('chat'), false);
    const before = w.wire.length;
    await assert.rejects(customer.send('after revoke'), (e) => e.code === 'CONSENT_REQUIRED');
    assert.equal(w.wire.length, before, 'nothing was sent');
    // The agent learns of the revoke (a consent update sealed under routing) and wipes its chat keys.
    await waitFor(() => agent.info(waiting.session).consent?.purposes?.chat === 'denied', { what: 'the consent update' });
    await assert.rejects(agent.send('still there?', { session: waiting.session }), (e) => e.code === 'CONSENT_REQUIRED');
    // Re-grant: a new epoch with fresh keys.
    const messages = collect(agent, 'message');
    await customer.grant(['chat']);
    await waitFor(() => customer.info().epoch > firstEpoch && customer.info().safetyCode, { what: 'a new epoch' });
    await customer.send('back again');
    await waitFor(() => messages.find((m) => m.text === 'back again'), { what: 'the message after re-grant' });
  } finally {
    await w.close();
  }
});

test('tampered frames are dropped with an error and nothing is shown', async () => {
  const w = await world();
  try {
    const { agent, customer } = await pair(w, ['chat']);
    const errors = collect(agent, 'error');
    const messages = collect(agent, 'message');
    // Flip a bit in the next sealed record the customer sends.
    const send = customer.relay.socket.send.bind(customer.relay.socket);
    customer.relay.socket.send = (data, ...rest) => {
      if (typeof data !== 'string') {
        const frame = new Uint8Array(data);
        if (decodeData(frame).payload[0] === 0x02) frame[frame.length - 5] ^= 1;
        return send(frame, ...rest);
      }
      return send(data, ...rest);
    };
    await customer.send('tampered in transit');
    await waitFor(() => errors.length, { what: 'an error' });
    assert.equal(errors[0].code, 'AUTH_FAILED');
    assert.equal(messages.length, 0);
  } finally {
    await w.close();
  }
});

test('oversized and non-string messages get typed errors', async () => {
  const w = await world();
  try {
    const customer = w.newCustomer();
    await customer.grant(['chat']);
    await assert.rejects(customer.send('x'.repeat(16 * 1024 + 1)), (e) => e.code === 'TOO_LARGE');
    await assert.rejects(customer.send(42), (e) => e.code === 'INVALID_ARGUMENT');
    await assert.rejects(customer.send('   '), (e) => e.code === 'INVALID_ARGUMENT');
  } finally {
    await w.close();
  }
});

test('the relay is told the chat retention from the policy, computed in the core', async () => {
  const w = await world();
  try {
    const customer = w.newCustomer();
    assert.equal(customer.retentionMs(), 30 * 86_400_000); // default policy: chat P30D
  } finally {
    await w.close();
  }
});

/** Customer with chat (and more) granted, accepted by an agent, keys on both sides. */
async function pair(w, purposes = ['chat'], agentIndex = 0) {
  const agent = await w.newAgent(agentIndex);
  const queue = collect(agent, 'queue');
  const customer = w.newCustomer();
  await customer.grant(purposes);
  const waiting = await waitFor(() => queue.at(-1)?.sessions?.[0], { what: 'the queue' });
  await agent.accept(waiting.session);
  await waitFor(() => customer.info().safetyCode && agent.info(waiting.session).safetyCode, { what: 'keys' });
  return { agent, customer, session: waiting.session };
}

const tone = (seconds, rate = 48000) => {
  const pcm = new Float32Array(seconds * rate);
  for (let i = 0; i < pcm.length; i++) pcm[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate) + 0.05 * Math.sin((2 * Math.PI * 1234 * i) / rate);
  return pcm;
};

test('a voice note is recorded in the core, sealed under voice, sent in parts and decoded at the agent', async () => {
  const w = await world();
  try {
    const { agent, customer, session } = await pair(w, ['chat', 'voice']);
    const messages = collect(agent, 'message');
    customer.beginVoiceNote(44100);
    const pcm = tone(100, 44100); // ~300 KB of Opus: several relay frames
    let level = 0;
    for (let at = 0; at < pcm.length; at += 4410) level = Math.max(level, customer.pushVoice(pcm.slice(at, at + 4410)).level);
    assert.ok(level > 0.1, `level meter moved (${level})`);
    const sent = await customer.finishVoiceNote();
    assert.ok(Math.abs(sent.attachment.durationMs - 100_000) < 100);
    const got = await waitFor(() => messages.find((m) => m.kind === 'voice-note'), { what: 'the voice note', timeout: 10_000 });
    assert.equal(got.session, session);
    assert.equal(got.purpose, 'voice');
    assert.deepEqual(Buffer.from(got.attachment.bytes), Buffer.from(sent.attachment.bytes), 'the agent gets the exact Ogg file');
    assert.equal(Buffer.from(got.attachment.bytes.subarray(0, 4)).toString(), 'OggS');
    const parts = w.wire.filter((f) => f.includes(0x03)).length;
    assert.ok(parts >= 3);
    const note = agent.decodeVoiceNote(got.attachment.bytes);
    assert.equal(note.sampleRate, 48000);
    assert.ok(Math.abs(note.durationMs - 100_000) < 100);
  } finally {
    await w.close();
  }
});

test('revoking voice while recording drops the recording; finishing fails; nothing is sent', async () => {
  const w = await world();
  try {
    const { customer } = await pair(w, ['chat', 'voice']);
    customer.beginVoiceNote(48000);
    customer.pushVoice(tone(1));
    await customer.deny(['voice']);
    await new Promise((r) => setTimeout(r, 200)); // the consent update itself goes out and arrives
    const before = w.wire.length;
    assert.throws(() => customer.pushVoice(tone(1)), (e) => e.code === 'CONSENT_REQUIRED');
    await assert.rejects(customer.finishVoiceNote(), (e) => e.code === 'CONSENT_REQUIRED');
    assert.throws(() => customer.beginVoiceNote(48000), (e) => e.code === 'CONSENT_REQUIRED');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(w.wire.length, before);
  } finally {
    await w.close();
  }
});

test('transfer to another agent: the customer re-keys; the new agent reads on, the old one holds no key', async () => {
  const w = await world();
  try {
    const { agent, customer, session } = await pair(w, ['chat']);
    const firstCode = customer.info().safetyCode;
    const second = await w.newAgent(1);
    const queue2 = collect(second, 'queue');
    await customer.send('before the transfer');
    await agent.transfer(session);
    assert.equal(agent.sessions.get(session).session, null, 'the old agent dropped its keys');
    const waiting = await waitFor(() => queue2.at(-1)?.sessions?.find((q) => q.session === session), { what: 'the session back in the queue' });
    const messages = collect(second, 'message');
    await second.accept(waiting.session);
    await waitFor(() => customer.info().safetyCode && customer.info().epoch > 1 && second.info(session).safetyCode, { what: 'the new epoch' });
    assert.notEqual(customer.info().safetyCode, firstCode);
    assert.equal(customer.info().safetyCode, second.info(session).safetyCode);
    await customer.send('after the transfer');
    await waitFor(() => messages.find((m) => m.text === 'after the transfer'), { what: 'the new agent to read' });
    await assert.rejects(agent.send('still here?', { session }), (e) => e.code === 'SESSION_NOT_READY');
  } finally {
    await w.close();
  }
});

test('PII reveal: only while the customer grants pii_reveal can the agent open the original; a revoke wipes the reveal key', async () => {
  const w = await world();
  try {
    const { agent, customer, session } = await pair(w, ['chat']);
    const messages = collect(agent, 'message');
    await customer.send('call 13812345678 please');
    const plain = await waitFor(() => messages.find((m) => m.text.startsWith('call')));
    assert.ok(plain.findings.length >= 1);
    assert.ok(plain.findings.every((f) => !f.reveal), 'no reveal token without the grant');

    await customer.grant(['pii_reveal']); // sensitive: its own receipt; a new epoch keys it
    await waitFor(() => agent.info(session).consent?.purposes?.pii_reveal === 'granted' && customer.revealKey, { what: 'the reveal key' });
    await customer.send('my ID is 11010519491231002X');
    const withToken = await waitFor(() => messages.find((m) => m.text.startsWith('my ID')));
    const finding = withToken.findings.find((f) => f.type === 'cn_id');
    assert.match(finding.reveal, /^\[sealed:cn_id:/);
    assert.ok(!withToken.text.includes('11010519491231002X'));
    assert.deepEqual(agent.reveal(session, finding.reveal), { type: 'cn_id', text: '11010519491231002X' });
    // Another session's agent key cannot open it.
    assert.throws(() => agent.reveal(session, finding.reveal.replace(/.{4}\]$/, 'AAAA]')), (e) => ['AUTH_FAILED', 'MALFORMED'].includes(e.code));

    await customer.deny(['pii_reveal']);
    await waitFor(() => agent.info(session).consent?.purposes?.pii_reveal === 'denied', { what: 'the revoke to arrive' });
    assert.throws(() => agent.reveal(session, finding.reveal), (e) => e.code === 'CONSENT_REQUIRED');
    assert.equal(agent.sessions.get(session).reveal, null, 'the reveal key is gone');
    await customer.send('again 11010519491231002X');
    const after = await waitFor(() => messages.find((m) => m.text.startsWith('again')));
    assert.ok(after.findings.every((f) => !f.reveal));
  } finally {
    await w.close();
  }
});

/** Key-value records like the browser's IndexedDB store, in memory. */
const memoryRecords = () => {
  const map = new Map();
  return { map, get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v), remove: async (k) => void map.delete(k), keys: async () => [...map.keys()] };
};

test('local transcript: sealed at rest, readable after a reload, gone when retention ends or consent is revoked', async () => {
  const { Transcript } = await import('../../js/desk/transcript.js');
  const core = await loadTestCore();
  const shortPolicy = structuredClone(policy);
  shortPolicy.purposes.find((p) => p.id === 'chat').retention = 'PT2S';
  const engine = new core.ConsentEngine({ policy: shortPolicy, locales });
  engine.grant(['routing', 'chat']);
  const records = memoryRecords();
  const changes = [];
  const transcript = await Transcript.open({ core, engine, records, onChange: (p) => changes.push(p) });
  const canary = 'canary-kumquat-5150';
  await transcript.keep('chat', { id: 'm1', from: 'customer', text: `hello ${canary} 138****5678`, findings: [], at: Date.now() });
  await transcript.keep('chat', { id: 'm2', from: 'agent', text: 'hi', findings: [], at: Date.now() + 1 });
  const scan = () => [...records.map.values()].some((v) => Buffer.from(v).includes(Buffer.from(canary)));
  assert.equal(scan(), false, 'nothing readable at rest');
  assert.equal(records.map.size, 3); // two records and the vault state
  const [summary] = await transcript.summary();
  assert.equal(summary.purpose, 'chat');
  assert.equal(summary.records, 2);
  assert.ok(summary.deleteAt - Date.now() <= 2000 && summary.deleteAt - Date.now() > 1000);

  // A reload: a new Transcript over the same records reads them back.
  const reloaded = await Transcript.open({ core, engine, records });
  assert.deepEqual((await reloaded.load()).map((m) => m.text), [`hello ${canary} 138****5678`, 'hi']);
  reloaded.close();

  // Retention ends: the timer wipes the key and deletes the records by itself.
  const sealedCopy = records.map.get([...records.map.keys()].find((k) => k.startsWith('transcript:')));
  await waitFor(() => ![...records.map.keys()].some((k) => k.startsWith('transcript:')), { timeout: 4000, what: 'the retention timer' });
  assert.ok(changes.flat().includes('chat'));
  assert.deepEqual(await transcript.load(), []);
  assert.throws(() => transcript.vault.open('chat', 'm1', sealedCopy), (e) => e.code === 'NOT_FOUND', 'a surviving copy is unreadable');

  // Revoke: at once.
  await transcript.keep('chat', { id: 'm3', from: 'customer', text: 'again', findings: [], at: Date.now() });
  assert.equal((await transcript.load()).length, 1);
  await transcript.forget(['chat']);
  assert.deepEqual(await transcript.load(), []);
  assert.equal([...records.map.keys()].filter((k) => k.startsWith('transcript:')).length, 0);
  transcript.close();
});

/** An agent, and a customer desk that keeps its local transcript in memory records. */
async function customerWithTranscript(w) {
  const { Transcript } = await import('../../js/desk/transcript.js');
  const agent = await w.newAgent();
  const queue = collect(agent, 'queue');
  const engine = new w.core.ConsentEngine({ policy, locales });
  const records = memoryRecords();
  const transcript = await Transcript.open({ core: w.core, engine, records });
  const customer = new CustomerDesk({ core: w.core, relayUrl: w.url, agentKey: b64url(agent.identity.publicKey), engine, policy, transcript, createSocket: w.createSocket });
  return { agent, queue, records, transcript, customer };
}

test('the customer desk keeps its conversation in the transcript and drops it on revoke', async () => {
  const w = await world();
  try {
    const { agent, queue, records, transcript, customer } = await customerWithTranscript(w);
    try {
      await customer.grant(['chat']);
      const waiting = await waitFor(() => queue.at(-1)?.sessions?.[0]);
      await agent.accept(waiting.session);
      await customer.send('keep me 13812345678');
      await waitFor(async () => (await transcript.load()).length === 1, { what: 'the kept message' });
      const [kept] = await transcript.load();
      assert.equal(kept.text, 'keep me 138****5678', 'only the masked text is kept');
      await customer.deny(['chat']);
      await waitFor(async () => (await transcript.load()).length === 0, { what: 'the revoke to delete it' });
    } finally {
      customer.destroy();
    }
  } finally {
    await w.close();
  }
});

test('live audio over the relay: Opus frames sealed on the voice purpose, played out through the jitter buffer', async () => {
  const w = await world();
  try {
    const { agent, customer, session } = await pair(w, ['chat', 'voice']);
    customer.startLive(null);
    agent.startLive(session);
    const heard = [];
    agent.on('live-audio', (f) => heard.push(f));
    const pcm = tone(2);
    for (let i = 0; i < 100; i++) {
      customer.pushLive(pcm.slice(i * 960, (i + 1) * 960), null);
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => agent.liveStats(session).played >= 90, { what: `playout ${JSON.stringify(agent.liveStats(session))} ${JSON.stringify(customer.liveStats(null))}`, timeout: 15_000 });
    const stats = agent.liveStats(session);
    assert.equal(stats.received + stats.dropped, 100);
    assert.ok(stats.dropped <= 15, `late frames dropped: ${stats.dropped}`); // a loaded machine's timers are late too
    // The played audio carries the tone (RMS of a 0.3 sine ~ 0.21 after Opus).
    const rms = (f) => Math.sqrt(f.pcm.reduce((a, v) => a + v * v, 0) / f.pcm.length);
    const loud = heard.filter((f) => rms(f) > 0.1).length;
    assert.ok(loud >= 70, `frames with the tone: ${loud}`);
    // Revoking voice stops it on both sides.
    await customer.deny(['voice']);
    assert.equal(customer.liveStats(null), null);
    assert.throws(() => customer.pushLive(pcm.slice(0, 960), null), (e) => e.code === 'NOT_FOUND');
    await waitFor(() => agent.liveStats(session) === null, { what: 'the agent to stop' });
  } finally {
    await w.close();
  }
});

test('consent context reaches the receipt; "delete my local data" leaves an all-unset engine with a new install key', async () => {
  const w = await world();
  try {
    const engine = new w.core.ConsentEngine({ policy, locales });
    const records = memoryRecords();
    const store = { saveStore: async (t) => records.set('store', t), clear: async () => records.map.clear(), loadSeed: async () => undefined, saveSeed: async () => {}, loadStore: async () => undefined };
    const fresh = () => new w.core.ConsentEngine({ policy, locales });
    const customer = new CustomerDesk({ core: w.core, relayUrl: w.url, agentKey: b64url(w.core.IdentityKey.generate().publicKey), engine, policy, store, createSocket: w.createSocket, resetEngine: async () => fresh() });
    try {
      await customer.grant(['chat'], { collectionMethod: 'widget-layer1' });
      const receipts = customer.engine.receipts();
      assert.ok(receipts.length >= 1);
      assert.match(JSON.stringify(receipts.at(-1).receipt), /widget-layer1/);
      const before = customer.engine.principal().id;
      const states = collect(customer, 'consent');
      await customer.deleteLocal();
      assert.equal(customer.engine.state().purposes.chat, 'unset');
      assert.equal(customer.engine.receipts().length, 0);
      assert.notEqual(customer.engine.principal().id, before, 'a new pseudonymous principal');
      assert.equal(states.at(-1).state.purposes.chat, 'unset');
      assert.equal(records.map.size, 0);
    } finally {
      customer.destroy();
    }
  } finally {
    await w.close();
  }
});

// --- the seams an attacker with the relay uses (issue 14): each test fails on the JS-only desk ---

/** What the relay would do: announce a session change, or deliver a payload, to the agent desk. */
const relayToAgent = (agent) => ({
  session: (view) => agent.relay.emit('session', view),
  payload: (session, payload) => agent.relay.emit('message', { session, payload }),
});
/** Captures the agent desk's outgoing payloads for one session (the relay sees them all). */
const tapAgent = (agent, session) => {
  const out = [];
  const send = agent.relay.send.bind(agent.relay);
  agent.relay.send = (payload, options) => {
    if (options?.session === session) out.push(payload);
    return send(payload, options);
  };
  return out;
};

test('a relay that splices in another customer identity in a new epoch is refused: KEY_MISMATCH, the conversation marked', async () => {
  const w = await world();
  try {
    const { agent, customer, session } = await pair(w, ['chat']);
    const errors = collect(agent, 'error');
    const safety = agent.info(session).safetyCode;
    // The relay read the session id off the customer's first hello (public by design) and
    // builds its own customer with the same session id and its own identity.
    const hello = w.wire.map((f) => decodeData(f)?.payload).find((p) => p?.[0] === 0x01 && p[2] === 0x10);
    assert.ok(hello, 'the customer hello crossed the relay');
    const sessionId = hello.subarray(3, 19);
    const impostor = w.core.Session.customer(sessionId, agent.identity.publicKey);
    const impostorIdentity = w.core.IdentityKey.generate();
    impostor.beginHandshake(['routing', 'chat']);
    const forged = impostor.beginHandshake(['routing', 'chat']); // epoch 2: after the real one
    const relay = relayToAgent(agent);
    const sent = tapAgent(agent, session);
    relay.session({ session, epoch: agent.info(session).epoch + 1, state: 'active', summary: null }); // "a new epoch"
    relay.payload(session, w.core.desk.encodePayload('handshake', forged));
    const reply = await waitFor(() => sent.find((p) => p[0] === 0x01), { what: 'the agent to answer the hello' });
    const finish = impostor.handleHandshake(reply.subarray(1), impostorIdentity);
    relay.payload(session, w.core.desk.encodePayload('handshake', finish));
    const refused = await waitFor(() => errors.find((e) => e.code === 'KEY_MISMATCH'), { what: 'KEY_MISMATCH' });
    assert.equal(refused.details.session, session);
    assert.equal(agent.info(session).alert, 'KEY_MISMATCH');
    assert.equal(agent.info(session).safetyCode, safety, 'the conversation keeps the real customer\'s keys');
    // The impostor holds keys of its own making, but nothing it seals is shown at the agent.
    const shown = collect(agent, 'message');
    relay.payload(session, w.core.desk.encodePayload('record', impostor.sealMessage('chat', w.core.desk.encodeBody({ t: 'text', id: 'x1', text: 'I am the customer', at: 1 }))));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(shown.length, 0);
    // The real customer still talks to the agent.
    await customer.send('still me');
    await waitFor(() => shown.find((m) => m.text === 'still me'), { what: 'the real customer\'s message' });
    impostor.delete();
    impostorIdentity.delete();
  } finally {
    await w.close();
  }
});

test('two calls in one epoch share no frame key: a call-1 frame does not open in call 2; joining needs a ring', async () => {
  const w = await world();
  try {
    const { agent, customer, session } = await pair(w, ['chat', 'voice']);
    const signals = collect(agent, 'signal');
    await assert.rejects(agent.prepareCall(session), (e) => e.code === 'SESSION_NOT_READY', 'no ring, no keys');
    const calls = [];
    for (let i = 0; i < 2; i++) {
      const mine = await customer.prepareCall({ video: false });
      customer.ring({ video: false });
      await waitFor(() => signals.filter((s) => s.message.type === 'ring').length === i + 1, { what: `ring ${i + 1}` });
      const theirs = await agent.prepareCall(session);
      calls.push({ send: mine.find((r) => r.direction === 'send'), agentReceive: theirs.find((r) => r.direction === 'receive') });
      await assert.rejects(agent.prepareCall(session), (e) => e.code === 'SESSION_NOT_READY', 'one join per ring');
    }
    assert.equal(customer.info().epoch, calls.length && customer.info().epoch, 'one epoch');
    for (const c of calls) assert.deepEqual(c.send.baseKey, c.agentReceive.baseKey, 'both sides derive the call keys');
    assert.notDeepEqual(calls[0].send.baseKey, calls[1].send.baseKey, 'each call has keys of its own');
    // Each call's transform worker starts its counter at 0: same KID, same counter, same frame ...
    const frame = new Uint8Array([0x78, ...Array.from({ length: 60 }, (_, i) => i)]);
    const sealers = calls.map((c) => new w.core.FrameSealer(c.send.keyId, c.send.baseKey));
    const [c1, c2] = sealers.map((s) => s.seal(1, frame));
    assert.notDeepEqual(c1.subarray(-20), c2.subarray(-20), 'different ciphertexts: no (key, nonce) is reused');
    const opener2 = new w.core.FrameOpener(calls[1].agentReceive.keyId, calls[1].agentReceive.baseKey);
    assert.throws(() => opener2.open(1, c1), (e) => e.code === 'AUTH_FAILED', 'a call-1 frame does not open in call 2');
    assert.deepEqual(opener2.open(1, c2), frame);
    for (const s of sealers) s.delete();
    opener2.delete();
  } finally {
    await w.close();
  }
});

test('the relay drops the customer\'s revoke: the agent refuses every later record and every reveal (fail closed)', async () => {
  const w = await world();
  try {
    const { agent, customer, session } = await pair(w, ['chat']);
    const messages = collect(agent, 'message');
    await customer.grant(['pii_reveal']);
    await waitFor(() => agent.info(session).consent?.purposes?.pii_reveal === 'granted' && customer.revealKey, { what: 'the reveal key' });
    await customer.send('my ID is 11010519491231002X');
    const withToken = await waitFor(() => messages.find((m) => m.text.startsWith('my ID')));
    const token = withToken.findings.find((f) => f.type === 'cn_id').reveal;
    assert.equal(agent.reveal(session, token).text, '11010519491231002X');
    assert.equal(agent.sessions.get(session).reveal.secretKey, undefined, 'the reveal secret stays in the core');
    // The relay drops the one record the revoke sends (it can tell by timing).
    const send = customer.relay.send.bind(customer.relay);
    let dropped = 0;
    customer.relay.send = (payload, options) => (dropped++ === 0 ? { session: customer.relay.sessionId, epoch: 0, counter: 0 } : send(payload, options));
    await customer.deny(['pii_reveal']);
    customer.relay.send = send;
    assert.equal(dropped, 1, 'the revoke was one record, and it was dropped');
    assert.equal(agent.info(session).consent.purposes.pii_reveal, 'granted', 'the agent never heard of it');
    const errors = collect(agent, 'error');
    await customer.send('next message 13812345678');
    await waitFor(() => errors.find((e) => e.code === 'CONSENT_GAP'), { what: 'CONSENT_GAP at the agent' });
    assert.equal(agent.info(session).alert, 'CONSENT_GAP');
    assert.ok(!messages.some((m) => m.text.startsWith('next message')), 'the record after the gap is not shown');
    assert.throws(() => agent.reveal(session, token), (e) => e.code === 'CONSENT_REQUIRED', 'no reveal after the gap');
    await assert.rejects(agent.send('are you there?', { session }), (e) => e.code === 'CONSENT_REQUIRED', 'the agent holds no chat key either');
    await customer.send('and another');
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!messages.some((m) => m.text === 'and another'));
    // The customer's next handshake (a new grant re-keys) opens a new epoch with a new count:
    // the conversation goes on under the consent the agent now knows.
    const epoch = agent.info(session).epoch;
    await customer.grant(['pii_reveal']);
    await waitFor(() => agent.info(session).epoch > epoch && agent.info(session).consent?.purposes?.pii_reveal === 'granted', { what: 'the new epoch' });
    await customer.send('back again');
    await waitFor(() => messages.find((m) => m.text === 'back again'), { what: 'a message after the re-key' });
  } finally {
    await w.close();
  }
});

test('consent that expires mid-session ends the media purpose: keys wiped on both sides, the agent told', async () => {
  const core = await loadTestCore();
  const shortPolicy = structuredClone(policy);
  shortPolicy.purposes.find((p) => p.id === 'voice').validity = 'PT2S';
  const relay = await startRelay();
  const url = `ws://127.0.0.1:${relay.port}`;
  const deskKey = core.IdentityKey.generate();
  const createSocket = (u) => new WebSocket(u);
  const agent = new AgentDesk({ core, relayUrl: url, identitySeed: b64url(deskKey.exportSeed()), token: AGENT_TOKENS[0].token, createSocket });
  const customer = new CustomerDesk({ core, relayUrl: url, agentKey: b64url(deskKey.publicKey), engine: new core.ConsentEngine({ policy: shortPolicy, locales }), policy: shortPolicy, createSocket });
  try {
    await agent.connect();
    const queue = collect(agent, 'queue');
    await customer.grant(['chat', 'voice']);
    const waiting = await waitFor(() => queue.at(-1)?.sessions?.[0], { what: 'the queue' });
    await agent.accept(waiting.session);
    await waitFor(() => customer.session?.hasKeys('voice') && agent.sessionFor(waiting.session)?.hasKeys('voice'), { what: 'voice keys' });
    const stopped = collect(customer, 'purpose-stopped');
    const agentStopped = collect(agent, 'purpose-stopped');
    await waitFor(() => stopped.find((s) => s.purpose === 'voice'), { what: 'the customer to stop voice', timeout: 6000 });
    assert.equal(customer.session.hasKeys('voice'), false, 'the customer wiped its voice keys');
    assert.equal(customer.consentState().purposes.voice, 'expired');
    await assert.rejects(customer.prepareCall({ video: false }), (e) => e.code === 'CONSENT_EXPIRED');
    await waitFor(() => agentStopped.find((s) => s.purpose === 'voice'), { what: 'the agent to stop voice' });
    assert.equal(agent.sessionFor(waiting.session).hasKeys('voice'), false, 'the agent wiped its voice keys');
    assert.equal(customer.session.hasKeys('chat'), true, 'chat goes on');
  } finally {
    customer.destroy();
    agent.destroy();
    deskKey.delete();
    await relay.close();
  }
});

test('the customer shows agent text only under chat; a flood of attachment parts is bounded', async () => {
  const w = await world();
  try {
    const { agent, customer, session } = await pair(w, ['chat']);
    const shown = collect(customer, 'message');
    const errors = collect(customer, 'error');
    const entry = agent.sessions.get(session);
    agent.sendRecord(entry.session, 'routing', { t: 'text', id: 'r1', text: 'shown without chat?', at: 1 }, session);
    await waitFor(() => errors.find((e) => e.code === 'MALFORMED'), { what: 'the text under routing to be dropped' });
    assert.equal(shown.length, 0);
    // The agent starts eight attachments and finishes none: the customer holds at most four.
    for (let i = 0; i < 8; i++) {
      const part = new Uint8Array(13 + w.core.desk.PART_BYTES);
      part[0] = 0x03;
      part[1] = i + 1; // attachment id
      part[12] = 2; // part 0 of 2
      agent.relay.send(part, { session });
    }
    await waitFor(() => errors.filter((e) => e.code === 'OUTSIDE_WINDOW').length === 4, { what: 'four attachments refused' });
    assert.equal(customer.parts.pending, 4);
    assert.ok(customer.parts.bufferedBytes <= 4 * w.core.desk.PART_BYTES);
    assert.equal(customer.parts.expire(Date.now() + 121_000), 4, 'a stalled attachment expires');
    assert.equal(customer.parts.bufferedBytes, 0);
  } finally {
    await w.close();
  }
});

// --- privacy mode (issue 21) ------------------------------------------------------------------

/** Every key and value in a Redis database, as one string (for canary and id scans). */
async function redisKeys(url) {
  const raw = new Redis(url);
  try {
    return await raw.keys('*');
  } finally {
    raw.disconnect();
  }
}

/** What of one session a relay's store still holds: record, streams, frames. */
async function storeHolds(relay, session, redisUrl) {
  if (redisUrl) return (await redisKeys(redisUrl)).filter((k) => k.includes(session));
  const store = relay.store;
  return [...store.sessions.keys(), ...store.streams.keys()].filter((k) => k.includes(session));
}

/** A conversation switched to privacy mode mid-way, with frames still undelivered at its end. */
async function privacyConversation(w, { redisUrl } = {}) {
  const { agent, customer, session: id } = await pair(w, ['chat', 'voice']);
  const customerMessages = collect(customer, 'message');
  const agentMessages = collect(agent, 'message');
  await customer.send('my test result is back, call me on 13912345678');
  assert.equal(agent.info(id).privacy, false);

  const info = await customer.enablePrivacyMode();
  assert.equal(info.privacy, true);
  const receipt = customer.engine.receipts().at(-1).receipt;
  assert.equal(receipt.action, 'privacy_mode', 'the switch is signed into the consent ledger');
  assert.deepEqual(receipt.services[0].purposes, [], 'and decides no purpose');
  await waitFor(() => agent.info(id).privacy, { what: 'the agent sees privacy mode' });
  await waitFor(async () => (await w.relay.store.getSession(id))?.privacy === true, { what: 'the relay marks it' });
  assert.ok(customer.summary().privacy);

  // A voice note in privacy mode: the agent may play it, not download it.
  customer.beginVoiceNote(48000);
  const pcm = tone(1);
  for (let i = 0; i < pcm.length; i += 4800) customer.pushVoice(pcm.slice(i, i + 4800));
  await customer.finishVoiceNote();
  await waitFor(() => agentMessages.some((m) => m.kind === 'voice-note'), { what: 'voice note at the agent' });
  assert.equal(agentMessages.find((m) => m.kind === 'voice-note').attachment.downloadable, false);

  // The agent drops off; what the customer sends now waits in the relay's store.
  agent.relay.close();
  await customer.send('PRIVACY-CANARY still waiting');
  await waitFor(async () => (await storeHolds(w.relay, id, redisUrl)).length > 1, { what: 'undelivered frames stored' });
  assert.ok(customerMessages.length >= 3);
  await customer.end();
  // At the end: nothing of the session is left in the store, not even its record.
  await waitFor(async () => (await storeHolds(w.relay, id, redisUrl)).length === 0, { what: 'the session is gone from the store', timeout: 5000 });
  assert.equal(customer.session, null, 'the customer holds no key of it');
  return { agent, customer, id };
}

test('privacy mode, memory relay: both sides see it, the agent cannot download, and at the end the relay holds nothing of the session', async () => {
  const w = await world();
  try {
    await privacyConversation(w);
    const ended = w.relay.events().find((e) => e.event === 'end');
    assert.equal(ended.privacy, true);
    assert.ok(!w.relay.logs.join('\n').includes('PRIVACY-CANARY'), 'no content in the relay log');
  } finally {
    await w.close();
  }
});

test('privacy mode, Redis relay: after the end no stream, expiry entry or session key of it remains in Redis', async () => {
  const redis = await startRedis();
  const w = await world({ relay: { redisUrl: redis.url, redisPrefix: 'privacy:' } });
  try {
    const { id } = await privacyConversation(w, { redisUrl: redis.url });
    const raw = new Redis(redis.url);
    try {
      assert.equal(await raw.sismember('privacy:sessions', id), 0);
      const expiry = await raw.zrange('privacy:expiry', 0, -1);
      assert.ok(!expiry.some((k) => k.includes(id)), 'no expiry entry of its streams');
    } finally {
      raw.disconnect();
    }
  } finally {
    await w.close();
    await redis.stop();
  }
});

test('privacy mode: the agent forgets the conversation at its end, and a session without it keeps its record until the idle sweep', async () => {
  const w = await world();
  try {
    const { agent, customer, session: id } = await pair(w);
    const forgotten = collect(agent, 'forget');
    await customer.enablePrivacyMode();
    await waitFor(() => agent.info(id).privacy, { what: 'privacy at the agent' });
    await customer.end();
    await waitFor(() => forgotten.some((f) => f.session === id), { what: 'forget event' });
    assert.equal(agent.sessions.has(id), false, 'nothing of it at the agent desk');
    assert.equal(agent.info(id).privacy, false);

    // The control: without privacy mode the ended record stays (until the idle sweep).
    const { agent: second, customer: plain, session: other } = await pair(w);
    const notForgotten = collect(second, 'forget');
    await plain.end();
    await waitFor(async () => (await w.relay.store.getSession(other))?.state === 'ended', { what: 'ended' });
    assert.equal(notForgotten.length, 0);
    // Privacy mode is for a running or a new conversation, not one that ended.
    await assert.rejects(plain.enablePrivacyMode(), (e) => e.code === 'SESSION_ENDED');
  } finally {
    await w.close();
  }
});

test('privacy mode: a customer who closes the tab without ending has the relay end it after privacyGoneMs; without privacy mode the session waits for its agent', async () => {
  const w = await world({ relay: { limits: { privacyGoneMs: 600 } } });
  try {
    const { agent, customer, session: id } = await pair(w);
    const forgotten = collect(agent, 'forget');
    await customer.send('PRIVACY-CANARY before the tab closes');
    await customer.enablePrivacyMode();
    await waitFor(() => agent.info(id).privacy, { what: 'privacy at the agent' });
    const { customer: plain, session: other } = await pair(w, ['chat'], 1);
    const left = Date.now();
    customer.destroy(); // the tab closes: no `end`
    plain.destroy();
    await waitFor(() => forgotten.some((f) => f.session === id), { what: 'the agent forgets it', timeout: 8000 });
    assert.ok(Date.now() - left >= 600, 'not before the customer was away privacyGoneMs');
    assert.deepEqual(await storeHolds(w.relay, id), [], 'nothing of it in the relay store');
    assert.equal(agent.sessions.has(id), false);
    assert.equal(w.relay.events().find((e) => e.event === 'end')?.by, 'relay');
    // The session without privacy mode is still its agent's, whose customer may come back.
    const kept = await w.relay.store.getSession(other);
    assert.equal(kept.state, 'active');
    assert.equal(kept.presence.customer, null);
  } finally {
    await w.close();
  }
});

test('privacy mode: a customer back within privacyGoneMs (a reload) keeps the conversation', async () => {
  const w = await world({ relay: { limits: { privacyGoneMs: 1500 } } });
  try {
    const { agent, customer, session: id } = await pair(w);
    await customer.enablePrivacyMode();
    await waitFor(() => agent.info(id).privacy, { what: 'privacy at the agent' });
    const rec = await w.relay.store.getSession(id);
    // What a reload does at the relay: the customer's connection goes, and comes back with the
    // session's resume secret before the limit (the socket is dropped, the desk reconnects).
    customer.relay.socket.close();
    await waitFor(async () => (await w.relay.store.getSession(id))?.customerOfflineSince, { what: 'the customer away' });
    await waitFor(async () => (await w.relay.store.getSession(id))?.presence.customer, { what: 'the customer back' });
    await sleep(2000);
    const after = await w.relay.store.getSession(id);
    assert.equal(after.state, 'active');
    assert.equal(after.epoch, rec.epoch);
    assert.equal(after.privacy, true);
    const got = collect(agent, 'message');
    await customer.send('still here');
    await waitFor(() => got.some((m) => m.text === 'still here'), { what: 'the conversation goes on' });
  } finally {
    await w.close();
  }
});

test('privacy mode and the local transcript: what was kept of this conversation goes at the switch, nothing after it is kept, other conversations stay', async () => {
  const w = await world();
  try {
    const { agent, queue, records, transcript, customer } = await customerWithTranscript(w);
    try {
      await customer.grant(['chat']);
      // A record of an earlier conversation on this device: it is not this one's to delete.
      await transcript.keep('chat', { id: 'older', session: 'an-earlier-session', from: 'customer', text: 'last week', findings: [], at: 1 });
      const waiting = await waitFor(() => queue.at(-1)?.sessions?.[0]);
      await agent.accept(waiting.session);
      await customer.send('before the switch');
      await waitFor(async () => (await transcript.load()).length === 2, { what: 'kept' });
      await customer.enablePrivacyMode();
      assert.deepEqual((await transcript.load()).map((m) => m.id), ['older'], 'this conversation is gone at once');
      await customer.send('PRIVACY-CANARY after the switch');
      await waitFor(() => agent.info(waiting.session).privacy, { what: 'agent told' });
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual((await transcript.load()).map((m) => m.id), ['older'], 'nothing new is kept');
      for (const key of await records.keys()) {
        const value = await records.get(key);
        assert.ok(!Buffer.from(value instanceof Uint8Array ? value : String(value)).toString('latin1').includes('PRIVACY-CANARY'));
      }
    } finally {
      customer.destroy();
    }
  } finally {
    await w.close();
  }
});

// --- away: nobody accepts, the customer leaves a message (issue 17) ---

test('away: no agent accepts within awayAfterMs; the message left waits sealed in the relay past the idle sweep and reaches the agent who accepts later', async () => {
  const w = await world({ relay: { limits: { sessionIdleMs: 300 } } });
  try {
    const customer = w.newCustomer({ awayAfterMs: 250 });
    await customer.grant(['chat']);
    await customer.connect();
    const id = customer.info().session;
    assert.equal(customer.info().away, false, 'not away at once');
    const t0 = Date.now();
    await waitFor(() => customer.info().away, { what: 'away' });
    assert.ok(Date.now() - t0 >= 200, 'not before awayAfterMs');
    const deliveries = collect(customer, 'delivery');
    const canary = 'teal-otter-5521';
    const left = await customer.leaveMessage({ text: `My parcel never came, call 13812345678 please, ${canary}`, contact: 'li.na@example.cn' });
    assert.equal(left.left, true);
    assert.ok(!left.text.includes('13812345678'), 'masked before it left the page');
    await waitFor(() => deliveries.find((d) => d.id === left.id && d.state === 'sent'), { what: 'stored at the relay' });
    assert.equal(customer.info().leftMessage, true);
    customer.destroy(); // the tab closes
    // Longer than the idle sweep: the session is kept for the message (within the chat retention).
    await sleep(900);
    const rec = await w.relay.store.getSession(id);
    assert.ok(rec && rec.state === 'waiting' && rec.leftAt, 'the session with a message left outlives the idle sweep');
    for (const frame of w.wire) {
      const buf = Buffer.from(frame);
      for (const needle of [canary, '13812345678', 'li.na@example.cn', 'parcel']) assert.equal(buf.indexOf(needle), -1, `${needle} crossed the wire in clear`);
    }
    // An agent comes online later: the queue says a message waits; accepting delivers it.
    const agent = await w.newAgent();
    const queue = collect(agent, 'queue');
    const shown = collect(agent, 'message');
    const entry = await waitFor(() => [...queue, { sessions: agent.queue }].flatMap((q) => q.sessions).find((s) => s.session === id), { what: 'the queue' });
    assert.equal(entry.online, false);
    assert.ok(entry.left >= t0, 'the queue entry says when the message was left');
    await agent.accept(id);
    const got = await waitFor(() => shown.find((m) => m.left), { what: 'the left message at the agent' });
    assert.equal(got.text, left.text);
    assert.ok(got.text.includes(canary));
    assert.equal(got.contact, 'li.na@example.cn');
    assert.equal(got.from, 'customer');
    assert.equal(agent.info(id).left, true);
  } finally {
    await w.close();
  }
});

test('away: a customer still on the page talks on once an agent accepts, as the identity that left the message', async () => {
  const w = await world();
  try {
    const customer = w.newCustomer({ awayAfterMs: 100 });
    await customer.grant(['chat']);
    await customer.connect();
    await waitFor(() => customer.info().away, { what: 'away' });
    const left = await customer.leaveMessage({ text: 'Is the blue kettle back in stock?' });
    const agent = await w.newAgent();
    const shown = collect(agent, 'message');
    await agent.accept(customer.info().session);
    await waitFor(() => shown.find((m) => m.id === left.id), { what: 'the left message' });
    await waitFor(() => customer.info().safetyCode, { what: 'keys' });
    assert.equal(customer.info().away, false, 'not away once an agent accepted');
    // Same customer, same identity: the live conversation goes on.
    await customer.send('I mean the 1.7 litre one');
    await waitFor(() => shown.find((m) => m.text === 'I mean the 1.7 litre one'), { what: 'live chat' });
    // Leaving a message now is just a chat message.
    const later = await customer.leaveMessage({ text: 'thanks!' });
    assert.equal(later.left, false);
    await waitFor(() => shown.find((m) => m.text === 'thanks!' && !m.left), { what: 'sent as chat' });
  } finally {
    await w.close();
  }
});

test('left messages through a hostile relay: not opened in another conversation, shown once, and pinning the one who left it', async () => {
  const w = await world();
  try {
    const agent = await w.newAgent();
    const queue = collect(agent, 'queue');
    const a = w.newCustomer({ awayAfterMs: 60_000 });
    await a.grant(['chat']);
    await a.connect();
    const leftFrames = () => w.wire.map((f) => decodeData(f)).filter((d) => d?.payload?.[0] === 0x05);
    await a.leaveMessage({ text: 'Refund order 7781 to my card please', contact: '+44 20 7946 0958' });
    const frame = await waitFor(() => leftFrames()[0], { what: 'the left frame' });
    const b = w.newCustomer({ awayAfterMs: 60_000 });
    await b.grant(['chat']);
    await b.connect();
    const other = b.info().session;
    await waitFor(() => queue.at(-1)?.sessions?.length === 2, { what: 'both in the queue' });
    await agent.accept(other);
    const shown = collect(agent, 'message');
    const errors = collect(agent, 'error');
    const relay = relayToAgent(agent);
    // The relay moves A's message into B's conversation: the signature names A's.
    relay.payload(other, frame.payload);
    await waitFor(() => errors.find((e) => e.code === 'SIGNATURE_INVALID'), { what: 'refused in another conversation' });
    assert.equal(shown.length, 0);
    // In its own conversation it opens once; a replay is refused.
    await agent.accept(frame.session);
    await waitFor(() => shown.find((m) => m.left && m.contact === '+44 20 7946 0958'), { what: 'shown in its conversation' });
    relay.payload(frame.session, frame.payload);
    await waitFor(() => errors.find((e) => e.code === 'REPLAYED'), { what: 'a replay refused' });
    assert.equal(shown.filter((m) => m.left).length, 1);
    // A relay that forges a whole left message of its own into A's conversation, under another
    // identity, is refused: A's conversation belongs to the identity that left the first one.
    const forger = w.core.IdentityKey.generate();
    const engine = new w.core.ConsentEngine({ policy, locales });
    engine.grant(['routing', 'chat'], Date.now());
    const masker = new w.core.PiiMasker(policy.pii_masking ?? {});
    const forged = w.core.desk.sealLeft(engine, masker, forger, agent.identity.publicKey, frame.session, 'ignore my last message, send it to IBAN GB33BUKB20201555555555', { id: 'forged-1' });
    relay.payload(frame.session, forged.payload);
    await waitFor(() => errors.find((e) => e.code === 'KEY_MISMATCH'), { what: 'a forged signer refused' });
    assert.equal(agent.info(frame.session).alert, 'KEY_MISMATCH');
    assert.equal(shown.filter((m) => m.left).length, 1);
    forger.delete();
    masker.delete();
    engine.delete();
  } finally {
    await w.close();
  }
});

test('away: a message left is kept no longer than the chat retention the customer gave: then the relay deletes the session and its frame', async () => {
  const w = await world({ relay: { limits: { sessionIdleMs: 100, retentionMaxMs: 1500 } } });
  try {
    const customer = w.newCustomer({ awayAfterMs: 50 });
    await customer.grant(['chat']);
    await customer.connect();
    const id = customer.info().session;
    await waitFor(() => customer.info().away, { what: 'away' });
    const deliveries = collect(customer, 'delivery');
    const left = await customer.leaveMessage({ text: 'Please call me back about the refund' });
    await waitFor(() => deliveries.find((d) => d.id === left.id && d.state === 'sent'), { what: 'stored' });
    const leftAt = Date.now();
    customer.destroy();
    await sleep(600);
    assert.ok(await w.relay.store.getSession(id), 'kept past the idle sweep');
    await waitFor(async () => !(await w.relay.store.getSession(id)), { what: 'deleted at the end of retention', timeout: 10_000 });
    assert.ok(Date.now() - leftAt >= 1400, 'not before the retention ended');
    assert.deepEqual(await storeHolds(w.relay, id), [], 'nothing of it in the store');
  } finally {
    await w.close();
  }
});
