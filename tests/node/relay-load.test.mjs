// Smoke test of the load generator (relay/load.mjs) and of the relay's configuration
// parsing: small, bounded runs only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runLoad } from '../../relay/load.mjs';
import { loadConfig, parseAgentTokens, DEFAULT_LIMITS } from '../../relay/config.mjs';

const LOAD = fileURLToPath(new URL('../../relay/load.mjs', import.meta.url));

test('the load generator runs a small bounded load and reports every figure', async () => {
  const r = await runLoad({ sessions: 4, messages: 10, rate: 50, bytes: 64, seconds: 20, perAgent: 2, url: null, token: null });
  assert.equal(r.complete, true);
  assert.equal(r.sessions, 4);
  assert.equal(r.agents, 2);
  assert.equal(r.messagesDelivered, 40);
  assert.equal(r.echoesDelivered, 40);
  assert.ok(r.messagesPerSecond > 0);
  assert.ok(r.oneWayMs.p50 > 0 && r.oneWayMs.p99 >= r.oneWayMs.p50);
  assert.ok(r.relayRssMB.idle > 0);
});

test('the load generator refuses non-loopback targets and unbounded runs', () => {
  for (const args of [['--url', 'ws://example.com:8081', '--token', 'x'.repeat(20)], ['--sessions', '100000'], ['--seconds', '0']]) {
    const run = spawnSync(process.execPath, [LOAD, ...args], { encoding: 'utf8' });
    assert.equal(run.status, 2, args.join(' '));
  }
});

test('configuration: defaults, then environment, then flags', () => {
  const d = loadConfig([], {});
  assert.equal(d.port, 8081);
  assert.deepEqual(d.limits, {});
  assert.equal(d.allowMissingOrigin, true);
  const c = loadConfig(
    ['--port', '9000', '--max-frame-bytes', '2048', '--origins', 'https://a.example, https://b.example', '--agent-tokens', 'alice:0123456789abcdef0'],
    { RELAY_PORT: '7000', RELAY_RATE: '7', RELAY_MAX_FRAME_BYTES: '1000', RELAY_NO_ORIGIN_OK: '0', RELAY_AGENT_TOKENS: 'bob:fedcba98765432100' },
  );
  assert.equal(c.port, 9000);
  assert.equal(c.limits.maxFrameBytes, 2048);
  assert.equal(c.limits.ratePerSec, 7);
  assert.deepEqual(c.allowedOrigins, ['https://a.example', 'https://b.example']);
  assert.equal(c.allowMissingOrigin, false);
  assert.deepEqual(c.agents.map((a) => a.id), ['bob', 'alice']);
  assert.throws(() => loadConfig(['--rate', '-1'], {}), /positive/);
  assert.throws(() => loadConfig(['--bogus'], {}), /unknown option/);
  assert.throws(() => parseAgentTokens('alice:short'), /shorter than 16/);
  assert.deepEqual(parseAgentTokens('# comment\n0123456789abcdefXYZ\n'), [{ id: 'agent1', token: '0123456789abcdefXYZ' }]);
  assert.ok(Object.values(DEFAULT_LIMITS).every((v) => v > 0));
});
