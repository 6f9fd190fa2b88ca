// Golden-file helper: compares rendered output with test/golden/report/NAME; UPDATE_GOLDEN=1 rewrites it.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden', 'report');

/** Asserts that `actual` equals the golden file `name` (or rewrites it when UPDATE_GOLDEN=1). */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing; run with UPDATE_GOLDEN=1 to create it`);
  expect(actual, `output differs from ${file} (UPDATE_GOLDEN=1 rewrites it after review)`).to.equal(readFileSync(file, 'utf8'));
}
