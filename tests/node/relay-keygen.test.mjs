// sealdesk-keygen (relay/bin/sealdesk-keygen.mjs): the agent desk identity it prints is the one
// the SDK core derives from the seed, in the format the demo and SealDesk.create() read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { core } from './helpers.mjs';
import { demoIdentity } from '../../demo/server.mjs';

const KEYGEN = fileURLToPath(new URL('../../relay/bin/sealdesk-keygen.mjs', import.meta.url));
const keygen = (...args) => execFileSync(process.execPath, [KEYGEN, ...args], { encoding: 'utf8' });

/** The public key the WASM core derives from a base64url seed, base64url. */
async function corePublicKey(seed) {
  const c = await core();
  const id = c.IdentityKey.fromSeed(new Uint8Array(Buffer.from(seed, 'base64url')));
  try {
    return Buffer.from(id.publicKey).toString('base64url');
  } finally {
    id.delete();
  }
}

test('the printed agentKey is the public key the SDK core derives from the printed seed', async () => {
  const seen = new Set();
  for (let i = 0; i < 3; i++) {
    const out = JSON.parse(keygen('--json', '--relay-url', 'wss://relay.example.com'));
    assert.equal(out.widget.relayUrl, 'wss://relay.example.com');
    assert.match(out.desk.identity.seed, /^[A-Za-z0-9_-]{43}$/);
    assert.match(out.widget.agentKey, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(out.desk.identity.seed, 'base64url').length, 32);
    assert.equal(out.widget.agentKey, await corePublicKey(out.desk.identity.seed));
    seen.add(out.desk.identity.seed);
  }
  assert.equal(seen.size, 3, 'a fresh seed each run');
});

test('the demo server makes its per-run identity the same way', async () => {
  const { seed, publicKey } = demoIdentity();
  assert.equal(publicKey, await corePublicKey(seed));
});

test('--out writes the seed to a 0600 file, never overwrites it, and --seed-file prints its widget config again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sealdesk-keygen-'));
  try {
    const file = join(dir, 'desk-identity.json');
    const text = keygen('--out', file, '--relay-url', 'wss://relay.example.com');
    const { seed } = JSON.parse(readFileSync(file, 'utf8')).identity;
    assert.ok(!text.includes(seed), 'the seed is not printed when it goes to a file');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const again = JSON.parse(keygen('--seed-file', file, '--json'));
    assert.deepEqual(Object.keys(again), ['widget']);
    assert.equal(again.widget.agentKey, JSON.parse(text.split('\n').slice(1, 5).join('\n')).agentKey);
    const refused = spawnSync(process.execPath, [KEYGEN, '--out', file], { encoding: 'utf8' });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /exists; not overwritten/);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).identity.seed, seed);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad arguments exit 2 with the usage', () => {
  for (const args of [['--relay-url', 'http://x'], ['--bogus'], ['--out']]) {
    const r = spawnSync(process.execPath, [KEYGEN, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /usage: sealdesk-keygen/);
  }
});
