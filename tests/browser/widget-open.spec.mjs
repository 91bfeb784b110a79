// How the panel starts and who opens it, as a shop configures it: the demo shop on the real SDK
// with create({ open }), its own "Chat with us" button calling desk.open(), and the visitor's
// launcher. No socket opens while nobody has decided.
import { test, expect } from '@playwright/test';
import { startRelay } from './desk-helpers.mjs';
import { part, texts, acceptFirstLayer } from './widget-ui-helpers.mjs';

const en = texts('en');
let relay;
test.beforeAll(async () => {
  relay = await startRelay();
});
test.afterAll(async () => {
  await relay?.close();
});

async function openShop(page, { open, storage }) {
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  const query = new URLSearchParams({ relay: relay.url, locale: 'en', storage, ...(open ? { open } : {}) });
  await page.goto(`/demo/shop/?${query}`);
  await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  return { sockets };
}
const storageName = () => `widget-open-${Math.random().toString(36).slice(2)}`;
const panelOpen = async (page) => {
  const expanded = await part(page, 'launcher').getAttribute('aria-expanded');
  const visible = await part(page, 'panel').isVisible();
  expect(visible, 'the launcher says what the panel shows').toBe(expanded === 'true');
  return visible;
};

test("'auto': open for the first layer on a first visit, behind the launcher once the visitor decided", async ({ page }) => {
  const storage = storageName();
  await openShop(page, { storage });
  expect(await panelOpen(page)).toBe(true);
  await expect(page.locator('sealdesk-widget h2')).toHaveText(en['layer1.title']);
  await acceptFirstLayer(page);
  await page.reload();
  await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await page.waitForTimeout(300); // the widget read the stored decision
  expect(await panelOpen(page)).toBe(false);
  // The visitor comes back to the chat by the launcher, not to the first layer again.
  await part(page, 'launcher').click();
  expect(await panelOpen(page)).toBe(true);
  await expect(page.locator('sealdesk-widget #sd-input')).toBeVisible();
});

test("'closed': nothing in the way on a first visit; the shop's button and desk.open()/close()/toggle() drive the panel", async ({ page }) => {
  const shop = await openShop(page, { open: 'closed', storage: storageName() });
  await page.waitForTimeout(500);
  expect(await panelOpen(page)).toBe(false);
  expect(shop.sockets).toEqual([]);
  // The page's focus stays where the visitor is.
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);

  await page.getByRole('button', { name: 'Chat with us' }).click();
  expect(await panelOpen(page)).toBe(true);
  await expect(page.locator('sealdesk-widget h2')).toHaveText(en['layer1.title']); // the first layer asks first
  expect(await page.evaluate(() => window.desk.open())).toBe(true); // already open: stays open
  expect(await page.evaluate(() => window.desk.close())).toBe(false);
  expect(await panelOpen(page)).toBe(false);
  expect(await page.evaluate(() => window.desk.close())).toBe(false);
  expect(await page.evaluate(() => window.desk.toggle())).toBe(true);
  expect(await panelOpen(page)).toBe(true);
  expect(await page.evaluate(() => window.desk.toggle())).toBe(false);
  expect(shop.sockets, 'opening the panel is no decision').toEqual([]);

  // Escape from inside the panel returns focus to the launcher.
  await part(page, 'launcher').click();
  await page.keyboard.press('Escape');
  expect(await panelOpen(page)).toBe(false);
  expect(await page.locator('sealdesk-widget').evaluate((w) => w.shadowRoot.activeElement?.getAttribute('part'))).toBe('launcher');
});

test("'open': a returning visitor finds the chat open; a wrong value and a headless desk are typed errors", async ({ page }) => {
  const storage = storageName();
  await openShop(page, { storage });
  await acceptFirstLayer(page);
  await openShop(page, { open: 'open', storage });
  await page.waitForTimeout(300);
  expect(await panelOpen(page)).toBe(true);
  await expect(page.locator('sealdesk-widget #sd-input')).toBeVisible();

  const errors = await page.evaluate(async () => {
    const { SealDesk } = await import('/js/sealdesk.js');
    const site = await (await fetch('/tests/fixtures/site.json')).json();
    const anonymous = { role: 'customer', relayUrl: 'ws://localhost:1', agentKey: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', storageName: `h-${Math.random()}` };
    // The default policy names no controller: a site that configures none gets a clear error
    // and no widget (no visitor sees a notice that does not say who holds their data).
    const box = document.createElement('div');
    document.body.append(box);
    const noController = await SealDesk.create({ ...anonymous, container: box }).catch((e) => ({ code: e.code, message: e.message, missing: e.details?.missing }));
    const noPolicyUrl = await SealDesk.create({ ...anonymous, controller: site.controller }).catch((e) => ({ code: e.code, missing: e.details?.missing }));
    const badController = await SealDesk.create({ ...anonymous, controller: { name: 'Shop' }, privacyPolicyUrl: site.policy_url }).catch((e) => ({ code: e.code, message: e.message }));
    const mounted = box.childElementCount;
    const base = { ...anonymous, controller: site.controller, privacyPolicyUrl: site.policy_url };
    const wrong = await SealDesk.create({ ...base, open: 'yes' }).catch((e) => ({ code: e.code, message: e.message }));
    const headless = await SealDesk.create(base);
    const noWidget = await headless.open().catch((e) => ({ code: e.code, message: e.message }));
    await headless.destroy();
    return { wrong, noWidget, noController, noPolicyUrl, badController, mounted };
  });
  expect(errors.noController.code).toBe('CONTROLLER_REQUIRED');
  expect(errors.noController.missing).toEqual(['controller', 'privacyPolicyUrl']);
  expect(errors.noController.message).toContain('controller: { name');
  expect(errors.noPolicyUrl).toEqual({ code: 'CONTROLLER_REQUIRED', missing: ['privacyPolicyUrl'] });
  expect(errors.badController.code).toBe('POLICY_INVALID'); // the core names the missing field
  expect(errors.badController.message).toContain('/controller/');
  expect(errors.mounted).toBe(0);
  expect(errors.wrong).toEqual({ code: 'INVALID_ARGUMENT', message: "open must be 'auto', 'closed' or 'open'" });
  expect(errors.noWidget.code).toBe('NOT_FOUND');
});
