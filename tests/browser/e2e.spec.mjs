// The whole product in Chromium: a customer page and the agent console (demo/agent) talking
// through a real relay, the core in each page's desk worker. Proofs 1, 2, 3, 7 and 9 of the
// widget issue; every WebSocket frame of both pages is recorded and searched for plaintext.
import { test, expect } from '@playwright/test';
import { startRelay, recordFrames } from './desk-helpers.mjs';
import { AGENT_TOKEN } from './playwright.config.mjs';
import { watchCsp } from './csp.mjs';
import { SCREENSHOTS } from './widget-ui-helpers.mjs';
import { execFileSync } from 'node:child_process';

const CUSTOMER = (relay, extra = '') => `/demo/shop/?relay=${relay.url}&locale=en&storage=e2e-${Math.random().toString(36).slice(2)}${extra}`;

async function openCustomer(context, relay) {
  const page = await context.newPage();
  const violations = await watchCsp(page);
  const frames = recordFrames(page);
  await page.goto(CUSTOMER(relay));
  await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  return { page, frames, violations };
}

async function openAgent(context, relay) {
  const page = await context.newPage();
  const violations = await watchCsp(page);
  const frames = recordFrames(page);
  await page.goto(`/demo/agent/?relay=${relay.url}`);
  await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  return { page, frames, violations };
}

/** Customer grants chat, the agent accepts from its queue, both hold keys (safety codes match). */
async function connectPair(context, relay) {
  const agent = await openAgent(context, relay);
  const customer = await openCustomer(context, relay);
  await customer.page.evaluate(() => window.desk.consent.grant(['chat']));
  await agent.page.getByRole('button', { name: /^Accept customer/ }).first().click();
  await expect(agent.page.locator('#safety-code')).toHaveText(/^\d{5} \d{5} \d{5}/, { timeout: 15_000 });
  const code = await customer.page.evaluate(async () => {
    for (let i = 0; i < 100; i++) {
      const info = await window.desk.session.info();
      if (info.safetyCode) return info.safetyCode;
      await new Promise((r) => setTimeout(r, 50));
    }
    return null;
  });
  await expect(agent.page.locator('#safety-code')).toHaveText(code);
  return { agent, customer };
}

/** Counts frames rendered by a <video> (requestVideoFrameCallback), from now on. */
async function countRendered(page, selector) {
  await page.evaluate((sel) => {
    const video = document.querySelector(sel);
    window.__rendered = { count: 0, last: 0 };
    const tick = (now) => {
      window.__rendered.count++;
      window.__rendered.last = now;
      video.requestVideoFrameCallback(tick);
    };
    video.requestVideoFrameCallback(tick);
  }, selector);
  return () => page.evaluate(() => window.__rendered.count);
}

const binarySent = (frames) => frames.filter((f) => f.binary && f.direction === 'sent').length;

