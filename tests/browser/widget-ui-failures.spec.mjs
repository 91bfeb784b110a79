// What a visitor sees when support cannot be reached, as a site owner misconfigures it or a network
// fails it: the demo shop on the real SDK, a real relay (or none), the widget only. Each failure is
// a sentence in the visitor's language, and one console warning names it for the integrator.
import { test, expect } from '@playwright/test';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { startRelay } from './desk-helpers.mjs';
import { part, texts, screenshot, openAgent, acceptFirstLayer, axe } from './widget-ui-helpers.mjs';

const storage = () => `widget-fail-${Math.random().toString(36).slice(2)}`;

async function openShop(page, relayUrl, locale = 'en') {
  const warnings = [];
  page.on('console', (m) => m.type() === 'warning' && m.text().startsWith('SealDesk ') && warnings.push(m.text()));
  const sockets = [];
  page.on('websocket', (ws) => {
    const s = { url: ws.url(), sent: 0 };
    ws.on('framesent', () => s.sent++);
    sockets.push(s);
  });
  await page.goto(`/demo/shop/?relay=${relayUrl}&locale=${locale}&storage=${storage()}`);
  await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  return { warnings, sockets };
}

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Types into the composer and sends with Enter, as a visitor does. */
async function type(page, text) {
  const input = page.locator('sealdesk-widget #sd-input');
  await input.fill(text);
  await input.press('Enter');
}

for (const locale of ['en', 'zh-CN']) {
  test(`${locale}: a relay set up for another website says so, stops, and warns the integrator once`, async ({ page }) => {
    test.setTimeout(90_000);
    const t = texts(locale);
    const relay = await startRelay({ allowedOrigins: ['https://shop.example'], allowMissingOrigin: false });
    try {
      const shop = await openShop(page, relay.url, locale);
      await acceptFirstLayer(page);
      const problem = part(page, 'problem');
      await expect(problem).toHaveText(t['chat.problem_ORIGIN_REFUSED'], { timeout: 15_000 });
      await expect(problem).toHaveAttribute('role', 'alert');
      await expect(problem).toHaveAttribute('data-code', 'ORIGIN_REFUSED');
      // Not "Connecting… · reconnecting…" forever: the page tried once and gave up.
      await page.waitForTimeout(2_500);
      expect(shop.sockets.length).toBe(1);

      // A message typed now is refused on the page, the text kept; nothing more reaches the relay.
      const sentBefore = shop.sockets[0].sent; // the hello the relay answered with 4403
      await type(page, 'Where is my order 2291?');
      await expect(part(page, 'error')).toContainText('ORIGIN_REFUSED');
      await expect(page.locator('sealdesk-widget #sd-input')).toHaveValue('Where is my order 2291?');
      await page.waitForTimeout(500);
      expect(shop.sockets.map((s) => s.sent)).toEqual([sentBefore]);

      expect(shop.warnings).toHaveLength(1);
      expect(shop.warnings[0]).toMatch(/^SealDesk ORIGIN_REFUSED: .*http:\/\/localhost:\d+.*RELAY_ORIGINS/);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, `failure-origin-refused-${locale}`);
    } finally {
      await relay.close();
    }
  });
}

test('relay down: a countdown to the next try, the message waits, and it is delivered once the relay is back', async ({ page, context }) => {
  test.setTimeout(120_000);
  const t = texts('en');
  const port = await freePort();
  const url = `ws://localhost:${port}`;
  const shop = await openShop(page, url);
  await acceptFirstLayer(page);
  const problem = part(page, 'problem');
  await expect(problem).toHaveAttribute('data-code', 'RELAY_UNREACHABLE', { timeout: 15_000 });
  await expect(problem).toHaveAttribute('role', 'status'); // not stopped: it will go on by itself
  const [before, after] = t['chat.problem_RELAY_UNREACHABLE'].split('{seconds}');
  const shown = await problem.textContent();
  expect(shown.startsWith(before) && shown.endsWith(after)).toBe(true);
  expect(Number(shown.slice(before.length, shown.length - after.length))).toBeGreaterThanOrEqual(0);

  await type(page, 'Hello, is anyone there?');
  const own = part(page, 'message-own').last();
  await expect(own).toContainText('Hello, is anyone there?');
  await expect(own.locator('[part~=delivery]')).toHaveAttribute('data-state', 'queued');
  await screenshot(page, 'failure-relay-unreachable-en');

  const relay = await startRelay({ port });
  try {
    const agent = await openAgent(context, relay);
    await agent.page.getByRole('button', { name: /^Accept customer/ }).first().click({ timeout: 60_000 });
    await expect(own.locator('[part~=delivery]')).toHaveAttribute('data-state', 'delivered', { timeout: 30_000 });
    await expect(agent.page.locator('#log li[data-from="customer"]').last()).toContainText('Hello, is anyone there?');
    await expect(problem).toBeHidden();
    expect(shop.warnings.filter((w) => w.startsWith('SealDesk RELAY_UNREACHABLE'))).toHaveLength(1);
  } finally {
    await relay.close();
  }
});

