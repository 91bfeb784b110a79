// <sealdesk-widget>, chat and privacy dashboard: the PII preview marks exactly the spans the core
// masks, messages (XSS payloads included) render as text and run nothing, delivery, typing,
// connection state and the safety code show, a consent refusal shows inline without losing the
// message, and the dashboard withdraws at once, exports the signed receipts and deletes local
// data. On the fixture desk built on the real core (fixtures/widget-ui-desk.js), strict CSP.
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { openWidget, part, waitView, consentState, deskCalls, acceptFirstLayer, answerAge, texts } from './widget-ui-helpers.mjs';

const en = texts('en');
const PHONE = '13912345678';
const ID = '11010519491231002X';

// Classic XSS payloads and strings in the spirit of minimaxir/big-list-of-naughty-strings.
const NAUGHTY = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=2</script>',
  '"><svg onload=window.__xss=3>',
  "<iframe srcdoc='<script>parent.__xss=4</script>'></iframe>",
  '<a href="javascript:window.__xss=5">click</a>',
  '{{constructor.constructor("window.__xss=6")()}}',
  '${window.__xss=7}',
  '<style>*{display:none}</style>',
  '&lt;b&gt;entity&lt;/b&gt; &amp; <b>bold</b>',
  'Ω≈ç√∫˜µ≤≥÷ 田中さんにあげて下さい 사회과학원 ‮right-to-left‮ ',
  'Z̮̞̠͙͔ͅḀ̗̞͈̻̗Ḷ͙͎̯̹̞͓G̻O̭̗̮',
  '👾 🙇 💁 🙅 🙆 🙋 🙎 🙍 ❤️ 💔 1⃣ 🇺🇸',
  '\u200b\u200c\u200d\ufeff zero width',
];

async function send(page, text) {
  const input = page.locator('sealdesk-widget #sd-input');
  await input.fill(text);
  await input.press('Enter');
}

test('the PII preview shows exactly what leaves: the spans the core masks are highlighted, the raw numbers are not shown', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  await acceptFirstLayer(page);
  const text = `Call me at ${PHONE}, my ID is ${ID}. Order 42.`;
  await w.locator('#sd-input').fill(text);
  const preview = part(page, 'preview');
  await expect(preview.locator('mark')).toHaveCount(2);
  const expected = await page.evaluate((t) => window.desk.pii.mask(t), text);
  const marks = await preview.locator('mark').evaluateAll((ms) => ms.map((m) => ({ text: m.textContent, type: m.dataset.type })));
  expect(marks).toEqual(expected.findings.map((f) => ({ text: expected.text.slice(f.maskedStart, f.maskedEnd), type: f.type })));
  expect(marks.map((m) => m.type).sort()).toEqual(['cn_id', 'cn_mobile']);
  expect(marks[0].text).toBe('139****5678');
  // The preview's text after its label is the masked text, character for character.
  const shown = await preview.evaluate((el) => [...el.childNodes].slice(2).map((n) => n.textContent).join(''));
  expect(shown).toBe(expected.text);
  await expect(preview).not.toContainText(PHONE);
  await expect(preview).not.toContainText(ID);
  await expect(preview).toContainText(en['chat.preview_masked'].replace('{count}', '2'));
  // The textarea is described by the preview (screen readers hear what will be sent).
  await expect(w.locator('#sd-input')).toHaveAttribute('aria-describedby', 'sd-preview');

  // Typing on updates the preview (debounced); nothing to mask says so.
  await w.locator('#sd-input').fill('hello there');
  await expect(preview.locator('mark')).toHaveCount(0);
  await expect(preview).toContainText(en['chat.preview_clear']);
  await expect(preview).toContainText('hello there');
  expect(await violations()).toEqual([]);
});

test('sent and received messages render as masked text with delivery state, typing indicator and live log', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  await acceptFirstLayer(page);
  await send(page, `my phone ${PHONE}`);
  const own = part(page, 'message-own');
  await expect(own).toHaveCount(1);
  await expect(own).toContainText('my phone 139****5678');
  await expect(own).not.toContainText(PHONE);
  await expect(own.locator('mark')).toHaveText('139****5678');
  await expect(own.locator('[part~=delivery]')).toHaveAttribute('data-state', 'delivered');
  await expect(own.locator('[part~=delivery]')).toHaveText(en['chat.delivery_delivered']);
  await expect(w.locator('#sd-input')).toHaveValue('');
  await expect(part(page, 'preview')).toBeHidden();

  // The agent types, then answers: indicator on, then off with the message.
  await page.evaluate(() => window.desk._agentTyping());
  await expect(part(page, 'typing')).toHaveText(en['chat.typing']);
  await page.evaluate(() => window.desk._agentSays('Hello, how can I help?'));
  await expect(part(page, 'message-agent')).toHaveText(`${en['chat.agent']}: Hello, how can I help?`);
  await expect(part(page, 'typing')).toHaveText('');
  await expect(part(page, 'messages')).toHaveAttribute('role', 'log');
  await expect(part(page, 'messages')).toHaveAttribute('aria-live', 'polite');

  // Typing calls desk.chat.typing(), throttled: one call for a burst of keystrokes.
  await w.locator('#sd-input').pressSequentially('quick burst', { delay: 5 });
  await expect.poll(async () => (await deskCalls(page)).filter((c) => c[0] === 'typing').length).toBe(1);
  await page.waitForTimeout(300);
  expect((await deskCalls(page)).filter((c) => c[0] === 'typing')).toHaveLength(1);
  expect(await violations()).toEqual([]);
});

