// Benchmark (not a test): the WASM masker against npm redact-pii over the same corpus, in the
// same Node process, plus the native masker's MB/s beside them.
//
//   node tests/bench/pii_wasm_bench.mjs [--seconds 2]
//
// Needs js/dist (the wasm preset), redact-pii (tests/node_modules, or REDACT_PII_DIR pointing
// at a node_modules that has it) and, for the native column, build/native/pii_bench.
// Two modes: message by message (how the widget calls it) and the whole corpus as one text.
// Rates use the process's CPU time, so other work on a shared machine disturbs them less.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../../js/core.js';
import { Heap } from '../../js/core/heap.js';
import { bindPii } from '../../js/core/pii.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 2;

const messages = readFileSync(`${root}/tests/corpus/pii/corpus.jsonl`, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line).text);
const messageBytes = messages.reduce((n, m) => n + Buffer.byteLength(m), 0);
const oneText = messages.join('\n');
const oneTextBytes = Buffer.byteLength(oneText);

// CPU seconds and wall seconds for repeating fn until `seconds` of CPU time have passed.
function measure(fn) {
  for (let i = 0; i < 3; i++) fn(); // warm up (WebAssembly tiers up, V8 optimises the JS)
  let reps = 0;
  const wall0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let cpu = 0;
  do {
    fn();
    reps++;
    const u = process.cpuUsage(cpu0);
    cpu = (u.user + u.system) / 1e6;
  } while (cpu < seconds);
  return { reps, cpu, wall: Number(process.hrtime.bigint() - wall0) / 1e9 };
}

const rate = (bytes, m) => (bytes * m.reps) / m.cpu / 1e6;

const core = await loadCore({ wasmBinary: readFileSync(`${root}/js/dist/sealdesk-core.wasm`) });
const { PiiMasker } = core.PiiMasker ? core : bindPii(core._module, new Heap(core._module));
const masker = new PiiMasker({});

let redactor = null;
for (const dir of [process.env.REDACT_PII_DIR, `${root}/tests/node_modules`].filter(Boolean)) {
  if (existsSync(`${dir}/redact-pii`)) {
    const { SyncRedactor } = createRequire(`${dir}/`)('redact-pii');
    redactor = new SyncRedactor();
    break;
  }
}

const rows = [];
const wasmPer = measure(() => messages.forEach((m) => masker.mask(m)));
const wasmOne = measure(() => masker.mask(oneText));
rows.push(['sealdesk wasm', rate(messageBytes, wasmPer), rate(oneTextBytes, wasmOne)]);
if (redactor) {
  const rpPer = measure(() => messages.forEach((m) => redactor.redact(m)));
  const rpOne = measure(() => redactor.redact(oneText));
  rows.push(['redact-pii', rate(messageBytes, rpPer), rate(oneTextBytes, rpOne)]);
}

let native = null;
const nativeBench = `${root}/build/native/pii_bench`;
if (existsSync(nativeBench)) {
  const out = JSON.parse(
    execFileSync(nativeBench, ['--benchmark_format=json', '--benchmark_filter=Label|AsOneText', `--benchmark_min_time=${seconds / 2}`], {
      encoding: 'utf8',
    }),
  );
  const find = (name) => out.benchmarks.find((b) => b.name.startsWith(name))?.bytes_per_second / 1e6;
  native = ['sealdesk native', find('BM_MaskCorpusPerMessageLabel'), find('BM_MaskCorpusAsOneText')];
  rows.push(native);
}

console.log(`corpus: ${messages.length} messages, ${messageBytes} bytes (tests/corpus/pii/corpus.jsonl)`);
console.log(`${'masker'.padEnd(16)} ${'per message MB/s'.padStart(17)} ${'one text MB/s'.padStart(14)}`);
for (const [name, per, one] of rows) console.log(`${name.padEnd(16)} ${per.toFixed(1).padStart(17)} ${one.toFixed(1).padStart(14)}`);
if (redactor) {
  console.log(`ratio wasm / redact-pii: ${(rows[0][1] / rows[1][1]).toFixed(1)}x per message, ${(rows[0][2] / rows[1][2]).toFixed(1)}x one text (goal >= 10x)`);
} else {
  console.log('redact-pii not installed: npm install --prefix tests redact-pii (or set REDACT_PII_DIR)');
}
masker.delete();
