// Calls and voice notes from <sealdesk-widget> on the real desk: the demo shop mounts the widget
// through SealDesk.create, the demo agent console answers through a real relay, Chromium's fake
// camera and microphone capture. The customer only uses the widget: the just-in-time prompt
// grants, the widget starts the call (or the recorder) itself, its call view shows what is
// captured, and its stop buttons withdraw the consent that ends the tracks.
import { test, expect } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { startRelay } from './desk-helpers.mjs';
import { watchCsp } from './csp.mjs';
import { part, texts, screenshot, currentView, openAgent, agentAccepts, acceptFirstLayer } from './widget-ui-helpers.mjs';
import { checkDeclared } from './declared.mjs';

const en = texts('en');
const zh = texts('zh-CN');
const storage = () => `widget-call-${Math.random().toString(36).slice(2)}`;

async function openShop(page, relay, locale = 'en') {
  const violations = await watchCsp(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`/demo/shop/?relay=${relay.url}&locale=${locale}&storage=${storage()}`);
  await expect(page.locator('#desk-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await page.evaluate(() => window.desk.on('call', (c) => (window.__lastCall = c)));
  return { violations, errors };
}


/** First layer "accept" as an adult, then the agent accepts: both hold the session keys. */
async function connect(page, agent) {
  await acceptFirstLayer(page);
  await agentAccepts(page, agent);
}

/** Clicks a chat tool and allows its just-in-time prompt (one with the default policy). */
async function useTool(page, tool) {
  await part(page, tool).click();
  await expect.poll(() => currentView(page), { timeout: 15_000 }).toBe('prompt');
  await part(page, 'allow').click();
}

/** Counts frames rendered by a <video> (requestVideoFrameCallback) from now on. */
async function countRendered(page, selector) {
  await page.evaluate((sel) => {
    const video = document.querySelector(sel);
    window.__rendered = 0;
    const tick = () => {
      window.__rendered++;
      video.requestVideoFrameCallback(tick);
    };
    video.requestVideoFrameCallback(tick);
  }, selector);
  return () => page.evaluate(() => window.__rendered);
}

const axe = async (page) => (await new AxeBuilder({ page }).include('sealdesk-widget').analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
const indicator = (page, device) => part(page, `indicator-${device}`);

test.describe('calls and voice notes from the widget', () => {
  let relay;
  test.beforeEach(async () => {
    relay = await startRelay();
  });
  test.afterEach(async () => {
    await relay?.close();
  });

  test('a video call started from the widget connects; the agent renders it; live indicators, mute and a one-tap camera stop that ends the track within 500 ms', async ({ page, context }) => {
    const agent = await openAgent(context, relay);
    const shop = await openShop(page, relay);
    await connect(page, agent);

    await useTool(page, 'video_call');
    await expect.poll(() => currentView(page), { timeout: 15_000 }).toBe('call');
    const w = page.locator('sealdesk-widget');
    await expect(w.locator('h2')).toHaveText(en['call.title_video']);
    await expect(agent.page.locator('#call-status')).toContainText('calling', { timeout: 20_000 });
    await agent.page.getByRole('button', { name: 'Join call' }).click();
    await expect(agent.page.locator('#call-status')).toContainText('Call live · WebRTC', { timeout: 20_000 });

    // The widget: live, direct, encrypted; camera and microphone said in words.
    await expect(part(page, 'call-state')).toHaveText(en['call.state_live'], { timeout: 15_000 });
    await expect(part(page, 'call-path')).toHaveText(en['call.path_webrtc']);
    await expect(part(page, 'call-e2ee')).toHaveText(en['call.e2ee_on']);
    await expect(indicator(page, 'camera')).toHaveText(en['call.camera_live']);
    await expect(indicator(page, 'camera')).toHaveAttribute('data-state', 'live');
    await expect(indicator(page, 'microphone')).toHaveText(en['call.microphone_live']);
    await expect(part(page, 'capture-button')).toHaveText(`Call: ${en['call.camera_live']} · ${en['call.microphone_live']}`);
    await expect(part(page, 'local-video')).toBeVisible();
    await expect(part(page, 'remote-video')).toBeVisible({ timeout: 15_000 });
    // desk.call.state() is the CallState the declarations promise (it once lacked state and session).
    const callState = await page.evaluate(() => window.desk.call.state());
    expect(callState).toMatchObject({ session: expect.any(String), state: 'live', path: 'webrtc', devices: { camera: 'live', microphone: 'live' } });
    expect(checkDeclared({ CallState: callState, 'DeskEvents["call"]': await page.evaluate(() => window.__lastCall) })).toBe('');

    // The agent console renders the customer's video.
    await agent.page.bringToFront(); // background pages are throttled
    const rendered = await countRendered(agent.page, '#remote-video');
    await expect.poll(rendered, { timeout: 15_000 }).toBeGreaterThan(20);
    await page.bringToFront();

    // Mute and unmute (by keyboard): the indicator follows the desk.
    await part(page, 'mute').focus();
    await page.keyboard.press('Enter');
    await expect(indicator(page, 'microphone')).toHaveText(en['call.microphone_muted']);
    await expect(part(page, 'mute')).toHaveAttribute('aria-pressed', 'true');
    await expect(agent.page.locator('#call-status')).toContainText('microphone: receiving'); // muted audio still flows (silence)
    await page.keyboard.press('Space');
    await expect(indicator(page, 'microphone')).toHaveText(en['call.microphone_live']);

    // Camera off (the device is released) and on again: a new track, shown in the preview.
    await part(page, 'camera-off').click();
    await expect(indicator(page, 'camera')).toHaveText(en['call.camera_off']);
    await expect(part(page, 'camera-off')).toHaveAttribute('aria-pressed', 'true');
    await expect(part(page, 'local-video')).toBeHidden();
    expect(await page.evaluate(() => window.desk.call.localStream.getVideoTracks().length)).toBe(0);
    await part(page, 'camera-off').click();
    await expect(indicator(page, 'camera')).toHaveText(en['call.camera_live']);
    await expect(part(page, 'local-video')).toBeVisible();
    await expect
      .poll(() => part(page, 'local-video').evaluate((v) => new Promise((resolve) => {
        v.requestVideoFrameCallback(() => resolve(v.srcObject?.getVideoTracks()[0]?.readyState ?? 'none'));
        setTimeout(() => resolve('no frame'), 1000);
      })), { timeout: 10_000 })
      .toBe('live');

    expect(await axe(page)).toEqual([]);
    await screenshot(page, 'widget-en-call-live');
    // The same call view in Chinese (the view is rebuilt around the running call), then back.
    await page.evaluate(async () => (document.querySelector('sealdesk-widget').texts = await window.desk.consent.texts('zh-CN')));
    await expect(w.locator('h2')).toHaveText(zh['call.title_video']);
    await expect(indicator(page, 'camera')).toHaveText(zh['call.camera_live']);
    await expect(part(page, 'call-path')).toHaveText(zh['call.path_webrtc']);
    await expect(part(page, 'remote-video')).toBeVisible();
    expect(await axe(page)).toEqual([]);
    await screenshot(page, 'widget-zh-CN-call-live');
    await page.evaluate(async () => (document.querySelector('sealdesk-widget').texts = await window.desk.consent.texts('en')));
    await expect(w.locator('h2')).toHaveText(en['call.title_video']);

    // One tap on "stop camera": the local video track ends within 500 ms, measured in the page.
    const stop = await page.evaluate(async () => {
      const track = window.desk.call.localStream.getVideoTracks()[0];
      const button = document.querySelector('sealdesk-widget').shadowRoot.querySelector('[part~="stop-camera"]');
      button.focus();
      const t0 = performance.now();
      button.click();
      while (track.readyState !== 'ended' && performance.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 5));
      return { ms: performance.now() - t0, state: track.readyState };
    });
    expect(stop.state).toBe('ended');
    expect(stop.ms).toBeLessThan(500);
    console.log(`widget "stop camera" -> local video track ended in ${stop.ms.toFixed(1)} ms`);
    await expect(indicator(page, 'camera')).toHaveText(en['call.camera_revoked']);
    await expect(indicator(page, 'camera')).toHaveAttribute('data-state', 'revoked');
    await expect(part(page, 'stop-camera')).toHaveAttribute('aria-disabled', 'true');
    await expect(part(page, 'stop-camera')).toBeFocused(); // focus stays on the control
    await expect(part(page, 'capture-button')).toHaveText(`Call: ${en['call.microphone_live']}`);
    expect((await page.evaluate(() => window.desk.consent.state())).purposes.video).toBe('denied');
    expect((await page.evaluate(() => window.desk.consent.receipts())).at(-1).receipt).toMatchObject({ collectionMethod: 'call-view' });
    await expect(agent.page.locator('#call-status')).toContainText('camera: stopped by the customer', { timeout: 5000 });

    // Hang up: ended on both sides; focus on "back to chat"; the call tab goes with it.
    await part(page, 'hangup').click();
    await expect(part(page, 'call-state')).toHaveText(en['call.state_ended']);
    await expect(part(page, 'call-back')).toBeFocused();
    await expect(part(page, 'capture')).toBeHidden();
    await expect(agent.page.locator('#call-status')).toContainText('Call ended', { timeout: 5000 });
    await part(page, 'call-back').click();
    await expect.poll(() => currentView(page)).toBe('chat');
    await expect(part(page, 'tab-call')).toHaveCount(0);

    expect(shop.errors).toEqual([]);
    expect(await shop.violations()).toEqual([]);
    expect(await agent.violations()).toEqual([]);
  });

  test('with callOptions that force the relay path, the widget says the call is audio only through the relay; the agent hears it there', async ({ page, context }) => {
    const agent = await openAgent(context, relay);
    const shop = await openShop(page, relay, 'zh-CN');
    await connect(page, agent);
    // A network that only allows a TURN path, and no TURN server: WebRTC cannot connect.
    await page.evaluate(() => (document.querySelector('sealdesk-widget').callOptions = { network: { iceTransportPolicy: 'relay' }, fallbackAfterMs: 3000 }));
    await useTool(page, 'video_call');
    await expect.poll(() => currentView(page), { timeout: 15_000 }).toBe('call');
    await expect(agent.page.locator('#call-status')).toContainText('calling', { timeout: 20_000 });
    await agent.page.getByRole('button', { name: 'Join call' }).click();

    await expect(agent.page.locator('#call-status')).toHaveAttribute('data-path', 'relay', { timeout: 20_000 });
    await expect(agent.page.locator('#call-status')).toContainText('audio over the relay');
    await agent.page.bringToFront(); // the agent hears the customer's fake microphone: frames opened and played
    await expect.poll(async () => (await agent.page.evaluate(() => window.desk.call.stats())).core?.played ?? 0, { timeout: 15_000 }).toBeGreaterThan(50);
    await page.bringToFront();
    await expect(part(page, 'call-path')).toHaveText(zh['call.path_relay']);
    await expect(part(page, 'call')).toHaveAttribute('data-path', 'relay');
    await expect(part(page, 'call-state')).toHaveText(zh['call.state_live'], { timeout: 15_000 });
    await expect(part(page, 'call-e2ee')).toHaveText(zh['call.e2ee_on']);
    await expect(part(page, 'call-e2ee')).toHaveAttribute('data-e2ee', 'relay-frames');
    await expect(part(page, 'stage')).toContainText(zh['call.audio_only']);
    await expect(indicator(page, 'camera')).toHaveText(zh['call.camera_off']);
    await expect(indicator(page, 'microphone')).toHaveText(zh['call.microphone_live']);
    await expect(part(page, 'mute')).toBeHidden(); // no mute on the relay path: "stop microphone" ends it
    await expect(part(page, 'camera-off')).toBeHidden();
    expect(await axe(page)).toEqual([]);
    await screenshot(page, 'widget-zh-CN-call-relay');

    // "Stop microphone" withdraws voice: on the relay path that ends the call on both sides.
    await part(page, 'stop-microphone').click();
    await expect(part(page, 'call-state')).toHaveText(zh['call.state_ended']);
    await expect(agent.page.locator('#call-status')).toContainText('Call ended', { timeout: 5000 });
    expect((await page.evaluate(() => window.desk.consent.state())).purposes.voice).toBe('denied');
    expect(shop.errors).toEqual([]);
    expect(await shop.violations()).toEqual([]);
    expect(await agent.violations()).toEqual([]);
  });

  test('voice notes from the chat: level, time against the maximum, send arrives at the agent; discard and a withdrawal send nothing; the length limit stops it', async ({ page, context }) => {
    const agent = await openAgent(context, relay);
    const shop = await openShop(page, relay);
    await connect(page, agent);
    const w = page.locator('sealdesk-widget');
    const recorder = part(page, 'recorder');
    const agentNotes = agent.page.locator('#log li[data-kind="voice-note"]');
    const ownNotes = w.locator('[part~=message-own][data-kind="voice-note"]');

    await useTool(page, 'voice_note');
    await expect(recorder).toHaveAttribute('data-state', 'recording', { timeout: 15_000 });
    await expect.poll(() => currentView(page)).toBe('chat');
    await expect(recorder.locator('.rec-title')).toHaveText(en['voice.title_recording']);
    await expect(part(page, 'record-send')).toBeFocused();
    // The meter moves with the fake microphone's beeps (watched in the page: a beep is short).
    await part(page, 'level').evaluate((m) => {
      window.__peak = 0;
      new MutationObserver(() => (window.__peak = Math.max(window.__peak, m.value))).observe(m, { attributes: true });
    });
    await expect.poll(() => page.evaluate(() => window.__peak), { timeout: 5000 }).toBeGreaterThan(0.3);
    await expect(part(page, 'elapsed')).toHaveText(/^0:0[1-9] \/ 2:00$/, { timeout: 5000 });
    await expect(part(page, 'elapsed')).toHaveAttribute('aria-label', /recorded of at most 2:00$/);
    expect(await axe(page)).toEqual([]);
    await screenshot(page, 'widget-en-voice-note-recording');
    await page.keyboard.press('Enter'); // send, by keyboard
    await expect(ownNotes).toHaveCount(1, { timeout: 15_000 });
    await expect(ownNotes).toContainText(/Voice note, \d:\d\d/);
    await expect(ownNotes.locator('[part~=delivery]')).toHaveAttribute('data-state', 'delivered', { timeout: 15_000 });
    await expect(ownNotes.locator('progress')).toBeHidden();
    expect(await ownNotes.locator('progress').evaluate((p) => p.value / p.max)).toBe(1); // every sealing step was reported
    await expect(recorder).toHaveCount(0);
    await expect(part(page, 'voice_note')).toBeFocused();
    await expect(agentNotes).toHaveCount(1, { timeout: 15_000 });
    await expect(agentNotes).toContainText('Voice note');

    // Discard (Escape, no prompt the second time): nothing is sent.
    await part(page, 'voice_note').click();
    await expect(recorder).toHaveAttribute('data-state', 'recording', { timeout: 15_000 });
    await expect(part(page, 'elapsed')).toHaveText(/^0:01/, { timeout: 5000 });
    await page.keyboard.press('Escape');
    await expect(recorder).toHaveCount(0);
    await expect(w.locator('[role=status]')).toHaveText(en['voice.cancelled']);
    await expect(part(page, 'panel')).toBeVisible(); // Escape discarded the note, it did not close the panel

    // Withdrawing voice while recording (from anywhere): the desk cancels, the recorder says so.
    await part(page, 'voice_note').click();
    await expect(recorder).toHaveAttribute('data-state', 'recording', { timeout: 15_000 });
    await page.evaluate(() => window.desk.consent.revoke(['voice']));
    await expect(recorder).toHaveAttribute('data-state', 'revoked');
    await expect(part(page, 'recorder-note')).toHaveText(en['voice.revoked']);
    await expect(part(page, 'record-send')).toBeHidden();
    await part(page, 'record-close').click();
    await expect(recorder).toHaveCount(0);

    // The maximum length stops the recording; it can still be sent.
    await page.evaluate(() => (document.querySelector('sealdesk-widget').voiceNoteMaxMs = 1500));
    await useTool(page, 'voice_note'); // voice was withdrawn: asked again
    await expect(recorder).toHaveAttribute('data-state', 'limit', { timeout: 15_000 });
    await expect(part(page, 'elapsed')).toHaveText('0:01 / 0:01');
    await expect(part(page, 'recorder-note')).toHaveText(en['voice.limit'].replace('{max}', '0:01'));
    await part(page, 'record-send').click();
    await expect(ownNotes).toHaveCount(2, { timeout: 15_000 });
    await expect(agentNotes).toHaveCount(2, { timeout: 15_000 });
    await page.waitForTimeout(500);
    await expect(agentNotes).toHaveCount(2); // the discarded and the withdrawn notes never left

    expect(shop.errors).toEqual([]);
    expect(await shop.violations()).toEqual([]);
    expect(await agent.violations()).toEqual([]);
  });

  test('a call asked for before any agent has joined waits in the call view; hang up there ends it before it starts; a voice call has no camera controls', async ({ page }) => {
    const shop = await openShop(page, relay);
    const w = page.locator('sealdesk-widget');
    await acceptFirstLayer(page);
    await page.evaluate(() => {
      const media = navigator.mediaDevices;
      const getUserMedia = media.getUserMedia.bind(media);
      window.__captures = 0;
      media.getUserMedia = (constraints) => (window.__captures++, getUserMedia(constraints));
    });
    await useTool(page, 'video_call');
    await expect.poll(() => currentView(page), { timeout: 15_000 }).toBe('call');
    // No agent, no session keys yet: the desk is still preparing; nothing is captured.
    await expect(part(page, 'call-state')).toHaveText(en['call.state_preparing']);
    await expect(indicator(page, 'camera')).toHaveText(en['call.camera_off']);
    await expect(indicator(page, 'microphone')).toHaveText(en['call.microphone_off']);
    await expect(part(page, 'mute')).toHaveAttribute('aria-disabled', 'true');
    await expect(part(page, 'capture-button')).toHaveText(`Call: ${en['call.state_preparing']}`);
    expect(await page.evaluate(() => window.desk.call.localStream)).toBeNull();
    await part(page, 'hangup').click();
    await expect(part(page, 'call-state')).toHaveText(en['call.state_ended']);
    await expect(part(page, 'call-back')).toBeFocused();
    await expect(part(page, 'capture')).toBeHidden();
    await page.keyboard.press('Enter');
    await expect.poll(() => currentView(page)).toBe('chat');
    await expect(part(page, 'tab-call')).toHaveCount(0);
    // The hangup cancelled it for good: when an agent joins and the keys arrive, the camera
    // and microphone are not opened and the agent is not rung.
    const agent = await openAgent(page.context(), relay);
    await agentAccepts(page, agent);
    // A message both ways proves the session keys are there (what the cancelled start waited for).
    await w.locator('#sd-input').fill('Still there?');
    await w.locator('#sd-input').press('Enter');
    await expect(agent.page.getByText('Still there?')).toBeVisible({ timeout: 15_000 });
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => window.__captures)).toBe(0);
    expect(await page.evaluate(() => window.desk.call.localStream)).toBeNull();
    await expect(agent.page.locator('#join-call')).toBeHidden();

    // A voice call from the chat's phone button (voice is granted already, so no prompt): no
    // stage, no camera controls.
    await part(page, 'voice_call').click();
    await expect.poll(() => currentView(page), { timeout: 15_000 }).toBe('call');
    await expect(w.locator('h2')).toHaveText(en['call.title_voice']);
    await expect(part(page, 'stage')).toBeHidden();
    await expect(part(page, 'stop-camera')).toBeHidden();
    await expect(part(page, 'camera-off')).toBeHidden();
    await expect(part(page, 'stop-microphone')).toBeVisible();
    await expect(part(page, 'tab-call')).toHaveAttribute('aria-current', 'page');
    await part(page, 'hangup').click();
    await expect(part(page, 'call-state')).toHaveText(en['call.state_ended']);
    expect(shop.errors).toEqual([]);
    expect(await shop.violations()).toEqual([]);
    expect(await agent.violations()).toEqual([]);
  });
});
