// The async loader: calls queued before the SDK loads are kept and run in order; an 'on'
// subscribed before the desk existed still sees the state (replayed); bad commands fail loudly.
import { test, expect } from '@playwright/test';
import { watchCsp } from './csp.mjs';

test('queued commands run once the SDK loads; late subscribers get the latest state', async ({ page }) => {
  const violations = await watchCsp(page);
  await page.goto('/tests/browser/fixtures/loader.html?relay=ws://localhost:1');
  await expect.poll(() => page.evaluate(() => window.__seen.grant)).toBe('granted');
  const seen = await page.evaluate(() => window.__seen);
  expect(seen.consent).toContain('granted');
  expect(seen.errors).toEqual(['NOT_FOUND']);
  expect(seen.open).toBe(true); // queued 'open' ran once the widget was there, though created with open: 'closed'
  await expect(page.locator('sealdesk-widget').locator('[part~=panel]')).toBeVisible();
  // After load, calls run at once and return promises; on() returns an unsubscribe function.
  const now = await page.evaluate(async () => {
    const late = [];
    const off = await window.sealdesk('on', 'consent', (e) => late.push(e.state.purposes.chat));
    await new Promise((r) => setTimeout(r, 50));
    const replayed = [...late];
    off();
    await window.sealdesk('consent.revoke', ['chat']);
    return { replayed, afterOff: late.length, loaded: window.sealdesk.loaded, state: (await window.sealdesk('consent.state')).purposes.chat };
  });
  expect(now).toEqual({ replayed: ['granted'], afterOff: 1, loaded: true, state: 'denied' });
  expect(await violations()).toEqual([]);
});
