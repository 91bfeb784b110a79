// Load generator for the relay, bounded in count and time, loopback only.
//   node demo/relay/load.mjs [--sessions 100] [--messages 50] [--rate 20] [--bytes 256]
//                            [--seconds 30] [--per-agent 50] [--json]
//                            [--url ws://127.0.0.1:PORT --token T1,T2,...]
// Without --url it starts demo/relay/server.mjs as a child process (so its memory can be read
// apart from the clients'), runs N customer sessions spread over agents, each customer sending
// `messages` payloads at `rate` per second which its agent echoes back, and prints sessions,
// messages/s, one-way and round-trip latency (p50/p99) and relay memory per session.
// Payloads are random bytes with a send timestamp: opaque to the relay like real ciphertext.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { RelayClient } from '../../js/transport/relay-client.js';

const LIMITS = { sessions: 2000, messages: 10_000, seconds: 120, bytes: 64 * 1024, rate: 200 };
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function parseArgs(argv) {
  const a = { sessions: 100, messages: 50, rate: 20, bytes: 256, seconds: 30, url: null, token: null, json: false, perAgent: 50 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i].replace(/^--/, '');
    if (k === 'json') a.json = true;
    else if (k === 'url' || k === 'token') a[k] = argv[++i];
    else if (k === 'per-agent') a.perAgent = Number(argv[++i]);
    else if (k in a) a[k] = Number(argv[++i]);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  for (const [k, max] of Object.entries(LIMITS)) {
    if (!(a[k] > 0) || a[k] > max) throw new Error(`--${k} must be in 1..${max}`);
  }
  if (a.bytes < 16) throw new Error('--bytes must be at least 16');
  if (a.url) {
    const host = new URL(a.url).hostname;
    if (!LOOPBACK.has(host)) throw new Error('load tests run against loopback only');
    if (!a.token) throw new Error('--url needs --token (an agent token of that relay)');
  }
  return a;
}

const rssOf = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
};

