// The declarations against what the SDK returns at run time: values a spec captured are written as
// object literals typed with js/sealdesk.d.ts and checked by `tsc --strict` (a missing field, a
// field of another type or one the declarations do not name is an error; literals get excess
// property checks).
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';

const root = new URL('../../', import.meta.url).pathname;
const tsc = `${root}tests/node_modules/typescript/bin/tsc`;

/** Plain data for a literal: bytes become a typed-array expression, functions are left out. */
function literal(value) {
  if (value instanceof Uint8Array || value?.__bytes) return 'new Uint8Array(0)';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${literal(v)}`).join(', ')} }`;
  return JSON.stringify(value ?? null);
}

/**
 * checkDeclared({ ConsentState: value, 'DeskEvents["delivery"]': value, ... }): tsc's complaints
 * ('' when every value is what its type declares).
 */
export function checkDeclared(values) {
  const dir = `${root}build/declared/`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}check-${randomUUID()}.ts`;
  const types = [...new Set(Object.keys(values).map((t) => t.match(/^\w+/)[0]))]; // keys may repeat a type with a trailing space
  const lines = [`import type { ${types.join(', ')} } from '../../js/sealdesk.js';`];
  Object.entries(values).forEach(([type, value], i) => lines.push(`export const v${i}: ${type} = ${literal(value)};`));
  writeFileSync(file, `${lines.join('\n')}\n`);
  const r = spawnSync(process.execPath, [tsc, '--ignoreConfig', '--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2022,dom', file], { encoding: 'utf8' });
  return r.status === 0 ? '' : `${r.stdout}${r.stderr}`.replaceAll(dir, '');
}
