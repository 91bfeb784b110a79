// The relay's shared state on Redis (issue 9): a RelayStore (store.mjs) and a RelayBus (bus.mjs)
// that several relay processes use together, so the two parties of a session may be connected
// to different processes. Selected with REDIS_URL / --redis-url; without it the relay keeps its
// in-memory default. What Redis holds is routing metadata and ciphertext only (PROTOCOL.md,
// "Scaling out on Redis").
//
// Keys (P = prefix, default "sealdesk:"; {S} = session id as a hash tag, so one session's keys
// share a slot):
//   P{S}:rec              hash  j = the SessionRecord as JSON, v = version (compare-and-set), s = state
//   P{S}:streams          set   "<epoch>:<to>" of the session's streams
//   P{S}:x:<epoch>:<to>   Redis Stream of frames not yet acknowledged; entry id "<counter>-0",
//                         fields x = expiresAt (ms), o = stream bytes before this frame, b = the frame
//   P{S}:m:<epoch>:<to>   hash  last (highest counter stored), acked (receiver's watermark),
//                         bytes (payload bytes held), cum (bytes ever appended)
//   Psessions             set   every session id;  Pstate:<state>  set  ids in that state
//   Pexpiry               sorted set: stream -> expiresAt of its oldest frame (what sweep() visits)
//   Prelay:<instance>     a live relay process (expires unless refreshed)
//   Pmarker               random token; a Redis that lost its data lost it too (see resync)
// Channels: Pch:<bus channel> (session:<id>, agent:<id>, lobby), JSON, routing ids and counters.
//
// Every multi-key change is one Lua script, so two processes never interleave inside a change:
// append/ack/sweep of a stream, and create/compare-and-set of a session record. Scripts touch a
// session's keys and the global indexes together, so this targets a standalone Redis (or a
// primary with replicas / Sentinel), not Redis Cluster.
import { Redis } from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { parseStreamKey } from './store.mjs';

// A stream key lives until its newest frame's retention ends plus this grace: the relays'
// sweep (which tells the parties) normally runs first; the key's own expiry deletes the
// ciphertext even when no relay runs at all.
const STREAM_TTL_GRACE_MS = 2000;
const HUGE = 1e15; // stands for "no bound" in scripts (Lua numbers are doubles)

const APPEND = `
local c = tonumber(ARGV[1])
local m = redis.call('HMGET', KEYS[2], 'last', 'acked', 'bytes', 'cum')
local last = tonumber(m[1])
local acked = tonumber(m[2]) or 0
local bytes = tonumber(m[3]) or 0
local cum = tonumber(m[4]) or 0
if c <= acked or (last and c <= last) then return 'duplicate' end
if last and c ~= last + 1 then return 'gap' end
local n = redis.call('XLEN', KEYS[1])
if n == 0 then bytes = 0 end
local len = string.len(ARGV[2])
if n + 1 > tonumber(ARGV[4]) or bytes + len > tonumber(ARGV[5]) then return 'full' end
redis.call('XADD', KEYS[1], c .. '-0', 'x', ARGV[3], 'o', cum, 'b', ARGV[2])
redis.call('HSET', KEYS[2], 'last', c, 'acked', acked, 'bytes', bytes + len, 'cum', cum + len)
-- NX: a stream whose frames vanished by key expiry keeps its past score, so sweep settles them
redis.call('ZADD', KEYS[4], 'NX', ARGV[3], ARGV[7])
redis.call('SADD', KEYS[3], ARGV[6])
-- the key outlives its newest frame's retention by a grace, never less (ARGV[8] = 0: no retention)
if ARGV[8] ~= '0' then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 or tonumber(redis.call('TIME')[1]) * 1000 + ttl < tonumber(ARGV[8]) then
    redis.call('PEXPIREAT', KEYS[1], ARGV[8])
  end
end
-- announced in the same step: a stored frame is never left unannounced
if ARGV[9] ~= '' then redis.call('PUBLISH', ARGV[9], ARGV[10]) end
return 'stored'
`;

