import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { inputEnvName, netsegArgs, readInputs, RUN_INPUTS, RUN_OUTPUTS, verdict } from '../../action/netseg-action.mjs';
import { KIND_VERSIONS } from '../../src/providers/kind/kind-versions.js';

interface Step { id?: string; name?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, string> }
interface Action {
  inputs: Record<string, { description: string; default: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const text = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8');
const action = parse(text) as Action;
const inputs = Object.keys(action.inputs);
const runStep = action.runs.steps.find((s) => s.id === 'run')!;

/** The README's table of action inputs: name → default. */
function readmeInputs(): Map<string, string> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('<!-- action-inputs -->'), readme.indexOf('<!-- /action-inputs -->'));
  const rows = [...section.matchAll(/^\| `([a-z-]+)` \| `([^`]*)` \|/gm)];
  return new Map(rows.map((m) => [m[1]!, m[2]!]));
}

describe('action.yml', () => {
  it('should be a composite action whose every ${{ inputs.X }} names a declared input, and every input is used', () => {
    expect(action.runs.using).to.equal('composite');
    // ${{ }} expressions and `if:` conditions (which need no braces) of the steps and outputs.
    const used = [...text.slice(text.indexOf('\noutputs:')).matchAll(/\binputs\.([a-z][a-z-]*)/g)].map((m) => m[1]!);
    expect([...new Set(used)].filter((u) => !inputs.includes(u))).to.deep.equal([]);
    expect(inputs.filter((i) => !used.includes(i))).to.deep.equal([]);
  });

  it('should hand the run step exactly the inputs action/netseg-action.mjs reads, each as NETSEG_INPUT_<NAME>', () => {
    const expected = Object.fromEntries(RUN_INPUTS.map((i) => [inputEnvName(i), `\${{ inputs.${i} }}`]));
    expect(runStep.env).to.deep.equal(expected);
    expect(runStep.run).to.equal('node "$GITHUB_ACTION_PATH/action/run.mjs"');
  });

  it('should give the run step the same defaults as action.yml', () => {
    const fromDefaults = readInputs(Object.fromEntries(RUN_INPUTS.map((i) => [inputEnvName(i), action.inputs[i]!.default])));
    expect(readInputs({})).to.deep.equal(fromDefaults);
  });

  it('should declare outputs passed, failed, skipped and report-json, all written by the run step', () => {
    expect(Object.keys(action.outputs)).to.have.members(['passed', 'failed', 'skipped', 'report-json']);
    for (const [name, o] of Object.entries(action.outputs)) {
      expect(o.value).to.equal(`\${{ steps.run.outputs.${name} }}`);
      expect(RUN_OUTPUTS).to.include(name);
    }
  });

  it('should pin the kind and kubectl versions netseg pins', () => {
    expect(action.inputs['kind-version']!.default).to.equal(KIND_VERSIONS.kind);
    expect(action.inputs['kubectl-version']!.default).to.equal(KIND_VERSIONS.kubernetes);
  });

  it('should be documented in the README with the same inputs and defaults', () => {
    expect(Object.fromEntries(readmeInputs())).to.deep.equal(Object.fromEntries(inputs.map((i) => [i, action.inputs[i]!.default])));
  });

  it('should upload the report directory only when upload-reports is true, also after a failure', () => {
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).to.equal("always() && inputs.upload-reports == 'true'");
    expect(upload.with!.path).to.equal('${{ inputs.report-dir }}');
  });
});

describe('netseg-action', () => {
  describe('netsegArgs()', () => {
    it('should always write JSON, JUnit, HTML and Markdown reports and pass --cni only to kind', () => {
      const kind = netsegArgs(readInputs({ NETSEG_INPUT_CNI: 'calico', NETSEG_INPUT_SCENARIOS: 'a.yaml\nb/' }));
      expect(kind.join(' ')).to.equal('run a.yaml b/ --provider kind --cni calico --reporter json=netseg-reports/report.json --reporter junit=netseg-reports/junit.xml --reporter html=netseg-reports/report.html --reporter markdown=netseg-reports/report.md --reporter table');
      expect(netsegArgs(readInputs({ NETSEG_INPUT_PROVIDER: 'k3s', NETSEG_INPUT_REPORTERS: '' }))).not.to.include('--cni');
    });
  });

  describe('readInputs()', () => {
    it('should reject an unknown provider, fail-on or a mesh', () => {
      expect(() => readInputs({ NETSEG_INPUT_PROVIDER: 'minikube' })).to.throw(/provider/);
      expect(() => readInputs({ NETSEG_INPUT_FAIL_ON: 'sometimes' })).to.throw(/fail-on/);
      expect(() => readInputs({ NETSEG_INPUT_MESH: 'linkerd' })).to.throw(/input mesh: "linkerd" is not one of none, istio/);
      expect(() => readInputs({ NETSEG_INPUT_PROVIDER: 'netns', NETSEG_INPUT_MESH: 'istio' })).to.throw(/needs provider kind or kubeconfig/);
    });

    it('should pass --mesh istio to kind and kubeconfig, and nothing for the default none', () => {
      expect(netsegArgs(readInputs({ NETSEG_INPUT_CNI: 'calico', NETSEG_INPUT_MESH: 'istio' })).join(' ')).to.contain('--provider kind --cni calico --mesh istio --reporter');
      expect(netsegArgs(readInputs({}))).not.to.include('--mesh');
    });
  });

  describe('verdict()', () => {
    const counts = { pass: 1, fail: 0, error: 0, skipped: 2, expectedFail: 0, unexpectedPass: 0 };
    it('should fail on mismatches unless fail-on is never, on skipped cells only for unsupported, and always on exit 2/3/4/130', () => {
      expect(verdict('mismatch', 1, counts).fail).to.equal(true);
      expect(verdict('never', 1, counts).fail).to.equal(false);
      expect(verdict('mismatch', 0, counts).fail).to.equal(false);
      expect(verdict('unsupported', 0, counts).fail).to.equal(true);
      expect(verdict('unsupported', 0, { ...counts, skipped: 0 }).fail).to.equal(false);
      expect(verdict('unsupported', 0, { ...counts, skipped: 0, unsupported: 3 }).fail).to.equal(true);
      expect(verdict('mismatch', 0, { ...counts, skipped: 0, unsupported: 3 }).fail).to.equal(false);
      for (const code of [2, 3, 4, 130]) expect(verdict('never', code, counts).fail).to.equal(true);
    });
  });
});
