// The relay program over TLS (--tls-cert/--tls-key): a certificate made for this run by
// openssl, the relay as a child process, and a customer and an agent talking over wss.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import { WebSocket, RelayClient, AGENT_TOKENS, text, waitFor } from './relay-helpers.mjs';
import { startRelayProcess } from './relay-redis-helpers.mjs';

let dir;
let certPem;
let relay;

/** A self-signed P-256 certificate for localhost and 127.0.0.1, valid for one day. */
function makeCertificate(where) {
  const key = join(where, 'key.pem');
  const cert = join(where, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: 'pipe' });
  return { key, cert };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sealdesk-tls-'));
  const files = makeCertificate(dir);
  certPem = readFileSync(files.cert);
  relay = await startRelayProcess({ args: ['--tls-cert', files.cert, '--tls-key', files.key] });
});

after(async () => {
  await relay?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const wssUrl = () => `wss://127.0.0.1:${relay.port}`;
const trusting = (u) => new WebSocket(u, { ca: certPem });

function tlsClient(options) {
  const c = new RelayClient({ url: wssUrl(), createSocket: trusting, backoff: { initialMs: 50, maxMs: 500, factor: 2 }, ...options });
  c.inbox = [];
  c.on('message', (m) => c.inbox.push(new TextDecoder().decode(m.payload)));
  return c;
}

test('the relay started with --tls-cert/--tls-key logs tls and serves /healthz over https', async () => {
  assert.equal(relay.events().find((e) => e.event === 'listening').tls, true);
  const body = await new Promise((resolve, reject) => {
    https.get(`https://127.0.0.1:${relay.port}/healthz`, { ca: certPem }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(data) }));
    }).on('error', reject);
  });
  assert.equal(body.status, 200);
  assert.equal(body.json.ok, true);
});

test('a customer and an agent exchange messages over wss', async (t) => {
  const cust = tlsClient({ role: 'customer' });
  t.after(() => cust.close());
  await cust.connect();
  const ag = tlsClient({ role: 'agent', token: AGENT_TOKENS[0].token });
  t.after(() => ag.close());
  await ag.connect();
  await ag.accept(cust.sessionId);
  cust.send(text('hello over tls'));
  ag.send(text('and back'), { session: cust.sessionId });
  await waitFor(() => ag.inbox.length === 1 && cust.inbox.length === 1, { what: 'both messages over wss' });
  assert.deepEqual(ag.inbox, ['hello over tls']);
  assert.deepEqual(cust.inbox, ['and back']);
});

test('the TLS port refuses a client that does not trust the certificate, and plain ws', async () => {
  const outcome = (ws) =>
    new Promise((resolve) => {
      ws.once('open', () => {
        ws.terminate();
        resolve('open');
      });
      ws.once('error', (err) => resolve(err.code ?? err.message));
    });
  // No CA given: the self-signed certificate fails verification (a real TLS handshake happened).
  assert.match(await outcome(new WebSocket(wssUrl())), /SELF_SIGNED|DEPTH_ZERO|UNABLE_TO_VERIFY/);
  assert.notEqual(await outcome(new WebSocket(`ws://127.0.0.1:${relay.port}`)), 'open');
});

test('--tls-cert without --tls-key, or an unreadable file, stops the start with a message', async () => {
  await assert.rejects(startRelayProcess({ args: ['--tls-cert', join(dir, 'cert.pem')] }), /--tls-cert and --tls-key go together/);
  await assert.rejects(
    startRelayProcess({ args: ['--tls-cert', join(dir, 'missing.pem'), '--tls-key', join(dir, 'key.pem')] }),
    /--tls-cert .*missing\.pem: ENOENT/,
  );
  writeFileSync(join(dir, 'junk.pem'), 'not a key');
  await assert.rejects(startRelayProcess({ args: ['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'junk.pem')] }), /could not start/);
});
