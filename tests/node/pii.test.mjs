// The PII masker from JavaScript: results with UTF-16 offsets, styles, config errors as
// SealDeskErrors, sealed reveal tokens, and no message bytes left behind in the WASM heap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { core } from './helpers.mjs';
import { SealDeskError } from '../../js/errors.js';

const pii = core;

const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join('');

test('findings carry UTF-16 offsets that index the JS strings directly', async () => {
  const { PiiMasker } = await pii();
  const m = new PiiMasker({ locale: 'en' });
  try {
    const input = '😀手机13800138000，邮箱 jane@example.com 👨‍👩‍👧';
    const r = m.mask(input);
    assert.equal(r.text, '😀手机[phone]，邮箱 [email] 👨‍👩‍👧');
    assert.deepEqual(
      r.findings.map((f) => [f.type, input.slice(f.start, f.end), r.text.slice(f.maskedStart, f.maskedEnd), f.style]),
      [
        ['cn_mobile', '13800138000', '[phone]', 'label'],
        ['email', 'jane@example.com', '[email]', 'label'],
      ],
    );
  } finally {
    m.delete();
  }
});

test('full-width digits and a lone surrogate keep offsets aligned', async () => {
  const { PiiMasker } = await pii();
  const m = new PiiMasker();
  try {
    const input = '\ud800电话１３８００１３８０００';
    const r = m.mask(input);
    assert.equal(r.text, '\ufffd电话[手机号]'); // TextEncoder turns the lone surrogate into U+FFFD
    assert.equal(input.slice(r.findings[0].start, r.findings[0].end), '１３８００１３８０００');
  } finally {
    m.delete();
  }
});

test('U+FFFD typed by the user and lone surrogates come back as U+FFFD, offsets intact', async () => {
  const { PiiMasker } = await pii();
  const m = new PiiMasker({ locale: 'en' });
  try {
    assert.deepEqual(m.mask(''), { text: '', findings: [] }, 'empty message on a fresh masker');
    assert.deepEqual(m.mask('x\udc00y'), { text: 'x\ufffdy', findings: [] }, 'nothing found, lone surrogate');
    const typed = 'a\ufffd 13800138000 b';
    const r = m.mask(typed);
    assert.equal(r.text, 'a\ufffd [phone] b');
    assert.equal(typed.slice(r.findings[0].start, r.findings[0].end), '13800138000');
    // Longer than the short-message path, with a lone surrogate after the finding.
    const long = `${'很'.repeat(40)} 13800138000 ${'好'.repeat(40)}\ud83d!`;
    const l = m.mask(long);
    assert.equal(l.text, `${'很'.repeat(40)} [phone] ${'好'.repeat(40)}\ufffd!`);
    assert.equal(long.slice(l.findings[0].start, l.findings[0].end), '13800138000');
    assert.equal(l.text.slice(l.findings[0].maskedStart, l.findings[0].maskedEnd), '[phone]');
  } finally {
    m.delete();
  }
});

test('results stay right when the WASM heap grows between and during calls', async () => {
  const { PiiMasker, _module: mod } = await pii();
  const a = new PiiMasker({ locale: 'en' });
  const b = new PiiMasker({ locale: 'en' });
  try {
    assert.equal(b.mask('call 13800138000').text, 'call [phone]');
    const before = mod.HEAPU8.buffer.byteLength;
    // Input buffer, normalised copy and result: enough to make the heap grow.
    const big = '手机13800138000，'.repeat(90000);
    const r = a.mask(big);
    assert.ok(mod.HEAPU8.buffer.byteLength > before, 'the heap did not grow: the test proves nothing');
    assert.equal(r.findings.length, 90000);
    assert.equal(r.text, '手机[phone]，'.repeat(90000));
    // b's views were made before the growth.
    const again = b.mask('mail jane@example.com or call 13800138000');
    assert.equal(again.text, 'mail [email] or call [phone]');
    assert.deepEqual(again.findings.map((f) => [f.start, f.end, f.maskedStart, f.maskedEnd]), [[5, 21, 5, 12], [30, 41, 21, 28]]);
  } finally {
    a.delete();
    b.delete();
  }
});

