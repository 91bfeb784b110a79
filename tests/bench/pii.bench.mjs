// PII masking over the project's corpus (tests/corpus/pii), message by message as the widget
// calls it: the WASM masker against npm redact-pii in the same process; native beside.
// The per-message rows are the comparison (one mask() call per chat message, results built as
// objects); the "one text" row masks the whole corpus in a single call, which shows what the
// per-call costs (copy-in, result objects) are next to the scanning itself.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measure, peer } from './harness.mjs';

const corpus = fileURLToPath(new URL('../corpus/pii/corpus.jsonl', import.meta.url));

export const groups = [{ id: 'pii-mask', title: 'PII masking, corpus message by message', unit: 'MB/s', peer: 'redact-pii', goal: '>= 10x' }];

export async function run({ core, seconds, repeats }) {
  const messages = readFileSync(corpus, 'utf8').trim().split('\n').map((line) => JSON.parse(line).text);
  const bytes = messages.reduce((n, m) => n + Buffer.byteLength(m), 0);
  const perPass = (r, n = bytes) => ({ median: (r.median * n) / 1e6, low: (r.low * n) / 1e6, high: (r.high * n) / 1e6 });
  const opts = { seconds: Math.max(seconds, 0.05), repeats, batch: 1 };
  const rows = [];

  const masker = new core.PiiMasker({});
  let found = 0; // consumed, so no engine can drop the results
  rows.push({
    group: 'pii-mask',
    impl: 'sealdesk-wasm',
    ...perPass(await measure(() => messages.forEach((m) => (found += masker.mask(m).findings.length)), opts)),
  });
  // The same messages joined by newlines, in one call: informative, not the comparison.
  const all = messages.join('\n');
  rows.push({
    group: 'pii-mask',
    impl: 'sealdesk-wasm (corpus as one text)',
    ...perPass(await measure(() => (found += masker.mask(all).findings.length), opts), Buffer.byteLength(all)),
  });
  masker.delete();
  if (!(found > 0)) throw new Error('the masker found nothing in the corpus');

  const redactPii = peer('redact-pii');
  if (redactPii) {
    const redactor = new redactPii.SyncRedactor();
    rows.push({ group: 'pii-mask', impl: 'redact-pii', ...perPass(await measure(() => messages.forEach((m) => redactor.redact(m)), opts)) });
  }
  const redactpiiNode = peer('@redactpii/node');
  if (redactpiiNode) {
    const redactor = new redactpiiNode.Redactor();
    rows.push({ group: 'pii-mask', impl: '@redactpii/node', ...perPass(await measure(() => messages.forEach((m) => redactor.redact(m)), opts)) });
  }
  return rows;
}
