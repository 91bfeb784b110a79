// The reference relay as a program:  node demo/relay/server.mjs --port 8081 [--help]
// Tests and tools start it in-process with createRelay() (re-exported here).
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { createRelay } from './relay.mjs';
import { loadConfig, USAGE } from './config.mjs';

export { createRelay } from './relay.mjs';
export { loadConfig } from './config.mjs';

async function main() {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
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
  process.stderr.write(`relay: listening on ws://${config.host}:${relay.port}${config.redisUrl ? ' (state on Redis)' : ''}\n`);
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, async () => {
      if (stopping) process.exit(1);
      stopping = true;
      await relay.close();
      process.exit(0);
    });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
