// Prometheus metrics of one relay (prom-client), served on GET /metrics.
// Every relay has its own registry, so several relays in one process (the tests) do not mix.
// Nothing here carries a session id, an origin or a token: counts, sizes and timings only.
//
//   sealdesk_relay_connections{role}              open WebSocket connections (role: pending before hello)
//   sealdesk_relay_connections_opened_total       connections accepted since start
//   sealdesk_relay_sessions{state}                session records in the store (waiting, active)
//   sealdesk_relay_local_sessions                 sessions with a party connected to this process
//   sealdesk_relay_queue_depth                    customers waiting for an agent
//   sealdesk_relay_backlog_frames / _bytes        frames stored and not yet acknowledged by their receiver
//   sealdesk_relay_frames_total{direction}        data frames received (in) and forwarded (out)
//   sealdesk_relay_frame_bytes_total{direction}   their bytes
//   sealdesk_relay_frames_dropped_total{reason}   data frames not stored (nack: not-joined, stale-epoch,
//                                                 backlog-full, gap) or given up (expired: retention over)
//   sealdesk_relay_rejections_total{reason}       connections refused at the upgrade (origin, draining) or
//                                                 closed by the relay (auth, rate, too-big, protocol, ...)
//   sealdesk_relay_store_duration_seconds{op,backend}  time of each store call (backend redis: Redis latency)
//   sealdesk_relay_draining                       1 while the relay drains before it stops
// plus prom-client's default process metrics (CPU, memory, event loop lag) prefixed sealdesk_relay_.
import { Registry, Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';

export const CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * @param {object} sources read at scrape time
 * @param {() => Iterable<{role: string|null}>} sources.connections
 * @param {() => number} sources.localSessions
 * @param {() => Promise<{sessions: number, frames: number, bytes: number}>} sources.storeStats
 * @param {() => Promise<Array<{state: string}>>} sources.sessionStates waiting and active records
 * @param {() => boolean} sources.draining
 * @param {{ processMetrics?: boolean }} [options]
 */
export function createMetrics(sources, { processMetrics = true } = {}) {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: 'sealdesk_relay_' });
  const registers = [registry];

  new Gauge({
    name: 'sealdesk_relay_connections',
    help: 'Open WebSocket connections by role (pending: no hello yet)',
    labelNames: ['role'],
    registers,
    collect() {
      const counts = { customer: 0, agent: 0, pending: 0 };
      for (const c of sources.connections()) counts[c.role ?? 'pending']++;
      for (const [role, n] of Object.entries(counts)) this.set({ role }, n);
    },
  });
  const opened = new Counter({ name: 'sealdesk_relay_connections_opened_total', help: 'WebSocket connections accepted', registers });
  new Gauge({
    name: 'sealdesk_relay_local_sessions',
    help: 'Sessions with a party connected to this process',
    registers,
    collect() {
      this.set(sources.localSessions());
    },
  });

  // One store round per scrape feeds the store-wide gauges below.
  let pending = null;
  const snapshot = () => {
    pending ??= Promise.all([sources.storeStats(), sources.sessionStates()]).finally(() => setTimeout(() => (pending = null), 0));
    return pending;
  };
  new Gauge({
    name: 'sealdesk_relay_sessions',
    help: 'Session records in the store by state',
    labelNames: ['state'],
    registers,
    async collect() {
      const [, records] = await snapshot();
      const counts = { waiting: 0, active: 0 };
      for (const r of records) if (r.state in counts) counts[r.state]++;
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'sealdesk_relay_queue_depth',
    help: 'Customers waiting for an agent',
    registers,
    async collect() {
      const [, records] = await snapshot();
      this.set(records.filter((r) => r.state === 'waiting').length);
    },
  });
  new Gauge({
    name: 'sealdesk_relay_backlog_frames',
    help: 'Frames stored and not yet acknowledged by their receiver',
    registers,
    async collect() {
      this.set((await snapshot())[0].frames);
    },
  });
  new Gauge({
    name: 'sealdesk_relay_backlog_bytes',
    help: 'Bytes of the frames stored and not yet acknowledged',
    registers,
    async collect() {
      this.set((await snapshot())[0].bytes);
    },
  });
  new Gauge({
    name: 'sealdesk_relay_draining',
    help: '1 while the relay drains before it stops',
    registers,
    collect() {
      this.set(sources.draining() ? 1 : 0);
    },
  });

  const frames = new Counter({ name: 'sealdesk_relay_frames_total', help: 'Data frames received (in) and forwarded (out)', labelNames: ['direction'], registers });
  const frameBytes = new Counter({ name: 'sealdesk_relay_frame_bytes_total', help: 'Bytes of data frames received (in) and forwarded (out)', labelNames: ['direction'], registers });
  const dropped = new Counter({ name: 'sealdesk_relay_frames_dropped_total', help: 'Data frames not stored or given up, by reason', labelNames: ['reason'], registers });
  const rejections = new Counter({ name: 'sealdesk_relay_rejections_total', help: 'Connections refused or closed by the relay, by reason', labelNames: ['reason'], registers });
  const storeDuration = new Histogram({
    name: 'sealdesk_relay_store_duration_seconds',
    help: 'Duration of store calls (backend redis: Redis round trips)',
    labelNames: ['op', 'backend'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers,
  });
  // Known labels start at 0, so a scrape shows them before the first event.
  for (const direction of ['in', 'out']) {
    frames.inc({ direction }, 0);
    frameBytes.inc({ direction }, 0);
  }
  for (const reason of ['not-joined', 'stale-epoch', 'backlog-full', 'gap', 'expired']) dropped.inc({ reason }, 0);
  for (const reason of ['origin', 'draining', 'auth', 'rate', 'too-big', 'protocol', 'queue-full', 'relay-full']) rejections.inc({ reason }, 0);

  return {
    registry,
    connectionOpened: () => opened.inc(),
    frameIn: (bytes) => {
      frames.inc({ direction: 'in' });
      frameBytes.inc({ direction: 'in' }, bytes);
    },
    frameOut: (bytes) => {
      frames.inc({ direction: 'out' });
      frameBytes.inc({ direction: 'out' }, bytes);
    },
    dropped: (reason, n = 1) => dropped.inc({ reason }, n),
    rejected: (reason) => rejections.inc({ reason }),
    /** Wraps a RelayStore so every method call is timed; the store itself is unchanged. */
    timeStore(store, backend) {
      return new Proxy(store, {
        get(target, prop) {
          const value = target[prop];
          if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'constructor') return value;
          return function timed(...args) {
            const t0 = performance.now();
            const result = value.apply(target, args);
            if (!result || typeof result.then !== 'function') return result;
            const done = () => storeDuration.observe({ op: prop, backend }, (performance.now() - t0) / 1000);
            result.then(done, done);
            return result;
          };
        },
      });
    },
    text: () => registry.metrics(),
  };
}
