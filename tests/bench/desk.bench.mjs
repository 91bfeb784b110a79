// The customer's whole chat send path per message, as CustomerDesk.send runs it: consent check
// (chat.send), size check, PII mask, record body, ratchet seal, relay payload. "sealdesk-wasm (one
// core call)" is desk::seal_chat_message (sdk/desk/chat_send.h); the peer is the pipeline the JS desk
// assembled before it, step by step across the boundary, in the same process and run.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { measure } from './harness.mjs';

const read = (rel) => readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8');
const PEER = 'js pipeline (before)';

export const groups = [
  { id: 'desk-send', title: 'Chat send path per message (consent + mask + seal + payload)', unit: 'msgs/s', peer: PEER, goal: '>= 1.0x' },
  { id: 'desk-send-reveal', title: 'Chat send path with PII reveal tokens (pii_reveal granted)', unit: 'msgs/s', peer: PEER, goal: '>= 1.0x' },
];

export async function run({ core, seconds, repeats }) {
  const policy = { ...JSON.parse(read('../../consent/policies/default.json')), ...JSON.parse(read('../fixtures/site.json')) };
  const locales = Object.fromEntries(['en', 'zh-CN', 'zh-TW'].map((t) => [t, JSON.parse(read(`../../consent/locales/${t}.json`))]));
  // Real chat lines of mixed length and PII density (the masking corpus), sent in turn.
  const messages = read('../corpus/pii/corpus.jsonl').trim().split('\n').map((line) => JSON.parse(line).text).filter((t) => t.trim());

  const engine = new core.ConsentEngine({ policy, locales });
  engine.grant(['routing', 'chat']);
  const masker = new core.PiiMasker(policy.pii_masking ?? {});
  const desk = core.IdentityKey.generate();
  const me = core.IdentityKey.generate();
  const customer = core.Session.customer(randomBytes(16), desk.publicKey);
  const agent = core.Session.agent();
  agent.handleHandshake(customer.handleHandshake(agent.handleHandshake(customer.beginHandshake(['routing', 'chat']), desk), me), desk);

  let bytes = 0; // consumed, so no path can drop its output
  const opts = { seconds, repeats };
  const rows = [];
  const next = (i) => messages[i % messages.length];
  // The JS desk's send path before the core took it, step by step; with a "sealed" masker it also
  // masked again for reveal tokens and matched the two passes' findings.
  const jsSend = (i, sealedMasker) => {
    const text = next(i);
    engine.assertCapability('chat.send');
    if (text.length > core.desk.MAX_TEXT_UNITS) throw new Error('too large');
    const masked = masker.mask(text);
    if (!masked.text.trim()) throw new Error('empty');
    let findings = masked.findings;
    if (sealedMasker && findings.length && engine.allows('pii_reveal')) {
      const sealed = sealedMasker.mask(text);
      findings = findings.map((f) => {
        const twin = sealed.findings.find((x) => x.start === f.start && x.end === f.end && x.type === f.type);
        return twin ? { ...f, reveal: sealed.text.slice(twin.maskedStart, twin.maskedEnd) } : f;
      });
    }
    const plaintext = core.desk.encodeBody({ t: 'text', id: `m${i}`, text: masked.text, findings, at: 1_760_000_000_000 }, 1);
    bytes += core.desk.encodePayload('record', customer.sealMessage('chat', plaintext)).byteLength;
    plaintext.fill(0);
  };

  rows.push({
    group: 'desk-send',
    impl: 'sealdesk-wasm (one core call)',
    ...(await measure((i) => {
      bytes += core.desk.sealChat(engine, masker, customer, next(i), { id: `m${i}`, at: 1_760_000_000_000, cs: 1 }).payload.byteLength;
    }, opts)),
  });
  rows.push({
    group: 'desk-send',
    impl: PEER,
    ...(await measure((i) => jsSend(i, null), opts)),
  });
  // With pii_reveal granted and the agent's reveal key: one core call seals each finding's
  // original in the masking pass; before, the JS desk masked again with a "sealed" masker and
  // matched its findings to the first pass's.
  const reveal = new core.desk.RevealKey();
  const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const sealedMasker = new core.PiiMasker({ ...(policy.pii_masking ?? {}), style: 'sealed', styles: {}, revealKey: toHex(reveal.publicKey) });
  engine.grant(['pii_reveal']);
  rows.push({
    group: 'desk-send-reveal',
    impl: 'sealdesk-wasm (one core call)',
    ...(await measure((i) => {
      bytes += core.desk.sealChat(engine, masker, customer, next(i), { id: `r${i}`, at: 1_760_000_000_000, cs: 1, revealKey: reveal.publicKey }).payload.byteLength;
    }, opts)),
  });
  rows.push({
    group: 'desk-send-reveal',
    impl: PEER,
    ...(await measure((i) => jsSend(i, sealedMasker), opts)),
  });
  sealedMasker.delete();
  reveal.delete();
  if (!(bytes > 0)) throw new Error('the send path produced nothing');
  masker.delete();
  return rows;
}
