// Static server for the demo and the browser tests: same-origin files only, with the strict
// headers a careful site would send (the widget must work under them).
//   node demo/server.mjs [--port 8080] [--host localhost] [--tests] [--relay-url ws://localhost:8081]
//                        [--agent-token TOKEN]
// --tests also serves tests/browser/fixtures/. Nothing outside the allowed folders is served.
//
// Demo configuration, made per run: the agent desk's Ed25519 identity (a fresh seed each start)
// and the relay's agent token. /demo/config.json gives pages the public part (relay URL, the desk's
// public key that customers pin); /demo/agent/config.json gives the agent console its seed and
// token. A real deployment signs agents in and keeps the seed in its own key store: this is a
// demo bound to localhost.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDeskIdentity } from '../relay/keys.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ws://localhost:*";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

function parseArgs(argv) {
  const args = { port: Number(process.env.PORT) || 8080, host: 'localhost', tests: false, relayUrl: 'ws://localhost:8081', agentToken: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') args.port = Number(argv[++i]);
    else if (argv[i] === '--relay-url') args.relayUrl = argv[++i];
    else if (argv[i] === '--agent-token') args.agentToken = argv[++i];
    else if (argv[i] === '--host') args.host = argv[++i];
    else if (argv[i] === '--tests') args.tests = true;
  }
  return args;
}

/** A fresh agent desk identity: the Ed25519 seed and its public key, base64url (as sealdesk-keygen makes it). */
export function demoIdentity() {
  const { seed, agentKey } = createDeskIdentity();
  return { seed, publicKey: agentKey };
}

export function createStaticServer({ tests = false, relayUrl = 'ws://localhost:8081', agentToken = null } = {}) {
  const identity = demoIdentity();
  const token = agentToken ?? randomBytes(18).toString('base64url');
  const configs = {
    'demo/config.json': { relayUrl, agentKey: identity.publicKey },
    'demo/agent/config.json': { relayUrl, agentKey: identity.publicKey, identity: { seed: identity.seed }, token },
  };
  const allowed = ['js/', 'demo/', 'consent/'];
  // A separate prefix stands in for a CDN in tests of the locateFile option.
  const aliases = { 'cdn/': 'js/dist/' };
  if (tests) {
    allowed.push('tests/browser/fixtures/', 'tests/fixtures/', 'tests/node_modules/vanilla-cookieconsent/dist/');
    aliases['peer/vanilla-cookieconsent/'] = 'tests/node_modules/vanilla-cookieconsent/dist/'; // the start-up benchmark's peer
  }

  return http.createServer(async (req, res) => {
    const headers = {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    };
    const send = (status, body, extra = {}) => {
      res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', ...extra });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://localhost').pathname).replace(/^\/+/, '');
    } catch {
      return send(400, 'bad path');
    }
    if (rel === '' ) return send(302, '', { Location: '/demo/shop/' });
    for (const [alias, target] of Object.entries(aliases)) {
      if (rel.startsWith(alias)) rel = target + rel.slice(alias.length);
    }
    if (configs[rel]) return send(200, JSON.stringify(configs[rel]), { 'Content-Type': 'application/json; charset=utf-8' });
    if (rel.endsWith('/') || rel === 'demo/shop' || rel === 'demo/agent') rel = rel.replace(/\/?$/, '/index.html');
    const file = path.resolve(ROOT, rel);
    const inside = path.relative(ROOT, file).split(path.sep).join('/');
    if (inside.startsWith('..') || !allowed.some((dir) => inside.startsWith(dir))) return send(404, 'not found');
    let info;
    try {
      info = await stat(file);
    } catch {
      return send(404, 'not found');
    }
    if (!info.isFile()) return send(404, 'not found');
    res.writeHead(200, {
      ...headers,
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const server = createStaticServer(args);
  server.listen(args.port, args.host, () => {
    const base = `http://localhost:${server.address().port}`;
    console.log(`SealDesk demo serving on ${base}`);
    console.log(`  customer (shop page): ${base}/demo/shop/`);
    console.log(`  agent console:        ${base}/demo/agent/`);
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
}
