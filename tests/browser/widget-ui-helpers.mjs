// Shared steps for the widget UI specs (widget-ui*.spec.mjs): the fixture page mounts
// <sealdesk-widget> and, unless ?attach=manual, attaches the fixture desk built on the real core.
import { readFileSync, mkdirSync } from 'node:fs';
import { expect } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { watchCsp } from './csp.mjs';

const root = new URL('../../', import.meta.url);
export const PAGE = '/tests/browser/fixtures/widget-ui.html';
export const SCREENSHOTS = new URL('build/screenshots/', root).pathname;

/** The locale file's texts, flattened to dotted keys. */
export function texts(locale = 'en') {
  const out = {};
  const walk = (o, pre) => Object.entries(o).forEach(([k, v]) => (typeof v === 'string' ? (out[pre + k] = v) : walk(v, `${pre + k}.`)));
  walk(JSON.parse(readFileSync(new URL(`consent/locales/${locale}.json`, root), 'utf8')).texts, '');
  return out;
}

/** Opens the fixture page; returns the CSP violation reader and the page errors. */
export async function openWidget(page, query = '') {
  const violations = await watchCsp(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(PAGE + query);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 }); // the core loads in the page
  return { violations, errors, w: page.locator('sealdesk-widget') };
}

export const part = (page, name) => page.locator('sealdesk-widget').locator(`[part~="${name}"]`);
/** The view on screen, once rendered (and focused, when focus moves with it). */
export const currentView = (page) => page.evaluate(() => document.querySelector('sealdesk-widget')?.shadowRoot?.querySelector('.view')?.dataset.view);
export const waitView = (page, name) => expect.poll(() => currentView(page), { timeout: 15_000 }).toBe(name);
export const consentState = (page) => page.evaluate(() => window.desk.consent.state());
export const deskCalls = (page) => page.evaluate(() => window.desk._calls);

/** Answers the age question (the default policy has minor_age 14). */
export async function answerAge(page, years = 30) {
  await waitView(page, 'age');
  await page.locator('sealdesk-widget #sd-age').fill(String(years));
  await page.locator('sealdesk-widget #sd-age').press('Enter');
}

/** The demo agent console (tests/browser/e2e.spec.mjs's relay), ready; its CSP violations. */
export async function openAgent(context, relay) {
  const page = await context.newPage();
  const violations = await watchCsp(page);
  await page.goto(`/demo/agent/?relay=${relay.url}`);
  await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  return { page, violations };
}

/** The agent accepts the waiting customer; the widget's connection turns active (keys on both sides). */
export async function agentAccepts(page, agent) {
  await agent.page.getByRole('button', { name: /^Accept customer/ }).first().click();
  await expect(part(page, 'connection')).toHaveAttribute('data-state', 'active', { timeout: 15_000 });
}

/** First layer "accept" as an adult; ends in the chat view. */
export async function acceptFirstLayer(page, years = 30) {
  await part(page, 'accept').click();
  await answerAge(page, years);
  await waitView(page, 'chat');
}

/** The element focused inside the widget's shadow root (or the page's). */
export const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement === window.widget ? window.widget.shadowRoot.activeElement : document.activeElement;
    if (!el) return null;
    return { tag: el.tagName.toLowerCase(), part: el.getAttribute('part'), text: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 80), id: el.id, key: el.dataset?.key ?? null };
  });

/** Presses Tab until the focused element's accessible text, data-key or part matches; fails after 40 presses. */
export async function tabTo(page, match, { shift = false } = {}) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (f && (typeof match === 'string' ? f.text === match || f.key === match || (f.part ?? '').split(' ').includes(match) : match.test(f.text))) return f;
  }
  throw new Error(`Tab never reached ${match}`);
}

/** axe-core over the whole page (the widget's shadow DOM included): the violations, summarized. */
export async function axe(page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5), help: v.help }));
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator('sealdesk-widget').evaluate((el) => el.shadowRoot.querySelector('.view')?.scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}