async function startChildRelay(tokens) {
  const server = fileURLToPath(new URL('./server.mjs', import.meta.url));
  // Limits sized for load (one loopback process drives every client), not for abuse defence.
  const child = spawn(
    process.execPath,
    [server, '--port', '0', '--host', '127.0.0.1', '--agent-tokens', tokens.map((t, i) => `load${i + 1}:${t}`).join(','), '--log-level', 'info',
      '--rate', '100000', '--burst', '100000', '--byte-rate', '1000000000', '--byte-burst', '1000000000', '--max-sessions', '100000'],
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

export async function runLoad(opts) {
  // One agent id per token (a second connection with the same id would replace the first).
  const tokens = opts.token
    ? opts.token.split(',')
    : Array.from({ length: Math.ceil(opts.sessions / opts.perAgent) }, () => randomBytes(24).toString('base64url'));
  const perAgent = Math.ceil(opts.sessions / tokens.length);
  let child = null;
  let url = opts.url;
  if (!url) {
    const started = await startChildRelay(tokens);
    child = started.child;
    url = `ws://127.0.0.1:${started.port}`;
  }
  const deadline = Date.now() + opts.seconds * 1000;
  const createSocket = (u) => new WebSocket(u);
  const quiet = { createSocket, backoff: { initialMs: 100, maxMs: 1000 } };
  const oneWay = [];
  const roundTrip = [];
  let received = 0;
  let echoed = 0;
  const closeAll = [];
  try {
    const rssIdle = child ? rssOf(child.pid) : NaN;
    // Customers first: each creates a session.
    const customers = [];
    for (let i = 0; i < opts.sessions; i++) {
      const c = new RelayClient({ url, role: 'customer', summary: { load: true }, ...quiet });
      closeAll.push(c);
      customers.push(c);
    }
    await Promise.all(customers.map((c) => c.connect()));
    // Agents take the sessions (`perAgent` each).
    const agents = [];
    for (const token of tokens) {
      const a = new RelayClient({ url, role: 'agent', token, ...quiet });
      closeAll.push(a);
      a.on('message', (m) => {
        const sentAt = new DataView(m.payload.buffer, m.payload.byteOffset, 8).getFloat64(0);
        oneWay.push(performance.now() - sentAt);
        received++;
        a.send(m.payload, { session: m.session }); // echo
      });
      agents.push(a);
    }
    await Promise.all(agents.map((a) => a.connect()));
    await Promise.all(customers.map((c, i) => agents[Math.floor(i / perAgent)].accept(c.sessionId)));
    for (const c of customers) {
      c.on('message', (m) => {
        const sentAt = new DataView(m.payload.buffer, m.payload.byteOffset, 8).getFloat64(0);
        roundTrip.push(performance.now() - sentAt);
        echoed++;
      });
    }
    const rssJoined = child ? rssOf(child.pid) : NaN;

    // Each customer sends at `rate`, staggered so the load is even.
    const t0 = performance.now();
    const relayCpu0 = child ? cpuOf(child.pid) : NaN;
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
    const rssLoaded = child ? rssOf(child.pid) : NaN;
    const relayCpu = child ? cpuOf(child.pid) - relayCpu0 : NaN;
    const clientCpuUs = process.cpuUsage(clientCpu0);
    const clientCpu = (clientCpuUs.user + clientCpuUs.system) / 1e6;
    oneWay.sort((x, y) => x - y);
    roundTrip.sort((x, y) => x - y);
    return {
      sessions: opts.sessions,
      agents: agents.length,
      messagesSent: sent,
      messagesDelivered: received,
      echoesDelivered: echoed,
      seconds: round(seconds),
      messagesPerSecond: round((received + echoed) / seconds, 1),
      payloadBytes: opts.bytes,
      oneWayMs: { p50: round(percentile(oneWay, 50)), p99: round(percentile(oneWay, 99)) },
      roundTripMs: { p50: round(percentile(roundTrip, 50)), p99: round(percentile(roundTrip, 99)) },
      relayRssMB: child ? { idle: round(rssIdle / 2 ** 20, 1), joined: round(rssJoined / 2 ** 20, 1), loaded: round(rssLoaded / 2 ** 20, 1) } : null,
      relayBytesPerSession: child ? Math.round((rssJoined - rssIdle) / opts.sessions) : null,
      // CPU per 1000 relayed messages: shows whether the relay or the load client was the limit.
      relayCpuMsPer1000: child ? round((relayCpu * 1e6) / (received + echoed), 1) : null,
      clientCpuMsPer1000: round((clientCpu * 1e6) / (received + echoed), 1),
      complete: received === sent && echoed === sent,
    };
  } finally {
    for (const c of closeAll) c.close();
    if (child) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  const r = await runLoad(opts);
  if (opts.json) process.stdout.write(JSON.stringify(r) + '\n');
  else {
    process.stdout.write(
      [
        `sessions            ${r.sessions} (${r.agents} agents)`,
        `messages            ${r.messagesDelivered}/${r.messagesSent} delivered, ${r.echoesDelivered} echoed, ${r.payloadBytes} B each`,
        `throughput          ${r.messagesPerSecond} messages/s over ${r.seconds} s`,
        `latency one-way     p50 ${r.oneWayMs.p50} ms, p99 ${r.oneWayMs.p99} ms`,
        `latency round-trip  p50 ${r.roundTripMs.p50} ms, p99 ${r.roundTripMs.p99} ms`,
        r.relayRssMB
          ? `relay memory        ${r.relayRssMB.idle} MB idle, ${r.relayRssMB.joined} MB joined, ${r.relayRssMB.loaded} MB loaded (~${r.relayBytesPerSession} B/session)`
          : 'relay memory        (external relay: not measured)',
        `cpu per 1000 msgs   relay ${r.relayCpuMsPer1000} ms, load client ${r.clientCpuMsPer1000} ms`,
      ].join('\n') + '\n',
    );
  }
  process.exit(r.complete ? 0 : 1);
}
