// Writes schema/scenario.schema.json from the zod schema; `--check` exits 1 when the committed file is stale.
// `--out FILE` targets another file (used by tests).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderScenarioJsonSchema } from '../src/scenario/json-schema.js';

const outIndex = process.argv.indexOf('--out');
const target = outIndex > 0 && process.argv[outIndex + 1] ? process.argv[outIndex + 1]! : join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'scenario.schema.json');
const fresh = renderScenarioJsonSchema();

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is stale too
  }
  if (current !== fresh) {
    console.error(`${target} is stale; run \`npm run schema\` and commit the result`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, fresh);
  console.log(`wrote ${target}`);
}
