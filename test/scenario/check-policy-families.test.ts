import { expect } from 'chai';
import type { PolicyObject } from '../../src/model/index.js';
import { PolicyFamilies } from '../../src/scenario/check-policy-families.js';
import { IssueList } from '../../src/scenario/issue-list.js';
import { parseYamlText } from '../../src/scenario/yaml-source.js';

const doc = parseYamlText('s.yaml', 'a: { kind: x }\nb: { kind: y }\nc: { kind: z }\n').documents[0]!;
const cilium = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'c', namespace: 'x' }, specs: [] } as PolicyObject;
// The model shape only: the Calico loader is other work; the check reads nothing but the kind.
const calico = { kind: 'CalicoGlobalNetworkPolicy', metadata: { name: 'g' } } as unknown as PolicyObject;
const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n', namespace: 'x' }, spec: { podSelector: {} } } as PolicyObject;

describe('PolicyFamilies', () => {
  describe('#track()', () => {
    it('should report a Calico policy after a Cilium one at its kind, naming where the first was', () => {
      const issues = new IssueList();
      const families = new PolicyFamilies();
      families.track({ policy: cilium, doc, path: ['a'] }, issues);
      families.track({ policy: np, doc, path: ['b'] }, issues);
      families.track({ policy: calico, doc, path: ['c'] }, issues);
      const all = issues.all();
      expect(all).to.have.length(1);
      expect(all[0]!.position).to.include({ line: 3 });
      expect(all[0]!.message).to.match(/a CalicoGlobalNetworkPolicy cannot be in a scenario with Cilium policies \(CiliumNetworkPolicy at s\.yaml:1:\d+\): no CNI enforces both/);
    });

    it('should accept one family with NetworkPolicies', () => {
      const issues = new IssueList();
      const families = new PolicyFamilies();
      for (const path of [['a'], ['b'], ['c']]) families.track({ policy: path[0] === 'b' ? np : cilium, doc, path }, issues);
      expect(issues.all()).to.deep.equal([]);
    });
  });
});
