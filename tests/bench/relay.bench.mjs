// How much the reference relay sustains on loopback (relay/load.mjs: bounded in sessions,
// messages and time; relays run as their own processes): one process in memory, and two
// processes sharing a private Redis (Debian's redis-server, which .ci installs) with every
// customer on a different process than its agent.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const load = fileURLToPath(new URL('../../relay/load.mjs', import.meta.url));

export const groups = [
  { id: 'relay-throughput', title: 'Relay, loopback: delivered messages/s', unit: 'msg/s', peer: 'none' },
  { id: 'relay-latency', title: 'Relay, loopback: one-way latency', unit: 'ms', peer: 'none' },
];

const SETUPS = [
  { label: '1 process, memory', args: [] },
  { label: '2 processes, Redis', args: ['--relays', '2'] },
];

export async function run({ smoke }) {
  const size = smoke ? ['--sessions', '5', '--messages', '5', '--rate', '20'] : ['--sessions', '200', '--messages', '50', '--rate', '10'];
  const rows = [];
  for (const setup of SETUPS) {
    const out = execFileSync('node', [load, ...size, ...setup.args, '--json'], { encoding: 'utf8', timeout: 150_000 });
    const r = JSON.parse(out.trim().split('\n').pop());
    const label = `${setup.label}, ${r.sessions} sessions, ${r.payloadBytes} B`;
    rows.push(
      { group: 'relay-throughput', impl: `${label}, ${r.messagesDelivered}/${r.messagesSent} delivered`, median: r.messagesPerSecond, low: r.messagesPerSecond, high: r.messagesPerSecond },
      { group: 'relay-latency', impl: `${setup.label}: p50`, median: r.oneWayMs.p50, low: r.oneWayMs.p50, high: r.oneWayMs.p50 },
      { group: 'relay-latency', impl: `${setup.label}: p99`, median: r.oneWayMs.p99, low: r.oneWayMs.p99, high: r.oneWayMs.p99 },
    );
  }
  return rows;
}
