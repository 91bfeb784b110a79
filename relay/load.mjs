// Load generator for the relay, bounded in count and time, loopback only.
//   node relay/load.mjs [--sessions 100] [--messages 50] [--rate 20] [--bytes 256]
//                            [--seconds 30] [--per-agent 50] [--json]
//                            [--relays 1|2|3|4] [--redis] [--redis-url redis://127.0.0.1:P]
//                            [--compare]
//                            [--url ws://127.0.0.1:PORT --token T1,T2,...]
// Without --url it starts relay/server.mjs as child processes (so their memory can be read
// apart from the clients'), runs N customer sessions spread over agents, each customer sending
// `messages` payloads at `rate` per second which its agent echoes back, and prints sessions,
// messages/s, one-way and round-trip latency (p50/p99) and relay memory per session.
// With --relays 2 (or --redis) the relays share a Redis: a private redis-server on a free
// loopback port (Debian's redis-server, stopped after), or --redis-url; each customer connects
// to a different relay process than its agent, so every message crosses Redis.
// --compare runs the same load on one in-memory process, one process on Redis and two
// processes on Redis, and prints the three side by side.
// Payloads are random bytes with a send timestamp: opaque to the relay like real ciphertext.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { Redis } from 'ioredis';
import { RelayClient } from '../js/transport/relay-client.js';

const LIMITS = { sessions: 2000, messages: 10_000, seconds: 120, bytes: 64 * 1024, rate: 200, relays: 4 };
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function parseArgs(argv) {
  const a = { sessions: 100, messages: 50, rate: 20, bytes: 256, seconds: 30, url: null, token: null, json: false, perAgent: 50, relays: 1, redis: false, redisUrl: null, compare: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i].replace(/^--/, '');
    if (k === 'json' || k === 'redis' || k === 'compare') a[k] = true;
    else if (k === 'url' || k === 'token') a[k] = argv[++i];
    else if (k === 'redis-url') a.redisUrl = argv[++i];
    else if (k === 'per-agent') a.perAgent = Number(argv[++i]);
    else if (k in a && typeof a[k] === 'number') a[k] = Number(argv[++i]);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  for (const [k, max] of Object.entries(LIMITS)) {
    if (!(a[k] > 0) || a[k] > max || !Number.isInteger(a[k])) throw new Error(`--${k} must be an integer in 1..${max}`);
  }
  if (a.bytes < 16) throw new Error('--bytes must be at least 16');
  if (a.url) {
    const host = new URL(a.url).hostname;
    if (!LOOPBACK.has(host)) throw new Error('load tests run against loopback only');
    if (!a.token) throw new Error('--url needs --token (an agent token of that relay)');
    if (a.relays > 1 || a.redis || a.redisUrl || a.compare) throw new Error('--url drives one external relay: no --relays/--redis/--compare');
  }
  if (a.redisUrl) {
    if (!/^redis:\/\//.test(a.redisUrl) || !LOOPBACK.has(new URL(a.redisUrl).hostname)) throw new Error('--redis-url must be redis:// on loopback');
    a.redis = true;
  }
  if (a.relays > 1) a.redis = true;
  return a;
}

async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** A private redis-server on a free loopback port, no persistence, in a temporary directory. */
export async function startRedisServer() {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) throw new Error('redis-server is not installed (Debian: apt-get install redis-server)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sealdesk-load-redis-'));
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'], { stdio: 'ignore' });
  const exited = new Promise((r) => proc.once('exit', r));
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  const until = Date.now() + 10_000;
  for (;;) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      probe.disconnect();
      if (Date.now() > until || proc.exitCode !== null) {
        proc.kill('SIGKILL');
        throw new Error('redis-server did not start');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  probe.disconnect();
  return {
    url,
    pid: proc.pid,
    async stop() {
      proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const rssOf = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
};

async function startChildRelay(tokens, { redisUrl, redisPrefix } = {}) {
  const server = fileURLToPath(new URL('./server.mjs', import.meta.url));
  // Limits sized for load (one loopback process drives every client), not for abuse defence.
  const child = spawn(
    process.execPath,
    [server, '--port', '0', '--host', '127.0.0.1', '--agent-tokens', tokens.map((t, i) => `load${i + 1}:${t}`).join(','), '--log-level', 'info',
      '--rate', '100000', '--burst', '100000', '--byte-rate', '1000000000', '--byte-burst', '1000000000', '--max-sessions', '100000',
      ...(redisUrl ? ['--redis-url', redisUrl, '--redis-prefix', redisPrefix] : [])],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const port = await new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d) => {
      buf += d;
      for (const line of buf.split('\n').slice(0, -1)) {
        try {
          const e = JSON.parse(line);
          if (e.event === 'listening') {
            child.stdout.off('data', onData);
            child.stdout.resume(); // keep draining the log
            resolve(e.port);
          }
        } catch {
          /* not JSON */
        }
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`relay exited with ${code}`)));
  });
  return { child, port };
}

