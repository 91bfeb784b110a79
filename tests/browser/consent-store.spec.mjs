import { test, expect } from '@playwright/test';
import { watchCsp } from './csp.mjs';

for (const backend of ['indexeddb', 'localstorage']) {
  test(`consent survives a reload and a tampered store is rejected, kept aside and reported (${backend})`, async ({ page }) => {
    const violations = await watchCsp(page);
    const url = `/tests/browser/fixtures/consent-store.html?backend=${backend}`;
    const step = async (action) => {
      await page.goto(url);
      await expect(page.locator('#state')).toHaveText('ready');
      return page.evaluate((a) => window.step(a), action);
    };
    await step('reset');
    const first = await step('grant-chat');
    expect(first.kind).toBe(backend);
    expect(first.restored).toBe(false);
    expect(first.chat).toBe('granted');

    const again = await step('read');
    expect(again.restored).toBe(true);
    expect(again.chat).toBe('granted');
    expect(again.receipts).toBe(first.receipts);

    await step('tamper');
    const after = await step('read');
    expect(after.restored).toBe(false);
    expect(after.errors.length).toBe(1);
    expect(['LEDGER_TAMPERED', 'SIGNATURE_INVALID']).toContain(after.errors[0]);
    expect(after.chat).toBe('unset');
    expect(after.quarantined).toBe(1);
    expect(await violations()).toEqual([]);
  });
}
