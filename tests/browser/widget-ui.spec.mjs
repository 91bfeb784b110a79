// <sealdesk-widget>, consent: the first layer paints from texts alone before any core loads,
// choices made before the desk is attached are applied once it is, accept and reject are equally
// prominent, layer 2 asks sensitive and cross-border purposes separately, just-in-time prompts
// gate voice notes and video calls, and a minor's choices need a guardian. Driven on the fixture
// desk built on the real WebAssembly core (fixtures/widget-ui-desk.js), under the strict CSP.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { test, expect } from '@playwright/test';
import { openWidget, part, waitView, consentState, deskCalls, answerAge, acceptFirstLayer, texts } from './widget-ui-helpers.mjs';

const en = texts('en');
const zh = texts('zh-CN');
const FIRST_PAINT = ['js/ui/widget.js', 'js/ui/dom.js', 'js/ui/styles.js', 'js/i18n.js'];

test('the first layer paints from texts alone: no desk, no core, no lazy view module is loaded', async ({ page }) => {
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  const { violations, errors, w } = await openWidget(page, '?attach=manual&nopolicy');
  await expect(w.locator('h2')).toHaveText(en['layer1.title']);
  await expect(part(page, 'accept')).toHaveText(en['layer1.accept_all']);
  await expect(part(page, 'reject')).toHaveText(en['layer1.reject_all']);
  await expect(part(page, 'customize')).toHaveText(en['layer1.customize']);
  await expect(part(page, 'notice-link')).toHaveText(en['layer1.more']);
  // "Allow chat" is not "allow training": the first layer says so before anyone clicks.
  await expect(w).toContainText('not used to train models unless you allow that separately');
  await expect(part(page, 'launcher')).toHaveAttribute('aria-expanded', 'true');
  expect(await page.evaluate(() => window.widget.desk)).toBeNull();

  const scripts = requested.filter((p) => /\.(m?js|wasm)$/.test(p));
  expect(scripts.filter((p) => p.startsWith('/js/')).sort()).toEqual(FIRST_PAINT.map((f) => `/${f}`).sort());
  expect(requested.some((p) => /sealdesk-core|core\.js|\.wasm$/.test(p))).toBe(false);

  // The weight the first layer costs (gzip -9, as tests/bench/weight.bench.mjs measures).
  const gz = FIRST_PAINT.reduce((n, f) => n + gzipSync(readFileSync(new URL(`../../${f}`, import.meta.url)), { level: 9 }).length, 0);
  console.log(`first-paint UI files, gzip -9: ${gz} bytes`);
  expect(gz).toBeLessThanOrEqual(15_000);
  for (const f of FIRST_PAINT) {
    const source = readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8');
    expect(source, f).not.toMatch(/core\.js|sealdesk-core|\.wasm/);
  }
  expect(errors).toEqual([]);
  expect(await violations()).toEqual([]);
});

test('choices made before the desk is attached are queued and applied in order once it is', async ({ page }) => {
  const { violations, errors } = await openWidget(page, '?attach=manual&nopolicy');
  await part(page, 'accept').click();
  await expect(page.locator('sealdesk-widget [role=status]')).toHaveText(en['ui.loading']);
  expect(await page.evaluate(() => window.widget.view)).toBe('layer1');
  await page.evaluate(() => window.attachDesk());
  await answerAge(page, 30);
  await waitView(page, 'chat');
  const state = await consentState(page);
  expect(state.purposes).toMatchObject({ routing: 'granted', chat: 'granted', voice: 'unset', video: 'unset', pii_reveal: 'unset', analytics: 'unset', model_training: 'unset' });
  const calls = await deskCalls(page);
  expect(calls).toEqual([
    ['declareAge', 30, false],
    ['grant', ['routing', 'chat'], { collectionMethod: 'first-layer' }],
  ]);
  const receipts = await page.evaluate(() => window.desk.consent.receipts());
  expect(receipts.at(-1).receipt).toMatchObject({ collectionMethod: 'first-layer' });
  expect(errors).toEqual([]);
  expect(await violations()).toEqual([]);
});

