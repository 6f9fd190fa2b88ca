import { expect } from 'chai';
import type { CalicoTier, CiliumNetworkPolicy, Mutation, NetworkPolicy, PolicyTemplate } from '../../src/model/index.js';
import { CniFamilies } from '../../src/scenario/cni-families.js';
import { IssueList } from '../../src/scenario/issue-list.js';
import { parseYamlText } from '../../src/scenario/yaml-source.js';

const doc = parseYamlText('s.yaml', 'spec: { steps: [{ name: a }, { name: b }] }\n').documents[0]!;
const at = (line: number) => ({ file: 's.yaml', line, column: 7 });
const tier: CalicoTier = { apiVersion: 'projectcalico.org/v3', kind: 'CalicoTier', metadata: { name: 't' }, spec: { defaultAction: 'Deny' } };
const cilium: CiliumNetworkPolicy = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'c', namespace: 'x' }, specs: [] };
const np: NetworkPolicy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n', namespace: 'x' }, spec: { podSelector: {} } };
const apply = (policy: PolicyTemplate, line: number): Mutation => ({ kind: 'apply', policy, source: at(line) });

describe('CniFamilies', () => {
  describe('#check()', () => {
    it('should report a Cilium policy in a scenario that already applied a Calico one, once, at the second', () => {
      const issues = new IssueList();
      const families = new CniFamilies(doc, issues);
      families.check([apply(np, 3), apply(tier, 4)], ['spec', 'steps', 0]);
      families.check([apply(cilium, 9), { kind: 'replace', policy: cilium, source: at(10) }], ['spec', 'steps', 1]);
      expect(issues.all().map((i) => `${i.position.line}: ${i.message}`)).to.deep.equal([
        '9: CiliumNetworkPolicy is a Cilium policy, but the scenario already uses CalicoTier (at s.yaml:4:7), a Calico one: no CNI enforces both; split the scenario',
      ]);
    });

    it('should accept Kubernetes kinds beside either family, and one family alone', () => {
      const issues = new IssueList();
      const families = new CniFamilies(doc, issues);
      families.check([apply(np, 3), apply(cilium, 4), apply(cilium, 5)], ['spec', 'steps', 0]);
      expect(issues.all()).to.deep.equal([]);
    });
  });
});