test('connection state and the safety code come from session events', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  await expect(part(page, 'safety-code')).toHaveCount(0); // not in the first layer
  await acceptFirstLayer(page);
  await expect(part(page, 'connection')).toHaveAttribute('data-state', 'active');
  await expect(part(page, 'connection')).toHaveText(`${en['chat.session_active']} · ${en['chat.relay_open']}`);
  const code = part(page, 'safety-code');
  await expect(code).toBeVisible();
  await expect(code.locator('[part~=code]')).toHaveText('31415 92653 58979 32384');
  await code.locator('summary').click();
  await expect(code).toContainText(en['chat.safety_code_help']);
  await page.evaluate(() => window.desk.session.end());
  await expect(part(page, 'connection')).toHaveText(`${en['chat.session_ended']} · ${en['chat.relay_closed']}`);
  await expect(w.locator('h2')).toHaveText(en['chat.title']);
  expect(await violations()).toEqual([]);
});

test('XSS payloads and naughty strings, typed, sent and received, render as text and run nothing', async ({ page }) => {
  const { violations, errors, w } = await openWidget(page);
  await acceptFirstLayer(page);
  for (const s of NAUGHTY) {
    await send(page, s);
    await page.evaluate((t) => window.desk._agentSays(t, [{ type: 'name', start: 0, end: 1, style: 'label', maskedStart: 0, maskedEnd: 1 }]), s);
  }
  await expect(part(page, 'message-own')).toHaveCount(NAUGHTY.length);
  await expect(part(page, 'message-agent')).toHaveCount(NAUGHTY.length);
  const own = await part(page, 'message-own').evaluateAll((ls) => ls.map((l) => [...l.childNodes].slice(1, -1).map((n) => n.textContent).join('')));
  const agent = await part(page, 'message-agent').evaluateAll((ls) => ls.map((l) => [...l.childNodes].slice(1).map((n) => n.textContent).join('')));
  const masked = await page.evaluate((list) => Promise.all(list.map((t) => window.desk.pii.mask(t).then((r) => r.text))), NAUGHTY);
  expect(own).toEqual(masked);
  expect(agent).toEqual(NAUGHTY);
  // Nothing but text nodes and our own <mark>/<span> inside messages; no script ran.
  const tags = await w.locator('.log').evaluate((log) => [...new Set([...log.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()))].sort());
  expect(tags).toEqual(['li', 'mark', 'ol', 'span']);
  const svgs = await w.evaluate((el) => el.shadowRoot.querySelectorAll('svg').length);
  expect(svgs).toBe(4); // launcher, voice note, voice call and video call icons only
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
  expect(errors).toEqual([]);
  expect(await violations()).toEqual([]);
});

