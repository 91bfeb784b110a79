// Relay configuration: defaults, then environment variables, then command-line flags.
// Every limit is listed once here; PROTOCOL.md explains what each one does on the wire.
import { readFileSync } from 'node:fs';

export const DEFAULT_LIMITS = Object.freeze({
  maxFrameBytes: 128 * 1024, // one WebSocket message, header included
  maxControlBytes: 8 * 1024, // one text (JSON) message
  maxSummaryBytes: 2 * 1024, // the consent summary a customer shares with the queue
  ratePerSec: 100, // messages per second per connection (token bucket) ...
  rateBurst: 200, // ... with this burst
  byteRatePerSec: 2 * 1024 * 1024, // bytes per second per connection ...
  byteBurst: 4 * 1024 * 1024, // ... with this burst
  windowFrames: 256, // frames sent to a connection and not yet acknowledged (flow control)
  windowBytes: 2 * 1024 * 1024,
  maxQueueBytes: 8 * 1024 * 1024, // bytes buffered for a connection's socket: over it -> 4008
  ackTimeoutMs: 30_000, // a full window with no acknowledgement for this long -> 4008
  backlogFrames: 2000, // undelivered frames kept per stream (session, epoch, direction) ...
  backlogBytes: 16 * 1024 * 1024, // ... and their bytes; beyond, senders get nack backlog-full
  maxSessions: 10_000, // live session records; beyond, new customers get 1013
  maxAgentSessions: 64, // sessions one agent connection may hold
  heartbeatMs: 15_000, // ping interval; no pong by the next one -> connection dropped
  helloTimeoutMs: 5_000,
  retentionMaxMs: 24 * 3600 * 1000, // ceiling on how long an undelivered frame is kept
  agentGraceMs: 120_000, // an accepted session whose agent stays away this long is requeued
  sessionIdleMs: 30 * 60 * 1000, // a session nobody is connected to is deleted after this
  privacyGoneMs: 5 * 60 * 1000, // a privacy-mode session whose customer left this long ago is ended
});

export const DEFAULT_ORIGINS = Object.freeze(['http://localhost:*', 'http://127.0.0.1:*']);

const FLAG_TO_LIMIT = {
  '--max-frame-bytes': 'maxFrameBytes',
  '--rate': 'ratePerSec',
  '--burst': 'rateBurst',
  '--byte-rate': 'byteRatePerSec',
  '--byte-burst': 'byteBurst',
  '--window-frames': 'windowFrames',
  '--window-bytes': 'windowBytes',
  '--max-queue-bytes': 'maxQueueBytes',
  '--ack-timeout-ms': 'ackTimeoutMs',
  '--backlog-frames': 'backlogFrames',
  '--backlog-bytes': 'backlogBytes',
  '--max-sessions': 'maxSessions',
  '--heartbeat-ms': 'heartbeatMs',
  '--hello-timeout-ms': 'helloTimeoutMs',
  '--retention-max-ms': 'retentionMaxMs',
  '--agent-grace-ms': 'agentGraceMs',
  '--session-idle-ms': 'sessionIdleMs',
  '--privacy-gone-ms': 'privacyGoneMs',
};

// RELAY_MAX_FRAME_BYTES etc.: the flag name in upper snake case.
const envName = (flag) => 'RELAY_' + flag.slice(2).replace(/-/g, '_').toUpperCase();

export const DEFAULT_DRAIN_MS = 10_000;

export const USAGE = `usage: sealdesk-relay [options]   (in a checkout: node relay/server.mjs [options])
  --port N                 listen port (RELAY_PORT, default 8081; 0 = any free port)
  --host H                 listen address (RELAY_HOST, default localhost)
  --origins A,B            allowed Origin values, '*' for any, 'http://host:*' for any port
                           (RELAY_ORIGINS, default ${DEFAULT_ORIGINS.join(',')})
  --no-origin-ok 0|1       accept clients that send no Origin (non-browser) (RELAY_NO_ORIGIN_OK, default 1)
  --agent-tokens id:tok,.. agent ids and their tokens (RELAY_AGENT_TOKENS)
  --agent-tokens-file F    same, one id:token per line (RELAY_AGENT_TOKENS_FILE)
  --log-level L            debug|info|warn|error (RELAY_LOG_LEVEL, default info)
  --log-salt S             key for session id hashes in logs (RELAY_LOG_SALT, default random)
  --redis-url URL          share sessions and undelivered frames with other relay processes
                           through this Redis (REDIS_URL; default: none, one process in memory)
  --redis-prefix P         prefix of the relay's Redis keys and channels (RELAY_REDIS_PREFIX,
                           default sealdesk:)
  --tls-cert F             serve https/wss with this PEM certificate chain (RELAY_TLS_CERT) ...
  --tls-key F              ... and this PEM private key (RELAY_TLS_KEY); both or neither
  --drain-ms N             on SIGTERM/SIGINT, let open connections finish for up to N ms before
                           closing them (RELAY_DRAIN_MS, default ${DEFAULT_DRAIN_MS}; 0 = close at once)
  --metrics-token T        GET /metrics needs "Authorization: Bearer T" (RELAY_METRICS_TOKEN;
                           default: /metrics is open, keep it off the public proxy)
${Object.entries(FLAG_TO_LIMIT)
  .map(([flag, key]) => `  ${flag.padEnd(24)} ${envName(flag)}, default ${DEFAULT_LIMITS[key]}`)
  .join('\n')}`;