// CPU seconds (user + system) a process used so far, from /proc (clock ticks of 1/100 s).
const cpuOf = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

const sum = (xs) => xs.reduce((a, b) => a + b, 0);

// The setup (connects, accepts) is bounded by the same deadline as the run.
function beforeDeadline(deadline, promise, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} not done within --seconds`)), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export async function runLoad(opts) {
  const relayCount = opts.url ? 1 : opts.relays ?? 1;
  const useRedis = !opts.url && (opts.redis || opts.redisUrl || relayCount > 1);
  // One agent id per token (a second connection with the same id would replace the first).
  const tokens = opts.token
    ? opts.token.split(',')
    : Array.from({ length: Math.ceil(opts.sessions / opts.perAgent) }, () => randomBytes(24).toString('base64url'));
  const perAgent = Math.ceil(opts.sessions / tokens.length);
  let redis = null;
  const children = [];
  let urls = [opts.url];
  const deadline = Date.now() + opts.seconds * 1000;
  const createSocket = (u) => new WebSocket(u);
  const quiet = { createSocket, backoff: { initialMs: 100, maxMs: 1000 } };
  const oneWay = [];
  const roundTrip = [];
  let received = 0;
  let echoed = 0;
  const closeAll = [];
  try {
    if (!opts.url) {
      if (useRedis) redis = opts.redisUrl ? { url: opts.redisUrl, pid: null, stop: async () => {} } : await startRedisServer();
      // A fresh prefix per run: an external Redis may hold other runs' keys.
      const redisPrefix = `load${randomBytes(4).toString('hex')}:`;
      for (let i = 0; i < relayCount; i++) {
        const { child, port } = await startChildRelay(tokens, { redisUrl: redis?.url, redisPrefix });
        child.port = port;
        children.push(child);
      }
      urls = children.map((c) => `ws://127.0.0.1:${c.port}`);
    }
    const pids = children.map((c) => c.pid);
    const relayRss = () => (pids.length ? sum(pids.map(rssOf)) : NaN);
    const redisRss = () => (redis?.pid ? rssOf(redis.pid) : NaN);
    const rssIdle = relayRss();
    const redisIdle = redisRss();
    // Agent a is on relay a % R; the customers it serves on the next relay, so with two or
    // more relays every message crosses from one process to another through Redis.
    const agentOf = (i) => Math.floor(i / perAgent);
    const customerUrl = (i) => urls[(agentOf(i) + 1) % urls.length];
    const agentUrl = (a) => urls[a % urls.length];
    // Customers first: each creates a session.
    const customers = [];
    for (let i = 0; i < opts.sessions; i++) {
      const c = new RelayClient({ url: customerUrl(i), role: 'customer', summary: { load: true }, ...quiet });
      closeAll.push(c);
      customers.push(c);
    }
    await beforeDeadline(deadline, Promise.all(customers.map((c) => c.connect())), 'customers connecting');
    // Agents take the sessions (`perAgent` each).
    const agents = [];
    for (const [a, token] of tokens.entries()) {
      const agent = new RelayClient({ url: agentUrl(a), role: 'agent', token, ...quiet });
      closeAll.push(agent);
      agent.on('message', (m) => {
        const sentAt = new DataView(m.payload.buffer, m.payload.byteOffset, 8).getFloat64(0);
        oneWay.push(performance.now() - sentAt);
        received++;
        agent.send(m.payload, { session: m.session }); // echo
      });
      agents.push(agent);
    }
    await beforeDeadline(deadline, Promise.all(agents.map((a) => a.connect())), 'agents connecting');
    await beforeDeadline(deadline, Promise.all(customers.map((c, i) => agents[agentOf(i)].accept(c.sessionId))), 'accepting');
    for (const c of customers) {
      c.on('message', (m) => {
        const sentAt = new DataView(m.payload.buffer, m.payload.byteOffset, 8).getFloat64(0);
        roundTrip.push(performance.now() - sentAt);
        echoed++;
      });
    }
    const rssJoined = relayRss();
    const redisJoined = redisRss();

    // Each customer sends at `rate`, staggered so the load is even.
    const t0 = performance.now();
    const relayCpu0 = pids.length ? sum(pids.map(cpuOf)) : NaN;
    const redisCpu0 = redis?.pid ? cpuOf(redis.pid) : NaN;
    const clientCpu0 = process.cpuUsage();
    const filler = randomBytes(opts.bytes);
    let sent = 0;
    await Promise.all(
      customers.map(async (c, i) => {
        await new Promise((r) => setTimeout(r, (i / opts.sessions) * (1000 / opts.rate)));
        for (let n = 0; n < opts.messages && Date.now() < deadline; n++) {
          const payload = Uint8Array.from(filler);
          new DataView(payload.buffer).setFloat64(0, performance.now());
          c.send(payload);
          sent++;
          await new Promise((r) => setTimeout(r, 1000 / opts.rate));
        }
      }),
    );
    const drainUntil = Math.min(deadline + 5000, Date.now() + 10_000);
    while (echoed < sent && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - t0) / 1000;
    const rssLoaded = relayRss();
    const redisLoaded = redisRss();
    const relayCpu = pids.length ? sum(pids.map(cpuOf)) - relayCpu0 : NaN;
    const redisCpu = redis?.pid ? cpuOf(redis.pid) - redisCpu0 : NaN;
    const clientCpuUs = process.cpuUsage(clientCpu0);
    const clientCpu = (clientCpuUs.user + clientCpuUs.system) / 1e6;
    oneWay.sort((x, y) => x - y);
    roundTrip.sort((x, y) => x - y);
    const mb = (x) => round(x / 2 ** 20, 1);
    const relayed = received + echoed;
    return {
      sessions: opts.sessions,
      agents: agents.length,
      relays: pids.length || 1,
      store: useRedis ? 'redis' : opts.url ? 'external' : 'memory',
      messagesSent: sent,
      messagesDelivered: received,
      echoesDelivered: echoed,
      seconds: round(seconds),
      messagesPerSecond: round(relayed / seconds, 1),
      payloadBytes: opts.bytes,
      oneWayMs: { p50: round(percentile(oneWay, 50)), p99: round(percentile(oneWay, 99)) },
      roundTripMs: { p50: round(percentile(roundTrip, 50)), p99: round(percentile(roundTrip, 99)) },
      // Summed over the relay processes.
      relayRssMB: pids.length ? { idle: mb(rssIdle), joined: mb(rssJoined), loaded: mb(rssLoaded) } : null,
      relayBytesPerSession: pids.length ? Math.round((rssJoined - rssIdle) / opts.sessions) : null,
      redisRssMB: redis?.pid ? { idle: mb(redisIdle), joined: mb(redisJoined), loaded: mb(redisLoaded) } : null,
      redisBytesPerSession: redis?.pid ? Math.round((redisJoined - redisIdle) / opts.sessions) : null,
      // CPU per 1000 relayed messages: shows whether the relay or the load client was the limit.
      relayCpuMsPer1000: pids.length ? round((relayCpu * 1e6) / relayed, 1) : null,
      redisCpuMsPer1000: redis?.pid ? round((redisCpu * 1e6) / relayed, 1) : null,
      clientCpuMsPer1000: round((clientCpu * 1e6) / relayed, 1),
      complete: received === sent && echoed === sent,
    };
  } finally {
    for (const c of closeAll) c.close();
    await Promise.all(children.map((child) => {
      child.kill('SIGTERM');
      return new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    }));
    await redis?.stop();
  }
}

