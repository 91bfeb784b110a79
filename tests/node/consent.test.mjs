// The consent engine through the WASM build: the shared scenario gives the native results byte
// for byte, receipts verify with Node's own Ed25519 (OpenSSL, not libsodium), tampered stores
// are rejected with typed errors, and every failure is a SealDeskError with a stable code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import crypto from 'node:crypto';
import { core } from './helpers.mjs';
import { SealDeskError } from '../../js/errors.js';

const root = new URL('../../', import.meta.url);
const read = (path) => readFile(new URL(path, root), 'utf8');

const consent = core;

let fixtures;
async function defaults() {
  fixtures ??= (async () => ({
    // The shipped policy names no controller; the example site's (tests/fixtures/site.json) is added.
    policy: JSON.stringify({ ...JSON.parse(await read('consent/policies/default.json')), ...JSON.parse(await read('tests/fixtures/site.json')) }),
    locales: {
      en: await read('consent/locales/en.json'),
      'zh-CN': await read('consent/locales/zh-CN.json'),
      'zh-TW': await read('consent/locales/zh-TW.json'),
    },
    scenario: JSON.parse(await read('tests/node/consent-scenario.json')),
  }))();
  return fixtures;
}

const T0 = 1_750_000_000_000;
const seedOf = (fill) => Uint8Array.from({ length: 32 }, (_, i) => (fill + i) & 0xff);

async function engine({ seed = seedOf(7), policy } = {}) {
  const { ConsentEngine } = await consent();
  const d = await defaults();
  return new ConsentEngine({ policy: policy ?? d.policy, locales: d.locales, seed });
}