/** Parses "id:token,id2:token2" (or one per line). A bare token gets the id agent<N>. */
export function parseAgentTokens(text) {
  const agents = [];
  for (const raw of text.split(/[,\n]/)) {
    const entry = raw.trim();
    if (!entry || entry.startsWith('#')) continue;
    const i = entry.indexOf(':');
    const id = i > 0 ? entry.slice(0, i) : `agent${agents.length + 1}`;
    const token = i > 0 ? entry.slice(i + 1) : entry;
    if (token.length < 16) throw new Error(`agent token for "${id}" is shorter than 16 characters`);
    agents.push({ id, token });
  }
  return agents;
}

function positiveNumber(name, value) {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return n;
}

/**
 * Builds the options for createRelay() from argv and env.
 * @param {string[]} argv process.argv.slice(2)
 * @param {Record<string,string|undefined>} env process.env
 */
export function loadConfig(argv = [], env = {}) {
  const opts = {
    port: env.RELAY_PORT !== undefined ? Number(env.RELAY_PORT) : 8081,
    host: env.RELAY_HOST || 'localhost',
    allowedOrigins: env.RELAY_ORIGINS ? env.RELAY_ORIGINS.split(',').map((s) => s.trim()) : [...DEFAULT_ORIGINS],
    allowMissingOrigin: env.RELAY_NO_ORIGIN_OK !== '0',
    agents: [],
    logLevel: env.RELAY_LOG_LEVEL || 'info',
    logSalt: env.RELAY_LOG_SALT,
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.RELAY_REDIS_PREFIX || undefined,
    tlsCert: env.RELAY_TLS_CERT || undefined,
    tlsKey: env.RELAY_TLS_KEY || undefined,
    drainMs: env.RELAY_DRAIN_MS !== undefined ? Number(env.RELAY_DRAIN_MS) : DEFAULT_DRAIN_MS,
    metricsToken: env.RELAY_METRICS_TOKEN || undefined,
    limits: {},
  };
  if (env.RELAY_AGENT_TOKENS) opts.agents.push(...parseAgentTokens(env.RELAY_AGENT_TOKENS));
  if (env.RELAY_AGENT_TOKENS_FILE) opts.agents.push(...parseAgentTokens(readFileSync(env.RELAY_AGENT_TOKENS_FILE, 'utf8')));
  for (const [flag, key] of Object.entries(FLAG_TO_LIMIT)) {
    const v = env[envName(flag)];
    if (v !== undefined) opts.limits[key] = positiveNumber(flag, v);
  }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--port') opts.port = Number(value());
    else if (flag === '--host') opts.host = value();
    else if (flag === '--origins') opts.allowedOrigins = value().split(',').map((s) => s.trim());
    else if (flag === '--no-origin-ok') opts.allowMissingOrigin = value() !== '0';
    else if (flag === '--agent-tokens') opts.agents.push(...parseAgentTokens(value()));
    else if (flag === '--agent-tokens-file') opts.agents.push(...parseAgentTokens(readFileSync(value(), 'utf8')));
    else if (flag === '--log-level') opts.logLevel = value();
    else if (flag === '--log-salt') opts.logSalt = value();
    else if (flag === '--redis-url') opts.redisUrl = value();
    else if (flag === '--redis-prefix') opts.redisPrefix = value();
    else if (flag === '--tls-cert') opts.tlsCert = value();
    else if (flag === '--tls-key') opts.tlsKey = value();
    else if (flag === '--drain-ms') opts.drainMs = Number(value());
    else if (flag === '--metrics-token') opts.metricsToken = value();
    else if (FLAG_TO_LIMIT[flag]) opts.limits[FLAG_TO_LIMIT[flag]] = positiveNumber(flag, value());
    else if (flag === '--help' || flag === '-h') opts.help = true;
    else throw new Error(`unknown option ${flag}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('--port must be 0..65535');
  if (opts.redisUrl !== undefined && !/^rediss?:\/\//.test(opts.redisUrl)) throw new Error('--redis-url must start with redis:// or rediss://');
  if (!Number.isFinite(opts.drainMs) || opts.drainMs < 0) throw new Error('--drain-ms must be 0 or more');
  if (!opts.tlsCert !== !opts.tlsKey) throw new Error('--tls-cert and --tls-key go together');
  if (opts.tlsCert) {
    // Read here, so a missing or unreadable file stops the start with its name.
    const read = (flag, file) => {
      try {
        return readFileSync(file);
      } catch (err) {
        throw new Error(`${flag} ${file}: ${err.code ?? err.message}`);
      }
    };
    opts.tls = { cert: read('--tls-cert', opts.tlsCert), key: read('--tls-key', opts.tlsKey) };
  }
  return opts;
}
