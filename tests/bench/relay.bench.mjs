// How much one reference relay process sustains on loopback (demo/relay/load.mjs: bounded in
// sessions, messages and time; the relay runs as its own process).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const load = fileURLToPath(new URL('../../demo/relay/load.mjs', import.meta.url));

export const groups = [
  { id: 'relay-throughput', title: 'Relay, one process, loopback: delivered messages/s', unit: 'msg/s', peer: 'none' },
  { id: 'relay-latency', title: 'Relay, one process, loopback: one-way latency', unit: 'ms', peer: 'none' },
];

export async function run({ smoke }) {
  const args = smoke ? ['--sessions', '5', '--messages', '5', '--rate', '20'] : ['--sessions', '200', '--messages', '50', '--rate', '10'];
  const r = JSON.parse(execFileSync('node', [load, ...args, '--json'], { encoding: 'utf8', timeout: 150_000 }).trim().split('\n').pop());
  const label = `${r.sessions} sessions, ${r.payloadBytes} B`;
  return [
    { group: 'relay-throughput', impl: `${label}, ${r.messagesDelivered}/${r.messagesSent} delivered`, median: r.messagesPerSecond, low: r.messagesPerSecond, high: r.messagesPerSecond },
    { group: 'relay-latency', impl: 'p50', median: r.oneWayMs.p50, low: r.oneWayMs.p50, high: r.oneWayMs.p50 },
    { group: 'relay-latency', impl: 'p99', median: r.oneWayMs.p99, low: r.oneWayMs.p99, high: r.oneWayMs.p99 },
  ];
}
