// <sealdesk-widget> on the real SDK: the demo shop mounts it through SealDesk.create (the core in
// the desk worker), the agent console answers through a real relay. The customer only uses the
// widget: consent by its first layer, chat by its composer, withdrawal by its dashboard.
import { test, expect } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { startRelay, recordFrames } from './desk-helpers.mjs';
import { watchCsp } from './csp.mjs';
import { part, texts, screenshot, currentView, openAgent, acceptFirstLayer } from './widget-ui-helpers.mjs';

const en = texts('en');
const zh = texts('zh-CN');
const storage = () => `widget-ui-${Math.random().toString(36).slice(2)}`;

async function openShop(page, relay, locale = 'en') {
  const violations = await watchCsp(page);
  const frames = recordFrames(page);
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto(`/demo/shop/?relay=${relay.url}&locale=${locale}&storage=${storage()}`);
  await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  return { violations, frames, sockets };
}


test.describe('the widget on the real desk', () => {
  let relay;
  test.beforeEach(async () => {
    relay = await startRelay();
  });
  test.afterEach(async () => {
    await relay?.close();
  });

  test('consent, masked chat both ways, delivery, safety code and a withdrawal, all through the widget', async ({ page, context }) => {
    test.setTimeout(120_000);
    const agent = await openAgent(context, relay);
    const shop = await openShop(page, relay);
    const w = page.locator('sealdesk-widget');

    // The first layer is up; no socket before the decision.
    await expect(w.locator('h2')).toHaveText(en['layer1.title']);
    await page.waitForTimeout(500);
    expect(shop.sockets).toEqual([]);

    await acceptFirstLayer(page);
    expect((await page.evaluate(() => window.desk.consent.state())).purposes).toMatchObject({ routing: 'granted', chat: 'granted', voice: 'unset' });

    // The agent accepts; both show the same safety code.
    await agent.page.getByRole('button', { name: /^Accept customer/ }).first().click();
    await expect(agent.page.locator('#safety-code')).toHaveText(/^\d{5} \d{5} \d{5}/, { timeout: 15_000 });
    const code = await agent.page.locator('#safety-code').textContent();
    await expect(part(page, 'safety-code').locator('[part~=code]')).toHaveText(code, { timeout: 15_000 });
    await expect(part(page, 'connection')).toHaveAttribute('data-state', 'active');

    // The customer types: the preview masks; send; the agent sees only the masked numbers.
    const canary = `canary-${Math.random().toString(36).slice(2, 10)}`;
    await w.locator('#sd-input').fill(`Call me at 13912345678 please ${canary}`);
    await expect(part(page, 'preview').locator('mark')).toHaveText('139****5678');
    await w.locator('#sd-input').press('Enter');
    const own = part(page, 'message-own');
    await expect(own).toContainText(`Call me at 139****5678 please ${canary}`);
    await expect(own.locator('[part~=delivery]')).toHaveAttribute('data-state', 'delivered', { timeout: 15_000 });
    const line = agent.page.locator('#log li[data-from="customer"]').last();
    await expect(line).toContainText(canary);
    await expect(line).not.toContainText('13912345678');
    for (const f of shop.frames) expect(f.payload.includes(Buffer.from(canary)), 'canary in a frame').toBe(false);

    // The agent types and answers; the widget shows both, the answer as text.
    await agent.page.locator('#reply').pressSequentially('<b>Hello</b> from the agent', { delay: 10 });
    await agent.page.keyboard.press('Enter');
    await expect(part(page, 'message-agent')).toHaveText(`${en['chat.agent']}: <b>Hello</b> from the agent`, { timeout: 15_000 });
    await expect(part(page, 'message-agent').locator('b')).toHaveCount(0);
    await w.locator('#sd-input').fill('My card is 4111 1111 1111 1111, order #2291');
    await expect(part(page, 'preview').locator('mark')).toHaveCount(1);
    await screenshot(page, 'shop-en-chat');
    // Too long for one message: refused inline with its code, the text kept, nothing sent.
    const long = 'x'.repeat(16 * 1024 + 1);
    const ownBefore = await part(page, 'message-own').count();
    await w.locator('#sd-input').fill(long);
    await w.locator('#sd-input').press('Enter');
    await expect(part(page, 'error')).toHaveText(en['chat.send_failed'].replace('{code}', 'TOO_LARGE'));
    await expect(w.locator('#sd-input')).toHaveValue(long);
    await expect(part(page, 'message-own')).toHaveCount(ownBefore);
    await w.locator('#sd-input').fill('');

    // axe on the widget in the real page, chat view.
    const a11y = await new AxeBuilder({ page }).include('sealdesk-widget').analyze();
    expect(a11y.violations.map((v) => v.id)).toEqual([]);

    // Withdraw chat from the dashboard: the next send is refused inline and nothing leaves.
    await part(page, 'tab-dashboard').click();
    await expect.poll(() => currentView(page)).toBe('dashboard');
    // What this browser keeps (the sealed transcript), and "delete now".
    const kept = w.locator('[part~=kept] li[data-key="k-chat"]');
    await expect(kept).toContainText(en['purposes.chat.title']);
    await expect(kept).toContainText(/\d+ records \(\d+(\.\d)? (byte|kB)/);
    await kept.locator('[part~=delete-now]').click();
    await expect(w.locator('[part~=dashboard]')).toContainText(en['dashboard.local_none']);
    expect((await page.evaluate(() => window.desk.data.local())).filter((k) => k.purpose === 'chat' && k.records > 0)).toEqual([]);
    await expect(w.locator('[role=status]')).toHaveText(`Deleted now: ${en['purposes.chat.title']}`);
    await w.locator('li[data-key="d-chat"] [part~=revoke]').click();
    await expect(w.locator('li[data-key="d-chat"] [part~=state]')).toHaveText(en['dashboard.state_denied']);
    await expect(part(page, 'categories')).toContainText(en['categories.chat_messages']);
    await part(page, 'tab-chat').click();
    // Data frames only (acks and pings are text), after the withdrawal's own sealed consent update went out.
    const dataSent = () => shop.frames.filter((f) => f.direction === 'sent' && f.binary).length;
    await page.waitForTimeout(500);
    const sentBefore = dataSent();
    await w.locator('#sd-input').fill('are you still there?');
    await w.locator('#sd-input').press('Enter');
    await expect(part(page, 'error')).toContainText(en['chat.consent_required']);
    await screenshot(page, 'shop-en-chat-refused');
    await page.waitForTimeout(500);
    expect(dataSent()).toBe(sentBefore);
    await expect(part(page, 'message-own')).toHaveCount(0); // deleted now with the kept transcript; the refused one never shown

    expect(await shop.violations()).toEqual([]);
    expect(await agent.violations()).toEqual([]);
  });

  test('zh-CN on the real desk: the widget speaks Chinese end to end; screenshots of the demo shop', async ({ page }) => {
    test.setTimeout(90_000);
    const shop = await openShop(page, relay, 'zh-CN');
    const w = page.locator('sealdesk-widget');
    await expect(w).toHaveAttribute('lang', 'zh-CN');
    await expect(w.locator('h2')).toHaveText(zh['layer1.title']);
    await screenshot(page, 'shop-zh-CN-consent-layer1');
    await acceptFirstLayer(page, 35);
    await expect(w.locator('h2')).toHaveText(zh['chat.title']);
    await w.locator('#sd-input').fill('我的手机号是13912345678，订单什么时候到？');
    await expect(part(page, 'preview').locator('mark')).toHaveText('139****5678');
    await expect(part(page, 'preview')).toContainText(zh['chat.preview_masked'].replace('{count}', '1'));
    await screenshot(page, 'shop-zh-CN-chat-pii-preview');
    await w.locator('#sd-input').press('Enter');
    await expect(part(page, 'message-own')).toContainText('我的手机号是139****5678');
    await expect(part(page, 'message-own').locator('[part~=delivery]')).toHaveText(zh['chat.delivery_queued']); // no agent yet
    await part(page, 'tab-dashboard').click();
    await expect.poll(() => currentView(page)).toBe('dashboard');
    await expect(w.locator('li[data-key="d-chat"] [part~=state]')).toHaveText(zh['dashboard.state_granted']);
    await expect(w.locator('li[data-key="d-chat"]')).toContainText('30天');
    expect(await shop.violations()).toEqual([]);
  });
});
