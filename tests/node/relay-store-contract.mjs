// The RelayStore contract (relay/store.mjs): what any store must do for the relay to keep
// exactly-once delivery. relay-store.test.mjs runs it on the in-memory store; issue 9's Redis
// store runs the same function on itself.
import assert from 'node:assert/strict';
import { streamKey } from '../../relay/store.mjs';

const bytes = (n, fill = 1) => Buffer.alloc(n, fill);

/** Registers the contract tests with `test` for stores made by `makeStore()`. */
export function storeContract(test, makeStore) {
  const withStore = (fn) => async () => {
    const store = await makeStore();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };
  const K = streamKey('S0123456789abcdefghijk', 0, 'agent');

  test('append accepts contiguous counters, reports duplicates and gaps', withStore(async (store) => {
    assert.equal(await store.append(K, 5, bytes(3)), 'stored'); // a new stream starts anywhere
    assert.equal(await store.append(K, 6, bytes(3)), 'stored');
    assert.equal(await store.append(K, 6, bytes(3)), 'duplicate');
    assert.equal(await store.append(K, 4, bytes(3)), 'duplicate');
    assert.equal(await store.append(K, 8, bytes(3)), 'gap');
    assert.deepEqual(await store.streamInfo(K), { last: 6, acked: 0, frames: 2, bytes: 6 });
  }));

  test('append refuses beyond the backlog bounds in frames and bytes', withStore(async (store) => {
    assert.equal(await store.append(K, 1, bytes(10), { maxFrames: 2, maxBytes: 25 }), 'stored');
    assert.equal(await store.append(K, 2, bytes(10), { maxFrames: 2, maxBytes: 25 }), 'stored');
    assert.equal(await store.append(K, 3, bytes(1), { maxFrames: 2, maxBytes: 25 }), 'full');
    assert.equal(await store.append(K, 3, bytes(1), { maxFrames: 3, maxBytes: 20 }), 'full');
    assert.equal(await store.append(K, 3, bytes(1), { maxFrames: 3, maxBytes: 25 }), 'stored');
  }));

  test('read returns frames after a counter, in order, up to a limit, byte-exact', withStore(async (store) => {
    for (let c = 1; c <= 5; c++) await store.append(K, c, bytes(c, c));
    const got = await store.read(K, 2, 2);
    assert.deepEqual(got.map((f) => f.counter), [3, 4]);
    assert.deepEqual(Buffer.from(got[1].bytes), bytes(4, 4));
    assert.deepEqual((await store.read(K, 0, 100)).map((f) => f.counter), [1, 2, 3, 4, 5]);
    assert.deepEqual(await store.read(K, 5, 10), []);
    assert.deepEqual(await store.read(streamKey('S0123456789abcdefghijk', 9, 'agent'), 0, 10), []);
  }));

  test('ack trims up to the watermark and later appends continue after it', withStore(async (store) => {
    for (let c = 1; c <= 4; c++) await store.append(K, c, bytes(2));
    assert.deepEqual(await store.ack(K, 3), { acked: 3, trimmed: 3 });
    assert.deepEqual(await store.ack(K, 2), { acked: 3, trimmed: 0 }); // never goes back
    assert.deepEqual((await store.read(K, 0, 10)).map((f) => f.counter), [4]);
    assert.equal(await store.append(K, 3, bytes(2)), 'duplicate');
    // A receiver may acknowledge what a restarted store never held.
    const K2 = streamKey('S0123456789abcdefghijk', 0, 'customer');
    await store.ack(K2, 7);
    assert.equal(await store.append(K2, 7, bytes(1)), 'duplicate');
    assert.equal(await store.append(K2, 9, bytes(1)), 'gap');
    assert.equal(await store.append(K2, 8, bytes(1)), 'stored');
  }));

  test('sweep drops frames past their retention and settles them', withStore(async (store) => {
    const now = Date.now();
    await store.append(K, 1, bytes(1), { expiresAt: now - 1 });
    await store.append(K, 2, bytes(1), { expiresAt: now - 1 });
    await store.append(K, 3, bytes(1), { expiresAt: now + 60_000 });
    const expired = await store.sweep(now);
    assert.deepEqual(expired.map(({ session, epoch, to, upTo }) => ({ session, epoch, to, upTo })), [
      { session: 'S0123456789abcdefghijk', epoch: 0, to: 'agent', upTo: 2 },
    ]);
    assert.deepEqual((await store.read(K, 0, 10)).map((f) => f.counter), [3]);
    assert.equal((await store.streamInfo(K)).acked, 2);
    assert.deepEqual(await store.sweep(now), []);
  }));

  test('sessions: create once, atomic update, list by state, delete with streams', withStore(async (store) => {
    const rec = { id: 'S0123456789abcdefghijk', state: 'waiting', epoch: 0, presence: { customer: null, agent: null } };
    assert.equal(await store.createSession(rec), true);
    assert.equal(await store.createSession({ ...rec, state: 'active' }), false);
    assert.equal(await store.countSessions(), 1);
    const updated = await store.updateSession(rec.id, (r) => ({ ...r, state: 'active', agent: 'alice' }));
    assert.equal(updated.state, 'active');
    assert.equal(await store.updateSession(rec.id, () => null), null);
    assert.equal((await store.getSession(rec.id)).agent, 'alice');
    // Records handed out are copies: changing one does not change the store.
    (await store.getSession(rec.id)).state = 'ended';
    assert.equal((await store.getSession(rec.id)).state, 'active');
    assert.equal((await store.listSessions({ state: 'waiting' })).length, 0);
    assert.equal((await store.listSessions({ state: 'active' })).length, 1);
    await store.append(K, 1, bytes(1));
    await store.deleteSession(rec.id);
    assert.equal(await store.getSession(rec.id), null);
    assert.equal(await store.countSessions(), 0);
    assert.deepEqual(await store.read(K, 0, 10), []);
    assert.equal(await store.updateSession(rec.id, (r) => r), null);
  }));

  test('dropStreams removes only the epochs below the given one', withStore(async (store) => {
    const id = 'S0123456789abcdefghijk';
    await store.append(streamKey(id, 0, 'agent'), 1, bytes(1));
    await store.append(streamKey(id, 0, 'customer'), 1, bytes(1));
    await store.append(streamKey(id, 1, 'agent'), 1, bytes(1));
    assert.equal(await store.dropStreams(id, { belowEpoch: 1 }), 2);
    assert.equal((await store.stats()).frames, 1);
    assert.equal(await store.dropStreams(id, {}), 1);
    assert.equal((await store.stats()).frames, 0);
  }));
}
