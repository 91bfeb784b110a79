// The reference relay: forwards opaque frames between the customer and the agent of a session.
// It reads routing headers only (session id, epoch, counter); payloads are ciphertext it never
// parses, never logs and never changes (it forwards the bytes it received). Wire format:
// PROTOCOL.md beside this file.
//
// State lives behind two interfaces so that several relay processes can share it (issue 9):
//   store (store.mjs): session records and the frames not yet acknowledged, per stream
//   bus   (bus.mjs):   "something changed in session X" notifications between processes
// In memory by default; on Redis (redis.mjs) when `redisUrl` is given.
// This file keeps only per-connection state (cursors, windows, rate buckets) and a local index
// of which of this process's connections serve which session.
import http from 'node:http';
import https from 'node:https';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, WebSocket } from 'ws';
import { MemoryStore, streamKey, parseStreamKey } from './store.mjs';
import { LocalBus } from './bus.mjs';
import { createRedisState } from './redis.mjs';
import { TokenBucket } from './limits.mjs';
import { createLogger } from './log.mjs';
import { createMetrics, CONTENT_TYPE as METRICS_TYPE } from './metrics.mjs';
import { DEFAULT_LIMITS, DEFAULT_ORIGINS } from './config.mjs';
import {
  CLOSE,
  PROTOCOL_VERSION,
  decodeDataHeader,
  parseControl,
  otherRole,
  isSessionId,
  isResumeSecret,
  isAgentId,
  isEpoch,
  isWatermark,
  randomToken,
} from '../js/transport/envelope.js';

const sha256 = (text) => createHash('sha256').update(text).digest();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Origin allow-list: exact origins, '*' for any, or 'scheme://host:*' for any port. */
export function makeOriginCheck(list, allowMissing) {
  const any = list.includes('*');
  const exact = new Set(list.filter((o) => !o.endsWith(':*')));
  const prefixes = list.filter((o) => o.endsWith(':*')).map((o) => o.slice(0, -1));
  return (origin) => {
    if (origin === undefined || origin === '') return allowMissing;
    if (any || exact.has(origin)) return true;
    return prefixes.some((p) => origin.startsWith(p) && /^\d{1,5}$/.test(origin.slice(p.length)));
  };
}

/**
 * Starts a relay.
 * @param {object} [options]
 * @param {number} [options.port=0] 0 picks a free port (see the returned `port`)
 * @param {string} [options.host='127.0.0.1']
 * @param {string[]} [options.allowedOrigins]
 * @param {boolean} [options.allowMissingOrigin=true] non-browser clients send no Origin
 * @param {{id: string, token: string}[]} [options.agents] agent ids and their tokens
 * @param {Partial<typeof DEFAULT_LIMITS>} [options.limits]
 * @param {(line: string) => void} [options.log] log sink (default stdout)
 * @param {string} [options.logLevel='info']
 * @param {string} [options.logSalt]
 * @param {object} [options.store] a RelayStore (default: in memory, or Redis with redisUrl)
 * @param {object} [options.bus] a RelayBus (default: in process, or Redis with redisUrl)
 * @param {string} [options.redisUrl] share state with other relay processes through this Redis
 * @param {string} [options.redisPrefix] prefix of its keys and channels (default 'sealdesk:')
 * @param {{cert: string|Buffer, key: string|Buffer}} [options.tls] serve https/wss with this
 *   certificate chain and private key (PEM) instead of plain http/ws
 * @param {string} [options.metricsToken] when set, GET /metrics needs `Authorization: Bearer <it>`
 * @param {boolean} [options.processMetrics=true] include prom-client's process metrics
 */
