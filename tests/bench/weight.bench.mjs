// Download weight, raw and gzip, of SealDesk against consent-banner peers from npm
// (vanilla-cookieconsent: JS + CSS; klaro: its browser bundle).
import { readFileSync, existsSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const modules = path.join(root, 'tests/node_modules');

export const groups = [
  { id: 'weight-gzip', title: 'Weight, gzip -9 (lower is lighter)', unit: 'kB', peer: 'vanilla-cookieconsent (JS+CSS)' },
  { id: 'weight-raw', title: 'Weight, raw (lower is lighter)', unit: 'kB', peer: 'vanilla-cookieconsent (JS+CSS)' },
];

function weigh(files) {
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const bytes = readFileSync(f);
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw: raw / 1000, gzip: gz / 1000 };
}

const jsFiles = (dir) =>
  readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.js') && !f.includes('node_modules'))
    .map((f) => path.join(dir, f));

export async function run() {
  const sets = {
    'sealdesk full (wasm + glue + js/)': [
      path.join(root, 'js/dist/sealdesk-core.wasm'),
      path.join(root, 'js/dist/sealdesk-core.mjs'),
      ...jsFiles(path.join(root, 'js')).filter((f) => !f.includes(`${path.sep}dist${path.sep}`)),
    ],
    'sealdesk wasm only': [path.join(root, 'js/dist/sealdesk-core.wasm')],
    'vanilla-cookieconsent (JS+CSS)': [
      path.join(modules, 'vanilla-cookieconsent/dist/cookieconsent.umd.js'),
      path.join(modules, 'vanilla-cookieconsent/dist/cookieconsent.css'),
    ],
    'klaro (bundle)': [path.join(modules, 'klaro/dist/klaro.js')],
  };
  const rows = [];
  for (const [impl, files] of Object.entries(sets)) {
    if (!files.every((f) => existsSync(f))) continue;
    const w = weigh(files);
    rows.push({ group: 'weight-gzip', impl, median: w.gzip, low: w.gzip, high: w.gzip });
    rows.push({ group: 'weight-raw', impl, median: w.raw, low: w.raw, high: w.raw });
  }
  return rows;
}
