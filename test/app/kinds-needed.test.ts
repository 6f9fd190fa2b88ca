import { expect } from 'chai';
import { kindsNeeded } from '../../src/app/kinds-needed.js';
import type { ClusterState, NetworkPolicy } from '../../src/model/index.js';
import { gridTopology } from '../builders/grid-topology.js';

const policy: NetworkPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'deny', namespace: 'x' },
  spec: { podSelector: {}, ingress: [] },
};

const state = (policies: readonly NetworkPolicy[]): ClusterState => ({ topology: gridTopology(), policies });

describe('kindsNeeded', () => {
  describe('#kindsNeeded()', () => {
    it('should need no kind when no step has a policy', () => {
      expect(kindsNeeded([state([]), state([])])).to.deep.equal([]);
      expect(kindsNeeded([])).to.deep.equal([]);
    });

    it('should need a kind used in any step, also one a later step deletes, once', () => {
      expect(kindsNeeded([state([]), state([policy, { ...policy, metadata: { name: 'other', namespace: 'y' } }]), state([])])).to.deep.equal(['NetworkPolicy']);
    });
  });
});