// Shared tail of ack and sweep: after trimming, recompute the bytes held and the stream's
// place in the expiry index from its new oldest frame.
const SETTLE = `
local function settle(xkey, mkey, zkey, member, last, acked, cum)
  local head = redis.call('XRANGE', xkey, '-', '+', 'COUNT', 1)
  local bytes = 0
  if head[1] then
    local f = head[1][2]
    bytes = cum - tonumber(f[4])
    redis.call('ZADD', zkey, f[2], member)
  else
    redis.call('ZREM', zkey, member)
    redis.call('DEL', xkey) -- an empty stream keeps no key (the counters live in the meta hash)
  end
  redis.call('HSET', mkey, 'last', last, 'acked', acked, 'bytes', bytes, 'cum', cum)
end
`;

const ACK = `${SETTLE}
local upTo = tonumber(ARGV[1])
local m = redis.call('HMGET', KEYS[2], 'last', 'acked', 'cum')
local last = tonumber(m[1])
local acked = tonumber(m[2]) or 0
local cum = tonumber(m[3]) or 0
if upTo > acked then acked = upTo end
-- a receiver may acknowledge frames this store never held: later appends continue after it
if (not last) or last < acked then last = acked end
local before = redis.call('XLEN', KEYS[1])
local trimmed = 0
if before > 0 then
  redis.call('XTRIM', KEYS[1], 'MINID', (acked + 1) .. '-0')
  trimmed = before - redis.call('XLEN', KEYS[1])
end
settle(KEYS[1], KEYS[2], KEYS[4], ARGV[3], last, acked, cum)
redis.call('SADD', KEYS[3], ARGV[2])
if ARGV[4] ~= '' then
  local msg = cjson.decode(ARGV[5])
  msg['c'] = acked
  redis.call('PUBLISH', ARGV[4], cjson.encode(msg))
end
return {acked, trimmed}
`;

const SWEEP = `${SETTLE}
local now = tonumber(ARGV[1])
local m = redis.call('HMGET', KEYS[2], 'last', 'acked', 'cum')
local last = tonumber(m[1])
if not last then
  redis.call('ZREM', KEYS[3], ARGV[2])
  return 0
end
local acked = tonumber(m[2]) or 0
local cum = tonumber(m[3]) or 0
local upTo = acked
local head = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
-- frames the key's own expiry removed before any relay swept them
local first = last + 1
if head[1] then first = tonumber(string.match(head[1][1], '^(%d+)')) end
if first - 1 > upTo then upTo = first - 1 end
-- frames past their retention, oldest first (expiry grows with the counter)
local from = upTo + 1
while true do
  local batch = redis.call('XRANGE', KEYS[1], from .. '-0', '+', 'COUNT', 32)
  if not batch[1] then break end
  local stop = false
  for _, e in ipairs(batch) do
    if tonumber(e[2][2]) > now then stop = true break end
    upTo = tonumber(string.match(e[1], '^(%d+)'))
  end
  if stop then break end
  from = upTo + 1
end
if upTo <= acked then
  settle(KEYS[1], KEYS[2], KEYS[3], ARGV[2], last, acked, cum)
  return 0
end
redis.call('XTRIM', KEYS[1], 'MINID', (upTo + 1) .. '-0')
if last < upTo then last = upTo end
settle(KEYS[1], KEYS[2], KEYS[3], ARGV[2], last, upTo, cum)
return upTo
`;

const CREATE_SESSION = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'j', ARGV[1], 'v', 1, 's', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
return 1
`;

// Compare-and-set on the record's version: the caller read version ARGV[1] and computed the
// new record from it; if anyone wrote in between, nothing changes and the caller retries.
const UPDATE_SESSION = `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'j', ARGV[2], 's', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'v', 1)
if KEYS[3] ~= KEYS[4] then
  redis.call('SREM', KEYS[3], ARGV[3])
  redis.call('SADD', KEYS[4], ARGV[3])