test('partial style and pseudonyms from the config', async () => {
  const { PiiMasker } = await pii();
  const key = '11'.repeat(32);
  const m = new PiiMasker({ styles: { cn_mobile: 'partial', cn_id: 'pseudonym' }, pseudonymKey: key });
  const again = new PiiMasker({ styles: { cn_id: 'pseudonym' }, pseudonymKey: key });
  try {
    assert.equal(m.mask('手机13800138000').text, '手机138****8000');
    const a = m.mask('证11010519491231002X').text;
    assert.match(a, /^证\[身份证号#[0-9a-f]{8}\]$/);
    assert.equal(m.mask('证 110105 19491231 002x').text, a.replace('证', '证 '));
    assert.equal(again.mask('证11010519491231002X').text, a, 'same key, same token');
  } finally {
    m.delete();
    again.delete();
  }
});

test('host rules mask with their own label', async () => {
  const { PiiMasker } = await pii();
  const m = new PiiMasker({
    locale: 'en',
    rules: [{ id: 'member_id', pattern: '\\bM\\d{8}\\b', label: { en: 'member', 'zh-CN': '会员号' } }],
  });
  try {
    const r = m.mask('会员M12345678，谢谢');
    assert.equal(r.text, '会员[member]，谢谢');
    assert.equal(r.findings[0].type, 'member_id');
  } finally {
    m.delete();
  }
});

test('bad configs and oversized messages become typed SealDeskErrors', async () => {
  const { PiiMasker } = await pii();
  assert.throws(() => new PiiMasker({ style: 'blur' }), (e) => {
    assert.ok(e instanceof SealDeskError);
    assert.equal(e.code, 'INVALID_ARGUMENT');
    assert.match(e.message, /style/);
    return true;
  });
  assert.throws(() => new PiiMasker({ rules: [{ id: 'x', pattern: '(a' }] }), { code: 'RULE_INVALID' });
  assert.throws(() => new PiiMasker('{not json'), { code: 'INVALID_ARGUMENT' });
  const m = new PiiMasker();
  try {
    assert.throws(() => m.mask('1'.repeat(4 * 1024 * 1024 + 1)), { code: 'TOO_LARGE' });
    assert.throws(() => m.mask(42), TypeError);
    assert.equal(m.mask('still works 13800138000').text, 'still works [手机号]');
  } finally {
    m.delete();
  }
  assert.throws(() => m.mask('after delete'), { code: 'INVALID_ARGUMENT' });
  m.delete(); // twice is harmless
});

test('sealed reveal tokens open only with the desk key', async () => {
  const c = await pii();
  const desk = c.sealedBox.keypair();
  const other = c.sealedBox.keypair();
  const m = new c.PiiMasker({ styles: { bank_card: 'sealed' }, revealKey: hex(desk.publicKey) });
  try {
    const r = m.mask('卡号 4111 1111 1111 1111 谢谢');
    const token = r.text.slice(r.findings[0].maskedStart, r.findings[0].maskedEnd);
    assert.match(token, /^\[sealed:bank_card:[A-Za-z0-9_-]+\]$/);
    assert.ok(!r.text.includes('4111'));
    assert.deepEqual(c.pii.openRevealToken(token, desk.publicKey, desk.secretKey), {
      type: 'bank_card',
      text: '4111 1111 1111 1111',
    });
    assert.throws(() => c.pii.openRevealToken(token, other.publicKey, other.secretKey), { code: 'AUTH_FAILED' });
    assert.throws(() => c.pii.openRevealToken('[sealed:bank_card:AAAA]', desk.publicKey, desk.secretKey), {
      code: 'MALFORMED',
    });
  } finally {
    m.delete();
  }
});

test('the message copy in the WASM heap is zeroed after every call', async () => {
  const { PiiMasker, _module: mod } = await pii();
  const m = new PiiMasker();
  try {
    const message = '身份证11010519491231002X 手机13800138000';
    const bytes = Buffer.byteLength(message);
    m.mask(message);
    const copy = mod.HEAPU8.subarray(m.ptr, m.ptr + bytes);
    assert.ok(copy.every((b) => b === 0), 'input buffer still holds message bytes');
    const big = 'x'.repeat(4 * 1024 * 1024 + 1);
    assert.throws(() => m.mask(big), { code: 'TOO_LARGE' });
    assert.ok(mod.HEAPU8.subarray(m.ptr, m.ptr + big.length).every((b) => b === 0), 'not zeroed after a failure');
  } finally {
    m.delete();
  }
});
