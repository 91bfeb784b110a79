// The README's "Embedding the widget" section taken literally, by a website owner who has only the
// README: the packed tarball installed into an app of its own (not the demo), served at /sealdesk/
// from another origin than the demo, the README's snippet as the page's script with only the
// placeholders for relayUrl and agentKey filled in, under the CSP the README names. The demo's
// agent console answers through a real relay. Fails when the README and the package drift apart.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pack } from '../../js/pack.mjs';
import { startRelay } from './desk-helpers.mjs';
import { part, openAgent, agentAccepts, acceptFirstLayer } from './widget-ui-helpers.mjs';
import { watchCsp } from './csp.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** The first ```html block under "## Embedding the widget". */
function embeddingSnippet() {
  const section = readme.slice(readme.indexOf('## Embedding the widget'));
  return section.match(/```html\n([\s\S]*?)```/)[1];
}

/** The CSP the README says a site needs: its script-src, and connect-src for the relay. */
function readmeCsp(relayUrl) {
  const scriptSrc = readme.match(/`(script-src [^`]+)`/)[1];
  const connectSrc = readme.match(/`(connect-src [^`]+)`/)[1].replace('wss://relay.example.com', relayUrl);
  return `default-src 'self'; ${scriptSrc}; ${connectSrc}; object-src 'none'; base-uri 'none'`;
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css' };

/** A static server for the app: / is the page, /sealdesk/ the installed package folder. */
async function serveApp(app, csp) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const mount = url.pathname.startsWith('/sealdesk/') ? '/sealdesk/' : url.pathname.startsWith('/static/sealdesk/') ? '/static/sealdesk/' : null;
    const file = url.pathname === '/' ? path.join(app, 'index.html') : mount
      ? path.join(app, 'node_modules/sealdesk', url.pathname.slice(mount.length))
      : path.join(app, url.pathname);
    if (!file.startsWith(app) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': csp });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/**
 * A visitor on the app's page: the first layer, the demo agent console accepts, one message typed
 * reaches the agent. Returns the pages and what the page logged, requested and violated.
 */
async function visitorChats(browser, appUrl, relay, text, { expectAtAgent }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations = await watchCsp(page);
  const logged = [];
  const requested = [];
  page.on('console', (m) => logged.push(m.text()));
  page.on('pageerror', (e) => logged.push(String(e)));
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(appUrl);
  // A first visit: the panel opens by itself with the first layer.
  await expect(part(page, 'accept')).toBeVisible({ timeout: 30_000 });
  const agent = await openAgent(context, relay);
  await acceptFirstLayer(page);
  await agentAccepts(page, agent);
  const input = page.locator('sealdesk-widget #sd-input');
  await input.fill(text);
  await input.press('Enter');
  const line = agent.page.locator('#log li[data-from="customer"]').last();
  await expect(line).toContainText(expectAtAgent, { timeout: 15_000 });
  return { context, page, agent, line, logged, requested, violations };
}

test('the README embedding section, followed literally from the packed tarball, gives a working chat with an agent', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'sealdesk-readme-'));
  const relay = await startRelay();
  let app;
  try {
    const tarball = pack({ out: path.join(dir, 'out') });
    const appDir = path.join(dir, 'app');
    execFileSync('mkdir', ['-p', appDir]);
    writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'clinic-site', private: true }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', tarball], { cwd: appDir, stdio: 'pipe' });

    // The snippet, split the way the README says a strict CSP needs (no inline script: the
    // module goes into a same-origin file). Only the two placeholders are replaced.
    const { agentKey } = await (await request.get('/demo/config.json')).json(); // the demo console's desk key
    const snippet = embeddingSnippet();
    const [, markup, script] = snippet.match(/^([\s\S]*?)<script type="module">\n([\s\S]*?)<\/script>/);
    expect(script).toContain("relayUrl: 'wss://relay.example.com'");
    expect(script).toContain("agentKey: '<the agent desk's Ed25519 public key, base64url>'");
    const filled = script.replace("'wss://relay.example.com'", JSON.stringify(relay.url)).replace("'<the agent desk's Ed25519 public key, base64url>'", JSON.stringify(agentKey));
    writeFileSync(path.join(appDir, 'support.js'), filled);
    writeFileSync(path.join(appDir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clinic</title></head><body><h1>Riverside Clinic</h1>\n${markup}<script type="module" src="/support.js"></script></body></html>`);
    app = await serveApp(appDir, readmeCsp(relay.url));

    const { context, page, agent, line, logged, violations } = await visitorChats(browser, app.url, relay, 'Hello, my appointment number is 4471, phone 13812345678', { expectAtAgent: 'my appointment number is 4471' });
    // The agent read the masked text; the snippet's message listener sees the reply.
    await expect(line).not.toContainText('13812345678');
    await agent.page.locator('#reply').fill('We have it, see you at 10:00.');
    await agent.page.locator('#reply').press('Enter');
    await expect(part(page, 'message-agent')).toContainText('We have it, see you at 10:00.', { timeout: 15_000 });
    await expect.poll(() => logged.some((l) => l === 'agent We have it, see you at 10:00.'), { timeout: 5000 }).toBe(true);

    // The notice names the controller from the snippet, not a fictional company.
    const notice = await page.evaluate(() => document.querySelector('sealdesk-widget').policy?.controller?.name);
    expect(notice).toBe('Your Company Ltd.');
    expect(await violations()).toEqual([]);
    expect(await agent.violations()).toEqual([]);
    expect(logged.filter((l) => /error|refused/i.test(l))).toEqual([]);
    await context.close();
  } finally {
    app?.server.close();
    await relay.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bundled app (esbuild) starts the desk from the package folder it serves (assetUrl) and chats with an agent', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'sealdesk-bundle-'));
  const relay = await startRelay();
  let app;
  try {
    const appDir = path.join(dir, 'app');
    cpSync(path.join(root, 'tests/node/package-app'), appDir, { recursive: true });
    writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'tiny-app', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', pack({ out: path.join(dir, 'out') })], { cwd: appDir, stdio: 'pipe' });
    const esbuild = createRequire(path.join(root, 'tests/package.json'))('esbuild');
    await esbuild.build({ absWorkingDir: appDir, entryPoints: ['main.js'], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: path.join(appDir, 'dist/app.js'), logLevel: 'silent' });
    const { agentKey } = await (await request.get('/demo/config.json')).json();
    writeFileSync(path.join(appDir, 'boot.js'), `import { start } from '/dist/app.js';\nwindow.started = start(document.getElementById('support'), ${JSON.stringify(relay.url)}, ${JSON.stringify(agentKey)}, '/static/sealdesk/');\n`);
    writeFileSync(path.join(appDir, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tiny</title></head><body><div id="support"></div><script type="module" src="/boot.js"></script></body></html>');
    app = await serveApp(appDir, readmeCsp(relay.url));
    const { context, logged, requested, violations } = await visitorChats(browser, app.url, relay, 'Is my parcel 8812 on its way?', { expectAtAgent: 'parcel 8812' });
    // The desk worker and the core came from the package folder, not from beside the bundle.
    expect(requested).toContain('/static/sealdesk/desk/desk-worker.js');
    expect(requested).toContain('/static/sealdesk/consent/locales/zh-CN.json');
    expect(requested.some((p) => p.startsWith('/dist/') && p !== '/dist/app.js')).toBe(false);
    expect(logged.filter((l) => /error|refused/i.test(l))).toEqual([]);
    expect(await violations()).toEqual([]);
    await context.close();
  } finally {
    app?.server.close();
    await relay.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
