#!/usr/bin/env node
// Launcher: runs the compiled CLI (built by `npm ci` through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('netseg: the CLI is not built; run `npm run build` (npm ci does it through prepare).\n');
  process.exit(3);
}
await import(main);
