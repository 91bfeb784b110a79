// The benchmark command's runner: every tests/bench/*.bench.mjs module (WASM in Node, beside its
// npm peer, same process) plus every native Google Benchmark binary (build/native/*_bench), one
// table of medians with spread and the ratio to each group's peer, and build/bench/results.json.
//   node tests/bench/run.mjs [--smoke] [--only crypto,opus,pii,relay,startup,weight]
// --smoke: tiny durations, checks only that every row measures something (the test command runs it).
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadCore } from '../../js/core.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const smoke = process.argv.includes('--smoke');
// --only crypto,pii: just those modules (tests/bench/<name>.bench.mjs and build/native/<name>_bench).
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice(7) ?? process.argv[process.argv.indexOf('--only') + 1];
const only = process.argv.some((a) => a.startsWith('--only')) && onlyArg ? new Set(onlyArg.split(',')) : null;
const wanted = (name) => !only || only.has(name);
const seconds = smoke ? 0.02 : 0.5;
const repeats = smoke ? 1 : 7;

const core = await loadCore({ wasmBinary: await readFile(path.join(root, 'js/dist/sealdesk-core.wasm')) });
const groups = new Map();
const rows = [];

for (const file of (await readdir(path.join(root, 'tests/bench'))).filter((f) => f.endsWith('.bench.mjs') && wanted(f.slice(0, -'.bench.mjs'.length))).sort()) {
  const mod = await import(pathToFileURL(path.join(root, 'tests/bench', file)));
  for (const g of mod.groups) groups.set(g.id, g);
  rows.push(...(await mod.run({ core, seconds, repeats, smoke })));
}

// Native rows: each benchmark's label is its group id; items/s or bytes/s is its value.
const nativeDir = path.join(root, 'build/native');
for (const file of existsSync(nativeDir) ? (await readdir(nativeDir)).filter((f) => f.endsWith('_bench') && wanted(f.slice(0, -'_bench'.length).split('_')[0])).sort() : []) {
  const args = ['--benchmark_format=json', `--benchmark_repetitions=${repeats}`, '--benchmark_report_aggregates_only=true',
    `--benchmark_min_time=${smoke ? 0.01 : 0.2}`];
  // SEALDESK_BENCH_DIR: inputs a JS module left for its native twin (the Opus packets).
  const env = { ...process.env, SEALDESK_BENCH_DIR: path.join(root, 'build/bench') };
  const report = JSON.parse(execFileSync(path.join(nativeDir, file), args, { maxBuffer: 16 << 20, env }).toString());
  const byName = new Map();
  for (const b of report.benchmarks) {
    const name = b.run_name ?? b.name;
    const entry = byName.get(name) ?? {};
    const value = b.items_per_second ?? b.bytes_per_second / 1e6;
    if (b.aggregate_name === 'median' || !b.aggregate_name) entry.median = value;
    if (b.aggregate_name === 'mean') entry.mean = value;
    if (b.aggregate_name === 'stddev') entry.stddev = value;
    if (b.label) entry.group = b.label;
    byName.set(name, entry);
  }
  for (const [name, e] of byName) {
    if (!e.group || !groups.has(e.group)) continue;
    const spread = e.stddev ?? 0;
    rows.push({ group: e.group, impl: `native (${name})`, median: e.median, low: e.median - spread, high: e.median + spread });
  }
}

const fmt = (v) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(v >= 10 ? 1 : 2));
const results = [];
console.log(`SealDesk benchmarks: node ${process.version}, ${smoke ? 'smoke mode' : `${repeats} repeats x ${seconds}s`}`);
for (const g of groups.values()) {
  const mine = rows.filter((r) => r.group === g.id);
  if (mine.length === 0) continue;
  const peerRow = mine.find((r) => r.impl === g.peer);
  console.log(`\n${g.title} (${g.unit}; peer: ${g.peer})`);
  for (const r of mine) {
    const ratio = peerRow && r !== peerRow ? r.median / peerRow.median : null;
    console.log(
      `  ${r.impl.padEnd(34)} ${fmt(r.median).padStart(12)}  [${fmt(r.low)} .. ${fmt(r.high)}]` +
        (ratio ? `  ${ratio.toFixed(2)}x ${g.peer}` : r === peerRow ? '  (peer)' : ''),
    );
    results.push({ group: g.id, title: g.title, unit: g.unit, impl: r.impl, median: r.median, low: r.low, high: r.high,
      ratioToPeer: ratio, peer: g.peer, goal: g.goal ?? null });
  }
}
await mkdir(path.join(root, 'build/bench'), { recursive: true });
const out = path.join(root, 'build/bench', smoke ? 'results-smoke.json' : 'results.json');
await writeFile(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, smoke, results }, null, 2));
console.log(`\nwrote ${path.relative(root, out)}: ${results.length} benchmark rows`);

const broken = results.filter((r) => !(r.median > 0) || !Number.isFinite(r.median));
if (broken.length || results.length === 0) {
  console.error(`benchmark rows without a measurement: ${broken.map((r) => `${r.group}/${r.impl}`).join(', ') || 'none at all'}`);
  process.exit(1);
}
