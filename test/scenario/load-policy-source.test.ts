import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue } from '../../src/model/index.js';
import { loadScenarioCollecting, replaySteps } from '../../src/scenario/index.js';

const HEAD = 'apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: t }\nspec:\n  topology: { grid: {} }\n  steps:\n';
const NP = (name: string, ns = 'x') => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: ${ns} }\nspec: { podSelector: {} }\n`;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netseg-kinds-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Loads scenario text written next to the given manifest files; returns the scenario and formatted issues. */
function load(steps: string, files: Record<string, string> = {}) {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const { scenario, issues } = loadScenarioCollecting(join(dir, 's.yaml'), HEAD + steps);
  return { scenario, issues: issues.map(formatIssue) };
}

describe('loadPolicySource', () => {
  describe('#loadPolicySource()', () => {
    it('should load every policy of a mixed manifest file, List items included, and skip objects that are no network policy', () => {
      const list = `apiVersion: v1\nkind: List\nitems:\n${[NP('b'), NP('c')].map((d) => `- ${d.replaceAll('\n', '\n  ').trimEnd()}`).join('\n')}\n`;
      const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: x }\nspec: {}\n';
      const admission = 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: { name: v }\nspec: {}\n';
      const { scenario, issues } = load('  - name: s1\n    actions: [{ apply: { file: mixed.yaml } }]\n    expect: computed\n', { 'mixed.yaml': `${deployment}---\n${admission}---\n${NP('a')}---\n${list}` });
      expect(issues).to.deep.equal([]);
      expect(scenario?.steps[1]?.mutations.map((m) => (m.kind === 'apply' ? m.policy.metadata.name : m.kind))).to.deep.equal(['a', 'b', 'c']);
    });

    it('should report an unsupported policy kind in a manifest at its kind, listing the supported kinds', () => {
      const gnp = 'apiVersion: projectcalico.org/v3\nkind: StagedGlobalNetworkPolicy\nmetadata: { name: deny }\nspec: {}\n';
      const { scenario, issues } = load('  - name: s1\n    actions: [{ apply: { file: gnp.yaml } }]\n    expect: computed\n', { 'gnp.yaml': `${NP('a')}---\n${gnp}` });
      expect(scenario).to.equal(undefined);
      expect(issues).to.have.length(1);
      expect(issues[0]).to.match(/gnp\.yaml:7:1: .*kind "StagedGlobalNetworkPolicy" is not a supported policy kind; supported: NetworkPolicy \(networking\.k8s\.io\/v1\), ClusterNetworkPolicy \(policy\.networking\.k8s\.io\/v1alpha2\)/);
    });

    it('should report an unsupported inline kind at its kind, listing the supported kinds', () => {
      const { issues } = load('  - name: s1\n    actions:\n    - apply: { apiVersion: security.istio.io/v1, kind: PeerAuthentication, metadata: { name: a, namespace: x }, spec: {} }\n    expect: computed\n');
      expect(issues.some((i) => /s\.yaml:9:\d+: .*kind "PeerAuthentication" is not a supported policy kind; supported: NetworkPolicy \(networking\.k8s\.io\/v1\)/.test(i))).to.equal(true, issues.join('\n'));
    });
  });
});

describe('normalizeSteps', () => {
  describe('#delete', () => {
    const apply = `  - name: s1\n    actions: [{ apply: { file: np.yaml } }]\n    expect: computed\n`;

    it('should delete a policy named by { kind, namespace, name } and replay without it', () => {
      const { scenario, issues } = load(`${apply}  - name: s2\n    actions: [{ delete: { kind: NetworkPolicy, namespace: x, name: a } }]\n    expect: computed\n`, { 'np.yaml': NP('a') });
      expect(issues).to.deep.equal([]);
      expect(scenario?.steps[2]?.mutations).to.deep.include({ kind: 'delete', policyKind: 'NetworkPolicy', namespace: 'x', name: 'a', source: scenario?.steps[2]?.mutations[0]?.source });
      expect(replaySteps(scenario!).map((s) => s.policies.length)).to.deep.equal([0, 1, 0]);
    });

    it('should default the kind to NetworkPolicy and require its namespace', () => {
      const { issues } = load(`${apply}  - name: s2\n    actions: [{ delete: { name: a } }]\n    expect: computed\n`, { 'np.yaml': NP('a') });
      expect(issues).to.have.length(1);
      expect(issues[0]).to.match(/s\.yaml:11:17: .*NetworkPolicy is namespaced: delete needs its namespace/);
    });

    it('should report a deletion of a policy that does not exist, in the same words as the string form', () => {
      const { issues } = load(`${apply}  - name: s2\n    actions: [{ delete: { namespace: x, name: b } }, { delete: x/c }]\n    expect: computed\n`, { 'np.yaml': NP('a') });
      expect(issues).to.have.length(2);
      expect(issues[0]).to.match(/policy x\/b does not exist at this step/);
      expect(issues[1]).to.match(/policy x\/c does not exist at this step/);
    });

    it('should reject a kind that is not supported', () => {
      const { issues } = load(`${apply}  - name: s2\n    actions: [{ delete: { kind: StagedGlobalNetworkPolicy, name: a } }]\n    expect: computed\n`, { 'np.yaml': NP('a') });
      expect(issues.join('\n')).to.match(/kind must be one of NetworkPolicy/);
    });
  });
});
