#!/usr/bin/env node
// kubectl plugin launcher (`kubectl netseg run …`): kubectl finds kubectl-netseg on PATH and runs it
// with the arguments after "netseg". Maps kubectl's conventions onto netseg's flags, then runs the CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = (p) => fileURLToPath(new URL(`../dist/cli/${p}`, import.meta.url));
if (!existsSync(dist('main.js'))) {
  process.stderr.write('kubectl-netseg: the CLI is not built; run `npm run build` (npm ci does it through prepare).\n');
  process.exit(3);
}
const { kubectlPluginArgv } = await import(dist('kubectl-plugin-args.js'));
process.argv = [process.argv[0], process.argv[1], ...kubectlPluginArgv(process.argv.slice(2), { env: process.env })];
await import(dist('main.js'));
