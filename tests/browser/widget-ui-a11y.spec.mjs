// <sealdesk-widget>, accessibility: axe-core (the widget's shadow DOM included) reports zero
// violations on every layer, prompt, the chat panel and the dashboard, in en and zh-CN; the whole
// path from the first layer to a withdrawal in the dashboard works by keyboard alone; and the
// screenshots for the README are written to build/screenshots/.
import { test, expect } from '@playwright/test';
import { openWidget, part, waitView, acceptFirstLayer, axe, tabTo, focused, screenshot, texts } from './widget-ui-helpers.mjs';

const en = texts('en');

async function fillChat(page) {
  await page.locator('sealdesk-widget #sd-input').fill('Hello! I have a question about my order.');
  await page.locator('sealdesk-widget #sd-input').press('Enter');
  await page.evaluate(() => window.desk._agentSays('Hi, this is Lin from Lotus Tea. How can I help you today?'));
  await page.locator('sealdesk-widget #sd-input').fill('My phone is 13912345678 and my ID is 11010519491231002X');
  await expect(part(page, 'preview').locator('mark')).toHaveCount(2);
  await expect(part(page, 'message-own').locator('[part~=delivery]')).toHaveAttribute('data-state', 'delivered');
}

for (const locale of ['en', 'zh-CN']) {
  test(`axe: zero violations on layer 1, layer 2, the notice, prompts, chat and dashboard (${locale}); screenshots`, async ({ page }) => {
    test.setTimeout(180_000); // 14 axe runs, each injecting axe-core afresh
    const { violations, w } = await openWidget(page, `?locale=${locale}`);
    const check = async (what) => expect(await axe(page), `${what} (${locale})`).toEqual([]);

    await check('layer 1');
    await screenshot(page, `widget-${locale}-consent-layer1`);

    await part(page, 'customize').click();
    await waitView(page, 'layer2');
    await w.locator('details').first().evaluate((d) => (d.open = true));
    await check('layer 2');
    await screenshot(page, `widget-${locale}-consent-layer2`);

    await part(page, 'notice-link').click();
    await waitView(page, 'notice');
    await check('notice');

    await part(page, 'back').click();
    await part(page, 'accept').click();
    await waitView(page, 'age');
    await check('age question');
    await w.locator('#sd-age').fill('0');
    await w.locator('#sd-age').press('Enter');
    await expect(w.locator('#sd-age')).toHaveAttribute('aria-invalid', 'true');
    await check('age question with an error');
    await w.locator('#sd-age').fill('12');
    await w.locator('#sd-age').press('Enter');
    await waitView(page, 'guardian');
    await check('guardian confirmation');
    await part(page, 'confirm').click();
    await waitView(page, 'chat');

    const sensitive = page.evaluate(() => window.widget.requestCapability('chat.reveal_pii'));
    await waitView(page, 'prompt');
    await check('separate prompt (sensitive)');
    await part(page, 'deny').click();
    await sensitive;
    await part(page, 'video_call').click();
    await waitView(page, 'prompt');
    await check('just-in-time prompt');
    await part(page, 'deny').click();
    await waitView(page, 'chat');

    await fillChat(page);
    await check('chat panel');
    await screenshot(page, `widget-${locale}-chat-pii-preview`);

    await page.evaluate(() => window.desk.consent.deny(['chat']));
    await page.locator('sealdesk-widget #sd-input').press('Enter');
    await expect(part(page, 'error')).toBeVisible();
    await check('chat panel with a refusal');

    await part(page, 'tab-dashboard').click();
    await waitView(page, 'dashboard');
    await check('dashboard');
    await screenshot(page, `widget-${locale}-dashboard`);
    await part(page, 'delete-local').click();
    await check('dashboard, delete confirmation');

    await part(page, 'close').click();
    await check('launcher only');
    expect(await violations()).toEqual([]);
  });
}

test('keyboard only: first layer -> chat -> dashboard withdraw -> Escape, with focus managed at every step', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  // From the top of the page, Tab reaches the first layer's choices.
  const accept = await tabTo(page, 'accept');
  expect(accept.text).toBe(en['layer1.accept_all']);
  await page.keyboard.press('Enter');
  await waitView(page, 'age');
  expect((await focused(page)).id).toBe('sd-age');
  await page.keyboard.type('30');
  await page.keyboard.press('Enter');
  await waitView(page, 'chat');
  expect((await focused(page)).tag).toBe('h2');

  // Compose and send with the keyboard.
  await tabTo(page, 'input');
  await page.keyboard.type('Where is my order? Call 13912345678');
  await expect(part(page, 'preview').locator('mark')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(part(page, 'message-own')).toContainText('139****5678');
  expect((await focused(page)).part).toBe('input');

  // Voice note: the just-in-time prompt by keyboard, focus back on the button afterwards.
  await tabTo(page, 'voice_note');
  await page.keyboard.press('Enter');
  await waitView(page, 'prompt');
  expect((await focused(page)).tag).toBe('h2');
  await tabTo(page, 'allow');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => window.capabilities.length)).toBe(1);
  expect((await focused(page)).key).toBe('cap-voice_note');

  // To the dashboard (Shift+Tab back up to the header tabs) and withdraw voice.
  await tabTo(page, 'tab-dashboard', { shift: true });
  await page.keyboard.press('Enter');
  await waitView(page, 'dashboard');
  expect((await focused(page)).tag).toBe('h2');
  const revoke = await tabTo(page, `${en['dashboard.revoke']}: ${en['purposes.voice.title']}`);
  expect(revoke.key).toBe('r-voice');
  await page.keyboard.press('Enter');
  await expect(w.locator('li[data-key="d-voice"] [part~=state]')).toHaveText(en['dashboard.state_denied']);
  expect((await focused(page)).key).toBe('d-voice');
  expect((await page.evaluate(() => window.desk.consent.state())).purposes.voice).toBe('denied');

  // The focus ring is visible (an outline of at least 2px) on a focused button.
  await tabTo(page, 'revoke');
  const outline = await page.evaluate(() => {
    const el = window.widget.shadowRoot.activeElement;
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  expect(outline.style).not.toBe('none');
  expect(outline.width).toBeGreaterThanOrEqual(2);

  // Escape closes from anywhere in the panel; focus returns to the launcher; Enter reopens.
  await page.keyboard.press('Escape');
  await expect(part(page, 'panel')).toBeHidden();
  expect((await focused(page)).part).toBe('launcher');
  await page.keyboard.press('Enter');
  await expect(part(page, 'panel')).toBeVisible();
  expect((await focused(page)).tag).toBe('h2');
  expect(await violations()).toEqual([]);
});

test('keyboard only: layer 2 toggles with Space, details open with Enter, save by keyboard', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  await tabTo(page, 'customize');
  await page.keyboard.press('Enter');
  await waitView(page, 'layer2');
  const chat = await tabTo(page, 't-chat');
  expect(chat.tag).toBe('input');
  await page.keyboard.press('Space');
  await expect(w.locator('#sd-p-chat')).toBeChecked();
  await page.keyboard.press('Tab'); // the chat purpose's details
  await page.keyboard.press('Enter');
  await expect(w.locator('details[data-key="d-chat"]')).toHaveAttribute('open', '');
  await tabTo(page, 'save');
  await page.keyboard.press('Enter');
  await waitView(page, 'age');
  await page.keyboard.type('40');
  await page.keyboard.press('Enter');
  await waitView(page, 'chat');
  expect((await page.evaluate(() => window.desk.consent.state())).purposes).toMatchObject({ routing: 'granted', chat: 'granted', voice: 'denied' });
  expect(await violations()).toEqual([]);
});
