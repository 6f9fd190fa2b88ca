import { expect } from 'chai';
import { lintFiles } from '../../src/lint/lint-files.js';
import type { LintInput } from '../../src/lint/lint-input.js';
import type { LintRule } from '../../src/lint/lint-rule.js';
import { LINT_RULES } from '../../src/lint/rules/registry.js';
import type { PolicyKind } from '../../src/model/index.js';
import { POLICY_KIND_MODULES } from '../../src/scenario/index.js';

const NP = (name: string, kind = 'NetworkPolicy') => `apiVersion: networking.k8s.io/v1\nkind: ${kind}\nmetadata: { name: ${name}, namespace: x }\nspec: { podSelector: {} }\n`;
const SCENARIO = `apiVersion: netseg.io/v1alpha1
kind: Scenario
metadata: { name: t }
spec:
  topology: { grid: {} }
  steps:
  - name: s1
    actions: [{ apply: { file: np.yaml } }]
    expect: computed
  - name: s2
    actions: [{ delete: { kind: NetworkPolicy, namespace: x, name: a } }]
    expect: computed
  - name: s3
    actions: [{ apply: { file: np.yaml } }]
    expect: computed
`;
const FILES: Record<string, string> = { 'm.yaml': `${NP('a')}---\n${NP('b', 'networkpolicy')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n`, 's.yaml': SCENARIO, 'np.yaml': NP('a') };
const readText = async (file: string): Promise<string> => FILES[file] ?? Promise.reject(Object.assign(new Error('nope'), { code: 'ENOENT' }));

/** A rule that records what it was given. */
function spy(kinds: readonly PolicyKind[], seen: LintInput[]): LintRule {
  return { id: 'spy', description: 'records its input', severity: 'warning', kinds, check: (input) => (seen.push(input), []) };
}

describe('runRules', () => {
  describe('#runRules()', () => {
    it('should hand a rule only the documents and scope events of its kinds', async () => {
      const all: LintInput[] = [];
      const none: LintInput[] = [];
      await lintFiles(['m.yaml', 's.yaml'], { readText }, [spy(['NetworkPolicy'], all), spy([], none)]);
      expect(all[0]?.policies.map((p) => [p.kind, p.value.metadata])).to.deep.equal([
        ['NetworkPolicy', { name: 'a', namespace: 'x' }],
        ['NetworkPolicy', { name: 'b', namespace: 'x' }],
        ['NetworkPolicy', { name: 'a', namespace: 'x' }],
      ]);
      expect(all[0]?.scopes.map((s) => s.events.map((e) => e.kind))).to.deep.equal([['apply', 'apply'], ['apply', 'delete', 'apply']]);
      expect(none[0]?.policies).to.deep.equal([]);
      expect(none[0]?.scopes.flatMap((s) => s.events)).to.deep.equal([]);
    });

    it('should let every registered rule declare its kinds, each one the scenario layer loads', () => {
      const loadable = POLICY_KIND_MODULES.map((m) => m.kind);
      for (const rule of LINT_RULES) {
        expect(rule.kinds.length, rule.id).to.be.greaterThan(0);
        for (const kind of rule.kinds) expect(loadable, rule.id).to.include(kind);
      }
    });
  });
});

describe('duplicateName', () => {
  describe('#check()', () => {
    it('should forget a policy deleted by { kind, namespace, name }', async () => {
      const issues = await lintFiles(['s.yaml'], { readText });
      expect(issues.filter((i) => i.message.startsWith('[duplicate-name]'))).to.deep.equal([]);
    });
  });
});
