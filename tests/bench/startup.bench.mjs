// Start-up in real Chromium (Debian's, through Playwright): the demo shop page with the widget,
// a fresh browser context (empty cache) per load, against vanilla-cookieconsent's banner on a
// page of the same shape, in the same run.
//   - first layer painted: script start -> the frame after the first consent layer is on screen
//   - core ready: script start -> the WASM core answered from its worker
//   - interactive: script start -> the desk attached to the widget (buttons act)
// "Script start" is when the browser started fetching the SDK's entry module (js/sealdesk.js;
// for the peer, its UMD bundle), from Resource Timing. Also the weight of what the first paint
// needed: every file requested before the first-layer mark, gzip -9, as measured in the browser.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStaticServer } from '../../demo/server.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PEER = 'vanilla-cookieconsent';

export const groups = [
  { id: 'startup-first-layer', title: 'Start-up in Chromium: script start -> first consent layer painted (ms, lower is better)', unit: 'ms', peer: PEER },
  { id: 'startup-core-ready', title: 'Start-up in Chromium: script start -> WASM core ready (ms)', unit: 'ms', peer: null },
  { id: 'startup-interactive', title: 'Start-up in Chromium: script start -> widget interactive (ms)', unit: 'ms', peer: null },
  { id: 'first-paint-weight', title: 'Code the first paint loaded (JS+CSS), gzip -9 (kB, lower is lighter; goal <= 15)', unit: 'kB', peer: `${PEER} (JS+CSS)`, goal: 15 },
  { id: 'first-paint-content', title: 'Texts and policy the first paint loaded, gzip -9 (kB)', unit: 'kB', peer: null },
];

const stats = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return { median: v[Math.floor(v.length / 2)], low: v[0], high: v[v.length - 1] };
};

/** The repo file a served URL path names (the demo server's aliases), for gzip sizes. */
function fileOf(pathname) {
  let rel = decodeURIComponent(pathname).replace(/^\/+/, '');
  if (rel.startsWith('peer/vanilla-cookieconsent/')) rel = `tests/node_modules/vanilla-cookieconsent/dist/${rel.slice('peer/vanilla-cookieconsent/'.length)}`;
  if (rel.startsWith('cdn/')) rel = `js/dist/${rel.slice(4)}`;
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  return path.join(root, rel);
}

const gzipKb = (files) => files.reduce((sum, f) => sum + (existsSync(f) ? gzipSync(readFileSync(f), { level: 9 }).length : 0), 0) / 1000;

async function load(browser, url, marks, entry) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction((names) => names.every((n) => performance.getEntriesByName(n).length), marks, { timeout: 30_000 });
    return await page.evaluate(
      ({ names, entryPath }) => {
        const resources = performance.getEntriesByType('resource');
        const start = resources.find((r) => new URL(r.name).pathname === entryPath)?.startTime ?? 0;
        const at = Object.fromEntries(names.map((n) => [n, performance.getEntriesByName(n)[0].startTime - start]));
        const first = performance.getEntriesByName(names[0])[0].startTime;
        const beforeFirst = resources.filter((r) => r.startTime <= first).map((r) => new URL(r.name).pathname);
        return { at, files: [location.pathname, ...beforeFirst] };
      },
      { names: marks, entryPath: entry },
    );
  } finally {
    await context.close();
  }
}

export async function run({ smoke }) {
  const { chromium } = await import('@playwright/test');
  const server = createStaticServer({ tests: true });
  await new Promise((resolve) => server.listen(0, 'localhost', resolve));
  const base = `http://localhost:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const loads = smoke ? 1 : 9;
  const ours = { first: [], core: [], interactive: [], weight: 0, coreBeforeFirst: 0 };
  const peer = { first: [], weight: 0 };
  try {
    for (let i = 0; i < loads; i++) {
      // ?storage= keeps every load a first visit (no stored consent).
      const r = await load(browser, `${base}/demo/shop/?locale=en&storage=bench-${i}-${Date.now()}`, ['sealdesk:first-layer', 'sealdesk:core-ready', 'sealdesk:interactive'], '/js/sealdesk.js');
      ours.first.push(r.at['sealdesk:first-layer']);
      ours.core.push(r.at['sealdesk:core-ready']);
      ours.interactive.push(r.at['sealdesk:interactive']);
      if (r.at['sealdesk:first-layer'] < r.at['sealdesk:core-ready']) ours.coreBeforeFirst++;
      // The SDK's share: its code (js/) and its content (policy, texts); the shop page's own
      // files are the host's.
      ours.files = [...new Set(r.files)].filter((f) => f.startsWith('/js/'));
      ours.content = [...new Set(r.files)].filter((f) => f.startsWith('/consent/'));
      ours.weight = gzipKb(ours.files.map(fileOf));
      ours.contentWeight = gzipKb(ours.content.map(fileOf));
      const p = await load(browser, `${base}/tests/browser/fixtures/peer-cookieconsent.html`, ['peer:first-layer'], '/peer/vanilla-cookieconsent/cookieconsent.umd.js');
      peer.first.push(p.at['peer:first-layer']);
      peer.weight = gzipKb([...new Set(p.files)].filter((f) => f.startsWith('/peer/')).map(fileOf));
    }
  } finally {
    await browser.close();
    server.close();
  }
  const row = (group, impl, values) => ({ group, impl, ...stats(values) });
  const note = `first layer before core ready in ${ours.coreBeforeFirst}/${loads} loads`;
  return [
    row('startup-first-layer', `sealdesk widget (${note})`, ours.first),
    row('startup-first-layer', PEER, peer.first),
    row('startup-core-ready', 'sealdesk (worker + wasm)', ours.core),
    row('startup-interactive', 'sealdesk widget', ours.interactive),
    { group: 'first-paint-weight', impl: `sealdesk first paint (${ours.files.map((f) => f.replace('/js/', '')).join(' ')})`, median: ours.weight, low: ours.weight, high: ours.weight },
    { group: 'first-paint-content', impl: `sealdesk (${ours.content.map((f) => f.replace('/consent/', '')).join(' ')})`, median: ours.contentWeight, low: ours.contentWeight, high: ours.contentWeight },
    { group: 'first-paint-weight', impl: `${PEER} (JS+CSS)`, median: peer.weight, low: peer.weight, high: peer.weight },
  ];
}