// RFC 8785 for the values receipts hold: JSON.stringify on key-sorted objects.
const canonical = (v) =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`
      : JSON.stringify(v);

const nodeVerifies = (entry) =>
  crypto.verify(
    null,
    Buffer.from(canonical(entry.receipt), 'utf8'),
    crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: entry.receipt.publicKey }, format: 'jwk' }),
    Buffer.from(entry.signature, 'base64url'),
  );

const codeOf = (fn) => {
  try {
    fn();
    return 'OK';
  } catch (e) {
    assert.ok(e instanceof SealDeskError, `expected a SealDeskError, got ${e}`);
    return e.code;
  }
};

function history(e) {
  e.grant(['routing', 'chat', 'video'], T0, { locale: 'zh-CN', collectionMethod: 'first-layer' });
  e.grant(['face_verification'], T0 + 1000, { collectionMethod: 'jit-prompt' });
  e.revoke(['video'], T0 + 2000, { collectionMethod: 'privacy-dashboard' });
  e.setGlobalPrivacyControl(true, T0 + 3000);
}

test('the shared scenario gives the same results as the native build, receipts included', async () => {
  const { scenario } = await defaults();
  const e = await engine({ seed: Uint8Array.from(Buffer.from(scenario.seedHex, 'hex')) });
  try {
    const outcomes = scenario.steps.map((step) => {
      const run = {
        grant: () => e.grant(step.purposes, step.now, step.context),
        deny: () => e.deny(step.purposes, step.now, step.context),
        gpc: () => e.setGlobalPrivacyControl(step.enabled, step.now, step.context),
        age: () => e.declareAge(step.years, step.now, step.context),
        refresh: () => e.refresh(step.now),
        plan: () => e.plan(step.capability, step.now),
        allows: () => (e.assertPurpose(step.purpose, step.now), null),
      }[step.op];
      try {
        return { code: 'OK', result: run() };
      } catch (err) {
        assert.ok(err instanceof SealDeskError);
        return { code: err.code, result: null };
      }
    });
    outcomes.forEach((o, i) => assert.deepEqual(o, scenario.expected.outcomes[i], `step ${i} (${scenario.steps[i].op})`));
    const receipts = e.receipts();
    const store = e.exportStore();
    assert.deepEqual(
      {
        state: e.state(scenario.stateAt),
        receipts: receipts.length,
        head: receipts.at(-1).hash,
        principal: e.principal().id,
        storeSha256: crypto.createHash('sha256').update(store, 'utf8').digest('hex'),
      },
      scenario.expected.final,
    );
  } finally {
    e.delete();
  }
});

test("receipts verify with Node's own Ed25519 (crypto.verify), not libsodium", async () => {
  const { verifyConsentLedger } = await consent();
  const e = await engine();
  try {
    history(e);
    const ledger = e.receipts();
    assert.equal(ledger.length, 4);
    for (const entry of ledger) {
      assert.ok(nodeVerifies(entry), `receipt ${entry.receipt.receiptSequence} verifies`);
      assert.equal(entry.receipt.version, 'KI-CR-v1.1.0');
      assert.equal(entry.receipt.publicKey, e.principal().publicKey);
      assert.equal(entry.receipt.piiPrincipalId, e.principal().id);
    }
    assert.equal(ledger[1].receipt.previousReceiptHash, ledger[0].hash);
    const edited = structuredClone(ledger[2]);
    edited.receipt.services[0].purposes[0].consentState = 'granted';
    assert.equal(nodeVerifies(edited), false);
    assert.equal(verifyConsentLedger(ledger, e.publicKey()), 4);
    assert.equal(verifyConsentLedger(JSON.stringify(ledger)), 4);
  } finally {
    e.delete();
  }
});

test('ledger tampering is caught by the WASM verifier with typed codes', async () => {
  const { verifyConsentLedger } = await consent();
  const e = await engine();
  const other = await engine({ seed: seedOf(9) });
  try {
    history(e);
    history(other);
    const ledger = e.receipts();
    const edited = structuredClone(ledger);
    edited[2].receipt.collectionMethod = 'forged';
    const dropped = ledger.filter((_, i) => i !== 1);
    const reordered = [ledger[1], ledger[0], ...ledger.slice(2)];
    assert.equal(codeOf(() => verifyConsentLedger(edited, e.publicKey())), 'SIGNATURE_INVALID');
    assert.equal(codeOf(() => verifyConsentLedger(dropped, e.publicKey())), 'LEDGER_TAMPERED');
    assert.equal(codeOf(() => verifyConsentLedger(reordered, e.publicKey())), 'LEDGER_TAMPERED');
    assert.equal(codeOf(() => verifyConsentLedger(other.receipts(), e.publicKey())), 'SIGNATURE_INVALID');
  } finally {
    e.delete();
    other.delete();
  }
});

test('a tampered store is rejected with a typed error and the engine falls back to unset', async () => {
  const source = await engine();
  try {
    history(source);
    const store = JSON.parse(source.exportStore());
    const cases = {
      SIGNATURE_INVALID: (s) => (s.ledger[0].receipt.services[0].purposes[1].consentState = 'denied'),
      LEDGER_TAMPERED: (s) => s.ledger.splice(1, 1),
    };
    for (const [code, edit] of Object.entries(cases)) {
      const copy = structuredClone(store);
      edit(copy);
      const e = await engine();
      try {
        e.grant(['routing'], T0);
        assert.equal(codeOf(() => e.importStore(copy, T0 + 5000)), code);
        const state = e.state(T0 + 5000);
        assert.ok(Object.values(state.purposes).every((s) => s === 'unset'), `${code}: all unset`);
        assert.deepEqual(e.receipts(), []);
      } finally {
        e.delete();
      }
    }
    const edited = structuredClone(store);
    edited.decisions.video.state = 'granted';
    const e = await engine();
    try {
      assert.throws(() => e.importStore(edited, T0), { name: 'SealDeskError', code: 'LEDGER_TAMPERED' });
    } finally {
      e.delete();
    }
  } finally {
    source.delete();
  }
});

test('a fresh install key is exported as a seed, and the same seed restores the store', async () => {
  const { ConsentEngine } = await consent();
  const d = await defaults();
  const first = new ConsentEngine({ policy: d.policy, locales: d.locales });
  const seed = first.exportSeed();
  const second = new ConsentEngine({ policy: d.policy, locales: d.locales, seed });
  const stranger = new ConsentEngine({ policy: d.policy, locales: d.locales });
  try {
    assert.equal(seed.length, 32);
    first.grant(['routing', 'chat'], T0);
    assert.deepEqual(second.importStore(first.exportStore(), T0), []);
    assert.deepEqual(second.state(T0), first.state(T0));
    assert.deepEqual(second.principal(), first.principal());
    assert.throws(() => stranger.importStore(first.exportStore(), T0), { code: 'SIGNATURE_INVALID' });
  } finally {
    seed.fill(0);
    first.delete();
    second.delete();
    stranger.delete();
  }
});

test('state(), changes and the JIT plan follow the public JS contract', async () => {
  const e = await engine();
  try {
    assert.deepEqual(e.state(T0).purposes.chat, 'unset');
    assert.equal(e.state(T0).policyVersion, '2025.1');
    assert.deepEqual(e.plan('call.video', T0).steps, [
      { purposes: ['routing', 'voice', 'video'], separate: false, guardianRequired: false },
    ]);
    e.grant(['routing', 'voice', 'video', 'recording'], T0);
    const changes = e.revoke(['video'], T0 + 1);
    assert.deepEqual(changes, [
      { purpose: 'video', from: 'granted', to: 'denied', reason: 'user', revokes: true },
      { purpose: 'recording', from: 'granted', to: 'denied', reason: 'dependency_revoked', revokes: true },
    ]);
    assert.equal(e.allows('voice', T0 + 1), true);
    assert.equal(e.allows('recording', T0 + 1), false);
    assert.equal(e.allowsCapability('call.video', T0 + 1), false);
    assert.throws(() => e.assertCapability('call.video', T0 + 1), (err) => {
      assert.equal(err.code, 'CONSENT_REQUIRED');
      assert.match(err.message, /video is denied/);
      return true;
    });
    assert.equal(e.allows('chat', T0), false);
    assert.throws(() => e.allows('telepathy', T0), { code: 'UNKNOWN_PURPOSE' });
  } finally {
    e.delete();
  }
});

test('bad input becomes SealDeskErrors naming what was wrong, never a crash', async () => {
  const { ConsentEngine } = await consent();
  const d = await defaults();
  const policy = JSON.parse(d.policy);
  policy.purposes[3].retention = '30 days';
  assert.throws(() => new ConsentEngine({ policy, locales: d.locales, seed: seedOf(1) }), (err) => {
    assert.equal(err.code, 'POLICY_INVALID');
    assert.match(err.message, /\/purposes\/3\/retention: must be an ISO 8601 duration/);
    return true;
  });
  // Issue 21: what a purpose does with the conversation has its own codes.
  for (const [code, edit, where] of [
    ['TRAINING_NOT_OPT_IN', (p) => (p.purposes.find((q) => q.id === 'chat').trains_models = true), /\/purposes\/1\/sensitive: must be true for a purpose that trains models/],
    ['TRAINING_NOT_OPT_IN', (p) => (p.purposes.find((q) => q.id === 'model_training').gpc_opt_out = false), /\/purposes\/13\/gpc_opt_out: must be true/],
    ['VOICEPRINT_NOT_BIOMETRIC', (p) => (p.purposes.find((q) => q.id === 'voice').derives_voiceprints = true), /\/purposes\/3\/sensitive: must be true for a purpose that derives voiceprints/],
    ['PROCESSOR_MISSING', (p) => (p.purposes.find((q) => q.id === 'chat').outputs_leave_desk = true), /\/purposes\/1\/third_parties: must name a processor/],
  ]) {
    const edited = JSON.parse(d.policy);
    edit(edited);
    assert.throws(() => new ConsentEngine({ policy: edited, locales: d.locales, seed: seedOf(1) }), (err) => {
      assert.equal(err.code, code);
      assert.match(err.message, where);
      return true;
    });
  }
  assert.throws(() => new ConsentEngine({ policy: '{', locales: d.locales }), { code: 'POLICY_INVALID_JSON' });
  assert.throws(() => new ConsentEngine({ policy: d.policy, locales: { 'zh-CN': d.locales['zh-CN'] } }), {
    code: 'POLICY_INVALID',
  });
  assert.throws(() => new ConsentEngine({ policy: d.policy, locales: d.locales, seed: new Uint8Array(31) }), {
    code: 'INVALID_ARGUMENT',
  });
  const e = await engine();
  try {
    assert.throws(() => e.grant(['chat'], T0), (err) => err.code === 'DEPENDENCY_MISSING' && /chat needs routing/.test(err.message));
    assert.throws(() => e.grant(['routing'], -1), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => e.grant(['routing'], T0 + 0.5), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => e.grant('routing', T0), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => e.grant(['routing'], T0, { colour: 'red' }), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => e.importStore('not json', T0), { code: 'MALFORMED' });
    e.declareAge(12, T0);
    assert.throws(() => e.grant(['routing'], T0), { code: 'GUARDIAN_REQUIRED' });
    e.grant(['routing'], T0, { guardianConfirmed: true });
    e.setGlobalPrivacyControl(true, T0);
    assert.throws(() => e.grant(['analytics'], T0, { guardianConfirmed: true }), { code: 'GPC_DENIED' });
    assert.equal(e.state(T0).purposes.analytics, 'denied');
    assert.equal(e.state(T0).purposes.model_training, 'denied', 'training on conversations is a GPC opt-out');
  } finally {
    e.delete();
  }
});

test('locale texts fall back to en and report the missing keys, never a raw key', async () => {
  const { ConsentEngine } = await consent();
  const d = await defaults();
  const zhTW = JSON.parse(d.locales['zh-TW']);
  delete zhTW.texts.layer1.reject_all;
  const e = new ConsentEngine({ policy: d.policy, locales: { ...d.locales, 'zh-TW': zhTW }, seed: seedOf(3) });
  try {
    const t = e.texts('zh-HK');
    assert.equal(t.locale, 'zh-TW');
    assert.deepEqual(t.missing, ['layer1.reject_all']);
    assert.equal(t.texts['layer1.reject_all'], 'Reject all');
    assert.equal(t.texts['layer1.accept_all'], '允許聊天');
    assert.equal(e.texts('fr').locale, 'en');
  } finally {
    e.delete();
  }
});
