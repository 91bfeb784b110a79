// Shared by the benchmark modules (tests/bench/*.bench.mjs): timing with repeats, peers from npm.
// Machines here are shared and noisy, so every figure is a median over repeats with its spread,
// and comparisons are ratios against a peer measured in the same process and run.
import { createRequire } from 'node:module';

const requireFromTests = createRequire(new URL('../package.json', import.meta.url));

/** Loads an npm peer from tests/node_modules (null when it is not installed). */
export function peer(name) {
  try {
    return requireFromTests(name);
  } catch {
    return null;
  }
}

/**
 * Runs fn for `seconds` of timed work, `repeats` times; returns ops/s as
 * { median, low, high } (low/high: the slowest and fastest repeat).
 * fn may return a promise. `refill(n)` prepares inputs with the clock stopped.
 */
export async function measure(fn, { seconds = 0.5, repeats = 5, batch = 32, refill = null } = {}) {
  if (refill) refill(batch);
  for (let i = 0; i < batch; i++) await fn(i); // warm-up (JIT, caches)
  const rates = [];
  for (let r = 0; r < repeats; r++) {
    let ops = 0;
    let timed = 0;
    while (timed < seconds * 1000) {
      if (refill) refill(batch);
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) {
        const out = fn(ops + i);
        if (out instanceof Promise) await out;
      }
      timed += performance.now() - t0;
      ops += batch;
    }
    rates.push((ops * 1000) / timed);
  }
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(rates.length / 2)], low: rates[0], high: rates[rates.length - 1] };
}