test('accept all and reject all are equally prominent (same size, same style) on layer 1, layer 2 and prompts', async ({ page }) => {
  const { violations } = await openWidget(page);
  const look = (loc) =>
    loc.evaluate((el) => {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return { w: Math.round(r.width), h: Math.round(r.height), top: Math.round(r.top), bg: s.backgroundColor, color: s.color, size: s.fontSize, weight: s.fontWeight, border: s.border, padding: s.padding, radius: s.borderRadius, family: s.fontFamily };
    });
  const same = async (a, b) => {
    const [x, y] = [await look(a), await look(b)];
    expect(x).toEqual(y);
    expect(x.w).toBeGreaterThan(80);
  };
  await same(part(page, 'accept'), part(page, 'reject'));
  await part(page, 'customize').click();
  await waitView(page, 'layer2');
  await same(part(page, 'save'), part(page, 'reject'));
  await part(page, 'back').click();
  await waitView(page, 'layer1');
  await acceptFirstLayer(page);
  await part(page, 'voice_note').click();
  await waitView(page, 'prompt');
  await same(part(page, 'allow'), part(page, 'deny'));
  expect(await violations()).toEqual([]);
});

test('reject all denies every optional purpose; nothing is granted and the required purpose is untouched', async ({ page }) => {
  const { violations } = await openWidget(page);
  await part(page, 'reject').click();
  await waitView(page, 'chat');
  const state = await consentState(page);
  for (const [id, s] of Object.entries(state.purposes)) expect(s, id).toBe(id === 'routing' ? 'unset' : 'denied');
  const calls = await deskCalls(page);
  expect(calls).toHaveLength(1);
  expect(calls[0][0]).toBe('deny');
  expect(calls[0][2]).toEqual({ collectionMethod: 'first-layer' });
  expect(await violations()).toEqual([]);
});

test('layer 2: required purpose locked on, dependencies follow, sensitive and cross-border purposes get their own prompt', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  await part(page, 'customize').click();
  await waitView(page, 'layer2');
  const routing = w.locator('#sd-p-routing');
  await expect(routing).toBeChecked();
  await expect(routing).toBeDisabled();
  await expect(w.locator('#sd-p-routing').locator('xpath=../..')).toContainText(en['layer2.required_label']);
  // Facts shown per purpose: data categories, retention, validity, third parties, cross-border.
  const transcription = w.locator('li.purpose', { has: page.locator('#sd-p-transcription') });
  await expect(transcription.locator('[part~=flag-cross-border]')).toHaveText(en['layer2.cross_border_label']);
  await transcription.locator('summary').click();
  await expect(transcription.locator('dl')).toContainText('Example Speech AI Pte. Ltd.');
  await expect(transcription.locator('dl')).toContainText('Singapore');
  await expect(transcription.locator('dl')).toContainText('30 days');
  await expect(transcription.locator('dl')).toContainText(en['safeguards.standard_contract']);
  const pii = w.locator('li.purpose', { has: page.locator('#sd-p-pii_reveal') });
  await expect(pii.locator('[part~=flag-sensitive]')).toHaveText(en['layer2.sensitive_label']);

  // pii_reveal depends on chat: turning it on turns chat on (announced).
  await w.locator('#sd-p-pii_reveal').check();
  await expect(w.locator('#sd-p-chat')).toBeChecked();
  await expect(w.locator('[role=status]')).toContainText(en['purposes.chat.title']);
  await w.locator('#sd-p-transcription').check();
  await w.locator('#sd-p-voice').check();
  await part(page, 'save').click();
  await answerAge(page, 30);

  // Bundled: routing, chat, voice. Then each separate purpose alone, in policy order.
  await waitView(page, 'prompt');
  await expect(w.locator('[data-kind]')).toHaveAttribute('data-kind', 'sensitive');
  await expect(w.locator('h2')).toHaveText(en['sensitive.title']);
  await expect(w.locator('.purposes')).toContainText(en['purposes.pii_reveal.title']);
  await part(page, 'allow').click();
  await expect(w.locator('[data-kind]')).toHaveAttribute('data-kind', 'cross_border');
  await expect(w.locator('h2')).toHaveText(en['cross_border.title']);
  await part(page, 'deny').click();
  await waitView(page, 'chat');

  const state = await consentState(page);
  expect(state.purposes).toMatchObject({ routing: 'granted', chat: 'granted', voice: 'granted', pii_reveal: 'granted', transcription: 'denied', video: 'denied', analytics: 'denied' });
  const grants = (await deskCalls(page)).filter((c) => c[0] === 'grant');
  expect(grants.map((c) => [c[1], c[2].collectionMethod])).toEqual([
    [['routing', 'chat', 'voice'], 'second-layer'],
    [['pii_reveal'], 'separate-prompt'],
  ]);
  expect(await violations()).toEqual([]);
});