test('the widget source builds DOM with text only: no innerHTML, insertAdjacentHTML, document.write or style attributes', async () => {
  for (const f of ['widget.js', 'dom.js', 'styles.js', 'chat.js', 'dashboard.js', 'consent-views.js', 'format.js']) {
    const source = readFileSync(new URL(`../../js/ui/${f}`, import.meta.url), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    expect(source, f).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|\.style\s*=|setAttribute\(\s*['"]style|new Function|eval\(/);
  }
});

test('a send refused for consent shows inline, keeps the text, sends nothing; allowing chat just in time then sends it', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  await part(page, 'reject').click();
  await waitView(page, 'chat');
  await send(page, 'hello, is anyone there?');
  const error = part(page, 'error');
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute('role', 'alert');
  await expect(error).toContainText(en['chat.consent_required']);
  await expect(w.locator('#sd-input')).toHaveValue('hello, is anyone there?');
  await expect(part(page, 'message-own')).toHaveCount(0);
  expect((await deskCalls(page)).filter((c) => c[0] === 'send')).toEqual([]);

  await part(page, 'allow-chat').click();
  await waitView(page, 'prompt');
  await expect(w.locator('.purposes')).toContainText(en['purposes.chat.title']);
  await part(page, 'allow').click();
  await answerAge(page, 30);
  await waitView(page, 'chat');
  await expect(part(page, 'error')).toBeHidden();
  await expect(w.locator('#sd-input')).toBeFocused();
  await w.locator('#sd-input').press('Enter');
  await expect(part(page, 'message-own')).toHaveText(/hello, is anyone there\?/);
  expect((await consentState(page)).purposes.chat).toBe('granted');
  expect(await violations()).toEqual([]);
});

test('dashboard: state with time and policy version, categories, retention; withdraw acts at once; receipts download as JSON', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  await acceptFirstLayer(page);
  await send(page, 'hello');
  await expect(part(page, 'message-own')).toHaveCount(1);
  await part(page, 'tab-dashboard').click();
  await waitView(page, 'dashboard');
  await expect(w.locator('h2')).toHaveText(en['dashboard.title']);
  const chat = w.locator('li[data-key="d-chat"]');
  await expect(chat.locator('[part~=state]')).toHaveText(en['dashboard.state_granted']);
  await expect(chat).toContainText('policy version 2025.1');
  await expect(chat).toContainText(/decided \w{3} \d{1,2}, \d{4}/);
  await expect(chat).toContainText(`${en['layer2.retention_label']}: 30 days`);
  await expect(w.locator('li[data-key="d-video"] [part~=state]')).toHaveText(en['dashboard.state_unset']);
  await expect(w.locator('li[data-key="d-routing"]')).toContainText(en['layer2.required_label']);
  await expect(w.locator('li[data-key="d-routing"] [part~=revoke]')).toHaveCount(0);
  // Allowing chat is not allowing training: the dashboard says so in words.
  await expect(part(page, 'training')).toHaveText(en['dashboard.training_off']);
  await expect(part(page, 'training')).toHaveAttribute('data-training', 'off');
  await expect(part(page, 'categories')).toContainText(en['categories.chat_messages']);
  await expect(part(page, 'categories')).toContainText(en['categories.online_identifier']);
  const before = (await page.evaluate(() => window.desk.consent.receipts())).length;
  await expect(w.locator('[part~=dashboard]')).toContainText(`${before} signed receipts`);

  // Receipts export: a JSON download of exactly the desk's receipts.
  const [download] = await Promise.all([page.waitForEvent('download'), part(page, 'export').click()]);
  expect(download.suggestedFilename()).toBe('sealdesk-consent-receipts.json');
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(exported).toEqual(await page.evaluate(() => window.desk.consent.receipts()));
  expect(exported[0]).toHaveProperty('signature');

  // Withdraw chat: the core denies it now; the row updates; focus stays on the row.
  await chat.locator('[part~=revoke]').click();
  await expect(chat.locator('[part~=state]')).toHaveText(en['dashboard.state_denied']);
  expect((await consentState(page)).purposes.chat).toBe('denied');
  await expect(w.locator('li[data-key="d-chat"]')).toBeFocused();
  await expect(w.locator('[role=status]')).toHaveText(`Withdrawn: ${en['purposes.chat.title']}`);
  expect((await page.evaluate(() => window.desk.consent.receipts())).length).toBe(before + 1);
  const calls = await deskCalls(page);
  expect(calls.at(-1)).toEqual(['deny', ['chat'], { collectionMethod: 'privacy-dashboard' }]);
  // Sending now is refused in the core, shown inline.
  await part(page, 'tab-chat').click();
  await send(page, 'still there?');
  await expect(part(page, 'error')).toContainText(en['chat.consent_required']);
  // Training allowed on its own: now the dashboard says conversations may be used for it.
  await page.evaluate(async () => {
    await window.desk.consent.grant(['chat']);
    await window.desk.consent.grant(['model_training']); // asked alone, never with chat
  });
  await part(page, 'tab-dashboard').click();
  await waitView(page, 'dashboard');
  await expect(part(page, 'training')).toHaveAttribute('data-training', 'on');
  await expect(part(page, 'training')).toHaveText(en['dashboard.training_on']);
  expect(await violations()).toEqual([]);
});

test('dashboard: withdraw everything, then delete my local data (confirmed) resets to the first layer', async ({ page }) => {
  const { violations, w } = await openWidget(page);
  await acceptFirstLayer(page);
  await part(page, 'voice_note').click();
  await waitView(page, 'prompt');
  await part(page, 'allow').click();
  await waitView(page, 'chat');
  await send(page, 'hello');
  await part(page, 'tab-dashboard').click();
  await waitView(page, 'dashboard');
  await part(page, 'revoke-all').click();
  await expect(w.locator('li[data-key="d-voice"] [part~=state]')).toHaveText(en['dashboard.state_denied']);
  const state = await consentState(page);
  expect(state.purposes).toMatchObject({ chat: 'denied', voice: 'denied', routing: 'granted' });
  await expect(part(page, 'revoke-all')).toHaveCount(0);

  await part(page, 'delete-local').click();
  await expect(part(page, 'confirm-delete')).toBeVisible();
  await expect(part(page, 'delete-confirm')).toBeFocused();
  await part(page, 'delete-confirm').click();
  await waitView(page, 'layer1');
  expect((await deskCalls(page)).at(-1)).toEqual(['deleteLocal']);
  expect(Object.values((await consentState(page)).purposes).every((s) => s === 'unset')).toBe(true);
  await expect(w.locator('[role=status]')).toHaveText(en['dashboard.deleted']);
  // The conversation shown is gone too.
  expect(await page.evaluate(async () => (await window.widget.chat()).messages.length)).toBe(0);
  expect(await violations()).toEqual([]);
});