function report(r) {
  const store = r.store === 'redis' ? `Redis, ${r.relays} relay process${r.relays > 1 ? 'es' : ''}` : r.store === 'memory' ? 'in memory, 1 relay process' : 'external relay';
  return [
    `store               ${store}`,
    `sessions            ${r.sessions} (${r.agents} agents)`,
    `messages            ${r.messagesDelivered}/${r.messagesSent} delivered, ${r.echoesDelivered} echoed, ${r.payloadBytes} B each`,
    `throughput          ${r.messagesPerSecond} messages/s over ${r.seconds} s`,
    `latency one-way     p50 ${r.oneWayMs.p50} ms, p99 ${r.oneWayMs.p99} ms`,
    `latency round-trip  p50 ${r.roundTripMs.p50} ms, p99 ${r.roundTripMs.p99} ms`,
    r.relayRssMB
      ? `relay memory        ${r.relayRssMB.idle} MB idle, ${r.relayRssMB.joined} MB joined, ${r.relayRssMB.loaded} MB loaded (~${r.relayBytesPerSession} B/session)`
      : 'relay memory        (external relay: not measured)',
    ...(r.redisRssMB ? [`redis memory        ${r.redisRssMB.idle} MB idle, ${r.redisRssMB.joined} MB joined, ${r.redisRssMB.loaded} MB loaded (~${r.redisBytesPerSession} B/session)`] : []),
    `cpu per 1000 msgs   relay ${r.relayCpuMsPer1000} ms${r.redisCpuMsPer1000 !== null ? `, redis ${r.redisCpuMsPer1000} ms` : ''}, load client ${r.clientCpuMsPer1000} ms`,
  ].join('\n');
}