test('Global Privacy Control: noted on the first layer, its opt-out purposes locked off in layer 2 and never granted', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  const { violations, w } = await openWidget(page);
  await expect(w.locator('.note')).toHaveText(en['gpc.notice']);
  await part(page, 'customize').click();
  await waitView(page, 'layer2');
  for (const id of ['analytics', 'personalization', 'model_training']) {
    await expect(w.locator(`#sd-p-${id}`)).toBeDisabled();
    await expect(w.locator(`#sd-p-${id}`)).not.toBeChecked();
  }
  await expect(w.locator('#sd-p-chat')).toBeEnabled();
  await w.locator('#sd-p-chat').check();
  await part(page, 'save').click();
  await answerAge(page, 30);
  await waitView(page, 'chat');
  const state = await consentState(page);
  expect(state.gpc).toBe(true);
  expect(state.purposes).toMatchObject({ chat: 'granted', analytics: 'denied', personalization: 'denied', model_training: 'denied' });
  expect(state.decisions.analytics.reason).toBe('global_privacy_control');
  const calls = await deskCalls(page);
  const decided = calls.flatMap((c) => (c[0] === 'grant' || c[0] === 'deny' ? c[1] : []));
  expect(decided).not.toContain('analytics');
  expect(decided).not.toContain('model_training');
  expect(await violations()).toEqual([]);
});

test('the full notice (layer 3) names the controller, the DPO, rights and every purpose', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  await part(page, 'notice-link').click();
  await waitView(page, 'notice');
  await expect(w.locator('h2')).toHaveText(en['notice.title']);
  await expect(w.locator('h2')).toBeFocused();
  const notice = w.locator('[part~=notice]');
  for (const text of ['Example Shop Ltd.', 'privacy@shop.example', 'Data Protection Officer', en['notice.rights'], en['notice.training'], en['notice.voiceprints'], en['purposes.face_verification.details'], en['purposes.model_training.details']]) {
    await expect(notice).toContainText(text);
  }
  await expect(notice.locator('section.purpose')).toHaveCount(14);
  await part(page, 'back').click();
  await waitView(page, 'layer1');
  await expect(w.locator('h2')).toBeFocused();
  expect(await violations()).toEqual([]);
});

