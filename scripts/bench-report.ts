// Report size benchmark: the JSON report of `netseg check scenarios/` (or of a given report file,
// e.g. one written by `netseg run scenarios/ --reporter json=FILE`) in format version 2, beside its
// target (2 MB) and beside version 1 (one object per cell, the previous format) measured in this
// same run; plus the HTML report's size and render time.
// Run: npx tsx scripts/bench-report.ts [--report FILE]
import { readFileSync } from 'node:fs';
import { checkScenarios } from '../src/app/check-scenarios.js';
import type { RunReport } from '../src/model/index.js';
import { HtmlReporter } from '../src/report/html-reporter.js';
import { JsonReporter } from '../src/report/json-reporter.js';
import { parseRunReport } from '../src/report/run-report-parser.js';

const TARGET_BYTES = 2_000_000;

const at = process.argv.indexOf('--report');
const file = at === -1 ? undefined : process.argv[at + 1];
const report: RunReport = file ? parseRunReport(readFileSync(file, 'utf8'), file) : await checkScenarios(['scenarios']);
const cells = report.scenarios.reduce((n, s) => n + s.steps.reduce((m, st) => m + st.cells.length, 0), 0);
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

let t = performance.now();
const v2 = new JsonReporter().render(report, { color: false });
const v2Ms = performance.now() - t;
// Version 1 was the RunReport itself, indented, one object (and explanation) per cell.
const v1 = `${JSON.stringify({ ...report, schemaVersion: 1 }, null, 2)}\n`;
t = performance.now();
const html = new HtmlReporter().render(report, { color: false });
const htmlMs = performance.now() - t;

console.log(`report: ${file ?? 'netseg check scenarios/'} (${report.mode}), ${report.scenarios.length} scenarios, ${cells} cells`);
console.log(`json v2: ${mb(Buffer.byteLength(v2))} (target ≤ ${mb(TARGET_BYTES)}: ${Buffer.byteLength(v2) <= TARGET_BYTES ? 'met' : 'MISSED'}); rendered in ${v2Ms.toFixed(0)} ms`);
console.log(`json v1 (previous format, same report): ${mb(Buffer.byteLength(v1))}; v2 is ${(Buffer.byteLength(v1) / Buffer.byteLength(v2)).toFixed(1)}× smaller`);
console.log(`html: ${mb(Buffer.byteLength(html))}; rendered in ${htmlMs.toFixed(0)} ms`);