export async function createRelay(options = {}) {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = createLogger({ level: options.logLevel, sink: options.log, salt: options.logSalt });
  let store = options.store;
  let bus = options.bus;
  const ownsState = !options.store;
  const backend = !store && options.redisUrl ? 'redis' : options.store ? 'custom' : 'memory';
  if (backend === 'redis') {
    // Connection events carry no content; the URL (it may hold a password) is never logged.
    ({ store, bus } = await createRedisState({
      url: options.redisUrl,
      prefix: options.redisPrefix,
      onEvent: (event, fields) => log.warn(event, fields),
    }));
  }
  store ??= new MemoryStore();
  bus ??= new LocalBus();
  const rawStore = store;
  const agentTokens = (options.agents ?? []).map((a) => ({ id: a.id, digest: sha256(a.token) }));
  const originOk = makeOriginCheck(options.allowedOrigins ?? DEFAULT_ORIGINS, options.allowMissingOrigin ?? true);
  const instance = randomToken(6); // names this process in presence tags
  const publicLimits = {
    maxFrameBytes: limits.maxFrameBytes,
    maxControlBytes: limits.maxControlBytes,
    windowFrames: limits.windowFrames,
    ratePerSec: limits.ratePerSec,
    rateBurst: limits.rateBurst,
    heartbeatMs: limits.heartbeatMs,
  };

  const conns = new Set();
  const slots = new Map(); // session id -> { customer, agent, unsubscribe }
  const agentSlots = new Map(); // agent id -> { conn, unsubscribe }
  let nextConnId = 1;
  let closing = false;
  let draining = false;

  // ---------------------------------------------------------------- metrics
  const metrics = createMetrics(
    {
      connections: () => conns,
      localSessions: () => slots.size,
      storeStats: () => rawStore.stats(),
      sessionStates: () => rawStore.listSessions({}),
      draining: () => draining,
    },
    { processMetrics: options.processMetrics ?? true },
  );
  store = metrics.timeStore(rawStore, backend);
  const metricsToken = options.metricsToken ? sha256(options.metricsToken) : null;
  const metricsAllowed = (req) => {
    if (!metricsToken) return true;
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    return !!m && timingSafeEqual(sha256(m[1]), metricsToken);
  };
  // Why the relay closed a connection, as a rejection reason (closes that are not a refusal,
  // such as a normal end, a newer connection or a shutdown, are not counted).
  const REJECTION_BY_CODE = new Map([
    [CLOSE.TOO_BIG.code, 'too-big'],
    [CLOSE.RATE.code, 'rate'],
    [CLOSE.PROTOCOL.code, 'protocol'],
    [CLOSE.AUTH.code, 'auth'],
    [CLOSE.HELLO_TIMEOUT.code, 'hello-timeout'],
    [CLOSE.RESUME_REFUSED.code, 'resume-refused'],
    [CLOSE.SESSION_ENDED.code, 'session-ended'],
    [CLOSE.QUEUE_FULL.code, 'queue-full'],
    [CLOSE.TRY_LATER.code, 'relay-full'],
    [1011, 'internal'],
  ]);

  // ---------------------------------------------------------------- HTTP + WebSocket server
  const onRequest = (req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(closing ? 503 : 200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ ok: !closing, draining: closing, connections: conns.size }));
    }
    if (req.url === '/metrics' && req.method === 'GET') {
      if (!metricsAllowed(req)) {
        res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' });
        return res.end('metrics token required');
      }
      metrics.text().then(
        (body) => {
          res.writeHead(200, { 'Content-Type': METRICS_TYPE });
          res.end(body);
        },
        (err) => {
          internalError(err, 'metrics');
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end('metrics unavailable');
        },
      );
      return;
    }
    res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
    res.end('WebSocket only');
  };
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, onRequest) : http.createServer(onRequest);
  const wss = new WebSocketServer({
    server,
    // Hard cap enforced by ws itself; the exact limits are checked per message below so the
    // close carries a reason. Compression stays off: payloads are ciphertext.
    maxPayload: Math.max(limits.maxFrameBytes, limits.maxControlBytes) * 2 + 1024,
    perMessageDeflate: false,
    clientTracking: false,
    verifyClient: (info, cb) => {
      if (closing) {
        metrics.rejected('draining');
        return cb(false, 503, 'Shutting down');
      }
      if (originOk(info.origin)) return cb(true);
      metrics.rejected('origin');
      log.warn('refused', { reason: 'origin', origin: String(info.origin).slice(0, 100) });
      // A browser cannot read an HTTP status from a failed upgrade (it sees 1006, as for a relay
      // that is down): a page that sent an Origin gets the upgrade and at once a close with
      // ORIGIN_REFUSED (4403), which the widget names. Nothing is read from that socket.
      if (info.origin) {
        info.req.sealdeskOriginRefused = true;
        return cb(true);
      }
      cb(false, 403, 'Origin not allowed');
    },
  });
  wss.on('connection', (ws, req) => {
    if (req.sealdeskOriginRefused) return ws.close(CLOSE.ORIGIN_REFUSED.code, 'origin not allowed');
    onConnection(ws, req);
  });
  wss.on('error', (err) => log.error('server-error', { code: err.code }));
  const lobbyUnsubscribe = bus.subscribe('lobby', () => scheduleQueuePush());
  await lobbyUnsubscribe.ready;
  const resyncUnsubscribe = bus.onResync?.((ev) => onResync(ev).catch((err) => internalError(err, 'resync')));
  await store.registerInstance?.(instance);

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();
  log.info('listening', { port, tls: !!options.tls, agents: agentTokens.length, store: backend, limits: publicLimits });

  function internalError(err, where) {
    log.error('internal', { error: err?.name, where });
  }

  // ---------------------------------------------------------------- connections
  function onConnection(ws) {
    const now = Date.now();
    const conn = {
      id: nextConnId++,
      tag: `${instance}/${nextConnId - 1}`,
      ws,
      role: null,
      agentId: null,
      joined: new Map(), // session -> { epoch, retentionMs, view }
      cursors: new Map(), // stream key -> { sentUpTo, inFlight: [{ counter, size, at }], pumping, again }
      blocked: new Set(), // stream keys whose pump stopped on a full window
      inFlightFrames: 0,
      inFlightBytes: 0,
      alive: true,
      closed: false,
      openedAt: now,
      chain: Promise.resolve(),
      replies: Promise.resolve(), // results of store commands issued by the chain (afterStore)
      outstanding: 0,
      msgBucket: new TokenBucket(limits.ratePerSec, limits.rateBurst, now),
      byteBucket: new TokenBucket(limits.byteRatePerSec, limits.byteBurst, now),
      framesIn: 0,
      bytesIn: 0,
      framesOut: 0,
      bytesOut: 0,
    };
    conns.add(conn);
    metrics.connectionOpened();
    log.debug('connect', { conn: conn.id });
    conn.helloTimer = setTimeout(() => {
      if (!conn.role) closeConn(conn, CLOSE.HELLO_TIMEOUT, 'no hello in time');
    }, limits.helloTimeoutMs);
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('message', (data, isBinary) => onMessage(conn, data, isBinary));
    ws.on('close', (code) => {
      log.info('close', {
        conn: conn.id,
        role: conn.role ?? undefined,
        code,
        ms: Date.now() - conn.openedAt,
        framesIn: conn.framesIn,
        bytesIn: conn.bytesIn,
        framesOut: conn.framesOut,
        bytesOut: conn.bytesOut,
      });
      detach(conn);
    });
    ws.on('error', (err) => log.debug('socket-error', { conn: conn.id, code: err.code }));
  }

  function closeConn(conn, close, reason) {
    if (conn.closed) return;
    const rejection = REJECTION_BY_CODE.get(close.code);
    if (rejection) metrics.rejected(rejection);
    log.info('close-by-relay', { conn: conn.id, role: conn.role ?? undefined, code: close.code, reason });
    detach(conn);
    try {
      conn.ws.close(close.code, reason);
    } catch {
      conn.ws.terminate();
    }
    // A peer that does not read its socket never completes the closing handshake.
    setTimeout(() => conn.ws.terminate(), 2000).unref();
  }

  function onMessage(conn, data, isBinary) {
    if (conn.closed) return;
    conn.alive = true;
    const size = data.length;
    const max = isBinary ? limits.maxFrameBytes : limits.maxControlBytes;
    if (size > max) return closeConn(conn, CLOSE.TOO_BIG, `${isBinary ? 'frame' : 'control message'} over ${max} bytes`);
    if (!conn.msgBucket.take(1) || !conn.byteBucket.take(size)) return closeConn(conn, CLOSE.RATE, 'rate limit exceeded');
    conn.framesIn++;
    conn.bytesIn += size;
    if (isBinary) metrics.frameIn(size);
    // Messages of one connection are handled strictly in order. Data frames and acks only
    // issue their store command here (a store serves its callers' commands in order) and leave
    // the rest to conn.replies (see afterStore), so a connection is not limited to one store
    // round trip per message; every other message waits until those replies are handled.
    conn.chain = conn.chain
      .then(() => (conn.closed ? undefined : isBinary ? onData(conn, data) : onControl(conn, data.toString('utf8'))))
      .catch((err) => {
        log.error('internal', { conn: conn.id, error: err.name, where: String(err.stack).split('\n')[1]?.trim() });
        closeConn(conn, { code: 1011 }, 'internal error');
      });
  }

  function send(conn, data, binary) {
    if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return false;
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (conn.ws.bufferedAmount + size > limits.maxQueueBytes) {
      closeConn(conn, CLOSE.QUEUE_FULL, 'send queue full');
      return false;
    }
    conn.ws.send(data, { binary });
    conn.framesOut++;
    conn.bytesOut += size;
    if (binary) metrics.frameOut(size);
    return true;
  }
  const sendControl = (conn, msg) => send(conn, JSON.stringify(msg), false);

  // Handles the result of a store command already issued, after the results of the
  // connection's earlier commands. Returns a promise (to wait on) only when too many results
  // are outstanding: back-pressure on a connection that sends faster than the store answers.
  const MAX_OUTSTANDING = 256;
  function afterStore(conn, pending, handle) {
    pending.catch(() => {}); // handled below, in order; not an unhandled rejection meanwhile
    conn.outstanding++;
    conn.replies = conn.replies
      .then(() => pending)
      .then((result) => (conn.closed ? undefined : handle(result)))
      .catch((err) => {
        log.error('internal', { conn: conn.id, error: err.name, where: String(err.stack).split('\n')[1]?.trim() });
        closeConn(conn, { code: 1011 }, 'internal error');
      })
      .finally(() => {
        conn.outstanding--;
      });
    return conn.outstanding >= MAX_OUTSTANDING ? conn.replies : undefined;
  }

  // Notifications whose loss a resync repairs: not awaited, failures logged.
  function notify(channel, message) {
    bus.publish(channel, message).catch((err) => internalError(err, 'publish'));
  }

  // ---------------------------------------------------------------- data frames
  function onData(conn, data) {
    if (!conn.role) return closeConn(conn, CLOSE.PROTOCOL, 'hello first');
    const h = decodeDataHeader(data);
    if (!h) return closeConn(conn, CLOSE.PROTOCOL, 'malformed data frame');
    const { session: s, epoch: e, counter: c } = h;
    const joined = conn.joined.get(s);
    if (!joined) {
      metrics.dropped('not-joined');
      return sendControl(conn, { t: 'nack', s, e, c, code: 'not-joined' });
    }
    if (e !== joined.epoch) {
      metrics.dropped('stale-epoch');
      return sendControl(conn, { t: 'nack', s, e, c, code: 'stale-epoch' });
    }
    const to = otherRole(conn.role);
    const key = streamKey(s, e, to);
    const t0 = performance.now();
    const announce = { channel: `session:${s}`, message: { kind: 'data', stream: key, to } };
    const appended = store.append(key, c, data, {
      expiresAt: Date.now() + joined.retentionMs,
      maxFrames: limits.backlogFrames,
      maxBytes: limits.backlogBytes,
      announce,
    });
    return afterStore(conn, appended, async (result) => {
      if (log.enabled('debug')) {
        log.debug('frame', { conn: conn.id, sid: log.sid(s), role: conn.role, e, c, bytes: data.length, result, ms: +(performance.now() - t0).toFixed(3) });
      }
      if (result === 'stored') {
        sendControl(conn, { t: 'stored', s, e, c });
        if (!store.announces) notify(announce.channel, announce.message);
      } else if (result === 'duplicate') {
        // A resend after a reconnect: tell the sender how far the receiver already is.
        const info = await store.streamInfo(key);
        sendControl(conn, { t: 'stored', s, e, c });
        if (c <= info.acked) sendControl(conn, { t: 'ack', s, e, c: info.acked });
      } else {
        const code = result === 'full' ? 'backlog-full' : 'gap';
        metrics.dropped(code);
        const info = await store.streamInfo(key);
        sendControl(conn, { t: 'nack', s, e, c, code, last: info.last ?? 0 });
      }
    });
  }

  // ---------------------------------------------------------------- control messages
  async function onControl(conn, text) {
    const msg = parseControl(text);
    if (!msg) return closeConn(conn, CLOSE.PROTOCOL, 'malformed control message');
    if (msg.t === 'hello') {
      if (conn.role) return closeConn(conn, CLOSE.PROTOCOL, 'second hello');
      if (msg.v !== PROTOCOL_VERSION) return closeConn(conn, CLOSE.PROTOCOL, `unsupported protocol version (want ${PROTOCOL_VERSION})`);
      clearTimeout(conn.helloTimer);
      if (msg.role === 'customer') return helloCustomer(conn, msg);
      if (msg.role === 'agent') return helloAgent(conn, msg);
      return closeConn(conn, CLOSE.PROTOCOL, 'unknown role');
    }
    if (!conn.role) return closeConn(conn, CLOSE.PROTOCOL, 'hello first');
    if (msg.t === 'ping') return sendControl(conn, { t: 'pong', n: Number.isFinite(msg.n) ? msg.n : 0 });
    if (msg.t === 'ack') return onAck(conn, msg);
    await conn.replies; // commands see the effects of every frame and ack before them
    if (conn.closed) return;
    switch (msg.t) {
      case 'accept':
        return conn.role === 'agent' ? onAccept(conn, msg) : closeConn(conn, CLOSE.PROTOCOL, 'agents only');
      case 'transfer':
        return conn.role === 'agent' ? onTransfer(conn, msg) : closeConn(conn, CLOSE.PROTOCOL, 'agents only');
      case 'end':
        return onEnd(conn, msg);
      case 'privacy':
        return conn.role === 'customer' ? onPrivacy(conn) : closeConn(conn, CLOSE.PROTOCOL, 'customers only');
      case 'left':
        return conn.role === 'customer' ? onLeft(conn) : closeConn(conn, CLOSE.PROTOCOL, 'customers only');
      default:
        return closeConn(conn, CLOSE.PROTOCOL, 'unknown message type');
    }
  }

  function retentionOf(msg) {
    const r = msg.retentionMs;
    return Number.isInteger(r) && r > 0 ? Math.min(r, limits.retentionMaxMs) : limits.retentionMaxMs;
  }

  function newRecord(fields) {
    const now = Date.now();
    return {
      state: 'waiting',
      epoch: 0,
      agent: null,
      target: null,
      transferFrom: null,
      resumeHash: null,
      summary: null,
      retentionMs: limits.retentionMaxMs,
      createdAt: now,
      updatedAt: now,
      waitingSince: now,
      presence: { customer: null, agent: null },
      agentOfflineSince: null,
      customerOfflineSince: null,
      lastSeen: now,
      ...fields,
    };
  }

  async function sessionCapReached() {
    return (await store.countSessions()) >= limits.maxSessions;
  }

  async function helloCustomer(conn, msg) {
    const t0 = performance.now();
    if (!isResumeSecret(msg.resume)) return closeConn(conn, CLOSE.PROTOCOL, 'hello needs a resume secret');
    let summary = null;
    if (msg.summary !== undefined && msg.summary !== null) {
      if (typeof msg.summary !== 'object' || Array.isArray(msg.summary)) return closeConn(conn, CLOSE.PROTOCOL, 'summary must be an object');
      if (JSON.stringify(msg.summary).length > limits.maxSummaryBytes) return closeConn(conn, CLOSE.PROTOCOL, 'summary too large');
      summary = msg.summary;
    }
    const resumeHash = sha256(msg.resume).toString('hex');
    const retentionMs = retentionOf(msg);
    const privacy = msg.privacy === true; // privacy mode: nothing of the session outlives its end
    const now = Date.now();
    let rec = null;
    let resumed = false;

    if (msg.session !== undefined) {
      if (!isSessionId(msg.session)) return closeConn(conn, CLOSE.PROTOCOL, 'bad session id');
      const id = msg.session;
      const claimedEpoch = isEpoch(msg.epoch) ? msg.epoch : 0;
      const claimedAgent = isAgentId(msg.agent) ? msg.agent : null;
      resumed = true;
      if (!(await store.getSession(id))) {
        // Unknown here: the relay restarted (in-memory store) or the session expired. Rebuild
        // it from what the customer holds; its agent reclaims it with the same epoch.
        if (await sessionCapReached()) return closeConn(conn, CLOSE.TRY_LATER, 'relay full');
        const fresh = newRecord({
          id,
          epoch: claimedEpoch,
          agent: claimedAgent,
          state: claimedAgent ? 'active' : 'waiting',
          agentOfflineSince: claimedAgent ? now : null,
          resumeHash,
          summary,
          retentionMs,
          privacy,
          presence: { customer: conn.tag, agent: null },
        });
        if (await store.createSession(fresh)) {
          rec = fresh;
          log.info('session-restored', { conn: conn.id, sid: log.sid(id), by: 'customer', e: claimedEpoch });
        }
      }
      if (!rec) {
        let refusal = null;
        rec = await store.updateSession(id, (r) => {
          if (r.resumeHash && !timingSafeEqual(Buffer.from(r.resumeHash, 'hex'), Buffer.from(resumeHash, 'hex'))) {
            refusal = [CLOSE.RESUME_REFUSED, 'session resume refused'];
            return null;
          }
          if (r.state === 'ended') {
            refusal = [CLOSE.SESSION_ENDED, 'session ended'];
            return null;
          }
          r.resumeHash ??= resumeHash; // the agent rebuilt it first after a restart
          r.summary ??= summary;
          if (privacy) r.privacy = true; // never back off
          if (msg.left === true && r.state === 'waiting') r.leftAt ??= now; // a `left` the old connection lost
          if (claimedEpoch > r.epoch) {
            // The customer saw a later transfer than this record (restart race): theirs wins.
            Object.assign(r, { epoch: claimedEpoch, agent: claimedAgent, state: claimedAgent ? 'active' : 'waiting', target: null });
            r.presence.agent = null;
            r.agentOfflineSince = claimedAgent ? now : null;
          }
          r.presence.customer = conn.tag;
          r.customerOfflineSince = null;
          r.lastSeen = now;
          return r;
        });
        if (refusal) {
          log.warn('resume-refused', { conn: conn.id, sid: log.sid(id), reason: refusal[1] });
          return closeConn(conn, ...refusal);
        }
        if (!rec) return closeConn(conn, CLOSE.SESSION_ENDED, 'session ended');
      }
    } else {
      if (await sessionCapReached()) return closeConn(conn, CLOSE.TRY_LATER, 'relay full');
      rec = newRecord({ id: randomToken(16), resumeHash, summary, retentionMs, privacy, presence: { customer: conn.tag, agent: null } });
      if (!(await store.createSession(rec))) return closeConn(conn, { code: 1011 }, 'session id collision');
      log.info('session-created', { conn: conn.id, sid: log.sid(rec.id), retentionMs });
    }
    if (conn.closed) return;

    conn.role = 'customer';
    // An older connection of this customer is closed: here at once, elsewhere by the kick
    // (which may arrive after this connection took its place here).
    const older = slots.get(rec.id)?.customer;
    if (older && older !== conn) closeConn(older, CLOSE.SUPERSEDED, 'newer connection for this session');
    await bus.publish(`session:${rec.id}`, { kind: 'kick', role: 'customer', except: conn.tag });
    const recvFrom = await join(conn, rec, msg.epoch === rec.epoch ? msg.delivered : undefined);
    const { acked, last: sent } = await store.streamInfo(streamKey(rec.id, rec.epoch, 'agent'));
    sendControl(conn, {
      t: 'welcome',
      v: PROTOCOL_VERSION,
      role: 'customer',
      session: rec.id,
      epoch: rec.epoch,
      state: rec.state,
      agent: rec.agent,
      peer: !!rec.presence.agent,
      acked,
      sent: sent ?? 0,
      recvFrom,
      ...(rec.privacy ? { privacy: true } : {}),
      limits: publicLimits,
    });
    conn.joined.get(rec.id).view = viewKey(conn, rec);
    log.info('hello', { conn: conn.id, role: 'customer', sid: log.sid(rec.id), resumed, e: rec.epoch, ms: +(performance.now() - t0).toFixed(3) });
    await bus.publish(`session:${rec.id}`, { kind: 'state' });
    if (rec.state === 'waiting') await bus.publish('lobby', {});
    pumpAll(conn);
  }

  function authenticate(token) {
    if (typeof token !== 'string' || !token) return null;
    const digest = sha256(token);
    let found = null;
    // Compare against every entry in constant time, so timing reveals neither which token
    // matched nor how much of it.
    for (const entry of agentTokens) if (timingSafeEqual(entry.digest, digest) && !found) found = entry;
    return found;
  }

  async function helloAgent(conn, msg) {
    const t0 = performance.now();
    const entry = authenticate(msg.token);
    if (!entry) {
      log.warn('auth-failed', { conn: conn.id, role: 'agent' });
      return closeConn(conn, CLOSE.AUTH, 'agent authentication failed');
    }
    conn.role = 'agent';
    conn.agentId = entry.id;
    const older = agentSlots.get(entry.id)?.conn;
    if (older && older !== conn) closeConn(older, CLOSE.SUPERSEDED, 'newer connection for this agent');
    await bus.publish(`agent:${entry.id}`, { kind: 'kick', except: conn.tag });
    const slot = { conn, unsubscribe: bus.subscribe(`agent:${entry.id}`, (ev) => onAgentEvent(entry.id, ev)) };
    agentSlots.get(entry.id)?.unsubscribe();
    agentSlots.set(entry.id, slot);
    await slot.unsubscribe.ready;

    const claims = Array.isArray(msg.sessions) ? msg.sessions.slice(0, limits.maxAgentSessions) : [];
    const sessions = [];
    const now = Date.now();
    for (const claim of claims) {
      if (!claim || !isSessionId(claim.session) || !isEpoch(claim.epoch)) continue;
      const id = claim.session;
      let rec = null;
      if (!(await store.getSession(id))) {
        if (await sessionCapReached()) {
          sessions.push({ session: id, epoch: claim.epoch, state: 'ended' });
          continue;
        }
        const fresh = newRecord({ id, epoch: claim.epoch, agent: entry.id, state: 'active', presence: { customer: null, agent: conn.tag } });
        if (await store.createSession(fresh)) {
          rec = fresh;
          log.info('session-restored', { conn: conn.id, sid: log.sid(id), by: 'agent', e: claim.epoch });
        }
      }
      if (!rec) {
        let outcome = 'transferred';
        rec = await store.updateSession(id, (r) => {
          if (r.state === 'ended') {
            outcome = 'ended';
            return null;
          }
          if (claim.epoch > r.epoch) {
            Object.assign(r, { epoch: claim.epoch, agent: entry.id, state: 'active', target: null });
          } else if (claim.epoch < r.epoch) {
            return null;
          } else if (r.agent !== entry.id) {
            // Same epoch but no agent recorded (a customer rebuilt it without knowing the
            // agent): the claim fills the gap. Another agent's epoch is never taken over.
            if (r.agent !== null || r.state !== 'waiting') return null;
            Object.assign(r, { agent: entry.id, state: 'active', target: null });
          }
          r.presence.agent = conn.tag;
          r.agentOfflineSince = null;
          r.lastSeen = now;
          return r;
        });
        if (!rec) {
          sessions.push({ session: id, epoch: claim.epoch, state: outcome });
          continue;
        }
      }
      const recvFrom = await join(conn, rec, claim.epoch === rec.epoch ? claim.delivered : undefined);
      const { acked, last: sent } = await store.streamInfo(streamKey(id, rec.epoch, 'customer'));
      sessions.push({ session: id, epoch: rec.epoch, state: rec.state, peer: !!rec.presence.customer, acked, sent: sent ?? 0, recvFrom, summary: rec.summary });
      conn.joined.get(id).view = viewKey(conn, rec);
      await bus.publish(`session:${id}`, { kind: 'state' });
    }
    if (conn.closed) return;
    sendControl(conn, { t: 'welcome', v: PROTOCOL_VERSION, role: 'agent', agent: entry.id, sessions, limits: publicLimits });
    log.info('hello', { conn: conn.id, role: 'agent', sessions: sessions.length, ms: +(performance.now() - t0).toFixed(3) });
    await pushQueue(conn);
    pumpAll(conn);
  }

  function onAgentEvent(agentId, ev) {
    const slot = agentSlots.get(agentId);
    if (ev.kind === 'kick' && slot && slot.conn.tag !== ev.except) {
      closeConn(slot.conn, CLOSE.SUPERSEDED, 'newer connection for this agent');
    }
  }

  // Joins a connection to a session in this process: local index, bus subscription, the cursor
  // of the stream it receives, and the receiver's delivered watermark if it told one.
  async function join(conn, rec, delivered) {
    const id = rec.id;
    conn.joined.set(id, { epoch: rec.epoch, retentionMs: rec.retentionMs ?? limits.retentionMaxMs, view: null });
    let slot = slots.get(id);
    if (!slot) {
      slot = { customer: null, agent: null, unsubscribe: subscribeSession(id) };
      slots.set(id, slot);
    }
    slot[conn.role] = conn;
    // Nothing is read from the store before the subscription is live: a frame stored after
    // the read is then always announced to this process.
    try {
      await slot.unsubscribe.ready;
    } catch {
      slot.unsubscribe(); // a failed subscription (store away) is not reused
      slot.unsubscribe = subscribeSession(id);
      await slot.unsubscribe.ready;
    }
    const key = streamKey(id, rec.epoch, conn.role);
    if (isWatermark(delivered) && delivered > 0) await store.ack(key, delivered);
    const { acked } = await store.streamInfo(key);
    if (isWatermark(delivered) && delivered > 0) {
      await bus.publish(`session:${id}`, { kind: 'ack', stream: key, c: acked, to: otherRole(conn.role) });
    }
    conn.cursors.set(key, { sentUpTo: acked, inFlight: [] });
    return acked; // the receiver's starting point: frames up to it are settled
  }

  function subscribeSession(id) {
    return bus.subscribe(`session:${id}`, (ev) => onSessionEvent(id, ev).catch((err) => internalError(err, 'session-event')));
  }

  function dropCursor(conn, key) {
    const cur = conn.cursors.get(key);
    if (!cur) return;
    for (const f of cur.inFlight) {
      conn.inFlightFrames--;
      conn.inFlightBytes -= f.size;
    }
    conn.cursors.delete(key);
    conn.blocked.delete(key);
  }

  // Leaves a session in this process. `presence`: also record in the store that this role is
  // gone (not when the session itself ended or moved on).
  async function leave(conn, id, { presence = true } = {}) {
    const j = conn.joined.get(id);
    if (!j) return;
    conn.joined.delete(id);
    for (const key of [...conn.cursors.keys()]) if (parseStreamKey(key).session === id) dropCursor(conn, key);
    const slot = slots.get(id);
    if (slot && slot[conn.role] === conn) {
      slot[conn.role] = null;
      if (!slot.customer && !slot.agent) {
        slot.unsubscribe();
        slots.delete(id);
      }
    }
    if (!presence) return;
    const now = Date.now();
    const rec = await store.updateSession(id, (r) => {
      if (r.presence[conn.role] !== conn.tag) return null;
      r.presence[conn.role] = null;
      if (conn.role === 'agent' && r.state === 'active') r.agentOfflineSince = now;
      if (conn.role === 'customer') r.customerOfflineSince = now;
      r.lastSeen = now;
      return r;
    });
    if (rec) await bus.publish(`session:${id}`, { kind: 'state' });
  }

  function detach(conn) {
    if (conn.closed) return;
    conn.closed = true;
    clearTimeout(conn.helloTimer);
    conns.delete(conn);
    const ids = [...conn.joined.keys()];
    // Presence updates run after the connection's pending messages, never concurrently.
    conn.chain = conn.chain
      .then(() => conn.replies)
      .then(() => Promise.all(ids.map((id) => leave(conn, id))))
      .catch((err) => log.error('internal', { conn: conn.id, error: err.name }));
    if (conn.role === 'agent') {
      const slot = agentSlots.get(conn.agentId);
      if (slot?.conn === conn) {
        slot.unsubscribe();
        agentSlots.delete(conn.agentId);
      }
    }
  }

  // ---------------------------------------------------------------- delivery
  // Sends stored frames to a receiver in counter order, keeping at most windowFrames /
  // windowBytes unacknowledged on the connection. Live frames and the backlog after a
  // reconnect take the same path (the store), so their order never mixes.
  async function pump(conn, key) {
    const cur = conn.cursors.get(key);
    if (!cur || conn.closed) return;
    if (cur.pumping) {
      cur.again = true;
      return;
    }
    cur.pumping = true;
    try {
      do {
        cur.again = false;
        while (!conn.closed && conn.cursors.get(key) === cur) {
          const room = limits.windowFrames - conn.inFlightFrames;
          if (room <= 0 || conn.inFlightBytes >= limits.windowBytes) {
            conn.blocked.add(key);
            break;
          }
          const limit = Math.min(room, 64);
          const frames = await store.read(key, cur.sentUpTo, limit);
          if (!frames.length || conn.cursors.get(key) !== cur) break;
          let full = false;
          for (const f of frames) {
            if (f.counter <= cur.sentUpTo) continue;
            if (!send(conn, f.bytes, true)) return;
            cur.inFlight.push({ counter: f.counter, size: f.bytes.length, at: Date.now() });
            conn.inFlightFrames++;
            conn.inFlightBytes += f.bytes.length;
            cur.sentUpTo = f.counter;
            if (conn.inFlightFrames >= limits.windowFrames || conn.inFlightBytes >= limits.windowBytes) {
              conn.blocked.add(key);
              full = true;
              break;
            }
          }
          // A short read reached the end; a frame stored since is announced and sets `again`.
          if (full || frames.length < limit) break;
        }
      } while (cur.again && !conn.closed);
    } catch (err) {
      log.error('internal', { conn: conn.id, error: err.name, where: 'pump' });
    } finally {
      cur.pumping = false;
    }
  }

  function pumpAll(conn) {
    for (const key of conn.cursors.keys()) pump(conn, key);
  }

  // After an ack opened the window: only the streams that stopped for want of room (the others
  // are pumped by their next `data` notification; a store read each would be wasted).
  function pumpBlocked(conn) {
    const keys = [...conn.blocked];
    conn.blocked.clear();
    for (const key of keys) pump(conn, key);
  }

  function onAck(conn, msg) {
    const { s, e, c } = msg;
    if (!isSessionId(s) || !isEpoch(e) || !isWatermark(c)) return closeConn(conn, CLOSE.PROTOCOL, 'malformed ack');
    const j = conn.joined.get(s);
    if (!j || j.epoch !== e) return; // a late ack for an epoch that moved on
    const key = streamKey(s, e, conn.role);
    const announce = { channel: `session:${s}`, message: { kind: 'ack', stream: key, to: otherRole(conn.role) } };
    return afterStore(conn, store.ack(key, c, { announce }), ({ acked }) => {
      const cur = conn.cursors.get(key);
      if (cur) {
        while (cur.inFlight.length && cur.inFlight[0].counter <= acked) {
          const f = cur.inFlight.shift();
          conn.inFlightFrames--;
          conn.inFlightBytes -= f.size;
        }
        if (acked > cur.sentUpTo) cur.sentUpTo = acked;
      }
      if (!store.announces) notify(announce.channel, { ...announce.message, c: acked });
      pumpBlocked(conn);
    });
  }

  // What a party is told about its session; compared to skip repeats.
  function sessionView(conn, rec) {
    return {
      t: 'session',
      s: rec.id,
      e: rec.epoch,
      state: rec.state,
      agent: rec.agent,
      peer: !!rec.presence[otherRole(conn.role)],
      ...(rec.privacy ? { privacy: true } : {}),
    };
  }
  const viewKey = (conn, rec) => JSON.stringify(sessionView(conn, rec));

  async function onSessionEvent(id, ev) {
    const slot = slots.get(id);
    if (!slot) return;
    const parties = [slot.customer, slot.agent].filter(Boolean);
    switch (ev.kind) {
      case 'data': {
        const conn = slot[ev.to];
        if (conn) pump(conn, ev.stream);
        return;
      }
      case 'ack': {
        const conn = slot[ev.to];
        const { epoch } = parseStreamKey(ev.stream);
        if (conn && conn.joined.get(id)?.epoch === epoch) sendControl(conn, { t: 'ack', s: id, e: epoch, c: ev.c });
        return;
      }
      case 'expired': {
        for (const conn of parties) {
          if (conn.joined.get(id)?.epoch !== ev.epoch) continue;
          const cur = conn.cursors.get(ev.stream);
          if (cur) {
            while (cur.inFlight.length && cur.inFlight[0].counter <= ev.upTo) {
              const f = cur.inFlight.shift();
              conn.inFlightFrames--;
              conn.inFlightBytes -= f.size;
            }
            if (ev.upTo > cur.sentUpTo) cur.sentUpTo = ev.upTo;
          }
          sendControl(conn, { t: 'expired', s: id, e: ev.epoch, c: ev.upTo, to: ev.to });
          pumpBlocked(conn);
        }
        return;
      }
      case 'kick': {
        const conn = slot[ev.role];
        if (conn && conn.tag !== ev.except) closeConn(conn, CLOSE.SUPERSEDED, 'newer connection for this session');
        return;
      }
      case 'state': {
        const rec = await store.getSession(id);
        for (const conn of parties) if (!conn.closed) await applyState(conn, id, rec);
        return;
      }
    }
  }

  async function applyState(conn, id, rec) {
    const j = conn.joined.get(id);
    if (!j) return;
    if (!rec || rec.state === 'ended') {
      sendControl(conn, { t: 'session', s: id, e: j.epoch, state: 'ended' });
      await leave(conn, id, { presence: false });
      if (conn.role === 'customer') closeConn(conn, CLOSE.NORMAL, 'session ended');
      return;
    }
    if (conn.role === 'agent' && (rec.agent !== conn.agentId || rec.epoch !== j.epoch)) {
      sendControl(conn, { t: 'session', s: rec.id, e: j.epoch, state: 'transferred' });
      await leave(conn, rec.id, { presence: false });
      return;
    }
    if (rec.epoch !== j.epoch) {
      // Transferred: the customer's streams start afresh in the new epoch.
      for (const key of [...conn.cursors.keys()]) if (parseStreamKey(key).session === rec.id) dropCursor(conn, key);
      j.epoch = rec.epoch;
      conn.cursors.set(streamKey(rec.id, rec.epoch, conn.role), { sentUpTo: 0, inFlight: [] });
    }
    const view = viewKey(conn, rec);
    if (view !== j.view) {
      j.view = view;
      sendControl(conn, sessionView(conn, rec));
    }
    pumpAll(conn);
  }

  async function heldBy(conn, s) {
    if (!isSessionId(s) || !conn.joined.has(s)) {
      sendControl(conn, { t: 'refused', s: isSessionId(s) ? s : undefined, code: 'not-joined' });
      return false;
    }
    return true;
  }

  async function onAccept(conn, msg) {
    const s = msg.s;
    if (!isSessionId(s)) return closeConn(conn, CLOSE.PROTOCOL, 'bad session id');
    if (conn.joined.size >= limits.maxAgentSessions) return sendControl(conn, { t: 'refused', s, code: 'too-many-sessions' });
    const now = Date.now();
    const rec = await store.updateSession(s, (r) => {
      if (r.state !== 'waiting' || (r.target && r.target !== conn.agentId)) return null;
      Object.assign(r, { state: 'active', agent: conn.agentId, target: null, agentOfflineSince: null, lastSeen: now });
      r.presence.agent = conn.tag;
      return r;
    });
    if (!rec) return sendControl(conn, { t: 'refused', s, code: 'not-waiting' });
    const recvFrom = await join(conn, rec);
    const { acked, last: sent } = await store.streamInfo(streamKey(s, rec.epoch, 'customer'));
    const view = sessionView(conn, rec);
    conn.joined.get(s).view = JSON.stringify(view);
    sendControl(conn, { ...view, acked, sent: sent ?? 0, recvFrom, summary: rec.summary });
    log.info('accept', { conn: conn.id, sid: log.sid(s), e: rec.epoch, waitedMs: now - rec.waitingSince });
    await bus.publish(`session:${s}`, { kind: 'state' });
    await bus.publish('lobby', {});
    pumpAll(conn);
  }

  // Moves a session back to the queue in a new epoch (transfer, or its agent stayed away).
  async function requeue(s, match, target = null) {
    const now = Date.now();
    const rec = await store.updateSession(s, (r) => {
      if (!match(r)) return null;
      Object.assign(r, { epoch: r.epoch + 1, agent: null, state: 'waiting', target, transferFrom: r.agent, waitingSince: now, agentOfflineSince: null });
      r.presence.agent = null;
      return r;
    });
    if (!rec) return null;
    await store.dropStreams(s, { belowEpoch: rec.epoch });
    return rec;
  }

  async function onTransfer(conn, msg) {
    const { s, to } = msg;
    if (!(await heldBy(conn, s))) return;
    if (to !== undefined && to !== null && !isAgentId(to)) return closeConn(conn, CLOSE.PROTOCOL, 'bad agent id');
    const rec = await requeue(s, (r) => r.state === 'active' && r.agent === conn.agentId, to ?? null);
    if (!rec) return sendControl(conn, { t: 'refused', s, code: 'not-active' });
    log.info('transfer', { conn: conn.id, sid: log.sid(s), e: rec.epoch, targeted: !!to });
    await bus.publish(`session:${s}`, { kind: 'state' });
    await bus.publish('lobby', {});
  }

  async function onEnd(conn, msg) {
    const s = conn.role === 'customer' ? [...conn.joined.keys()][0] : msg.s;
    if (!(await heldBy(conn, s))) return;
    await endSession(s, { conn: conn.id, by: conn.role });
  }

  // Ends a session: its streams go at once, and in privacy mode its record too. `unless`: a
  // last check on the stored record (the sweep's condition, evaluated again inside the update).
  async function endSession(s, { conn, by, unless = () => false }) {
    const rec = await store.updateSession(s, (r) => (r.state === 'ended' || unless(r) ? null : { ...r, state: 'ended' }));
    if (!rec) return;
    const dropped = await store.dropStreams(s, {});
    log.info('end', { conn, sid: log.sid(s), by, ms: Date.now() - rec.createdAt, droppedFrames: dropped, privacy: !!rec.privacy });
    // Privacy mode: the record goes too, at once, not after the idle sweep. A relay that reads
    // the state next finds no record, which it reports as ended like the record would.
    if (rec.privacy) await store.deleteSession(s);
    await bus.publish(`session:${s}`, { kind: 'state' });
    await bus.publish('lobby', {});
  }

  /** The customer switched privacy mode on (one way: nothing switches it off). */
  async function onPrivacy(conn) {
    const s = [...conn.joined.keys()][0];
    if (!(await heldBy(conn, s))) return;
    const rec = await store.updateSession(s, (r) => (r.privacy || r.state === 'ended' ? null : { ...r, privacy: true }));
    if (!rec) return;
    log.info('privacy-mode', { conn: conn.id, sid: log.sid(s) });
    await bus.publish(`session:${s}`, { kind: 'state' });
    await bus.publish('lobby', {});
  }

  // The customer left a message while no agent had accepted (it is the frame before this, sealed
  // like any other): the session is kept for whoever accepts it within its retention, even after
  // the customer closed the tab, and agents see that a message waits.
  async function onLeft(conn) {
    const s = [...conn.joined.keys()][0];
    if (!(await heldBy(conn, s))) return;
    const now = Date.now();
    const rec = await store.updateSession(s, (r) => (r.state === 'waiting' ? { ...r, leftAt: now } : null));
    if (!rec) return;
    log.info('left-message', { conn: conn.id, sid: log.sid(s) });
    await bus.publish('lobby', {});
  }

  // ---------------------------------------------------------------- agent queue
  let queueTimer = null;
  function scheduleQueuePush() {
    if (queueTimer) return;
    queueTimer = setTimeout(async () => {
      queueTimer = null;
      for (const { conn } of agentSlots.values()) await pushQueue(conn);
    }, 10);
  }

  async function pushQueue(conn) {
    if (conn.closed) return;
    const waiting = await store.listSessions({ state: 'waiting' });
    const sessions = waiting
      .filter((r) => !r.target || r.target === conn.agentId)
      .sort((a, b) => a.waitingSince - b.waitingSince)
      .map((r) => ({
        session: r.id,
        since: r.waitingSince,
        online: !!r.presence.customer,
        summary: r.summary,
        ...(r.privacy ? { privacy: true } : {}),
        ...(r.leftAt ? { left: r.leftAt } : {}),
        transferFrom: r.transferFrom ?? undefined,
        targeted: !!r.target,
      }));
    sendControl(conn, { t: 'queue', sessions });
  }

  // ---------------------------------------------------------------- timers
  const heartbeat = setInterval(() => {
    for (const conn of conns) {
      if (!conn.alive) {
        log.info('heartbeat-timeout', { conn: conn.id, role: conn.role ?? undefined });
        detach(conn);
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        /* closing */
      }
    }
  }, limits.heartbeatMs);

  const sessionSweepEvery = Math.min(5000, limits.agentGraceMs / 2, limits.sessionIdleMs / 2, limits.privacyGoneMs / 2);
  let lastSessionSweep = Date.now();
  let sweeping = false;
  const housekeeping = setInterval(async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      const now = Date.now();
      // A receiver that holds frames without acknowledging them blocks its sender's stream.
      for (const conn of conns) {
        for (const cur of conn.cursors.values()) {
          if (cur.inFlight.length && now - cur.inFlight[0].at > limits.ackTimeoutMs) {
            closeConn(conn, CLOSE.QUEUE_FULL, 'peer not acknowledging');
            break;
          }
        }
      }
      for (const ev of await store.sweep(now)) {
        metrics.dropped('expired');
        log.info('expired', { sid: log.sid(ev.session), e: ev.epoch, to: ev.to, upTo: ev.upTo });
        await bus.publish(`session:${ev.session}`, { kind: 'expired', stream: ev.stream, epoch: ev.epoch, to: ev.to, upTo: ev.upTo });
      }
      if (now - lastSessionSweep >= sessionSweepEvery) {
        lastSessionSweep = now;
        const records = await store.listSessions({});
        if (store.liveInstances) await clearPresenceOfGoneRelays(records, now);
        for (const r of records) {
          if (r.state === 'active' && !r.presence.agent && r.agentOfflineSince && now - r.agentOfflineSince > limits.agentGraceMs) {
            const rec = await requeue(r.id, (x) => x.state === 'active' && !x.presence.agent && x.agentOfflineSince === r.agentOfflineSince);
            if (rec) {
              log.info('requeue', { sid: log.sid(r.id), e: rec.epoch, reason: 'agent-away' });
              await bus.publish(`session:${r.id}`, { kind: 'state' });
              await bus.publish('lobby', {});
            }
          } else if (r.privacy && r.state !== 'ended' && !r.presence.customer && r.customerOfflineSince && now - r.customerOfflineSince > limits.privacyGoneMs) {
            // A privacy-mode customer who closed the tab never sends `end`: their conversation
            // must not wait for the agent (or the idle sweep) to be destroyed.
            await endSession(r.id, { by: 'relay', unless: (x) => !!x.presence.customer || x.customerOfflineSince !== r.customerOfflineSince });
          } else if (!r.presence.customer && !r.presence.agent && now - r.lastSeen > limits.sessionIdleMs &&
            !(r.state === 'waiting' && r.leftAt && now - r.leftAt < r.retentionMs)) {
            // (a message left for support waits for an agent as long as the chat retention allows)
            await store.deleteSession(r.id);
            log.info('session-expired', { sid: log.sid(r.id), state: r.state });
            if (r.state === 'waiting') await bus.publish('lobby', {});
          }
        }
      }
    } catch (err) {
      log.error('internal', { error: err.name, where: 'housekeeping' });
    } finally {
      sweeping = false;
    }
  }, Math.max(50, Math.min(1000, limits.ackTimeoutMs / 4)));

  // A relay process that died (SIGKILL, crash) never recorded its connections as gone: once
  // its liveness key expired, its presence tags are cleared, so the agent grace and the idle
  // sweep apply to those sessions as if the parties had disconnected.
  async function clearPresenceOfGoneRelays(records, now) {
    const instanceOf = (tag) => tag.slice(0, tag.indexOf('/'));
    const others = new Set();
    for (const r of records) {
      for (const tag of Object.values(r.presence ?? {})) if (tag && instanceOf(tag) !== instance) others.add(instanceOf(tag));
    }
    if (!others.size) return;
    const live = await store.liveInstances(others);
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      const gone = ['customer', 'agent'].filter((role) => {
        const tag = r.presence?.[role];
        return tag && instanceOf(tag) !== instance && !live.has(instanceOf(tag));
      });
      if (!gone.length) continue;
      const rec = await store.updateSession(r.id, (x) => {
        let changed = false;
        for (const role of gone) {
          if (x.presence[role] !== r.presence[role]) continue; // reconnected meanwhile
          x.presence[role] = null;
          if (role === 'agent' && x.state === 'active') x.agentOfflineSince = now;
          if (role === 'customer') x.customerOfflineSince = now;
          changed = true;
        }
        if (!changed) return null;
        x.lastSeen = now;
        return x;
      });
      if (!rec) continue;
      records[i] = rec;
      log.info('presence-cleared', { sid: log.sid(r.id), roles: gone, reason: 'relay-gone' });
      await bus.publish(`session:${r.id}`, { kind: 'state' });
      if (rec.state === 'waiting') await bus.publish('lobby', {});
    }
  }

  // The shared store came back after an outage. Notifications sent meanwhile are lost, so
  // every local party is brought up to date from the store; if the store came back empty,
  // every session record is gone and the clients rebuild them by reconnecting (as after an
  // in-memory relay restart).
  async function onResync({ dataLost }) {
    if (closing) return;
    log.warn('store-resync', { dataLost, connections: conns.size });
    if (dataLost) {
      for (const conn of [...conns]) closeConn(conn, CLOSE.STATE_RESET, 'relay state reset');
      return;
    }
    for (const [id, slot] of [...slots]) {
      const rec = await store.getSession(id);
      for (const conn of [slot.customer, slot.agent]) {
        if (!conn || conn.closed) continue;
        await applyState(conn, id, rec);
        const j = conn.joined.get(id);
        if (!j) continue;
        const { acked } = await store.streamInfo(streamKey(id, j.epoch, otherRole(conn.role)));
        if (acked) sendControl(conn, { t: 'ack', s: id, e: j.epoch, c: acked });
      }
    }
    scheduleQueuePush();
  }

  // ---------------------------------------------------------------- lifecycle
  // Drain: new connections are refused (the listening socket closes; an upgrade already under
  // way gets 503), while the open ones keep working until every message they sent has been
  // handled (stored, answered, forwarded) and every frame forwarded to a connected receiver has
  // been acknowledged, and that stayed so for `settleMs`; at most `drainMs` in all. Then the
  // parties are told with close 1001 (they reconnect, e.g. to another process behind the same
  // address), and the store is flushed and closed. With the in-memory store, frames whose
  // receiver is not connected go with the process: their senders still hold them unacknowledged
  // and resend them to the next relay. With Redis they stay in Redis.
  let closePromise = null;
  function close({ drainMs = 0, settleMs = 200 } = {}) {
    closePromise ??= shutdown(drainMs, settleMs);
    return closePromise;
  }

  const busy = (conn) => conn.outstanding > 0 || conn.inFlightFrames > 0;
  async function drain(drainMs, settleMs) {
    draining = true;
    const t0 = Date.now();
    log.info('draining', { connections: conns.size, drainMs });
    let quietSince = null;
    while (Date.now() - t0 < drainMs) {
      const live = [...conns].filter((c) => !c.closed);
      if (!live.length) break;
      await Promise.race([Promise.allSettled(live.flatMap((c) => [c.chain, c.replies])), sleep(50)]);
      if (live.some(busy)) quietSince = null;
      else if ((quietSince ??= Date.now()) <= Date.now() - settleMs) break;
      await sleep(20);
    }
    const left = [...conns].filter((c) => !c.closed && busy(c)).length;
    log.info('drained', { ms: Date.now() - t0, busyConnections: left });
  }

  async function shutdown(drainMs, settleMs) {
    closing = true;
    const stopped = new Promise((resolve) => server.close(() => resolve()));
    if (drainMs > 0) await drain(drainMs, settleMs);
    clearInterval(heartbeat);
    clearInterval(housekeeping);
    clearTimeout(queueTimer);
    lobbyUnsubscribe();
    resyncUnsubscribe?.();
    const leaving = [...conns];
    for (const conn of leaving) closeConn(conn, CLOSE.GOING_AWAY, 'relay shutting down');
    // Presence updates of the closed connections reach the store before it is closed.
    await Promise.race([Promise.allSettled(leaving.map((c) => c.chain)), new Promise((r) => setTimeout(r, 2000).unref())]);
    await new Promise((resolve) => wss.close(() => resolve()));
    server.closeAllConnections?.();
    await stopped;
    if (ownsState) {
      await bus.close();
      await store.close();
    }
    draining = false;
    log.info('stopped', {});
  }

  return {
    port,
    url: `${options.tls ? 'wss' : 'ws'}://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`,
    store: rawStore,
    metrics: metrics.registry,
    bus,
    close,
    async stats() {
      return { connections: conns.size, localSessions: slots.size, ...(await store.stats()) };
    },
  };
}
