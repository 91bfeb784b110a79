// The Redis store and bus (relay/redis.mjs) against the RelayStore contract the in-memory
// store meets, plus what only a shared store must do: atomic updates across processes, pub/sub
// between connections, and retention enforced by Redis itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRedisState } from '../../relay/redis.mjs';
import { streamKey } from '../../relay/store.mjs';
import { storeContract } from './relay-store-contract.mjs';
import { startRedis } from './relay-redis-helpers.mjs';
import { waitFor, sleep } from './relay-helpers.mjs';

let redis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

// Every store gets its own prefix, so the contract's fixed ids never meet across tests.
const fresh = () => createRedisState({ url: redis.url, prefix: `t${randomBytes(4).toString('hex')}:` });

storeContract(test, async () => {
  const { store, bus } = await fresh();
  const close = store.close.bind(store);
  store.close = async () => {
    await bus.close();
    await close();
  };
  return store;
});

const ID = 'S0123456789abcdefghijk';

test('two processes racing to accept: exactly one compare-and-set wins', async () => {
  const prefix = `race${randomBytes(4).toString('hex')}:`;
  const states = await Promise.all(Array.from({ length: 4 }, () => createRedisState({ url: redis.url, prefix })));
  try {
    await states[0].store.createSession({ id: ID, state: 'waiting', epoch: 0, agent: null, presence: { customer: null, agent: null } });
    const results = await Promise.all(
      states.map(({ store }, i) =>
        store.updateSession(ID, (r) => (r.state !== 'waiting' ? null : { ...r, state: 'active', agent: `agent${i}` })),
      ),
    );
    const winners = results.filter(Boolean);
    assert.equal(winners.length, 1);
    const rec = await states[3].store.getSession(ID);
    assert.equal(rec.agent, winners[0].agent);
    assert.deepEqual((await states[2].store.listSessions({ state: 'waiting' })).length, 0);
    assert.deepEqual((await states[1].store.listSessions({ state: 'active' })).map((r) => r.id), [ID]);
    // Counters under contention: 4 stores x 25 increments, none lost.
    await Promise.all(states.map(({ store }) => (async () => {
      for (let i = 0; i < 25; i++) await store.updateSession(ID, (r) => ({ ...r, epoch: r.epoch + 1 }));
    })()));
    assert.equal((await states[0].store.getSession(ID)).epoch, 100);
  } finally {
    for (const s of states) {
      await s.bus.close();
      await s.store.close();
    }
  }
});

test('bus: a message published by one connection reaches subscribers on another, after ready', async () => {
  const prefix = `bus${randomBytes(4).toString('hex')}:`;
  const a = await createRedisState({ url: redis.url, prefix });
  const b = await createRedisState({ url: redis.url, prefix });
  try {
    const got = [];
    const off = b.bus.subscribe(`session:${ID}`, (m) => got.push(m));
    await off.ready;
    await a.bus.publish(`session:${ID}`, { kind: 'data', stream: `${ID}:0:agent`, to: 'agent' });
    await a.bus.publish('lobby', {});
    await waitFor(() => got.length === 1, { what: 'message on b' });
    assert.deepEqual(got[0], { kind: 'data', stream: `${ID}:0:agent`, to: 'agent' });
    off();
    await sleep(50);
    await a.bus.publish(`session:${ID}`, { kind: 'state' });
    await sleep(100);
    assert.equal(got.length, 1, 'nothing after unsubscribe');
  } finally {
    for (const s of [a, b]) {
      await s.bus.close();
      await s.store.close();
    }
  }
});

test('retention: Redis itself deletes undelivered frames when no relay sweeps them', async () => {
  const prefix = `ttl${randomBytes(4).toString('hex')}:`;
  const { store, bus } = await createRedisState({ url: redis.url, prefix });
  const raw = redis.client();
  try {
    const K = streamKey(ID, 0, 'agent');
    const xkey = `${prefix}{${ID}}:x:0:agent`;
    const now = Date.now();
    for (let c = 1; c <= 3; c++) assert.equal(await store.append(K, c, Buffer.from(`ciphertext-${c}`), { expiresAt: now + 300 }), 'stored');
    assert.equal(await raw.xlen(xkey), 3);
    const pttl = await raw.pttl(xkey);
    assert.ok(pttl > 0 && pttl <= 300 + 2000, `stream key expires with the retention (+grace), PTTL ${pttl}`);
    // No sweep runs: the key's own expiry removes the ciphertext.
    await waitFor(async () => (await raw.exists(xkey)) === 0, { what: 'stream key expired', timeout: 5000, every: 100 });
    // The next sweep settles what vanished, so the parties are told.
    const expired = await store.sweep(Date.now());
    assert.deepEqual(expired.map((e) => e.upTo), [3]);
    assert.deepEqual(await store.streamInfo(K), { last: 3, acked: 3, frames: 0, bytes: 0 });
    // A frame appended after a silent expiry is accepted and counted on its own.
    assert.equal(await store.append(K, 4, Buffer.from('x'), { expiresAt: Date.now() + 60_000 }), 'stored');
    assert.equal((await store.streamInfo(K)).bytes, 1);
  } finally {
    await bus.close();
    await store.close();
  }
});

test('ack and sweep keep the byte count exact and the expiry index small', async () => {
  const prefix = `acc${randomBytes(4).toString('hex')}:`;
  const { store, bus } = await createRedisState({ url: redis.url, prefix });
  const raw = redis.client();
  try {
    const K = streamKey(ID, 2, 'customer');
    const now = Date.now();
    for (let c = 1; c <= 10; c++) await store.append(K, c, Buffer.alloc(c), { expiresAt: c <= 4 ? now - 1 : now + 60_000 });
    assert.equal((await store.streamInfo(K)).bytes, 55);
    assert.deepEqual(await store.ack(K, 2), { acked: 2, trimmed: 2 });
    assert.equal((await store.streamInfo(K)).bytes, 52);
    const expired = await store.sweep(now);
    assert.deepEqual(expired.map((e) => e.upTo), [4]);
    assert.deepEqual(await store.streamInfo(K), { last: 10, acked: 4, frames: 6, bytes: 45 });
    assert.equal(await raw.zscore(`${prefix}expiry`, K), String(now + 60_000));
    assert.deepEqual(await store.ack(K, 10), { acked: 10, trimmed: 6 });
    assert.equal(await raw.zcard(`${prefix}expiry`), 0);
    assert.deepEqual(await store.streamInfo(K), { last: 10, acked: 10, frames: 0, bytes: 0 });
  } finally {
    await bus.close();
    await store.close();
  }
});
