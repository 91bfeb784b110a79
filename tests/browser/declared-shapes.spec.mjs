// What the SDK returns is what js/sealdesk.d.ts declares: a real conversation on the demo shop
// (real relay, agent console), its values captured from the public API and events, then typed
// against the declarations by tsc --strict (tests/browser/declared.mjs).
import { test, expect } from '@playwright/test';
import { startRelay } from './desk-helpers.mjs';
import { openAgent, agentAccepts, acceptFirstLayer } from './widget-ui-helpers.mjs';
import { checkDeclared } from './declared.mjs';

test('consent state, session info, messages and events have the declared shapes', async ({ page, context }) => {
  test.setTimeout(120_000);
  const relay = await startRelay();
  try {
    const agent = await openAgent(context, relay);
    await page.goto(`/demo/shop/?relay=${relay.url}&locale=en&storage=shapes-${Math.random().toString(36).slice(2)}`);
    await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await page.evaluate(() => {
      window.__events = {};
      for (const name of ['message', 'consent', 'delivery', 'session', 'typing']) window.desk.on(name, (v) => (window.__events[name] ??= []).push(v));
    });
    await acceptFirstLayer(page);
    await agentAccepts(page, agent);
    const sent = await page.evaluate(() => window.desk.chat.send('Where is order 2291? My phone is 13912345678'));
    await agent.page.locator('#reply').fill('It ships today');
    await agent.page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (window.__events.message ?? []).filter((m) => m.from === 'agent').length), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.evaluate(() => (window.__events.delivery ?? []).some((d) => d.state === 'delivered')), { timeout: 15_000 }).toBe(true);
    const shapes = await page.evaluate(async () => {
      const e = window.__events;
      return {
        ConsentState: await window.desk.consent.state(),
        SessionInfo: await window.desk.session.info(),
        ChatMessage: e.message.find((m) => m.from === 'agent'),
        'DeskEvents["consent"]': e.consent.at(-1),
        'DeskEvents["delivery"]': e.delivery.find((d) => d.state === 'delivered'),
        'DeskEvents["session"]': e.session.at(-1),
        granted: await window.desk.consent.grant(['chat']), // already granted: the state again
      };
    });
    const { granted, ...typed } = shapes;
    typed['ChatMessage '] = sent; // the sender's copy (a second key for the same type)
    typed['ConsentState '] = granted;

    // What a site reads first, by name (the declarations said `at` where the SDK says decidedAt).
    const chat = typed.ConsentState.decisions.chat;
    expect(chat).toMatchObject({ state: 'granted', reason: 'user', guardianConfirmed: false });
    expect(typeof chat.decidedAt).toBe('number');
    expect(sent.text).toBe('Where is order 2291? My phone is 139****5678');
    expect(typed.SessionInfo.safetyCode).toMatch(/^\d{5} \d{5} \d{5}/);

    expect(checkDeclared(typed)).toBe('');
    // The check has teeth: a field the declarations do not name, or one missing, is reported.
    const { decidedAt, ...noDecidedAt } = chat;
    expect(checkDeclared({ ConsentState: { ...typed.ConsentState, decisions: { chat: { ...noDecidedAt, at: decidedAt } } } })).toMatch(/'"?at"?' does not exist|decidedAt/);
  } finally {
    await relay.close();
  }
});
