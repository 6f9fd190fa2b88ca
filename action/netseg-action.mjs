// The logic of the netseg GitHub Action (action.yml), kept free of side effects so tests can call it.
// Plain JavaScript: it runs from the action's checkout with nothing but Node.
import { join } from 'node:path';

/** Inputs the run step reads, as named in action.yml; each arrives as NETSEG_INPUT_<NAME> (upper snake case). */
export const RUN_INPUTS = ['scenarios', 'provider', 'cni', 'mesh', 'reporters', 'report-dir', 'fail-on', 'args'];

/** Outputs the run step writes to $GITHUB_OUTPUT (action.yml re-exports passed, failed, skipped, report-json). */
export const RUN_OUTPUTS = ['passed', 'failed', 'skipped', 'report-json', 'exit-code'];

const PROVIDERS = ['kind', 'k3s', 'kubeconfig', 'netns'];
const FAIL_ON = ['mismatch', 'unsupported', 'never'];
const MESHES = ['none', 'istio'];
/** Providers whose `--mesh` netseg accepts: kind installs the mesh, kubeconfig uses the cluster's. */
const MESH_PROVIDERS = ['kind', 'kubeconfig'];

/** The environment variable carrying an input. */
export function inputEnvName(input) {
  return `NETSEG_INPUT_${input.toUpperCase().replace(/-/g, '_')}`;
}

/** Splits a list input on spaces, commas and new lines. */
function list(text) {
  return (text ?? '').split(/[\s,]+/).filter((s) => s !== '');
}

/** The inputs from the environment, validated; throws an Error with a message for the log on a bad value. */
export function readInputs(env) {
  const get = (name, fallback) => {
    const v = (env[inputEnvName(name)] ?? '').trim();
    return v === '' ? fallback : v;
  };
  const inputs = {
    scenarios: list(get('scenarios', 'scenarios/')),
    provider: get('provider', 'kind'),
    cni: get('cni', 'kindnet'),
    mesh: get('mesh', 'none'),
    reporters: list(get('reporters', 'table')),
    reportDir: get('report-dir', 'netseg-reports'),
    failOn: get('fail-on', 'mismatch'),
    args: list(get('args', '')),
  };
  if (!PROVIDERS.includes(inputs.provider)) throw new Error(`input provider: "${inputs.provider}" is not one of ${PROVIDERS.join(', ')}`);
  if (!FAIL_ON.includes(inputs.failOn)) throw new Error(`input fail-on: "${inputs.failOn}" is not one of ${FAIL_ON.join(', ')}`);
  if (!MESHES.includes(inputs.mesh)) throw new Error(`input mesh: "${inputs.mesh}" is not one of ${MESHES.join(', ')}`);
  if (inputs.mesh !== 'none' && !MESH_PROVIDERS.includes(inputs.provider)) throw new Error(`input mesh: ${inputs.mesh} needs provider ${MESH_PROVIDERS.join(' or ')} (got "${inputs.provider}")`);
  if (inputs.scenarios.length === 0) throw new Error('input scenarios: give at least one scenario file or directory');
  return inputs;
}

/** Report files the action always writes, inside the report directory. */
export function reportFiles(reportDir) {
  return { json: join(reportDir, 'report.json'), junit: join(reportDir, 'junit.xml'), html: join(reportDir, 'report.html'), markdown: join(reportDir, 'report.md') };
}

/** The `netseg run` arguments for the inputs. */
export function netsegArgs(inputs) {
  const files = reportFiles(inputs.reportDir);
  return [
    'run',
    ...inputs.scenarios,
    '--provider', inputs.provider,
    ...(inputs.provider === 'kind' ? ['--cni', inputs.cni] : []),
    ...(inputs.mesh !== 'none' ? ['--mesh', inputs.mesh] : []),
    '--reporter', `json=${files.json}`,
    '--reporter', `junit=${files.junit}`,
    '--reporter', `html=${files.html}`,
    '--reporter', `markdown=${files.markdown}`,
    ...inputs.reporters.flatMap((r) => ['--reporter', r]),
    ...inputs.args,
  ];
}

/** Step outputs from the report's counts (undefined when no report was written). */
export function outputsOf(counts, reportJson, exitCode) {
  const c = counts ?? { pass: 0, fail: 0, error: 0, skipped: 0, expectedFail: 0, unexpectedPass: 0 };
  return {
    passed: String(c.pass + c.expectedFail),
    failed: String(c.fail + c.error + c.unexpectedPass),
    skipped: String(c.skipped),
    'report-json': counts ? reportJson : '',
    'exit-code': String(exitCode),
  };
}

/**
 * Whether the step fails, and why. netseg's exit codes: 0 ok, 1 mismatches, 2 bad input,
 * 3 environment, 4 bug, 130 interrupted; only 0 and 1 are results that fail-on may accept.
 */
export function verdict(failOn, exitCode, counts) {
  if (exitCode !== 0 && exitCode !== 1) return { fail: true, reason: `netseg exited ${exitCode} (not a test result: see the log above)` };
  switch (failOn) {
    case 'never':
      return { fail: false, reason: exitCode === 1 ? 'mismatches found, accepted by fail-on: never' : 'no mismatches' };
    case 'unsupported':
      if (exitCode === 1) return { fail: true, reason: 'mismatches found' };
      if ((counts?.skipped ?? 0) > 0) return { fail: true, reason: `${counts.skipped} cells were skipped as unsupported (fail-on: unsupported)` };
      // Cells of a policy kind the provider does not enforce were not probed either.
      if ((counts?.unsupported ?? 0) > 0) return { fail: true, reason: `${counts.unsupported} cells are unsupported by the provider (fail-on: unsupported)` };
      return { fail: false, reason: 'no mismatches, nothing skipped' };
    case 'mismatch':
    default:
      return exitCode === 1 ? { fail: true, reason: 'mismatches found' } : { fail: false, reason: 'no mismatches' };
  }
}
