import { test, expect } from '@playwright/test';
import { watchCsp } from './csp.mjs';

test.describe('voice notes from the microphone', () => {
  test.beforeEach(async ({ page }) => {
    page.violations = await watchCsp(page);
    await page.goto('/tests/browser/fixtures/voice-note.html');
    await expect(page.locator('#state')).toHaveText('ready');
  });

  test('records through the AudioWorklet into an Ogg Opus note that decodes, plays and seeks', async ({ page }) => {
    const r = await page.evaluate(() => window.run(1500));
    expect(r.magic).toBe('OggS');
    expect(r.durationMs).toBeGreaterThan(1200);
    expect(r.durationMs).toBeLessThan(2600); // timers under load overshoot; the exact length is checked below
    expect(Math.abs(r.decodedMs - r.durationMs)).toBeLessThanOrEqual(1);
    expect(r.levels).toBeGreaterThan(20); // the meter updates about every 20 ms
    expect(r.maxLevel).toBeGreaterThan(0.01); // Chromium's fake microphone beeps
    expect(r.position).toBeGreaterThan(0);
    expect(r.afterSeek).toBeGreaterThanOrEqual(r.decodedMs / 2 - 1);
    expect(await page.violations()).toEqual([]);
  });

  test('stops by itself at the maximum length', async ({ page }) => {
    const r = await page.evaluate(() => window.run(1500, { maxDurationMs: 500 }));
    expect(r.limited).toBe(true);
    expect(r.durationMs).toBe(500);
    expect(r.decodedMs).toBe(500);
  });

  test('cancel before send keeps nothing', async ({ page }) => {
    const r = await page.evaluate(() => window.run(300, { cancel: true }));
    expect(r.cancelled).toBe(true);
    expect(r.state).toBe('cancelled');
  });
});
