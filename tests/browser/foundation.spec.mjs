import { test, expect } from '@playwright/test';
import { watchCsp } from './csp.mjs';

test('the core loads under the strict CSP and runs the first slice on the page and in a worker', async ({ page }) => {
  const violations = await watchCsp(page);
  const response = await page.goto('/tests/browser/fixtures/core.html');
  expect(response.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  await expect(page.locator('#state')).toHaveText('done');
  const result = await page.evaluate(() => window.__result);
  expect(result.error).toBeUndefined();
  for (const run of [result.main, result.inWorker]) {
    expect(run.versions.sodium).toBe('1.0.18');
    expect(run.versions.opus).toMatch(/^libopus 1\.3/);
    expect(run.opened).toBe('canary-7f3a 手机 13812345678');
    expect(run.tamperCode).toBe('AUTH_FAILED');
    expect(run.packetBytes).toBeGreaterThan(2);
    expect(run.decodedSamples).toBe(960);
  }
  expect(await violations()).toEqual([]);
});

test('the .wasm is served as application/wasm and locateFile can move it to another path (a CDN)', async ({ page }) => {
  const wasmRequests = [];
  page.on('response', (r) => {
    if (r.url().endsWith('.wasm')) wasmRequests.push({ url: new URL(r.url()).pathname, type: r.headers()['content-type'] });
  });
  const violations = await watchCsp(page);
  await page.goto('/tests/browser/fixtures/core.html?cdn');
  await expect(page.locator('#state')).toHaveText('done');
  const result = await page.evaluate(() => window.__result);
  expect(result.error).toBeUndefined();
  expect(result.located).toContain('sealdesk-core.wasm');
  expect(wasmRequests).toContainEqual({ url: '/cdn/sealdesk-core.wasm', type: 'application/wasm' });
  expect(await violations()).toEqual([]);
});

test('negative control: eval is blocked and the violation is observed', async ({ page }) => {
  const violations = await watchCsp(page);
  await page.goto('/tests/browser/fixtures/csp-probe.html');
  await expect.poll(() => page.evaluate(() => window.__evalResult)).toBe('EvalError');
  const seen = await violations();
  expect(seen.length).toBeGreaterThan(0);
  expect(seen[0].directive).toContain('script-src');
});

test('the server refuses paths outside the served folders', async ({ request }) => {
  for (const path of ['/build/native/CMakeCache.txt', '/.git/config', '/js/../.git/config', '/%2e%2e/etc/passwd']) {
    expect((await request.get(path)).status(), path).toBe(404);
  }
});
