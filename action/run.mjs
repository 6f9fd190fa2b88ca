// Entry point of the action's run step: runs netseg, publishes the Markdown report to the step
// summary and the counts as step outputs, and fails the step according to fail-on.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { netsegArgs, outputsOf, readInputs, reportFiles, verdict } from './netseg-action.mjs';

const actionPath = join(dirname(fileURLToPath(import.meta.url)), '..');

function main() {
  let inputs;
  try {
    inputs = readInputs(process.env);
  } catch (err) {
    console.log(`::error title=netseg::${err.message}`);
    return 2;
  }
  mkdirSync(inputs.reportDir, { recursive: true });
  const files = reportFiles(inputs.reportDir);
  // A report left by an earlier run in the same directory must not pass for this run's.
  for (const f of Object.values(files)) rmSync(f, { force: true });
  const args = netsegArgs(inputs);
  console.log(`netseg ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [join(actionPath, 'bin', 'netseg.js'), ...args], { stdio: 'inherit' });
  const exitCode = run.status ?? (run.signal ? 130 : 4);
  const counts = readCounts(files.json);
  if (process.env.GITHUB_STEP_SUMMARY && existsSync(files.markdown)) appendFileSync(process.env.GITHUB_STEP_SUMMARY, readFileSync(files.markdown, 'utf8'));
  const outputs = outputsOf(counts, files.json, exitCode);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join(''));
  const v = verdict(inputs.failOn, exitCode, counts);
  console.log(`netseg: ${outputs.passed} passed, ${outputs.failed} failed, ${outputs.skipped} skipped; ${v.reason}`);
  if (v.fail) {
    console.log(`::error title=netseg::${v.reason}`);
    return exitCode === 0 ? 1 : exitCode;
  }
  return 0;
}

/** The counts of the JSON report, undefined when netseg wrote none (bad input, environment problem). */
function readCounts(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')).counts;
  } catch (err) {
    console.log(`::warning title=netseg::cannot read ${file}: ${err.message}`);
    return undefined;
  }
}

process.exitCode = main();
