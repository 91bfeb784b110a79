// The relay as a program:  sealdesk-relay --port 8081 [--help]   (in a checkout: node relay/server.mjs)
// Tests and tools start it in-process with createRelay() (re-exported here).
// SIGTERM or SIGINT drains (see close() in relay.mjs) for up to --drain-ms, then exits 0; a
// second signal exits at once with 1.
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createRelay } from './relay.mjs';
import { loadConfig, USAGE } from './config.mjs';

export { createRelay } from './relay.mjs';
export { loadConfig } from './config.mjs';

export async function main(argv = process.argv.slice(2), env = process.env) {
  let config;
  try {
    config = loadConfig(argv, env);
  } catch (err) {
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (config.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (!config.agents.length) {
    // No token configured: make one for this run so the demo's agent console can sign in.
    // Printed on stderr for the operator, never into the structured log.
    const token = randomBytes(24).toString('base64url');
    config.agents.push({ id: 'agent', token });
    process.stderr.write(`relay: no RELAY_AGENT_TOKENS set; agent "agent" token for this run: ${token}\n`);
  }
  let relay;
  try {
    relay = await createRelay(config);
  } catch (err) {
    // e.g. Redis unreachable: say what failed, not the URL (it may hold a password).
    const redisDown = config.redisUrl && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|NOAUTH|WRONGPASS/.test(`${err.code} ${err.message}`);
    process.stderr.write(`relay: could not start: ${err.code ?? err.name}${redisDown ? ' (is Redis reachable at --redis-url?)' : ''}\n`);
    process.exit(1);
  }
  const scheme = config.tls ? 'wss' : 'ws';
  process.stderr.write(`relay: listening on ${scheme}://${config.host}:${relay.port}${config.redisUrl ? ' (state on Redis)' : ''}\n`);
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, async () => {
      if (stopping) process.exit(1);
      stopping = true;
      process.stderr.write(`relay: ${sig}: draining for up to ${config.drainMs} ms\n`);
      await relay.close({ drainMs: config.drainMs });
      process.exit(0);
    });
  }
}

const invoked = process.argv[1] && realpathSync(process.argv[1]);
if (invoked === fileURLToPath(import.meta.url)) main();
