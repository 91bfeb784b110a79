// Retention in the browser (issue #9): the local transcript is sealed at rest, survives a reload,
// and is unreadable and removed when the purpose's retention ends or consent is revoked. The test
// scans every IndexedDB database and localStorage for the plaintext canary.
import { test, expect } from '@playwright/test';
import { startRelay, scanStorage } from './desk-helpers.mjs';

test.describe('local data lifecycle', () => {
  let relay;
  test.beforeEach(async () => {
    relay = await startRelay();
  });
  test.afterEach(async () => relay?.close());

  test('sealed at rest, restored after a reload, deleted when the retention ends', async ({ page }) => {
    const url = `/tests/browser/fixtures/desk.html?relay=${relay.url}&storage=retention-${Date.now()}&retention=PT4S`;
    await page.goto(url);
    await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    const canary = `canary-${Math.random().toString(36).slice(2, 10)}-quince`;
    await page.evaluate(async (c) => {
      await window.desk.consent.grant(['chat']);
      await window.desk.chat.send(`keep this ${c}`);
    }, canary);
    await expect.poll(() => page.evaluate(() => window.desk.data.local())).toMatchObject([{ purpose: 'chat', records: 1 }]);
    const [held] = await page.evaluate(() => window.desk.data.local());
    expect(held.deleteAt - Date.now()).toBeLessThanOrEqual(4000);
    expect(await scanStorage(page, canary)).toEqual([]);

    // Reload: the conversation comes back from the sealed transcript.
    await page.reload();
    await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    const restored = await page.evaluate(() => new Promise((resolve) => {
      const seen = [];
      window.desk.on('message', (m) => seen.push(m));
      setTimeout(() => resolve(seen), 200);
    }));
    expect(restored.map((m) => m.text)).toEqual([`keep this ${canary}`]);
    expect(restored[0].restored).toBe(true);

    // Retention ends (4 s after the first record): gone without any call.
    await expect.poll(() => page.evaluate(() => window.desk.data.local()), { timeout: 10_000 }).toEqual([]);
    const keys = await page.evaluate(async () => {
      const db = await new Promise((r) => {
        const q = indexedDB.open(new URLSearchParams(location.search).get('storage'));
        q.onsuccess = () => r(q.result);
      });
      const all = await new Promise((r) => {
        const q = db.transaction('consent').objectStore('consent').getAllKeys();
        q.onsuccess = () => r(q.result);
      });
      return all.map(String);
    });
    expect(keys.filter((k) => k.startsWith('transcript:'))).toEqual([]);
    expect(await scanStorage(page, canary)).toEqual([]);
  });

  test('a revoke removes the kept data at once; "delete now" too', async ({ page }) => {
    await page.goto(`/tests/browser/fixtures/desk.html?relay=${relay.url}&storage=revoke-${Date.now()}`);
    await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    const canary = `canary-${Math.random().toString(36).slice(2, 10)}-medlar`;
    const after = await page.evaluate(async (c) => {
      await window.desk.consent.grant(['chat']);
      await window.desk.chat.send(`first ${c}`);
      for (let i = 0; i < 50 && !(await window.desk.data.local()).length; i++) await new Promise((r) => setTimeout(r, 20));
      const before = await window.desk.data.local();
      await window.desk.consent.revoke(['chat']);
      const revoked = await window.desk.data.local();
      await window.desk.consent.grant(['chat']);
      await window.desk.chat.send(`second ${c}`);
      for (let i = 0; i < 50 && !(await window.desk.data.local()).length; i++) await new Promise((r) => setTimeout(r, 20));
      await window.desk.data.deleteNow();
      return { before, revoked, deleted: await window.desk.data.local() };
    }, canary);
    expect(after.before).toMatchObject([{ purpose: 'chat', records: 1 }]);
    expect(after.revoked).toEqual([]);
    expect(after.deleted).toEqual([]);
    expect(await scanStorage(page, canary)).toEqual([]);
  });
});