test('just-in-time: a voice note asks for voice, a video call for the camera, then the capability event fires', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  await acceptFirstLayer(page);
  await part(page, 'voice_note').click();
  await waitView(page, 'prompt');
  await expect(w.locator('h2')).toHaveText(en['jit.title']);
  await expect(w.locator('.purposes')).toContainText(en['purposes.voice.title']);
  await expect(w.locator('.purposes')).not.toContainText(en['purposes.video.title']);
  await part(page, 'allow').click();
  await waitView(page, 'chat');
  await expect.poll(() => page.evaluate(() => window.capabilities)).toEqual([{ capability: 'voice_note', policyCapability: 'call.voice' }]);
  await expect(part(page, 'voice_note')).toBeFocused();

  // The second voice note asks nothing.
  await part(page, 'voice_note').click();
  await expect.poll(() => page.evaluate(() => window.capabilities.length)).toBe(2);
  expect(await page.evaluate(() => window.widget.view)).toBe('chat');

  // "Not now" on the camera: no event, video denied, voice untouched.
  await part(page, 'video_call').click();
  await waitView(page, 'prompt');
  await expect(w.locator('.purposes')).toContainText(en['purposes.video.title']);
  await part(page, 'deny').click();
  await waitView(page, 'chat');
  let state = await consentState(page);
  expect(state.purposes).toMatchObject({ voice: 'granted', video: 'denied' });
  expect(await page.evaluate(() => window.capabilities.length)).toBe(2);

  await part(page, 'video_call').click();
  await waitView(page, 'prompt');
  await part(page, 'allow').click();
  await expect.poll(() => page.evaluate(() => window.capabilities.at(-1))).toEqual({ capability: 'video_call', policyCapability: 'call.video' });
  state = await consentState(page);
  expect(state.purposes.video).toBe('granted');
  const grants = (await deskCalls(page)).filter((c) => c[0] === 'grant');
  expect(grants.slice(1).map((c) => c[2].collectionMethod)).toEqual(['jit-prompt', 'jit-prompt']);
  expect(await violations()).toEqual([]);
});

test('a sensitive purpose asked just in time gets its own separate prompt', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  await acceptFirstLayer(page);
  const granted = page.evaluate(() => window.widget.requestCapability('chat.reveal_pii'));
  await waitView(page, 'prompt');
  await expect(w.locator('[data-kind]')).toHaveAttribute('data-kind', 'sensitive');
  await expect(w.locator('dl')).toContainText(en['categories.financial_account']);
  await part(page, 'allow').click();
  expect(await granted).toBe(true);
  const grants = (await deskCalls(page)).filter((c) => c[0] === 'grant');
  expect(grants.at(-1)).toEqual(['grant', ['pii_reveal'], { collectionMethod: 'separate-prompt' }]);
  expect(await violations()).toEqual([]);
});

test('a minor: the age question, then a guardian must confirm; cancelling grants nothing', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  await part(page, 'accept').click();
  await waitView(page, 'age');
  await expect(w.locator('#sd-age')).toBeFocused();
  // Not a plausible age: an inline error, still on the question.
  await w.locator('#sd-age').fill('0');
  await w.locator('#sd-age').press('Enter');
  await expect(w.locator('[role=alert]')).toHaveText(en['guardian.age_invalid']);
  await expect(w.locator('#sd-age')).toHaveAttribute('aria-invalid', 'true');
  await w.locator('#sd-age').fill('10');
  await w.locator('#sd-age').press('Enter');
  await waitView(page, 'guardian');
  await expect(w.locator('h2')).toHaveText(en['guardian.title']);
  await expect(w.locator('[part~=guardian]')).toContainText(en['purposes.chat.title']);
  await part(page, 'cancel').click();
  await waitView(page, 'layer1');
  let state = await consentState(page);
  expect(state).toMatchObject({ declaredAge: 10, minor: true });
  expect(state.purposes.chat).toBe('unset');

  await part(page, 'accept').click();
  await waitView(page, 'guardian'); // the age is asked once
  await part(page, 'confirm').click();
  await waitView(page, 'chat');
  state = await consentState(page);
  expect(state.purposes.chat).toBe('granted');
  expect(state.decisions.chat.guardianConfirmed).toBe(true);
  expect((await deskCalls(page)).filter((c) => c[0] === 'grant')).toEqual([['grant', ['routing', 'chat'], { collectionMethod: 'first-layer', guardianConfirmed: true }]]);
  expect(await violations()).toEqual([]);
});

