import { expect } from 'chai';
import { SCHEMA } from '../../src/lint/policy-schema.js';

describe('SCHEMA', () => {
  describe('#derived from the loader schema', () => {
    it("should have the loader's fields at each level, with required fields and enum values", () => {
      expect(Object.keys(SCHEMA.spec)).to.deep.equal(['podSelector', 'policyTypes', 'ingress', 'egress']);
      expect(SCHEMA.policy.apiVersion).to.deep.include({ type: 'string', required: true, values: ['networking.k8s.io/v1'] });
      expect(SCHEMA.policy.kind).to.deep.include({ required: true, values: ['NetworkPolicy'] });
      expect(SCHEMA.metadata.name?.required).to.equal(true);
      expect(SCHEMA.metadata).to.not.have.property('generateName');
      // The API server defaults an omitted podSelector to {}.
      expect(SCHEMA.spec.podSelector).to.deep.include({ type: 'map', required: false, child: 'selector' });
      expect(SCHEMA.spec.policyTypes).to.deep.include({ type: 'list', values: ['Ingress', 'Egress'] });
      expect(SCHEMA.port.protocol?.values).to.deep.equal(['TCP', 'UDP', 'SCTP']);
      expect(SCHEMA['ingress-rule'].from?.child).to.equal('peer');
      expect(SCHEMA['egress-rule'].to?.child).to.equal('peer');
      expect(Object.keys(SCHEMA.peer)).to.deep.equal(['podSelector', 'namespaceSelector', 'ipBlock']);
      expect(SCHEMA['ip-block'].cidr?.required).to.equal(true);
      expect(SCHEMA.requirement.operator?.values).to.deep.equal(['In', 'NotIn', 'Exists', 'DoesNotExist']);
    });
  });
});
