import { expect } from 'chai';
import { POLICY_KINDS } from '../../../src/model/index.js';
import { documentSchemaOf, kindModule, moduleOfDocument, POLICY_KIND_MODULES, supportedKindsText } from '../../../src/scenario/kinds/policy-kinds.js';
import type { PolicyKindModule } from '../../../src/scenario/kinds/policy-kind-module.js';

describe('policyKinds', () => {
  describe('POLICY_KIND_MODULES', () => {
    it('should hold one module per loadable policy kind, in POLICY_KINDS order', () => {
      const kinds = POLICY_KIND_MODULES.map((m) => m.kind);
      expect(kinds).to.include('NetworkPolicy');
      expect(kinds).to.deep.equal(POLICY_KINDS.filter((k) => kinds.includes(k)));
    });
  });

  describe('#moduleOfDocument()', () => {
    it('should match on (apiVersion, kind), fall back to the first module of the kind name, and know no other kind', () => {
      expect(moduleOfDocument({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' })?.kind).to.equal('NetworkPolicy');
      expect(moduleOfDocument({ apiVersion: 'networking.k8s.io/v1beta1', kind: 'NetworkPolicy' })?.kind).to.equal('NetworkPolicy');
      expect(moduleOfDocument({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy' })?.kind).to.equal('ClusterNetworkPolicy');
      expect(moduleOfDocument({ apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy' })?.kind).to.equal('CalicoGlobalNetworkPolicy');
      expect(moduleOfDocument({ apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy' })?.kind).to.equal('CalicoNetworkPolicy');
      expect(moduleOfDocument({ apiVersion: 'projectcalico.org/v3', kind: 'StagedGlobalNetworkPolicy' })).to.equal(undefined);
      expect(moduleOfDocument({ apiVersion: 'apps/v1', kind: 'Deployment' })).to.equal(undefined);
      expect(moduleOfDocument(null)).to.equal(undefined);
    });
  });

  describe('#documentSchemaOf()', () => {
    it('should reject a wrong apiVersion and name the supported kinds when the kind is wrong', () => {
      const schema = documentSchemaOf(kindModule('NetworkPolicy') as PolicyKindModule);
      const wrongVersion = schema.safeParse({ apiVersion: 'networking.k8s.io/v2', kind: 'NetworkPolicy', metadata: { name: 'a' }, spec: {} });
      expect(wrongVersion.error?.issues.map((i) => i.message)).to.deep.equal(['apiVersion must be networking.k8s.io/v1']);
      const wrongKind = schema.safeParse({ apiVersion: 'networking.k8s.io/v1', kind: 'Foo', metadata: { name: 'a' }, spec: {} });
      expect(wrongKind.error?.issues.map((i) => i.message)).to.deep.equal([`kind "Foo" is not a supported policy kind; supported: ${supportedKindsText()}`]);
    });
  });
});
