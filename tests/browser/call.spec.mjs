// Video/audio calls with end-to-end encrypted frames (js/media/call.js + frame-transform-worker.js)
// between two pages of one Chromium context, Chromium's fake camera and microphone as sources.
import { test, expect } from '@playwright/test';
import {
  newKeys, randomKey, openPair, startCall, sleep, rendered, stats, state, waitRendered, waitStats, expectNoCspViolations, expectHealthy,
} from './call-helpers.mjs';

test.describe('calls with E2EE frames', () => {
  test.afterEach(async ({ context }) => {
    await expectNoCspViolations(context.pages());
  });

  test('a call connects with the transform on every sender and receiver; video renders at both ends', async ({ context }) => {
    const keys = newKeys();
    const pages = await openPair(context);
    const started = await startCall(pages, { keys });
    expect(started.map((s) => s.e2ee)).toEqual(['script-transform', 'script-transform']);

    await waitRendered(pages.agent, 30); // requestVideoFrameCallback fired 30 times at the agent
    await pages.customer.bringToFront();
    const before = (await rendered(pages.customer)).count;
    await waitRendered(pages.customer, before + 30);

    for (const page of Object.values(pages)) {
      expect((await state(page)).connection).toBe('connected');
      const attached = await page.evaluate(() => window.transformsAttached());
      expect(attached.map((t) => t.kind).sort()).toEqual(['audio', 'video']);
      for (const t of attached) expect(t).toMatchObject({ sender: 'RTCRtpScriptTransform', receiver: 'RTCRtpScriptTransform' });
      const s = await stats(page);
      expect(s.coreLoaded).toBe(true);
      for (const slot of ['send:camera', 'receive:camera', 'send:voice', 'receive:voice']) {
        expectHealthy(s.transforms[slot], slot);
      }
      expect(Object.keys(s.transforms['send:camera'].codecs)).toEqual(['vp8']);
      expect(Object.keys(s.transforms['send:voice'].codecs)).toEqual(['opus']);
      const sent = s.transforms['send:camera'];
      expect(sent.bytesOut - sent.bytesIn).toBeGreaterThanOrEqual(sent.forwarded * 17); // SFrame header + tag
      const received = s.transforms['receive:camera'];
      expect(received.bytesIn - received.bytesOut).toBeGreaterThanOrEqual(received.forwarded * 17);
    }
    const cost = (c) => `${((1000 * c.coreMs) / c.forwarded).toFixed(0)} µs/frame (${Math.round(c.bytesIn / c.forwarded)} B)`;
    const c = (await stats(pages.customer)).transforms;
    const a = (await stats(pages.agent)).transforms;
    console.log(`seal VP8 ${cost(c['send:camera'])}, open VP8 ${cost(a['receive:camera'])}, seal Opus ${cost(c['send:voice'])}, open Opus ${cost(a['receive:voice'])}`);
    const video = await pages.agent.evaluate(() => [document.getElementById('remote').videoWidth, document.getElementById('remote').videoHeight]);
    expect(video[0]).toBeGreaterThan(0);
    expect(video[1]).toBeGreaterThan(0);

    // What a relay carrying the signaling would see: SDP and candidates, no frame key.
    const hexKeys = Object.values(keys).flatMap((k) => Object.values(k));
    const b64Keys = hexKeys.map((h) => Buffer.from(h, 'hex').toString('base64'));
    for (const page of Object.values(pages)) {
      const signals = (await page.evaluate(() => window.signals)).join('\n');
      expect(signals).toContain('"type":"description"');
      for (const k of [...hexKeys, ...b64Keys]) expect(signals.toLowerCase()).not.toContain(k.toLowerCase());
      expect(signals).not.toMatch(/typ (srflx|relay)/); // host candidates only
    }
  });

  test('with a wrong key at the receiver no frame renders, and its transform counts failed opens', async ({ context }) => {
    const keys = newKeys();
    const wrong = structuredClone(keys);
    wrong.camera.customer = randomKey(); // the agent opens the customer's video with the wrong key
    const pages = await openPair(context);
    await startCall(pages, { keys, agent: { keys: wrong } });

    // The customer's transform keeps sealing video while the agent's keeps refusing it.
    await waitStats(pages.customer, (s) => s.transforms['send:camera']?.forwarded >= 60);
    await waitStats(pages.agent, (s) => s.transforms['receive:camera']?.failed >= 30);
    await sleep(3000);
    expect(await rendered(pages.agent)).toEqual({ count: 0, lastAt: 0 });
    const agentStats = await stats(pages.agent);
    const refused = agentStats.transforms['receive:camera'];
    expect(refused.forwarded).toBe(0);
    expect(Object.keys(refused.failures)).toEqual(['AUTH_FAILED']);
    expect(refused.failed).toBeGreaterThanOrEqual(60);
    expect((await state(pages.agent)).connection).toBe('connected');
    // The voice key is right: the failure is the camera key's, not the call's.
    expect(agentStats.transforms['receive:voice'].forwarded).toBeGreaterThan(50);
    expectHealthy(agentStats.transforms['receive:voice'], 'receive:voice');

    // Control: the agent's video, sealed under a key both hold, renders at the customer.
    await pages.customer.bringToFront();
    await waitRendered(pages.customer, 20);
  });

  test('revoking the camera mid-call ends the local video track at once and the remote video stops', async ({ context }) => {
    const pages = await openPair(context);
    await startCall(pages);
    await waitRendered(pages.agent, 30);

    const revoke = await pages.customer.evaluate(() => window.revoke('camera'));
    expect(revoke.tracks).toBe(1);
    expect(revoke.readyStates).toEqual(['ended']);
    expect(revoke.endedAfterMs).toBeLessThan(500);
    expect(revoke.wipedAfterMs).toBeLessThan(500);
    expect((await state(pages.customer)).devices.camera).toBe('revoked');
    expect(await pages.customer.evaluate(() => window.call.localStream.getVideoTracks().length)).toBe(0);

    // Frames already in flight may still land for a moment; then nothing more renders.
    await sleep(1500);
    const stopped = await rendered(pages.agent);
    await sleep(2500);
    expect(await rendered(pages.agent)).toEqual(stopped);
    console.log(`revoke: track ended after ${revoke.endedAfterMs.toFixed(2)} ms, keys wiped after ${revoke.wipedAfterMs.toFixed(1)} ms, last frame at the agent ${stopped.lastAt - revoke.wall} ms after`);
    expect(stopped.lastAt - revoke.wall).toBeLessThan(1500);

    // Both sides wiped the camera keys; the voice goes on.
    for (const page of Object.values(pages)) {
      const s = await stats(page);
      expect(s.keys.map((k) => k.slot).sort()).toEqual(['receive:voice', 'send:voice']);
      const st = await state(page);
      expect(st.devices.camera).toBe('revoked');
      expect(st.remote.camera).toBe('revoked');
      expect(st.devices.microphone).toBe('live');
    }
    const voice = (await stats(pages.agent)).transforms['receive:voice'].forwarded;
    await waitStats(pages.agent, (s) => s.transforms['receive:voice'].forwarded > voice + 20);
    await expect(pages.customer.evaluate(() => window.call.setCamera(true))).rejects.toThrow(/camera was revoked/);
  });

  test('sealed frames are not plaintext: only the codec prefix stays clear', async ({ context }) => {
    const pages = await openPair(context);
    await startCall(pages, { customer: { audit: 80 } });
    await waitStats(pages.customer, (s) => s.transforms['send:camera']?.audit.length >= 80 && s.transforms['send:voice']?.audit.length >= 80);
    const s = await stats(pages.customer);

    const video = s.transforms['send:camera'].audit;
    expect(video.some((f) => f.type === 'key')).toBe(true);
    expect(video.some((f) => f.type === 'delta')).toBe(true);
    for (const f of video) {
      expect(f.plaintextFound).toBe(false); // no 16-byte run of the payload survives sealing
      // VP8 (RFC 6386 §9.1): 10 clear bytes on key frames, 3 on delta frames; the next byte is the
      // SFrame header, which may match the plaintext by chance (1 in 256) but rarely more.
      expect(f.commonPrefix).toBeGreaterThanOrEqual(f.type === 'key' ? 10 : 3);
      expect(f.commonPrefix).toBeLessThan(f.type === 'key' ? 13 : 6);
      expect(f.sealedBytes - f.plainBytes).toBeGreaterThanOrEqual(17); // header (≥ 1) + tag (16)
      expect(f.sealedBytes - f.plainBytes).toBeLessThanOrEqual(33);
    }
    const audio = s.transforms['send:voice'].audit;
    expect(audio.filter((f) => f.plainBytes >= 32).length).toBeGreaterThan(10); // the fake microphone's beeps
    for (const f of audio) {
      expect(f.plaintextFound).toBe(false);
      expect(f.commonPrefix).toBeGreaterThanOrEqual(1); // the Opus TOC byte (RFC 6716 §3.1)
      expect(f.commonPrefix).toBeLessThan(4);
    }
    // The receiver gets exactly what was sealed and opens it.
    await waitRendered(pages.agent, 20);
  });
});
