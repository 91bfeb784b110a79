// Where the relay keeps session records and the frames not yet acknowledged by their receiver.
//
// The relay only talks to a store through the interface below, always awaiting: the in-memory
// store here is the embedded default (one process); a Redis store (issue 9) implements the same
// methods with the same meaning, so the relay itself does not change:
// redis.mjs, selected with REDIS_URL:
//   sessions  -> a hash per session, updated by compare-and-set on a version (updateSession is
//                atomic across processes)
//   streams   -> one Redis Stream per (session, epoch, direction), entry id `${counter}-0`;
//                ack = XTRIM MINID; read = XRANGE
//   retention -> MINID trimming by sweep() (which tells the parties) and PEXPIREAT on the stream
//                key as the backstop when no relay runs
// Optional, for stores shared by several processes: registerInstance(id), liveInstances(ids).
//
// A stream is identified by streamKey(session, epoch, to): the frames travelling towards role
// `to` in that epoch. Counters in a stream are contiguous: append() accepts counter last+1, or
// any counter when the stream is new to the store (after a restart of an in-memory relay the
// sender resends from its oldest unacknowledged frame, which is where the receiver stands).
//
// interface RelayStore {
//   getSession(id): Promise<SessionRecord|null>
//   createSession(record): Promise<boolean>             false when the id already exists
//   updateSession(id, mutate): Promise<SessionRecord|null>
//       mutate(copy) returns the new record, or null to leave it unchanged; atomic per id
//   deleteSession(id): Promise<void>                    the record and all its streams
//   listSessions({ state }): Promise<SessionRecord[]>
//   countSessions(): Promise<number>                    cheap: asked for every new session
//   append(stream, counter, bytes, { expiresAt, maxFrames, maxBytes, announce }):
//       Promise<'stored'|'duplicate'|'gap'|'full'>
//   ack(stream, upTo, { announce }): Promise<{ acked: number, trimmed: number }>   trims counters <= upTo
//       announce { channel, message }: a store with `announces = true` publishes this bus
//       message in the same atomic step when the frame was stored (ack: with message.c = the new
//       watermark); other stores ignore it and the relay publishes it itself
//   read(stream, after, limit): Promise<Array<{ counter, bytes }>>   counters > after, in order
//   streamInfo(stream): Promise<{ last: number|null, acked: number, frames: number, bytes: number }>
//   dropStreams(session, { belowEpoch }): Promise<number>            frames dropped
//   sweep(now): Promise<Array<{ stream, session, epoch, to, upTo }>> frames past their retention
//   stats(): Promise<{ sessions, streams, frames, bytes }>
//   close(): Promise<void>
// }
//
// SessionRecord (routing metadata only; no content ever reaches the relay):
//   { id, state: 'waiting'|'active'|'ended', epoch, agent, target, transferFrom,
//     resumeHash, summary, retentionMs, createdAt, updatedAt, waitingSince,
//     presence: { customer: boolean, agent: boolean }, agentOfflineSince, customerOfflineSince,
//     lastSeen, privacy }

export const streamKey = (session, epoch, to) => `${session}:${epoch}:${to}`;

export function parseStreamKey(key) {
  const [session, epoch, to] = key.split(':');
  return { session, epoch: Number(epoch), to };
}

class MemoryStream {
  constructor() {
    this.frames = []; // { counter, bytes, expiresAt }
    this.head = 0; // index of the first live frame (trimming is O(1) amortized)
    this.last = null; // highest counter ever stored (kept after trimming)
    this.acked = 0; // receiver's cumulative acknowledgement
    this.bytes = 0;
  }

  get size() {
    return this.frames.length - this.head;
  }

  compact() {
    if (this.head > 64 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
  }

  dropHead() {
    const f = this.frames[this.head];
    this.frames[this.head] = undefined;
    this.head++;
    this.bytes -= f.bytes.byteLength;
    return f;
  }
}

export class MemoryStore {
  constructor() {
    this.sessions = new Map();
    this.streams = new Map(); // key -> MemoryStream
    this.streamsBySession = new Map(); // session -> Set<key>
  }

  // ---- sessions ----
  async getSession(id) {
    const r = this.sessions.get(id);
    return r ? structuredClone(r) : null;
  }

