// Shared by the relay-redis*.test.mjs files: a private redis-server (Debian's `redis-server`) on
// a free loopback port with a temporary directory, and relay processes (relay/server.mjs)
// that share it. No skipping: without redis-server the tests fail with a message saying so.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from '../../relay/node_modules/ioredis/built/index.js';
import { waitFor, AGENT_TOKENS } from './relay-helpers.mjs';

export { Redis };

const SERVER = fileURLToPath(new URL('../../relay/server.mjs', import.meta.url));

export async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

function redisServerBinary() {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    throw new Error('redis-server is not installed: the Redis relay tests need Debian\'s redis-server (apt-get install redis-server)');
  }
  return 'redis-server';
}

/**
 * Starts redis-server on loopback. `persist`: append-only file on, so a restart keeps the data
 * (otherwise a restart comes back empty, like a cache node that lost its memory).
 * Returns { url, port, client(), stop(), restart() }.
 */
export async function startRedis({ persist = false } = {}) {
  const bin = redisServerBinary();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sealdesk-redis-'));
  const state = { port, url: `redis://127.0.0.1:${port}`, dir, proc: null, clients: [] };
  const launch = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', persist ? 'yes' : 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning'];
    if (persist) args.push('--appendfsync', 'always');
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout.resume();
    proc.stderr.resume();
    proc.exited = new Promise((r) => proc.once('exit', r));
    state.proc = proc;
    const probe = new Redis(state.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    await waitFor(async () => {
      try {
        if (probe.status !== 'ready') await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        probe.disconnect();
        return false;
      }
    }, { what: 'redis-server up', timeout: 10_000, every: 50 });
    probe.disconnect();
  };
  await launch();
  state.client = () => {
    const c = new Redis(state.url, { retryStrategy: (n) => Math.min(n * 50, 500) });
    c.on('error', () => {});
    state.clients.push(c);
    return c;
  };
  state.kill = async () => {
    const p = state.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    p.kill('SIGKILL');
    await p.exited;
  };
  state.restart = async ({ downMs = 300 } = {}) => {
    await state.kill();
    await new Promise((r) => setTimeout(r, downMs));
    await launch();
  };
  state.stop = async () => {
    for (const c of state.clients) c.disconnect();
    await state.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  return state;
}

/**
 * Starts the relay program sharing `redisUrl`; resolves once it logged `listening`.
 * `lines` collects its JSON log lines.
 */
export async function startRelayProcess({ redisUrl, port = 0, args = [], env = {} } = {}) {
  const child = spawn(
    process.execPath,
    [SERVER, '--port', String(port), '--host', '127.0.0.1', '--agent-tokens', AGENT_TOKENS.map((a) => `${a.id}:${a.token}`).join(','),
      '--log-level', 'debug', ...(redisUrl ? ['--redis-url', redisUrl] : []), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  child.lines = [];
  child.stderrText = '';
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    const parts = buf.split('\n');
    buf = parts.pop();
    child.lines.push(...parts);
  });
  child.stderr.on('data', (d) => {
    child.stderrText += d;
  });
  child.exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  child.events = () => child.lines.map((l) => JSON.parse(l));
  const listening = await Promise.race([
    waitFor(() => child.events().find((e) => e.event === 'listening'), { what: 'relay listening', timeout: 10_000 }),
    child.exited.then(({ code }) => {
      throw new Error(`relay exited with ${code}: ${child.stderrText}`);
    }),
  ]);
  child.port = listening.port;
  child.url = `ws://127.0.0.1:${listening.port}`;
  child.stop = async (signal = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await child.exited;
  };
  return child;
}
