// Structured logs: one JSON object per line. Only metadata goes in: event names, hashed session
// ids, roles, sizes, counters, timings and close codes. Never payload bytes, tokens, resume
// secrets, consent summaries, IP addresses or user agents. Callers pass fields explicitly;
// there is no "log the whole message" helper on purpose.
import { createHmac, randomBytes } from 'node:crypto';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * @param {object} [options]
 * @param {'debug'|'info'|'warn'|'error'} [options.level]
 * @param {(line: string) => void} [options.sink] receives each line (default: stdout)
 * @param {string} [options.salt] key for session id hashes; random per process by default, so
 *   logs of different runs cannot be joined on a session unless the operator sets one
 */
export function createLogger({ level = 'info', sink, salt } = {}) {
  const min = LEVELS[level] ?? LEVELS.info;
  const key = salt ?? randomBytes(16).toString('hex');
  const write = sink ?? ((line) => process.stdout.write(line + '\n'));
  const emit = (lvl, event, fields) => {
    if (LEVELS[lvl] < min) return;
    write(JSON.stringify({ ts: new Date().toISOString(), level: lvl, event, ...fields }));
  };
  return {
    enabled: (lvl) => LEVELS[lvl] >= min,
    debug: (event, fields) => emit('debug', event, fields),
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
    /** 12 hex digits of HMAC-SHA-256(salt, session id): correlates lines, reveals no id. */
    sid: (id) => (id ? createHmac('sha256', key).update(id).digest('hex').slice(0, 12) : undefined),
  };
}