  async createSession(record) {
    if (this.sessions.has(record.id)) return false;
    this.sessions.set(record.id, structuredClone(record));
    return true;
  }

  async updateSession(id, mutate) {
    const current = this.sessions.get(id);
    if (!current) return null;
    const next = mutate(structuredClone(current));
    if (!next) return null;
    next.updatedAt = Date.now();
    this.sessions.set(id, structuredClone(next));
    return next;
  }

  async deleteSession(id) {
    this.sessions.delete(id);
    await this.dropStreams(id, {});
  }

  async listSessions({ state } = {}) {
    const out = [];
    for (const r of this.sessions.values()) if (!state || r.state === state) out.push(structuredClone(r));
    return out;
  }

  async countSessions() {
    return this.sessions.size;
  }

  // ---- streams ----
  stream(key, create) {
    let s = this.streams.get(key);
    if (!s && create) {
      s = new MemoryStream();
      this.streams.set(key, s);
      const { session } = parseStreamKey(key);
      if (!this.streamsBySession.has(session)) this.streamsBySession.set(session, new Set());
      this.streamsBySession.get(session).add(key);
    }
    return s;
  }

  async append(key, counter, bytes, { expiresAt = Infinity, maxFrames = Infinity, maxBytes = Infinity } = {}) {
    const s = this.stream(key, true);
    if (counter <= s.acked || (s.last !== null && counter <= s.last)) return 'duplicate';
    if (s.last !== null && counter !== s.last + 1) return 'gap';
    if (s.size + 1 > maxFrames || s.bytes + bytes.byteLength > maxBytes) return 'full';
    s.frames.push({ counter, bytes, expiresAt });
    s.bytes += bytes.byteLength;
    s.last = counter;
    return 'stored';
  }

  async ack(key, upTo) {
    const s = this.stream(key, true);
    let trimmed = 0;
    if (upTo > s.acked) s.acked = upTo;
    // A receiver may acknowledge frames this store never saw (it restarted): later appends
    // continue after the watermark.
    if (s.last === null || s.last < s.acked) s.last = s.acked;
    while (s.size && s.frames[s.head].counter <= s.acked) {
      s.dropHead();
      trimmed++;
    }
    s.compact();
    return { acked: s.acked, trimmed };
  }

  async read(key, after, limit) {
    const s = this.stream(key, false);
    if (!s) return [];
    const out = [];
    // Counters are contiguous from the head, so the start index is computed, not searched.
    let i = s.head;
    if (s.size && after >= s.frames[s.head].counter) i = s.head + (after - s.frames[s.head].counter + 1);
    for (; i < s.frames.length && out.length < limit; i++) {
      const f = s.frames[i];
      out.push({ counter: f.counter, bytes: f.bytes });
    }
    return out;
  }

  async streamInfo(key) {
    const s = this.stream(key, false);
    if (!s) return { last: null, acked: 0, frames: 0, bytes: 0 };
    return { last: s.last, acked: s.acked, frames: s.size, bytes: s.bytes };
  }

  async dropStreams(session, { belowEpoch } = {}) {
    const keys = this.streamsBySession.get(session);
    if (!keys) return 0;
    let dropped = 0;
    for (const key of [...keys]) {
      if (belowEpoch !== undefined && parseStreamKey(key).epoch >= belowEpoch) continue;
      dropped += this.streams.get(key)?.size ?? 0;
      this.streams.delete(key);
      keys.delete(key);
    }
    if (!keys.size) this.streamsBySession.delete(session);
    return dropped;
  }

  async sweep(now) {
    const expired = [];
    for (const [key, s] of this.streams) {
      let upTo = 0;
      while (s.size && s.frames[s.head].expiresAt <= now) upTo = s.dropHead().counter;
      if (upTo) {
        s.compact();
        // Expired frames count as settled: the receiver is told to skip past them.
        if (upTo > s.acked) s.acked = upTo;
        expired.push({ stream: key, ...parseStreamKey(key), upTo });
      }
    }
    return expired;
  }

  async stats() {
    let frames = 0;
    let bytes = 0;
    for (const s of this.streams.values()) {
      frames += s.size;
      bytes += s.bytes;
    }
    return { sessions: this.sessions.size, streams: this.streams.size, frames, bytes };
  }

  async close() {
    this.sessions.clear();
    this.streams.clear();
    this.streamsBySession.clear();
  }
}