function compareTable(rows) {
  const cols = [
    ['setup', (r) => (r.store === 'redis' ? `${r.relays} proc, Redis` : '1 proc, memory')],
    ['sessions', (r) => String(r.sessions)],
    ['msg/s', (r) => String(r.messagesPerSecond)],
    ['p50 ms', (r) => String(r.oneWayMs.p50)],
    ['p99 ms', (r) => String(r.oneWayMs.p99)],
    ['relay B/session', (r) => String(r.relayBytesPerSession)],
    ['redis B/session', (r) => (r.redisBytesPerSession === null ? '-' : String(r.redisBytesPerSession))],
    ['relay cpu ms/1k', (r) => String(r.relayCpuMsPer1000)],
    ['complete', (r) => String(r.complete)],
  ];
  const cells = [cols.map(([h]) => h), ...rows.map((r) => cols.map(([, f]) => f(r)))];
  const widths = cols.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) => row.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  let results;
  try {
    results = opts.compare
      ? [
          await runLoad({ ...opts, relays: 1, redis: false, redisUrl: null }),
          await runLoad({ ...opts, relays: 1, redis: true }),
          await runLoad({ ...opts, relays: 2, redis: true }),
        ]
      : [await runLoad(opts)];
  } catch (err) {
    process.stderr.write(`load: ${err.message}\n`);
    process.exit(2);
  }
  if (opts.json) process.stdout.write((opts.compare ? JSON.stringify(results) : JSON.stringify(results[0])) + '\n');
  else process.stdout.write(results.map(report).join('\n\n') + '\n' + (opts.compare ? '\n' + compareTable(results) + '\n' : ''));
  process.exit(results.every((r) => r.complete) ? 0 : 1);
}
