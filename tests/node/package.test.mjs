// The npm package (js/pack.mjs): the tarball installed into a temporary app, its package.json
// and exports (every JS entry typed), Node resolving it, `tsc --noEmit --strict` on an example
// that uses the documented API (tests/node/package-app/example.ts, typescript from npm), and
// esbuild bundling a tiny app that imports it (package-app/main.js).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { pack } from '../../js/pack.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const testsDir = path.dirname(here);
const requireFromTests = createRequire(path.join(testsDir, 'package.json'));
let dir;
let app;
let installed;
let tarball;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sealdesk-package-'));
  tarball = pack({ out: path.join(dir, 'out') });
  app = path.join(dir, 'app');
  cpSync(path.join(here, 'package-app'), app, { recursive: true });
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'tiny-app', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', tarball], { cwd: app, stdio: 'pipe' });
  installed = path.join(app, 'node_modules/sealdesk');
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('the package is publishable: a licence, not private, LICENSE, the consent data and the .wasm inside', () => {
  const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
  assert.equal(pkg.license, 'Apache-2.0');
  assert.equal(pkg.private, undefined);
  assert.match(readFileSync(path.join(installed, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
  for (const f of ['dist/sealdesk-core.wasm', 'dist/sealdesk-core.mjs', 'consent/policies/default.json', 'consent/locales/en.json', 'consent/locales/zh-CN.json', 'consent/locales/zh-TW.json', 'desk/desk-worker.js', 'ui/widget.js']) {
    assert.ok(existsSync(path.join(installed, f)), `${f} is in the package`);
  }
  assert.ok(!existsSync(path.join(installed, 'pack.mjs')), 'the pack tool is not');
  // In the package the default policy and texts are fetched from consent/ inside it.
  assert.match(readFileSync(path.join(installed, 'sealdesk.js'), 'utf8'), /const CONSENT_BASE = '\.\/consent\/';/);
});

test('every export resolves to a file in the package, and every JS entry has types', () => {
  const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
  assert.equal(pkg.types, './sealdesk.d.ts');
  const entries = Object.entries(pkg.exports);
  assert.ok(entries.length >= 15);
  for (const [key, target] of entries) {
    const files = typeof target === 'string' ? { default: target } : target;
    for (const [condition, file] of Object.entries(files)) {
      if (file.includes('*')) {
        assert.ok(existsSync(path.join(installed, file.replace('*', 'en'))), `${key} (${condition}) matches files`);
        continue;
      }
      assert.ok(existsSync(path.join(installed, file)), `${key} (${condition}) -> ${file} exists`);
    }
    if (/\.m?js$/.test(files.default)) assert.ok(files.types, `${key} has types`);
  }
  // Every .js file a page imports by a public name is covered: widget, loader, worker scripts.
  for (const name of ['.', './loader', './errors', './ui/widget', './desk/desk-worker.js', './media/frame-transform-worker.js', './media/capture-worklet.js', './media/playback-worklet.js', './sealdesk-core.wasm', './consent/policies/default.json']) {
    assert.ok(pkg.exports[name], `exports ${name}`);
  }
});

test('Node resolves the package: SealDeskError is one class, the JSON data imports', () => {
  writeFileSync(path.join(app, 'check.mjs'), `
    import { SealDesk, SealDeskError } from 'sealdesk';
    import { SealDeskError as E2 } from 'sealdesk/errors';
    import policy from 'sealdesk/consent/policies/default.json' with { type: 'json' };
    const err = new SealDeskError('INVALID_ARGUMENT', 'x');
    let refused = null;
    try { await SealDesk.create({ role: 'visitor' }); } catch (e) { refused = e instanceof SealDeskError ? e.code : String(e); }
    console.log(JSON.stringify({ same: SealDeskError === E2, instance: err instanceof Error, code: err.code, refused,
      policy: policy.id, wasm: import.meta.resolve('sealdesk/sealdesk-core.wasm').endsWith('/dist/sealdesk-core.wasm') }));
  `);
  const out = JSON.parse(execFileSync(process.execPath, ['check.mjs'], { cwd: app, encoding: 'utf8' }));
  assert.deepEqual(out, { same: true, instance: true, code: 'INVALID_ARGUMENT', refused: 'INVALID_ARGUMENT', policy: 'sealdesk-default', wasm: true });
  const unexported = spawnSync(process.execPath, ['-e', "import('sealdesk/desk/desk-core.js')"], { cwd: app, encoding: 'utf8' });
  assert.match(unexported.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/, 'internals stay internal');
});

test('tsc --noEmit --strict accepts an example of the documented API against the installed declarations', () => {
  const tsc = path.join(testsDir, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
  // The check has teeth: a wrong call is reported.
  writeFileSync(path.join(app, 'wrong.ts'), "import { SealDesk } from 'sealdesk';\nexport const d = SealDesk.create({ role: 'customer', relayUrl: 1 });\n");
  const wrong = spawnSync(process.execPath, [tsc, '--ignoreConfig', '--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2022,dom', 'wrong.ts'], { cwd: app, encoding: 'utf8' });
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stdout, /TS2322/);
});

test('esbuild bundles a tiny app that imports the package; the bundle runs', async () => {
  const esbuild = requireFromTests('esbuild');
  const outfile = path.join(app, 'dist/app.js');
  const result = await esbuild.build({
    absWorkingDir: app,
    entryPoints: ['main.js'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  assert.deepEqual(result.errors, []);
  const inputs = Object.keys(result.metafile.inputs);
  for (const f of ['node_modules/sealdesk/sealdesk.js', 'node_modules/sealdesk/errors.js', 'node_modules/sealdesk/consent/policies/default.json', 'node_modules/sealdesk/ui/widget.js']) {
    assert.ok(inputs.includes(f), `${f} is in the bundle`);
  }
  // Worker, worklet and .wasm are fetched at run time by URL, from the served package folder
  // (CreateOptions.assetUrl; the browser test readme-embed.spec runs such a bundle).
  const code = readFileSync(outfile, 'utf8');
  assert.match(code, /assetUrl\("desk\/desk-worker\.js"\)/);
  const { check } = await import(pathToFileURL(outfile).href);
  assert.deepEqual(check, { create: 'function', errorIsClass: true, locale: 'zh-TW', policyVersion: '2025.1', enLocale: 'en' });
});
