// The relay's behaviour suites (routing, limits, logs), run again with the relay's state on
// Redis instead of in memory: the Redis store and bus must not change what any client sees.
import { before, after } from 'node:test';
import { startRedis } from './relay-redis-helpers.mjs';

const redis = await startRedis();
process.env.SEALDESK_TEST_REDIS_URL = redis.url;
before(() => {});
after(async () => {
  await redis.stop();
});

await import('./relay-routing.test.mjs');
await import('./relay-limits.test.mjs');
await import('./relay-logs.test.mjs');