test.describe('end to end through the relay', () => {
  let relay;
  test.beforeEach(async () => {
    relay = await startRelay();
  });
  test.afterEach(async () => {
    await relay?.close();
  });

  test('1: before any consent decision, no WebSocket and no request beyond same-origin static files', async ({ page, baseURL }) => {
    const requests = [];
    const sockets = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(CUSTOMER(relay));
    await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await page.waitForTimeout(1500);
    expect(sockets).toEqual([]);
    expect(requests.length).toBeGreaterThan(3);
    for (const url of requests) {
      expect(url.startsWith(`${baseURL}/`), url).toBe(true);
      expect(new URL(url).pathname, url).toMatch(/^\/(js|demo|consent|tests\/browser\/fixtures)\/.*\.(js|mjs|json|css|wasm|html)$|^\/demo\/shop\/$/);
    }
    // A reject opens nothing either.
    await page.evaluate(() => window.desk.consent.deny(['chat', 'voice', 'video']));
    await page.waitForTimeout(500);
    expect(sockets).toEqual([]);
  });

  test('2, 9: the agent reads the masked message; no frame either way carries the canary or the numbers; zero CSP violations', async ({ context }) => {
    const { agent, customer } = await connectPair(context, relay);
    const canary = `canary-${Math.random().toString(36).slice(2, 10)}-tangerine`;
    const phone = '13912345678';
    const id = '11010519491231002X';
    const sent = await customer.page.evaluate((t) => window.desk.chat.send(t), `Call me at ${phone}, my ID is ${id}. ${canary}`);
    expect(sent.findings.map((f) => f.type).sort()).toEqual(['cn_id', 'cn_mobile']);
    const line = agent.page.locator('#log li[data-from="customer"]').last();
    await expect(line).toContainText(canary);
    await expect(line).toContainText('139****5678');
    const shown = await line.textContent();
    expect(shown).not.toContain(phone);
    expect(shown).not.toContain(id);
    await expect(agent.page.locator('#log mark')).toHaveCount(2);
    // The agent answers; the customer gets it.
    await agent.page.locator('#reply').fill(`Thanks! ${canary}-back`);
    await agent.page.keyboard.press('Enter');
    await customer.page.evaluate(() => {
      window.__agentReplies = [];
      window.desk.on('message', (m) => m.from === 'agent' && window.__agentReplies.push(m.text));
    });
    await expect.poll(() => customer.page.evaluate(() => window.__agentReplies)).toContainEqual(`Thanks! ${canary}-back`);

    // Proof 10: the agent console, as the agent sees this conversation.
    await agent.page.setViewportSize({ width: 1280, height: 800 });
    await agent.page.screenshot({ path: `${SCREENSHOTS}agent-console.png`, fullPage: true });
    const all = [...agent.frames, ...customer.frames];
    expect(all.filter((f) => f.binary && f.direction === 'sent').length).toBeGreaterThanOrEqual(5);
    for (const needle of [canary, phone, id, '1391234', `${canary}-back`, 'Call me']) {
      for (const f of all) expect(f.payload.includes(Buffer.from(needle)), `"${needle}" in a ${f.direction} frame`).toBe(false);
    }
    expect(await customer.violations()).toEqual([]);
    expect(await agent.violations()).toEqual([]);
  });

  test('3: after revoking chat, send rejects with CONSENT_REQUIRED naming chat and nothing is sent', async ({ context }) => {
    const { customer } = await connectPair(context, relay);
    await customer.page.evaluate(() => window.desk.consent.revoke(['chat']));
    await customer.page.waitForTimeout(500); // the revoke itself goes out: a sealed consent update
    const before = binarySent(customer.frames);
    const error = await customer.page.evaluate(async () => {
      try {
        await window.desk.chat.send('this must not leave');
        return null;
      } catch (e) {
        return { name: e.name, code: e.code, message: e.message, isSealDeskError: e.constructor.name === 'SealDeskError' };
      }
    });
    expect(error).toMatchObject({ name: 'SealDeskError', code: 'CONSENT_REQUIRED', isSealDeskError: true });
    expect(error.message).toContain('chat');
    await customer.page.waitForTimeout(500);
    expect(binarySent(customer.frames)).toBe(before);
  });

  test('7: the relay is killed and restarted mid-conversation; every message arrives once, in order', async ({ context }) => {
    const { agent, customer } = await connectPair(context, relay);
    const port = relay.port;
    const send = (i) => customer.page.evaluate((n) => window.desk.chat.send(`message number ${n}`), i);
    for (let i = 1; i <= 5; i++) await send(i);
    await expect(agent.page.locator('#log li[data-from="customer"]')).toHaveCount(5);
    await relay.close(); // every connection drops; in-memory state is gone
    for (let i = 6; i <= 10; i++) await send(i); // kept by the client until acknowledged
    await agent.page.locator('#reply').fill('sent while the relay was down');
    await agent.page.keyboard.press('Enter');
    relay = await startRelay({ port });
    await expect(agent.page.locator('#log li[data-from="customer"]')).toHaveCount(10, { timeout: 30_000 });
    const texts = await agent.page.locator('#log li[data-from="customer"]').evaluateAll((lis) => lis.map((li) => li.firstChild.textContent));
    expect(texts).toEqual(Array.from({ length: 10 }, (_, i) => `message number ${i + 1}`));
    const fromAgent = await customer.page.evaluate(
      () =>
        new Promise((resolve) => {
          const seen = [];
          window.desk.on('message', (m) => m.from === 'agent' && seen.push(m.text));
          setTimeout(() => resolve(seen), 3000);
        }),
    );
    expect(fromAgent).toEqual(['sent while the relay was down']);
    // And it keeps working after the restart.
    await send(11);
    await expect(agent.page.locator('#log li[data-from="customer"]')).toHaveCount(11);
  });

  test('4, 5: a video call through the desks: E2EE transforms on both sides, video renders at the agent; revoking camera ends the track within 500 ms and the agent\'s video stops', async ({ context }) => {
    const { agent, customer } = await connectPair(context, relay);
    await customer.page.evaluate(() => window.desk.consent.grant(['voice', 'video']));
    await customer.page.evaluate(() => window.desk.call.start({ video: true }));
    await expect(agent.page.locator('#call-status')).toContainText('calling', { timeout: 15_000 });
    await agent.page.getByRole('button', { name: 'Join call' }).click();
    await expect(agent.page.locator('#call-status')).toContainText('Call live · WebRTC', { timeout: 30_000 });
    await agent.page.bringToFront(); // background pages are throttled
    const rendered = await countRendered(agent.page, '#remote-video');
    await expect.poll(rendered, { timeout: 20_000 }).toBeGreaterThan(20);

    for (const page of [customer.page, agent.page]) {
      const stats = await page.evaluate(() => window.desk.call.stats());
      expect(stats.e2ee).toBe('script-transform');
      const state = await page.evaluate(() => window.desk.call.state());
      expect(state.e2ee).toBe('script-transform');
      expect(state.connection).toBe('connected');
    }
    // Every frame passed the core's sealer on the way out and its opener on the way in.
    const sent = (await customer.page.evaluate(() => window.desk.call.stats())).transforms;
    const received = (await agent.page.evaluate(() => window.desk.call.stats())).transforms;
    expect(sent['send:camera'].forwarded).toBeGreaterThan(20);
    expect(sent['send:camera'].failed).toBe(0);
    expect(received['receive:camera'].forwarded).toBeGreaterThan(20);
    expect(received['receive:voice'].forwarded).toBeGreaterThan(20);

    // Revoke camera mid-call.
    const elapsed = await customer.page.evaluate(async () => {
      const track = window.desk.call.localStream.getVideoTracks()[0];
      const t0 = performance.now();
      const revoked = window.desk.consent.revoke(['video']);
      while (track.readyState !== 'ended' && performance.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 5));
      const ms = performance.now() - t0;
      await revoked;
      return { ms, state: track.readyState, live: window.desk.call.localStream.getVideoTracks().length };
    });
    expect(elapsed.state).toBe('ended');
    expect(elapsed.ms).toBeLessThan(500);
    expect(elapsed.live).toBe(0);
    await expect(agent.page.locator('#call-status')).toContainText('camera: stopped by the customer', { timeout: 5000 });
    await agent.page.bringToFront();
    await agent.page.waitForTimeout(500);
    const after = await rendered();
    await agent.page.waitForTimeout(1500);
    expect(await rendered()).toBeLessThanOrEqual(after + 1);
  });

  test('voice notes: recorded from the fake microphone, sealed under voice, played and downloadable at the agent; a revoke mid-recording sends nothing', async ({ context }) => {
    const { agent, customer } = await connectPair(context, relay);
    await customer.page.evaluate(() => window.desk.consent.grant(['voice']));
    const sent = await customer.page.evaluate(async () => {
      const levels = [];
      const recording = await window.desk.voice.record({ onLevel: (l) => levels.push(l) });
      await new Promise((r) => setTimeout(r, 2500));
      const message = await recording.stop();
      return { id: message.id, durationMs: message.attachment.durationMs, peak: Math.max(...levels), kind: message.kind };
    });
    expect(sent.kind).toBe('voice-note');
    expect(sent.durationMs).toBeGreaterThan(1500);
    expect(sent.peak).toBeGreaterThan(0.01); // Chromium's fake microphone beeps
    const item = agent.page.locator(`#log li[data-kind="voice-note"]`);
    await expect(item).toHaveCount(1, { timeout: 15_000 });
    await expect(item).toContainText('Voice note');
    // The download is a standard Ogg Opus file: Debian's opusinfo reads it.
    const [download] = await Promise.all([agent.page.waitForEvent('download'), item.getByRole('link', { name: /Download/ }).click()]);
    const file = await download.path();
    const info = execFileSync('opusinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Opus stream 1/);
    expect(info).toMatch(/Playback length: 0m:0?[12]\./);
    await agent.page.bringToFront();
    await item.getByRole('button', { name: 'Play voice note' }).click();
    await expect(item.getByRole('button', { name: 'Play voice note' })).toHaveText('Pause');
    await expect.poll(() => item.getByRole('slider').inputValue().then(Number), { timeout: 5000 }).toBeGreaterThan(300);

    // Revoke voice while recording: the recording ends and nothing goes out.
    const outcome = await customer.page.evaluate(async () => {
      const recording = await window.desk.voice.record();
      await new Promise((r) => setTimeout(r, 500));
      await window.desk.consent.revoke(['voice']);
      return recording.state;
    });
    expect(outcome).toBe('cancelled');
    await customer.page.waitForTimeout(300);
    const before = binarySent(customer.frames);
    await customer.page.waitForTimeout(1000);
    expect(binarySent(customer.frames)).toBe(before);
    await expect(item).toHaveCount(1);
  });

  test('when WebRTC cannot connect, the call falls back to live audio over the relay, sealed, and both sides show the path', async ({ context }) => {
    const { agent, customer } = await connectPair(context, relay);
    await customer.page.evaluate(() => window.desk.consent.grant(['voice', 'video']));
    // A network that only allows a TURN path, and no TURN server: ICE cannot succeed.
    await customer.page.evaluate(() => window.desk.call.start({ video: true, fallbackAfterMs: 3000, network: { iceTransportPolicy: 'relay' } }));
    await agent.page.getByRole('button', { name: 'Join call' }).click();
    await expect(agent.page.locator('#call-status')).toHaveAttribute('data-path', 'relay', { timeout: 20_000 });
    await expect(agent.page.locator('#call-status')).toContainText('Call live · audio over the relay');
    await expect.poll(() => customer.page.evaluate(() => window.desk.call.state()?.path)).toBe('relay');
    await agent.page.bringToFront();
    // The agent hears the customer's (fake, beeping) microphone: frames arrive, are opened and played.
    await expect
      .poll(async () => (await agent.page.evaluate(() => window.desk.call.stats())).core?.played ?? 0, { timeout: 15_000 })
      .toBeGreaterThan(100);
    const heard = await agent.page.evaluate(() => window.desk.call.stats());
    expect(heard.path).toBe('relay');
    expect(heard.core.received).toBeGreaterThan(100);
    expect(heard.playback.frames).toBeGreaterThan(50);
    expect(heard.playback.level).toBeGreaterThan(0.001);
    const said = await customer.page.evaluate(() => window.desk.call.stats());
    expect(said.captured).toBeGreaterThan(100);
    // Mute on the relay path: nothing more is captured into frames.
    const muted = await customer.page.evaluate(async () => {
      await window.desk.call.setMuted(true);
      const a = (await window.desk.call.stats()).captured;
      await new Promise((r) => setTimeout(r, 600));
      const b = (await window.desk.call.stats()).captured;
      await window.desk.call.setMuted(false);
      return { a, b, microphone: window.desk.call.state().devices.microphone };
    });
    expect(muted.b - muted.a).toBeLessThanOrEqual(1);
    // Revoking voice ends it at once on the customer's side and the agent's.
    await customer.page.evaluate(() => window.desk.consent.revoke(['voice']));
    await expect.poll(() => customer.page.evaluate(() => window.desk.call.state())).toBeNull();
    await expect(agent.page.locator('#call-status')).toContainText('Call ended', { timeout: 5000 });
  });

  test('PII reveal in the agent console: only while the customer grants pii_reveal', async ({ context }) => {
    const { agent, customer } = await connectPair(context, relay);
    await customer.page.evaluate(() => window.desk.consent.grant(['pii_reveal']));
    await customer.page.waitForTimeout(1000); // the agent's reveal key arrives
    await customer.page.evaluate(() => window.desk.chat.send('ID 11010519491231002X and 13812345678'));
    const line = agent.page.locator('#log li[data-from="customer"]').last();
    await expect(line.getByRole('button', { name: /Reveal masked cn_id/ })).toBeVisible({ timeout: 10_000 });
    await line.getByRole('button', { name: /Reveal masked cn_id/ }).click();
    await expect(line.locator('mark[data-revealed="true"]')).toHaveText('11010519491231002X');
    await customer.page.evaluate(() => window.desk.consent.revoke(['pii_reveal']));
    await agent.page.waitForTimeout(1000);
    await line.getByRole('button', { name: /Reveal masked cn_mobile/ }).click();
    await expect(line.getByRole('button', { name: /Reveal masked cn_mobile/ })).toHaveText('Not permitted');
    await expect(line).not.toContainText('13812345678');
  });

  test('transfer to another agent from the console: new keys, the new agent reads on, the old one sees nothing more', async ({ context }) => {
    const { agent, customer } = await connectPair(context, relay);
    const firstCode = await agent.page.locator('#safety-code').textContent();
    const second = await context.newPage();
    await second.goto(`/demo/agent/?relay=${relay.url}&token=${AGENT_TOKEN}-2`);
    await expect(second.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await agent.page.locator('#transfer-to').fill('agent-2');
    await agent.page.getByRole('button', { name: 'Transfer', exact: true }).click();
    await second.getByRole('button', { name: /^Accept customer/ }).click();
    await expect(second.locator('#safety-code')).toHaveText(/^\d{5} \d{5} \d{5}/, { timeout: 15_000 });
    const secondCode = await second.locator('#safety-code').textContent();
    expect(secondCode).not.toBe(firstCode);
    await expect.poll(() => customer.page.evaluate(() => window.desk.session.info().then((i) => i.safetyCode))).toBe(secondCode);
    await customer.page.evaluate(() => window.desk.chat.send('after the transfer'));
    await expect(second.locator('#log li[data-from="customer"]')).toContainText('after the transfer');
    await agent.page.waitForTimeout(500);
    expect(await agent.page.locator('#log').textContent()).not.toContain('after the transfer');
  });

  test('a customer who hangs up before the agent joins ends the ringing at the agent', async ({ context }) => {
    const { agent, customer } = await connectPair(context, relay);
    await customer.page.evaluate(() => window.desk.consent.grant(['voice', 'video']));
    await customer.page.evaluate(() => window.desk.call.start({ video: true }));
    await expect(agent.page.locator('#call-status')).toContainText('calling', { timeout: 15_000 });
    await customer.page.evaluate(() => window.desk.call.hangup());
    await expect(agent.page.locator('#call-status')).toContainText('Call ended', { timeout: 10_000 });
    await expect(agent.page.getByRole('button', { name: 'Join call' })).toBeHidden();
  });
});