test('an agent whose key is not the one the page pins: the chat stops before a word is sent', async ({ page, context }) => {
  test.setTimeout(120_000);
  const t = texts('en');
  const relay = await startRelay();
  try {
    // The site owner pasted another desk's key into the widget's agentKey.
    const otherKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x;
    await page.route('**/demo/config.json', async (route) => {
      const response = await route.fetch();
      route.fulfill({ response, json: { ...(await response.json()), agentKey: otherKey } });
    });
    const agent = await openAgent(context, relay);
    const shop = await openShop(page, relay.url);
    await acceptFirstLayer(page);
    const canary = `canary-${Math.random().toString(36).slice(2, 10)}`;
    await type(page, `My order is late ${canary}`);
    const own = part(page, 'message-own').last();
    await expect(own.locator('[part~=delivery]')).toHaveAttribute('data-state', 'queued');

    await agent.page.getByRole('button', { name: /^Accept customer/ }).first().click();
    const problem = part(page, 'problem');
    await expect(problem).toHaveText(t['chat.problem_AGENT_KEY_MISMATCH'], { timeout: 15_000 });
    await expect(problem).toHaveAttribute('role', 'alert');
    await expect(own.locator('[part~=delivery]')).toHaveAttribute('data-state', 'undelivered');
    // Not "Agent connected · online": the connection line does not claim a working chat.
    await expect(part(page, 'connection')).not.toHaveAttribute('data-state', 'active');
    await page.waitForTimeout(1_000);
    await expect(agent.page.locator('#log')).not.toContainText(canary);
    expect(shop.warnings.filter((w) => w.startsWith('SealDesk AGENT_KEY_MISMATCH'))).toHaveLength(1);
    await screenshot(page, 'failure-agent-key-mismatch-en');
  } finally {
    await relay.close();
  }
});

test('a consent store edited on the device is set aside: the widget starts on the same load and asks again, saying why', async ({ page }) => {
  test.setTimeout(90_000);
  const t = texts('en');
  const relay = await startRelay();
  try {
    const name = storage();
    await page.goto(`/demo/shop/?relay=${relay.url}&locale=en&storage=${name}`);
    await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await acceptFirstLayer(page);
    expect((await page.evaluate(() => window.desk.consent.state())).purposes.chat).toBe('granted');

    // Another script on the site (or a stale copy) edits a signed receipt in IndexedDB.
    const edited = await page.evaluate((db) => new Promise((resolve, reject) => {
      const open = indexedDB.open(db);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const store = open.result.transaction('consent', 'readwrite').objectStore('consent');
        const get = store.get('store');
        get.onsuccess = () => {
          const text = typeof get.result === 'string' ? get.result : new TextDecoder().decode(get.result);
          const changed = text.replace('"denied"', '"granted"') !== text ? text.replace('"denied"', '"granted"') : text.replace('"granted"', '"denied"');
          store.put(typeof get.result === 'string' ? changed : new TextEncoder().encode(changed), 'store').onsuccess = () => resolve(changed !== text);
        };
      };
    }), name);
    expect(edited).toBe(true);

    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const failed = [];
    page.on('pageerror', (e) => failed.push(String(e)));
    await page.reload();
    await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    const notice = part(page, 'consent-reset');
    await expect(notice).toHaveText(t['layer1.reset']);
    await expect(notice).toHaveAttribute('role', 'alert');
    await expect(part(page, 'panel')).toBeVisible();
    const after = await page.evaluate(async () => ({ reset: window.desk.consentReset, chat: (await window.desk.consent.state()).purposes.chat }));
    expect(['LEDGER_TAMPERED', 'SIGNATURE_INVALID']).toContain(after.reset.code);
    expect(after.chat).toBe('unset'); // nothing of the edited store is trusted
    expect(sockets).toEqual([]);
    expect(failed).toEqual([]);
    await screenshot(page, 'failure-consent-reset-en');

    // The visitor decides again; the chat works, and the next load is an ordinary one.
    await acceptFirstLayer(page);
    await expect(notice).toHaveCount(0);
    await page.reload();
    await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    expect(await page.evaluate(async () => ({ reset: window.desk.consentReset, chat: (await window.desk.consent.state()).purposes.chat }))).toEqual({ reset: null, chat: 'granted' });
  } finally {
    await relay.close();
  }
});

test('the agent console names its own failures: a wrong token, and a relay that is down then back', async ({ page }) => {
  test.setTimeout(90_000);
  const warnings = [];
  page.on('console', (m) => m.type() === 'warning' && m.text().startsWith('SealDesk ') && warnings.push(m.text()));
  const relay = await startRelay();
  try {
    await page.goto(`/demo/agent/?relay=${relay.url}&token=not-the-token`);
    const status = page.locator('#desk-status');
    await expect(status).toHaveAttribute('data-problem', 'RELAY_REFUSED', { timeout: 30_000 });
    await expect(status).toHaveText(/refused this console's agent token/);
  } finally {
    await relay.close();
  }
  // Relay down: the console starts, counts down to the next try, and connects once the relay is up.
  const port = await freePort();
  await page.goto(`/demo/agent/?relay=ws://localhost:${port}`);
  const status = page.locator('#desk-status');
  await expect(status).toHaveAttribute('data-problem', 'RELAY_UNREACHABLE', { timeout: 30_000 });
  await expect(status).toHaveText(/Cannot reach the relay\. Next try in \d+ s/);
  expect(warnings.some((w) => w.startsWith('SealDesk RELAY_UNREACHABLE: '))).toBe(true);
  const back = await startRelay({ port });
  try {
    await expect(status).toHaveText('Connected. Waiting customers appear below.', { timeout: 30_000 });
    await expect(status).toHaveAttribute('data-problem', '');
  } finally {
    await back.close();
  }
});
