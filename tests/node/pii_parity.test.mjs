// Parity: the WASM masker, driven from JavaScript, gives byte-identical output to the native
// sealdesk-mask CLI on the whole labelled corpus, under several configs (labels, partial,
// pseudonyms with a fixed key, host rules). Needs build/native/sealdesk-mask (native preset).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { core, repoRoot } from './helpers.mjs';

const cli = join(repoRoot, 'build/native/sealdesk-mask');
const corpusLines = ['corpus.jsonl', 'corpus_real.jsonl'].flatMap((file) =>
  readFileSync(join(repoRoot, 'tests/corpus/pii', file), 'utf8').trimEnd().split('\n'),
);
// Lines the corpus does not have: escapes, controls, emoji, empty text, a long message.
const extraLines = [
  { text: '' },
  { text: 'quote " backslash \\ tab \t newline \n bell \u0007 del \u007f ls \u2028' },
  { text: '👨‍👩‍👧 ＋８６ １３８ ００１３ ８０００ ©' },
  { text: '手机13800138000，'.repeat(3000) },
  { text: '收货地址：广东省深圳市南山区\n科技园南路１８号３栋２单元１５０２室；ship to Flat 12, 221B Baker St, London NW1 6XE; PO Box 1234' },
].map((o) => JSON.stringify(o));
const lines = [...corpusLines, ...extraLines];

const configs = {
  default: {},
  partial: { locale: 'en', style: 'partial' },
  pseudonym: {
    locale: 'zh-TW',
    style: 'pseudonym',
    pseudonymKey: '0f'.repeat(32),
    styles: { name: 'label' },
    rules: [{ id: 'member_id', pattern: '\\bM\\d{8}\\b' }, { id: 'order', pattern: '20\\d{14,17}', style: 'partial' }],
  },
};

async function masker(config) {
  const c = await core();
  const { PiiMasker } = c;
  return new PiiMasker(config);
}

for (const [name, config] of Object.entries(configs)) {
  test(`WASM output is byte-identical to sealdesk-mask (${name} config)`, async () => {
    assert.ok(existsSync(cli), `${cli} missing: build the native preset first`);
    const dir = mkdtempSync(join(tmpdir(), 'pii-parity-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const native = spawnSync(cli, ['--config', join(dir, 'config.json')], {
      input: lines.join('\n') + '\n',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(native.status, 0, native.stderr.toString());

    const m = await masker(config);
    try {
      const viaObjects = lines.map((l) => JSON.stringify(m.mask(JSON.parse(l).text)));
      const viaJson = lines.map((l) => m.maskJson(JSON.parse(l).text));
      const expected = native.stdout;
      const nativeLines = expected.toString('utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (viaObjects[i] !== nativeLines[i]) assert.equal(viaObjects[i], nativeLines[i], `line ${i + 1} differs`);
      }
      assert.ok(Buffer.from(viaObjects.join('\n') + '\n').equals(expected), 'mask() output differs in bytes');
      assert.ok(Buffer.from(viaJson.join('\n') + '\n').equals(expected), 'maskJson() output differs in bytes');
    } finally {
      m.delete();
    }
  });
}
