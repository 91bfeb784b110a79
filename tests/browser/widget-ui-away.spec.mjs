// Nobody is at the desk: the visitor on the demo shop (real SDK, real relay, no agent console
// open) is told so after the site's awayAfterMs, leaves a message with a contact and closes the
// tab. An agent who comes online later finds it in the queue and reads it; the relay and the
// wire only ever carried it sealed.
import { test, expect } from '@playwright/test';
import { startRelay, recordFrames } from './desk-helpers.mjs';
import { part, texts, screenshot, openAgent, acceptFirstLayer, axe } from './widget-ui-helpers.mjs';

const CASES = [
  { locale: 'en', message: 'Hi, my order 5521 arrived broken. Please call me on 13812345678, tangerine-heron', contact: 'jo.bloggs@example.org' },
  { locale: 'zh-CN', message: '你好，订单5521收到时破损了，请打 13812345678 联系我，橘子苍鹭', contact: '王女士 wang.li@example.cn' },
  { locale: 'zh-TW', message: '您好，訂單5521收到時破損了，請打 0912345678 聯絡我，橘子蒼鷺', contact: '陳先生 0922333444' },
];

for (const { locale, message, contact } of CASES) {
  test(`${locale}: nobody accepts, the visitor leaves a message and closes the tab; an agent who comes later reads it`, async ({ browser }) => {
    test.setTimeout(120_000);
    const t = texts(locale);
    const relay = await startRelay();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const frames = recordFrames(page);
      const storage = `away-${Math.random().toString(36).slice(2)}`;
      await page.goto(`/demo/shop/?relay=${relay.url}&locale=${locale}&storage=${storage}&away=1500`);
      await expect(page.locator('#desk-status')).toHaveText('Support widget ready.', { timeout: 30_000 });
      await acceptFirstLayer(page);
      await expect(part(page, 'connection')).toHaveAttribute('data-state', 'waiting', { timeout: 15_000 });
      const since = Date.now();
      const away = part(page, 'away');
      await expect(away).toBeVisible({ timeout: 10_000 });
      expect(Date.now() - since).toBeGreaterThan(500); // not before the site's time
      await expect(away.locator('#sd-away-title')).toHaveText(t['chat.away_title']);
      await expect(away).toContainText(t['chat.away_body']);
      expect(await axe(page)).toEqual([]);

      // The visitor types into the form, as labelled, and sends it.
      await away.getByLabel(t['chat.leave_message_label']).fill(message);
      await away.getByLabel(t['chat.leave_contact_label']).fill(contact);
      await screenshot(page, `away-form-${locale}`);
      await part(page, 'leave').click();
      await expect(part(page, 'left-done')).toHaveText(t['chat.left_done_contact'].replace('{contact}', contact));
      const own = part(page, 'message-own').last();
      await expect(own).toContainText(t['chat.left_label']);
      const phone = message.match(/09\d{8}|138\d{8}/)[0];
      await expect(own).not.toContainText(phone); // masked before it left the page
      await expect(own.locator('[part~="delivery"]')).toHaveAttribute('data-state', 'sent', { timeout: 10_000 });
      expect(await axe(page)).toEqual([]); // the thanks and the left bubble read well too
      await screenshot(page, `away-left-${locale}`);
      await page.close(); // the visitor leaves

      // Nothing of it crossed the wire in the clear.
      const canary = message.split(/[,，]/).at(-1).trim();
      for (const needle of [canary, phone, contact, '5521']) {
        for (const f of frames) expect(f.payload.includes(Buffer.from(needle)), `${needle} on the wire`).toBe(false);
      }

      // An agent comes online: the queue says a message was left; accepting shows it with the contact.
      const agent = await openAgent(context, relay);
      await expect(agent.page.locator('#queue')).toContainText('message left', { timeout: 15_000 });
      await expect(agent.page.locator('#queue')).toContainText('offline');
      await agent.page.getByRole('button', { name: /^Accept customer/ }).first().click();
      const log = agent.page.locator('#log');
      await expect(log).toContainText(`reply to: ${contact}`, { timeout: 15_000 });
      await expect(log).toContainText(canary);
      await expect(log).not.toContainText(phone);
      expect(await agent.violations()).toEqual([]);
    } finally {
      await context.close();
      await relay.close();
    }
  });
}

test('an agent accepts while the form is open: the form goes, the conversation is live', async ({ browser }) => {
  test.setTimeout(90_000);
  const t = texts('en');
  const relay = await startRelay();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`/demo/shop/?relay=${relay.url}&locale=en&storage=away-live-${Date.now()}&away=800`);
    await expect(page.locator('#desk-status')).toHaveText('Support widget ready.', { timeout: 30_000 });
    await acceptFirstLayer(page);
    const away = part(page, 'away');
    await expect(away).toBeVisible({ timeout: 10_000 });
    await away.getByLabel(t['chat.leave_message_label']).fill('half-typed question');
    const agent = await openAgent(context, relay);
    await agent.page.getByRole('button', { name: /^Accept customer/ }).first().click();
    await expect(part(page, 'connection')).toHaveAttribute('data-state', 'active', { timeout: 15_000 });
    await expect(away).toBeHidden();
    const input = page.locator('sealdesk-widget #sd-input');
    await input.fill('Is the kettle in stock?');
    await input.press('Enter');
    await expect(agent.page.locator('#log')).toContainText('Is the kettle in stock?', { timeout: 15_000 });
    await expect(agent.page.locator('#log')).not.toContainText('Left while nobody was available');
  } finally {
    await context.close();
    await relay.close();
  }
});
