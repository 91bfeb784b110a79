// Privacy mode (issue 21) in the assembled product: the shop's widget and the agent console on a
// real relay. Switched on mid-conversation (a voice note then plays at the agent, with no
// download); at the end nothing of the conversation is left in
// the browser's storage, the widget's panel, the agent console (also after a reload) or the
// relay's store.
import { test, expect } from '@playwright/test';
import { startRelay, scanStorage } from './desk-helpers.mjs';
import { part, texts, screenshot, openAgent, acceptFirstLayer, agentAccepts } from './widget-ui-helpers.mjs';

const chatRecords = async (page) => (await page.evaluate(() => window.desk.data.local())).find((d) => d.purpose === 'chat')?.records ?? 0;

for (const locale of ['en', 'zh-CN']) {
  test(`${locale}: privacy mode switched on mid-conversation; at its end the conversation is gone everywhere`, async ({ page, context }) => {
    test.setTimeout(120_000);
    const t = texts(locale);
    const relay = await startRelay();
    try {
      const agent = await openAgent(context, relay);
      await page.goto(`/demo/shop/?relay=${relay.url}&locale=${locale}&storage=privacy-${Math.random().toString(36).slice(2)}`);
      await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
      await acceptFirstLayer(page);
      await agentAccepts(page, agent);
      const w = page.locator('sealdesk-widget');
      const before = `before-${Math.random().toString(36).slice(2, 10)}`;
      await w.locator('#sd-input').fill(`my lab results ${before}`);
      await w.locator('#sd-input').press('Enter');
      await expect(agent.page.locator('#log li[data-from="customer"]').last()).toContainText(before, { timeout: 15_000 });
      await expect.poll(() => chatRecords(page)).toBeGreaterThan(0); // kept, as without privacy mode

      // The customer switches it on: both sides show it, what was kept of it goes at once.
      await expect(part(page, 'privacy')).toBeHidden();
      await part(page, 'privacy-mode').click();
      await expect(part(page, 'privacy')).toHaveText(t['chat.privacy_on']);
      await expect(part(page, 'privacy-mode')).toBeHidden(); // one way: no "off"
      await expect(agent.page.locator('#chat-session')).toHaveAttribute('data-privacy', 'on', { timeout: 15_000 });
      await expect.poll(() => chatRecords(page)).toBe(0);
      const receipts = await page.evaluate(() => window.desk.consent.receipts());
      expect(receipts.at(-1).receipt).toMatchObject({ action: 'privacy_mode', collectionMethod: 'privacy-mode' });
      await screenshot(page, `widget-${locale}-privacy-mode`);

      const after = `after-${Math.random().toString(36).slice(2, 10)}`;
      await w.locator('#sd-input').fill(`my account balance ${after}`);
      await w.locator('#sd-input').press('Enter');
      await expect(agent.page.locator('#log li[data-from="customer"]').last()).toContainText(after, { timeout: 15_000 });
      // A voice note sent in privacy mode plays at the agent but offers no download.
      await page.evaluate(async () => {
        await window.desk.consent.grant(['voice']);
        const recording = await window.desk.voice.record();
        await new Promise((r) => setTimeout(r, 1200));
        await recording.stop();
      });
      const note = agent.page.locator('#log li[data-kind="voice-note"]');
      await expect(note).toHaveCount(1, { timeout: 15_000 });
      await expect(note.getByRole('button', { name: 'Play voice note' })).toBeVisible();
      await expect(note.locator('a[download]')).toHaveCount(0);
      await expect(note).toContainText('Privacy mode: play only');
      const session = (await page.evaluate(() => window.desk.session.info())).session;
      expect(await chatRecords(page)).toBe(0);

      // The agent ends it: the panel, the storage, the console and the relay hold nothing of it.
      await agent.page.locator('#end').click();
      await expect(part(page, 'privacy')).toHaveText(t['chat.privacy_deleted'], { timeout: 15_000 });
      await expect(part(page, 'message-own')).toHaveCount(0);
      for (const canary of [before, after]) {
        expect(await scanStorage(page, canary)).toEqual([]);
        await expect(agent.page.locator('body')).not.toContainText(canary);
      }
      expect(await chatRecords(page)).toBe(0);
      await expect.poll(async () => (await relay.store.getSession(session)) === null && (await relay.store.stats()).streams === 0).toBe(true);
      await agent.page.reload();
      await expect(agent.page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
      await agent.page.waitForTimeout(500);
      for (const canary of [before, after]) await expect(agent.page.locator('body')).not.toContainText(canary);
      await expect(agent.page.locator('#queue li')).toHaveCount(0);
    } finally {
      await relay.close();
    }
  });
}
