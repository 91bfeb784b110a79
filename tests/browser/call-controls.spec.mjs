// Call controls (js/media/call.js): the insertable-streams fallback, key rotation and wipe,
// mute and camera toggles with the visible state, hangup, and refusing a call without E2EE.
import { test, expect } from '@playwright/test';
import { PURPOSE_INDEX, randomKey, openPair, startCall, sleep, rendered, stats, state, waitRendered, waitStats, expectNoCspViolations, expectHealthy } from './call-helpers.mjs';
import { watchCsp } from './csp.mjs';

test.describe('call controls', () => {
  test.afterEach(async ({ context }) => {
    await expectNoCspViolations(context.pages());
  });

  test('falls back to insertable streams (createEncodedStreams) with the same sealing', async ({ context }) => {
    const pages = await openPair(context);
    const started = await startCall(pages, {
      customer: { e2ee: 'insertable-streams', keysAsArray: true },
      agent: { e2ee: 'insertable-streams' },
    });
    expect(started.map((s) => s.e2ee)).toEqual(['insertable-streams', 'insertable-streams']);
    expect(started[0].keysZeroed).toBe(true); // the caller's key arrays, once handed over
    await waitRendered(pages.agent, 30);
    for (const page of Object.values(pages)) {
      const attached = await page.evaluate(() => window.transformsAttached());
      for (const t of attached) expect(t).toMatchObject({ sender: null, receiver: null }); // streams, not script transforms
      const s = await stats(page);
      for (const slot of ['send:camera', 'receive:camera', 'send:voice', 'receive:voice']) {
        expectHealthy(s.transforms[slot], slot);
      }
    }
  });

  test('rotating the sender key mid-call keeps video flowing; a wipe from the key source stops it (fail closed)', async ({ context }) => {
    const pages = await openPair(context);
    await startCall(pages);
    await waitRendered(pages.agent, 20);

    await pages.customer.evaluate(() => window.call.rotateKeys('camera')); // from the page
    let count = (await rendered(pages.agent)).count;
    await waitRendered(pages.agent, count + 30);
    await pages.customer.evaluate(() => window.keySource.postMessage({ type: 'rotate', purpose: 'camera' })); // from the key source
    count = (await rendered(pages.agent)).count;
    await waitRendered(pages.agent, count + 30);
    // The opener followed both generations on its own: no frame failed to open for want of a key.
    expectHealthy((await stats(pages.agent)).transforms['receive:camera'], 'receive:camera');

    // The key source wipes the camera keys: the customer's transform drops every frame from then on.
    await pages.customer.evaluate(() => window.keySource.postMessage({ type: 'wipe', purpose: 'camera' }));
    const dropped = (await stats(pages.customer)).transforms['send:camera'].droppedNoKey;
    await waitStats(pages.customer, (s) => s.transforms['send:camera'].droppedNoKey > dropped + 30);
    await sleep(1000);
    const stopped = await rendered(pages.agent);
    await sleep(2000);
    expect(await rendered(pages.agent)).toEqual(stopped);
    const customer = await stats(pages.customer);
    expect(customer.keys.map((k) => k.slot).sort()).toEqual(['receive:voice', 'send:voice']);
    await expect(pages.customer.evaluate(() => window.call.rotateKeys('camera'))).rejects.toThrow(/no sender key for camera/);

    // A malformed key is refused and reported to the key source; frames stay dropped.
    await pages.customer.evaluate(() => window.sendKey({ purpose: 'camera', direction: 'send', keyId: '0', baseKey: '00'.repeat(16) }));
    await pages.customer.waitForFunction(() => window.keyReplies.length > 0);
    expect(await pages.customer.evaluate(() => window.keyReplies)).toEqual([
      { type: 'error', of: 'key', purpose: 'camera', direction: 'send', message: 'baseKey must be 32 bytes' },
    ]);
    expect((await stats(pages.customer)).keys.map((k) => k.slot)).not.toContain('send:camera');

    // New keys under a new epoch (what a re-grant brings) make the video flow again.
    const epoch2 = { purpose: 'camera', keyId: String((2 << 24) | (PURPOSE_INDEX.camera << 16)), baseKey: randomKey() };
    await pages.agent.evaluate((k) => window.sendKey({ ...k, direction: 'receive' }), epoch2);
    await pages.customer.evaluate((k) => window.sendKey({ ...k, direction: 'send' }), epoch2);
    await waitRendered(pages.agent, stopped.count + 30);
  });

  test('mute and camera toggles change what is captured, and the visible state says so', async ({ context }) => {
    const pages = await openPair(context);
    await startCall(pages);
    await waitRendered(pages.agent, 20);
    expect((await state(pages.customer)).devices).toEqual({ camera: 'live', microphone: 'live' });

    const muted = await pages.customer.evaluate(() => {
      window.call.setMuted(true);
      return { state: window.call.state.devices, enabled: window.call.localStream.getAudioTracks().map((t) => t.enabled) };
    });
    expect(muted).toEqual({ state: { camera: 'live', microphone: 'muted' }, enabled: [false] });
    await pages.customer.evaluate(() => window.call.setMuted(false));
    expect((await state(pages.customer)).devices.microphone).toBe('live');

    const off = await pages.customer.evaluate(async () => {
      const [camera] = window.call.localStream.getVideoTracks();
      await window.call.setCamera(false);
      return { state: window.call.state.devices.camera, track: camera.readyState, tracks: window.call.localStream.getVideoTracks().length };
    });
    expect(off).toEqual({ state: 'off', track: 'ended', tracks: 0 }); // the device is released
    await sleep(1000);
    const stopped = await rendered(pages.agent);
    await sleep(1500);
    expect(await rendered(pages.agent)).toEqual(stopped);

    await pages.customer.evaluate(() => window.call.setCamera(true));
    expect((await state(pages.customer)).devices.camera).toBe('live');
    await waitRendered(pages.agent, stopped.count + 30); // the same sealed sender, a new track

    const seen = await pages.customer.evaluate(() => window.states.map((s) => `${s.devices.camera}/${s.devices.microphone}`));
    for (const step of ['live/live', 'live/muted', 'off/live']) expect(seen).toContain(step);
  });

  test('revoking voice ends the microphone at once and keeps video; hangup then ends both sides', async ({ context }) => {
    const pages = await openPair(context);
    await startCall(pages);
    await waitRendered(pages.agent, 10);

    const revoke = await pages.customer.evaluate(() => window.revoke('voice'));
    expect(revoke).toMatchObject({ tracks: 1, readyStates: ['ended'] });
    expect(revoke.endedAfterMs).toBeLessThan(500);
    await pages.agent.waitForFunction(() => window.call.state.remote.voice === 'revoked');
    for (const page of Object.values(pages)) {
      expect((await state(page)).devices).toEqual({ camera: 'live', microphone: 'revoked' });
      expect((await stats(page)).keys.map((k) => k.slot).sort()).toEqual(['receive:camera', 'send:camera']);
    }
    await expect(pages.customer.evaluate(() => window.call.setMuted(false))).rejects.toThrow(/voice was revoked/);
    const count = (await rendered(pages.agent)).count;
    await waitRendered(pages.agent, count + 20); // video goes on

    await pages.customer.evaluate(() => window.call.hangup());
    await pages.agent.waitForFunction(() => window.call.state.ended);
    for (const page of Object.values(pages)) {
      const end = await page.evaluate(() => ({
        state: window.call.state,
        tracks: window.call.localStream.getTracks().map((t) => t.readyState),
      }));
      expect(end.state).toMatchObject({ ended: true, connection: 'closed', remote: { camera: 'ended', voice: 'revoked' } });
      expect(end.tracks.every((t) => t === 'ended')).toBe(true);
      expect(await page.evaluate(() => window.call.stats())).toMatchObject({ ended: true });
    }
  });

  test('without an encoded-frame API the call is refused before any camera opens', async ({ page }) => {
    page.violations = await watchCsp(page);
    await page.goto('/tests/browser/fixtures/call.html?channel=refused');
    await expect(page.locator('#state')).toHaveText('ready');
    const result = await page.evaluate(async () => {
      delete window.RTCRtpScriptTransform;
      delete RTCRtpSender.prototype.createEncodedStreams;
      let captures = 0;
      const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = (c) => (captures++, getUserMedia(c));
      try {
        await window.startCall({ role: 'customer', keys: [] });
        return { code: null, captures };
      } catch (e) {
        return { code: e.code, message: e.message, captures };
      }
    });
    expect(result).toMatchObject({ code: 'MEDIA_UNAVAILABLE', captures: 0 });
    expect(result.message).toMatch(/E2EE/);
  });
});
