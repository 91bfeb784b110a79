// DeskCalls.start() before the session has keys: a hangup cancels it for good. The worker's RPC
// is stood in for by a link whose 'call.prepare' resolves only when the test says so (the keys
// arriving once an agent joins); nothing past it may run: no capture, no ring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeskCalls } from '../../js/media/desk-call.js';

function pendingLink() {
  const calls = [];
  let keysArrive;
  const link = {
    calls,
    call(method, ...args) {
      calls.push(method);
      if (method === 'call.prepare') return new Promise((resolve) => (keysArrive = resolve));
      if (method === 'session.info') return Promise.resolve({ session: 's1' });
      return Promise.resolve();
    },
    on: () => () => {},
    emitLocal: () => {},
    keysArrive: (port) => keysArrive(port),
  };
  return link;
}

test('hangup while start() waits for the session keys rejects it with CANCELLED; the keys that come later are closed unused', async () => {
  const link = pendingLink();
  const calls = new DeskCalls(link, 'customer');
  const started = calls.start({ video: true });
  await assert.rejects(calls.start({ video: false }), { code: 'INVALID_ARGUMENT' }); // one call at a time
  await calls.hangup();
  await assert.rejects(started, { name: 'SealDeskError', code: 'CANCELLED' });
  let closed = false;
  link.keysArrive({ close: () => (closed = true) });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(closed, true, 'the frame-key port is closed');
  assert.deepEqual(link.calls, ['call.prepare'], 'no session lookup, no ring after the cancel');
  assert.equal(calls.current, null);
  assert.equal(calls.starting, null);
  await assert.rejects(calls.hangup(), { code: 'NOT_FOUND' }); // nothing left to hang up
});
