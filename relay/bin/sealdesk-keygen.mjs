#!/usr/bin/env node
// sealdesk-keygen: creates the agent desk's Ed25519 identity and prints what goes where.
//   sealdesk-keygen --relay-url wss://relay.example.com [--out desk-identity.json] [--json]
//   sealdesk-keygen --seed-file desk-identity.json     the widget config of an existing identity
// The seed is the desk's secret: it goes to the agent console only (SealDesk.create({ role:
// 'agent', identity: { seed } })), never into a page customers load, a log or a repository.
// With --out it is written to that file (mode 0600, never overwritten) instead of stdout.
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { agentKeyOfSeed, createDeskIdentity } from '../keys.mjs';

export const USAGE = `usage: sealdesk-keygen [--relay-url URL] [--out FILE] [--json]
       sealdesk-keygen --seed-file FILE [--relay-url URL] [--json]
  --relay-url URL   the relay the widget connects to (wss://... in production; default ws://localhost:8081)
  --out FILE        write the desk identity { "identity": { "seed" } } to FILE (mode 0600) instead of printing the seed
  --seed-file FILE  do not create a key: read that identity file and print its widget config
  --json            one JSON object on stdout: { widget: { relayUrl, agentKey }, desk: { identity: { seed } } }`;

export function parseArgs(argv) {
  const args = { relayUrl: 'ws://localhost:8081', out: null, seedFile: null, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--relay-url') args.relayUrl = value();
    else if (flag === '--out') args.out = value();
    else if (flag === '--seed-file') args.seedFile = value();
    else if (flag === '--json') args.json = true;
    else if (flag === '--help' || flag === '-h') args.help = true;
    else throw new Error(`unknown option ${flag}`);
  }
  if (!/^wss?:\/\/[^/]/.test(args.relayUrl)) throw new Error('--relay-url must start with wss:// (or ws:// for localhost)');
  if (args.out && args.seedFile) throw new Error('--out and --seed-file exclude each other');
  return args;
}

function main(argv) {
  let args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (args.help) return process.stdout.write(USAGE + '\n');
  let identity;
  try {
    if (args.seedFile) {
      const seed = JSON.parse(readFileSync(args.seedFile, 'utf8'))?.identity?.seed;
      identity = { seed, agentKey: agentKeyOfSeed(seed) };
    } else {
      identity = createDeskIdentity();
    }
    if (args.out) writeFileSync(args.out, JSON.stringify({ identity: { seed: identity.seed } }, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    process.stderr.write(`sealdesk-keygen: ${err.code === 'EEXIST' ? `${args.out} exists; not overwritten` : err.message}\n`);
    process.exit(1);
  }
  const widget = { relayUrl: args.relayUrl, agentKey: identity.agentKey };
  const desk = { identity: { seed: identity.seed } };
  const seedShown = !args.out && !args.seedFile;
  if (args.json) {
    process.stdout.write(JSON.stringify(seedShown ? { widget, desk } : { widget }) + '\n');
    return;
  }
  const lines = [
    '# Widget config: public, goes into the site (SealDesk.create({ role: "customer", ...this }))',
    JSON.stringify(widget, null, 2),
  ];
  if (seedShown) {
    lines.push('', '# Agent desk identity: SECRET, for the agent console only (SealDesk.create({ role: "agent", ...this }))', JSON.stringify(desk, null, 2));
  } else if (args.out) {
    lines.push('', `# Agent desk identity written to ${args.out} (mode 0600): SECRET, for the agent console only`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

const invoked = process.argv[1] && realpathSync(process.argv[1]);
if (invoked === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
