// Shared by the call specs: two pages of one Chromium context in a call (fixtures/call.html),
// keys made here and handed to each page's key source.
import { expect } from '@playwright/test';
import crypto from 'node:crypto';
import { watchCsp } from './csp.mjs';

// Key ids as the session lays them out (PROTOCOL.md §5.3): epoch 1, purpose index, direction
// (customer→agent 0, agent→customer 1), track 0, generation 0.
export const PURPOSE_INDEX = { camera: 0, voice: 1 };
const keyId = (purpose, direction) => String((1 << 24) | (PURPOSE_INDEX[purpose] << 16) | (direction << 15));
export const randomKey = () => crypto.randomBytes(32).toString('hex');
export const newKeys = () => ({
  camera: { customer: randomKey(), agent: randomKey() },
  voice: { customer: randomKey(), agent: randomKey() },
});

// One side's frame keys: its own sender keys and the peer's.
export function keysFor(role, table) {
  const own = role === 'customer' ? 0 : 1;
  const peer = role === 'customer' ? 'agent' : 'customer';
  return Object.keys(PURPOSE_INDEX).flatMap((purpose) => [
    { purpose, direction: 'send', keyId: keyId(purpose, own), baseKey: table[purpose][role] },
    { purpose, direction: 'receive', keyId: keyId(purpose, 1 - own), baseKey: table[purpose][peer] },
  ]);
}

// Two pages of one context; the agent's page is opened last, so it is the one in front (Chromium
// renders a page behind at about one frame a second: bring it to front before counting its frames).
export async function openPair(context) {
  const channel = `call-${crypto.randomUUID()}`;
  const pages = {};
  for (const role of ['customer', 'agent']) {
    const page = await context.newPage();
    page.violations = await watchCsp(page);
    await page.goto(`/tests/browser/fixtures/call.html?channel=${channel}`);
    await expect(page.locator('#state')).toHaveText('ready');
    pages[role] = page;
  }
  return pages;
}

export async function startCall(pages, { customer = {}, agent = {}, keys = newKeys() } = {}) {
  const options = { customer, agent };
  return Promise.all(
    ['customer', 'agent'].map((role) => {
      const { keys: own = keys, ...rest } = options[role];
      return pages[role].evaluate((o) => window.startCall(o), { role, keys: keysFor(role, own), ...rest });
    }),
  );
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const rendered = (page) => page.evaluate(() => ({ ...window.rendered }));
export const stats = (page) => page.evaluate(() => window.call.stats());
export const state = (page) => page.evaluate(() => window.call.state);
export const waitRendered = (page, count, timeout = 20_000) =>
  page.waitForFunction((n) => window.rendered.count >= n, count, { timeout, polling: 100 });
// Polls the transform worker's counters until predicate(stats) holds.
export async function waitStats(page, predicate, timeout = 20_000) {
  const until = Date.now() + timeout;
  for (;;) {
    const s = await stats(page);
    if (predicate(s)) return s;
    if (Date.now() > until) throw new Error(`timed out waiting for ${predicate}: ${JSON.stringify(s.transforms, (k, v) => (k === 'audit' ? undefined : v))}`);
    await sleep(200);
  }
}

// Zero CSP violations, in the pages and in their transform workers.
export async function expectNoCspViolations(pages) {
  for (const page of pages) {
    if (page.violations) expect(await page.violations()).toEqual([]);
    const s = await page.evaluate(() => window.call?.stats());
    if (s && !s.ended) expect(s.cspViolations).toEqual([]);
  }
}

// A healthy transform: every frame sealed or opened, except duplicates. Chromium sometimes hands
// the receiver transform a frame a second time (seen with RTX on a loaded machine; none without
// RTX): the core refuses the copy as REPLAYED and it is dropped, which is replay protection at work.
export function expectHealthy(counters, slot) {
  const label = `${slot} ${JSON.stringify(counters.failures)} ${JSON.stringify(counters.firstFailures)}`;
  expect(counters.forwarded, label).toBeGreaterThan(10);
  expect(Object.keys(counters.failures).filter((code) => code !== 'REPLAYED'), label).toEqual([]);
  expect(counters.failed, label).toBeLessThanOrEqual(counters.forwarded / 5);
}