end
return 1
`;

const STATES = ['waiting', 'active', 'ended'];

const clientOptions = (extra) => ({
  lazyConnect: true,
  // Fail fast while Redis is away: the relay closes the affected connection (1011) and the
  // client reconnects with backoff, instead of commands piling up or being replayed later.
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 0,
  retryStrategy: (times) => Math.min(50 * times, 1000),
  connectionName: 'sealdesk-relay',
  ...extra,
});

/**
 * Connects to Redis and returns the relay's store and bus over it.
 * @param {object} options
 * @param {string} options.url redis://[user:pass@]host:port[/db]
 * @param {string} [options.prefix='sealdesk:'] key and channel prefix
 * @param {number} [options.instanceTtlMs=10000] a relay not heard from this long counts as gone
 * @param {(event: string, fields: object) => void} [options.onEvent] connection events (no content)
 */
export async function createRedisState({ url, prefix = 'sealdesk:', instanceTtlMs = 10_000, onEvent = () => {} }) {
  const cmd = new Redis(url, clientOptions({}));
  const sub = new Redis(url, clientOptions({}));
  const shared = new RedisShared({ cmd, sub, prefix, instanceTtlMs, onEvent });
  try {
    await shared.start();
  } catch (err) {
    cmd.disconnect();
    sub.disconnect();
    // The socket error says why (ECONNREFUSED, WRONGPASS...); its text may name the host, so
    // only the code travels.
    const code = shared.lastError?.code ?? (/^(NOAUTH|WRONGPASS)/.exec(String(shared.lastError?.message)) ?? [])[0] ?? 'REDIS_UNAVAILABLE';
    throw Object.assign(new Error(`Redis unavailable (${code})`), { code });
  }
  return { store: new RedisStore(shared), bus: new RedisBus(shared) };
}

class RedisShared {
  constructor({ cmd, sub, prefix, instanceTtlMs, onEvent }) {
    this.cmd = cmd;
    this.sub = sub;
    this.prefix = prefix;
    this.instanceTtlMs = instanceTtlMs;
    this.onEvent = onEvent;
    this.users = 2; // store + bus; the connections close when both closed
    this.marker = null;
    this.lost = false;
    this.resyncHandlers = new Set();
    this.instances = new Set();
    // Scripts are called by their SHA-1 (EVALSHA), loaded at connect and again after a Redis
    // restart (ioredis's defineCommand resends the whole text in pipelines).
    this.scripts = {};
    for (const [name, lua] of Object.entries({ APPEND, ACK, SWEEP, CREATE_SESSION, UPDATE_SESSION })) {
      this.scripts[name] = { lua, sha: createHash('sha1').update(lua).digest('hex') };
    }
  }

  async loadScripts() {
    await Promise.all(Object.values(this.scripts).map((sc) => this.cmd.script('LOAD', sc.lua)));
  }

  async run(name, keys, args) {
    const sc = this.scripts[name];
    try {
      return await this.cmd.evalsha(sc.sha, keys.length, ...keys, ...args);
    } catch (err) {
      // A restarted Redis has an empty script cache.
      if (!String(err?.message).startsWith('NOSCRIPT')) throw err;
      await this.cmd.script('LOAD', sc.lua);
      return this.cmd.evalsha(sc.sha, keys.length, ...keys, ...args);
    }
  }

  async start() {
    for (const conn of [this.cmd, this.sub]) {
      // ioredis reconnects by itself; errors are reported through 'close'/'ready' below.
      conn.on('error', (err) => {
        this.lastError = err;
      });
      conn.on('close', () => this.onLost());
      conn.on('ready', () => this.onReady());
    }
    await Promise.all([this.cmd.connect(), this.sub.connect()]);
    await this.loadScripts();
    this.marker = await this.readMarker();
    this.started = true;
  }

  // The marker tells a Redis that kept its data (a network blip, a restart with persistence)
  // from one that came back empty: then every session record is gone and the clients must
  // rebuild them (the same path as an in-memory relay restart).
  async readMarker() {
    const key = this.prefix + 'marker';
    await this.cmd.set(key, randomBytes(12).toString('base64url'), 'NX');
    return this.cmd.get(key);
  }

  onLost() {
    if (!this.started || this.lost) return;
    this.lost = true;
    this.onEvent('redis-lost', {});
  }

  async onReady() {
    if (!this.started || !this.lost) return;
    if (this.cmd.status !== 'ready' || this.sub.status !== 'ready') return;
    this.lost = false;
    let dataLost = true;
    try {
      // Resubscription was sent when 'ready' fired; a PING answered after it means it is done.
      await this.sub.ping();
      await this.loadScripts();
      const marker = await this.readMarker();
      dataLost = marker !== this.marker;
      this.marker = marker;
      for (const id of this.instances) await this.beat(id);
    } catch {
      // Lost again before we could tell: assume the worst; the next 'ready' checks again.
    }
    this.onEvent('redis-ready', { dataLost });
    for (const fn of this.resyncHandlers) fn({ dataLost });
  }

  key(session, rest) {
    return `${this.prefix}{${session}}:${rest}`;
  }

  channel(name) {
    return `${this.prefix}ch:${name}`;
  }

  beat(instance) {
    return this.cmd.set(`${this.prefix}relay:${instance}`, '1', 'PX', this.instanceTtlMs);
  }

  async release() {
    if (--this.users > 0) return;
    clearInterval(this.beatTimer);
    await Promise.allSettled([...this.instances].map((id) => this.cmd.del(`${this.prefix}relay:${id}`)));
    this.started = false;
    for (const conn of [this.cmd, this.sub]) {
      try {
        await conn.quit();
      } catch {
        conn.disconnect();
      }
    }
  }
}

/** RelayStore on Redis (interface and meaning: store.mjs). */
export class RedisStore {
  constructor(shared) {
    this.shared = shared;
    // append/ack publish their `announce` message on the bus themselves, in the same script.
    this.announces = true;
    this.r = shared.cmd;
    this.p = shared.prefix;
    this.closed = false;
  }

  recKey(id) {
    return this.shared.key(id, 'rec');
  }

  stateKey(state) {
    return `${this.p}state:${STATES.includes(state) ? state : 'other'}`;
  }

  // stream key "S:E:to" -> its Redis keys
  streamKeys(key) {
    const { session, epoch, to } = parseStreamKey(key);
    const member = `${epoch}:${to}`;
    return {
      session,
      member,
      x: this.shared.key(session, `x:${member}`),
      m: this.shared.key(session, `m:${member}`),
      set: this.shared.key(session, 'streams'),
    };
  }

  // ---- sessions ----
  async getSession(id) {
    const j = await this.r.hget(this.recKey(id), 'j');
    return j ? JSON.parse(j) : null;
  }

  async createSession(record) {
    const ok = await this.shared.run('CREATE_SESSION', [this.recKey(record.id), this.p + 'sessions', this.stateKey(record.state)], [JSON.stringify(record), record.id, record.state ?? '']);
    return ok === 1;
  }

  async updateSession(id, mutate) {
    for (let attempt = 0; attempt < 100; attempt++) {
      const [j, v] = await this.r.hmget(this.recKey(id), 'j', 'v');
      if (!j) return null;
      const current = JSON.parse(j);
      const next = mutate(JSON.parse(j));
      if (!next) return null;
      next.updatedAt = Date.now();
      const ok = await this.shared.run(
        'UPDATE_SESSION',
        [this.recKey(id), this.p + 'sessions', this.stateKey(current.state), this.stateKey(next.state)],
        [v, JSON.stringify(next), id, next.state ?? ''],
      );
      if (ok === 1) return next;
      // Another process changed the record in between: read it again and re-apply.
    }
    throw new Error('session update kept conflicting');
  }

  async deleteSession(id) {
    await this.dropStreams(id, {});
    const m = this.r.multi().del(this.recKey(id)).srem(this.p + 'sessions', id);
    for (const s of STATES) m.srem(this.stateKey(s), id);
    await m.exec();
  }

  async listSessions({ state } = {}) {
    const ids = await this.r.smembers(state ? this.stateKey(state) : this.p + 'sessions');
    if (!ids.length) return [];
    const texts = await Promise.all(ids.map((id) => this.r.hget(this.recKey(id), 'j')));
    const out = [];
    for (const j of texts) {
      if (!j) continue;
      const r = JSON.parse(j);
      if (!state || r.state === state) out.push(r);
    }
    return out;
  }

  async countSessions() {
    return this.r.scard(this.p + 'sessions');
  }

  // ---- streams ----
  async append(key, counter, bytes, { expiresAt = Infinity, maxFrames = Infinity, maxBytes = Infinity, announce = null } = {}) {
    const k = this.streamKeys(key);
    const exp = Number.isFinite(expiresAt) ? Math.round(expiresAt) : HUGE;
    const ttlAt = Number.isFinite(expiresAt) ? exp + STREAM_TTL_GRACE_MS : 0;
    return this.shared.run('APPEND', [k.x, k.m, k.set, this.p + 'expiry'], [
      counter, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      exp, Number.isFinite(maxFrames) ? maxFrames : HUGE, Number.isFinite(maxBytes) ? maxBytes : HUGE,
      k.member, key, ttlAt,
      announce ? this.shared.channel(announce.channel) : '', announce ? JSON.stringify(announce.message) : '',
    ]);
  }

  async ack(key, upTo, { announce = null } = {}) {
    const k = this.streamKeys(key);
    const [acked, trimmed] = await this.shared.run('ACK', [k.x, k.m, k.set, this.p + 'expiry'], [
      upTo, k.member, key,
      announce ? this.shared.channel(announce.channel) : '', announce ? JSON.stringify(announce.message) : '',
    ]);
    return { acked: Number(acked), trimmed: Number(trimmed) };
  }

  async read(key, after, limit) {
    const k = this.streamKeys(key);
    const entries = await this.r.xrangeBuffer(k.x, `${after + 1}-0`, '+', 'COUNT', limit);
    return entries.map(([id, fields]) => ({ counter: parseInt(id.toString('latin1'), 10), bytes: fields[5] }));
  }

  async streamInfo(key) {
    const k = this.streamKeys(key);
    const [[, meta], [, frames]] = await this.r.multi().hmget(k.m, 'last', 'acked', 'bytes').xlen(k.x).exec();
    const [last, acked, bytes] = meta;
    return { last: last === null ? null : Number(last), acked: Number(acked ?? 0), frames, bytes: frames ? Number(bytes ?? 0) : 0 };
  }

  async dropStreams(session, { belowEpoch } = {}) {
    const set = this.shared.key(session, 'streams');
    const members = (await this.r.smembers(set)).filter((mem) => belowEpoch === undefined || Number(mem.split(':')[0]) < belowEpoch);
    if (!members.length) return 0;
    const m = this.r.multi();
    for (const mem of members) m.xlen(this.shared.key(session, `x:${mem}`));
    for (const mem of members) {
      m.del(this.shared.key(session, `x:${mem}`), this.shared.key(session, `m:${mem}`));
      m.zrem(this.p + 'expiry', `${session}:${mem}`);
    }
    m.srem(set, ...members);
    const results = await m.exec();
    return results.slice(0, members.length).reduce((sum, [, n]) => sum + Number(n), 0);
  }

  async sweep(now) {
    const expired = [];
    for (;;) {
      const due = await this.r.zrangebyscore(this.p + 'expiry', '-inf', now, 'LIMIT', 0, 128);
      if (!due.length) break;
      for (const key of due) {
        const k = this.streamKeys(key);
        const upTo = Number(await this.shared.run('SWEEP', [k.x, k.m, this.p + 'expiry'], [now, key]));
        if (upTo > 0) expired.push({ stream: key, ...parseStreamKey(key), upTo });
      }
      if (due.length < 128) break;
    }
    return expired;
  }

  // Diagnostics only: walks every stream's metadata key (SCAN, no blocking).
  async stats() {
    const glob = this.p.replace(/[*?[\]\\]/g, '\\$&') + '{*}:m:*';
    let streams = 0;
    let frames = 0;
    let bytes = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.r.scan(cursor, 'MATCH', glob, 'COUNT', 500);
      cursor = next;
      const infos = await Promise.all(keys.map((mkey) => {
        const m = /^.*\{([^}]+)\}:m:(.+)$/.exec(mkey);
        return m ? this.streamInfo(`${m[1]}:${m[2]}`) : null;
      }));
      for (const info of infos) {
        if (!info) continue;
        streams++;
        frames += info.frames;
        bytes += info.bytes;
      }
    } while (cursor !== '0');
    return { sessions: await this.countSessions(), streams, frames, bytes };
  }

  // ---- relay processes ----
  /** Records this relay process as alive until it stops refreshing. */
  async registerInstance(instance) {
    this.shared.instances.add(instance);
    await this.shared.beat(instance);
    clearInterval(this.shared.beatTimer);
    this.shared.beatTimer = setInterval(() => {
      for (const id of this.shared.instances) this.shared.beat(id).catch(() => {});
    }, Math.max(100, this.shared.instanceTtlMs / 3));
    this.shared.beatTimer.unref();
  }

  /** Which of these relay instances are alive. */
  async liveInstances(instances) {
    const list = [...instances];
    if (!list.length) return new Set();
    const found = await this.r.mget(list.map((id) => `${this.p}relay:${id}`));
    return new Set(list.filter((_, i) => found[i] !== null));
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    await this.shared.release();
  }
}

/** RelayBus on Redis pub/sub (interface and meaning: bus.mjs). */
export class RedisBus {
  constructor(shared) {
    this.shared = shared;
    this.handlers = new Map(); // channel -> Set<handler>
    this.closed = false;
    shared.sub.on('message', (full, text) => {
      const set = this.handlers.get(full);
      if (!set) return;
      let msg;
      try {
        msg = JSON.parse(text);
      } catch {
        return;
      }
      for (const fn of [...set]) fn(msg);
    });
  }

  channel(name) {
    return this.shared.channel(name);
  }

  async publish(channel, message) {
    await this.shared.cmd.publish(this.channel(channel), JSON.stringify(message));
  }

  /**
   * Subscribes; the returned unsubscribe function carries `ready`, a promise that settles once
   * Redis confirmed the subscription (messages published before it are not received).
   */
  subscribe(channel, handler) {
    const full = this.channel(channel);
    let set = this.handlers.get(full);
    let ready = Promise.resolve();
    if (!set) {
      this.handlers.set(full, (set = new Set()));
      set.ready = this.shared.sub.subscribe(full).then(() => {});
    }
    ready = set.ready;
    set.add(handler);
    const unsubscribe = () => {
      set.delete(handler);
      if (!set.size && this.handlers.get(full) === set) {
        this.handlers.delete(full);
        if (!this.closed) this.shared.sub.unsubscribe(full).catch(() => {});
      }
    };
    // A caller that does not wait must not see an unhandled rejection.
    ready.catch(() => {});
    unsubscribe.ready = ready;
    return unsubscribe;
  }

  /** Called after Redis came back: `dataLost` when it came back empty. Returns unsubscribe. */
  onResync(fn) {
    this.shared.resyncHandlers.add(fn);
    return () => this.shared.resyncHandlers.delete(fn);
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    this.shared.resyncHandlers.clear();
    await this.shared.release();
  }
}
