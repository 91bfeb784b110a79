// Builds the npm package:  node js/pack.mjs [--out DIR]   -> DIR/sealdesk-<version>.tgz (default build/package/)
// The package is js/ as it is (after the wasm build put js/dist/), plus what lives beside it in
// the repository: the default policy, its schema and the locale texts (consent/) and LICENSE.
// In the package they sit in consent/ inside it, so sealdesk.js's default consent base becomes
// ./consent/ (in the repository it is ../consent/). Prints the tarball's path.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const js = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(js);

export function pack({ out = path.join(root, 'build/package') } = {}) {
  for (const f of ['dist/sealdesk-core.mjs', 'dist/sealdesk-core.wasm']) {
    if (!existsSync(path.join(js, f))) throw new Error(`js/${f} is missing: build the wasm preset first`);
  }
  const stage = path.join(out, 'stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const copy = (from, to) => cpSync(from, path.join(stage, to), { recursive: true, dereference: true });
  copy(js, '.');
  rmSync(path.join(stage, 'pack.mjs'));
  copy(path.join(root, 'consent/policies/default.json'), 'consent/policies/default.json');
  copy(path.join(root, 'consent/policy.schema.json'), 'consent/policy.schema.json');
  copy(path.join(root, 'consent/locales'), 'consent/locales');
  copy(path.join(root, 'LICENSE'), 'LICENSE');
  const entry = path.join(stage, 'sealdesk.js');
  const before = readFileSync(entry, 'utf8');
  const after = before.replace("const CONSENT_BASE = '../consent/';", "const CONSENT_BASE = './consent/';");
  if (after === before) throw new Error('sealdesk.js: CONSENT_BASE line not found');
  writeFileSync(entry, after);
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: stage, encoding: 'utf8' }).trim().split('\n').pop();
  return path.join(out, name);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  process.stdout.write(pack(i > 0 ? { out: path.resolve(process.argv[i + 1]) } : {}) + '\n');
}