test('a returning visitor who already decided sees the launcher, not the first layer', async ({ page }) => {
  const { violations } = await openWidget(page, '?attach=manual');
  await page.evaluate(async () => {
    const { createFixtureDesk } = await import('./widget-ui-desk.js');
    const desk = await createFixtureDesk();
    await desk.consent.declareAge(30);
    await desk.consent.grant(['routing', 'chat'], { collectionMethod: 'first-layer' });
    window.desk = desk;
    await window.widget.attach(desk);
  });
  await expect(part(page, 'launcher')).toHaveAttribute('aria-expanded', 'false');
  await expect(part(page, 'panel')).toBeHidden();
  expect(await page.evaluate(() => window.widget.view)).toBe('chat');
  await part(page, 'launcher').click();
  await expect(part(page, 'panel')).toBeVisible();
  expect(await violations()).toEqual([]);
});

test('zh-CN: lang set, every layer in Chinese, durations and countries localized', async ({ page }) => {
  const { violations, w } = await openWidget(page, '?locale=zh-CN');
  await expect(w).toHaveAttribute('lang', 'zh-CN');
  await expect(w.locator('.root')).toHaveAttribute('lang', 'zh-CN');
  await expect(w.locator('h2')).toHaveText(zh['layer1.title']);
  await expect(part(page, 'accept')).toHaveText(zh['layer1.accept_all']);
  await expect(part(page, 'launcher')).toHaveText(zh['ui.launcher']);
  await expect(part(page, 'close')).toHaveAttribute('aria-label', zh['ui.close']);
  await part(page, 'customize').click();
  await waitView(page, 'layer2');
  const transcription = w.locator('li.purpose', { has: page.locator('#sd-p-transcription') });
  await transcription.locator('summary').click();
  await expect(transcription.locator('dl')).toContainText('30天');
  await expect(transcription.locator('dl')).toContainText('新加坡');
  await expect(transcription.locator('dl')).toContainText(zh['categories.transcript']);
  expect(await violations()).toEqual([]);
});

test('detectLocale matches the visitor languages to en, zh-CN or zh-TW', async ({ page }) => {
  await openWidget(page, '?attach=manual');
  const results = await page.evaluate(async () => {
    const { detectLocale } = await import('/js/ui/widget.js');
    const cases = [['zh-CN'], ['zh'], ['zh-Hans'], ['zh-SG'], ['zh-TW'], ['zh-HK'], ['zh-MO'], ['zh-Hant-CN'], ['zh-Hans-HK'], ['en-GB'], ['fr-FR', 'zh-TW', 'en'], ['fr', 'de'], []];
    return cases.map((c) => detectLocale(c));
  });
  expect(results).toEqual(['zh-CN', 'zh-CN', 'zh-CN', 'zh-CN', 'zh-TW', 'zh-TW', 'zh-TW', 'zh-TW', 'zh-CN', 'en', 'zh-TW', 'en', 'en']);
});

test('theming: custom properties and ::part from a same-origin stylesheet restyle the widget', async ({ page }) => {
  const { violations } = await openWidget(page);
  await page.evaluate(() => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = '/tests/browser/fixtures/widget-ui-theme.css';
    document.head.append(link);
    return new Promise((resolve) => (link.onload = resolve));
  });
  const launcher = part(page, 'launcher');
  await expect.poll(() => launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(10, 125, 71)');
  expect(await launcher.evaluate((el) => getComputedStyle(el).borderRadius)).toBe('4px');
  expect(await part(page, 'accept').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(10, 125, 71)');
  expect(await violations()).toEqual([]);
});

test('Escape closes the panel and returns focus to the launcher; the launcher reopens it', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  await part(page, 'customize').focus();
  await page.keyboard.press('Escape');
  await expect(part(page, 'panel')).toBeHidden();
  await expect(part(page, 'launcher')).toBeFocused();
  await expect(part(page, 'launcher')).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Enter');
  await expect(part(page, 'panel')).toBeVisible();
  await expect(w.locator('h2')).toBeFocused();
  expect(await violations()).toEqual([]);
});
