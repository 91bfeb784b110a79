// PII masking over the project's corpus (tests/corpus/pii), message by message as the widget
// calls it: the WASM masker against npm redact-pii in the same process; native beside.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measure, peer } from './harness.mjs';

const corpus = fileURLToPath(new URL('../corpus/pii/corpus.jsonl', import.meta.url));

export const groups = [{ id: 'pii-mask', title: 'PII masking, corpus message by message', unit: 'MB/s', peer: 'redact-pii', goal: '>= 10x' }];

export async function run({ core, seconds, repeats }) {
  const messages = readFileSync(corpus, 'utf8').trim().split('\n').map((line) => JSON.parse(line).text);
  const bytes = messages.reduce((n, m) => n + Buffer.byteLength(m), 0);
  const perPass = (r) => ({ median: (r.median * bytes) / 1e6, low: (r.low * bytes) / 1e6, high: (r.high * bytes) / 1e6 });
  const opts = { seconds: Math.max(seconds, 0.05), repeats, batch: 1 };
  const rows = [];

  const masker = new core.PiiMasker({});
  rows.push({ group: 'pii-mask', impl: 'sealdesk-wasm', ...perPass(await measure(() => messages.forEach((m) => masker.mask(m)), opts)) });
  masker.delete();

  const redactPii = peer('redact-pii');
  if (redactPii) {
    const redactor = new redactPii.SyncRedactor();
    rows.push({ group: 'pii-mask', impl: 'redact-pii', ...perPass(await measure(() => messages.forEach((m) => redactor.redact(m)), opts)) });
  }
  return rows;
}
