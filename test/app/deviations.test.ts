import { expect } from 'chai';
import { type CellKey, type ClusterNetworkPolicy, type ClusterState, type DirectionExplanation, type NetworkPolicy } from '../../src/model/index.js';
import { deviationMatcher, matchDeviation } from '../../src/app/deviations.js';
import { loadDeviations } from '../../src/scenario/index.js';
import { dualStackOf } from '../builders/dual-stack.js';
import { smallTopology } from '../providers/kube/fixtures.js';

const side = (selectedBy: string[]): DirectionExplanation => ({ applies: true, isolated: selectedBy.length > 0, selectedBy: selectedBy as `${string}/${string}`[], allowedBy: [], verdict: 'blocked' });
const explanation = (ingress: string[] = [], egress: string[] = [], verdict: 'allowed' | 'blocked' = 'blocked') => ({ verdict, ingress: side(ingress), egress: side(egress) });
const cell = (over: Partial<CellKey> = {}): CellKey => ({ from: 'x/b', to: 'x/a', target: 'pod-ip', port: 80, protocol: 'TCP', ...over });

function policy(name: string, peer: object, ports: object[] = [{ port: 80 }]): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'x' }, spec: { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Ingress'], ingress: [{ from: [peer], ports }] } } as NetworkPolicy;
}

describe('deviations', () => {
  describe('matchDeviation()', () => {
    const cilium = loadDeviations('cilium');
    const topology = smallTopology();

    it('should match Cilium ipBlock cells only when the ipBlock covers the peer pod\'s IP', () => {
      const covering: ClusterState = { topology, policies: [policy('by-ip', { ipBlock: { cidr: '10.244.0.2/32' } })] };
      expect(matchDeviation(cilium, cell(), { state: covering, explanation: explanation(['x/by-ip']) })).to.equal('cilium-ipblock-pod-ip');
      const elsewhere: ClusterState = { topology, policies: [policy('by-ip', { ipBlock: { cidr: '192.0.2.0/24' } })] };
      expect(matchDeviation(cilium, cell(), { state: elsewhere, explanation: explanation(['x/by-ip']) })).to.equal(undefined);
      // A policy not selecting either pod does not count.
      expect(matchDeviation(cilium, cell(), { state: covering, explanation: explanation([]) })).to.equal(undefined);
    });

    it('should judge a dual-stack cell\'s ipBlock coverage on the peer pod\'s address of the cell\'s family', () => {
      const dual = dualStackOf(topology);
      const v4Block: ClusterState = { topology: dual, policies: [policy('by-ip', { ipBlock: { cidr: '10.244.0.2/32' } })] };
      expect(matchDeviation(cilium, cell({ family: 'IPv4' }), { state: v4Block, explanation: explanation(['x/by-ip']) })).to.equal('cilium-ipblock-pod-ip');
      expect(matchDeviation(cilium, cell({ family: 'IPv6' }), { state: v4Block, explanation: explanation(['x/by-ip']) })).to.equal(undefined);
      const v6Block: ClusterState = { topology: dual, policies: [policy('by-ip', { ipBlock: { cidr: 'fd00:10:244::/56' } })] };
      expect(matchDeviation(cilium, cell({ family: 'IPv6' }), { state: v6Block, explanation: explanation(['x/by-ip']) })).to.equal('cilium-ipblock-pod-ip');
    });

    it('should match by protocol, self and feature, and leave ordinary cells alone', () => {
      const state: ClusterState = { topology, policies: [policy('range', { podSelector: {} }, [{ port: 80, endPort: 90 }])] };
      expect(matchDeviation(cilium, cell({ protocol: 'SCTP' }), { state, explanation: explanation() })).to.equal('cilium-sctp');
      expect(matchDeviation(cilium, cell({ from: 'x/a' }), { state, explanation: explanation() })).to.equal('cilium-hairpin');
      expect(matchDeviation(cilium, cell(), { state, explanation: explanation(['x/range']) })).to.equal('cilium-endport');
      expect(matchDeviation(cilium, cell(), { state, explanation: explanation() })).to.equal(undefined);
    });

    it('should match Cilium\'s ClusterNetworkPolicy networks deviation only when a policy on the source has a networks peer covering the destination pod', () => {
      const cnp = (cidr: string, subject: ClusterNetworkPolicy['spec']['subject']): ClusterNetworkPolicy => ({
        apiVersion: 'policy.networking.k8s.io/v1alpha2',
        kind: 'ClusterNetworkPolicy',
        metadata: { name: 'all-v4' },
        spec: { tier: 'Admin', priority: 5, subject, egress: [{ action: 'Deny', to: [{ networks: [cidr] }] }] },
      });
      const on = (p: ClusterNetworkPolicy): ClusterState => ({ topology, policies: [p] });
      expect(matchDeviation(cilium, cell(), { state: on(cnp('0.0.0.0/0', { namespaces: {} })), explanation: explanation() })).to.equal('cilium-cnp-networks-pod-ip');
      expect(matchDeviation(cilium, cell(), { state: on(cnp('169.254.169.254/32', { namespaces: {} })), explanation: explanation() })).to.equal(undefined);
      expect(matchDeviation(cilium, cell(), { state: on(cnp('0.0.0.0/0', { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } })), explanation: explanation() }), 'subject is not the source').to.equal(undefined);
      expect(matchDeviation(cilium, cell(), { state: on(cnp('0.0.0.0/0', { pods: { podSelector: { matchLabels: { pod: 'b' } } } })), explanation: explanation() })).to.equal('cilium-cnp-networks-pod-ip');
    });

    it('should restrict Calico\'s self deviation to Service targets', () => {
      const calico = deviationMatcher(loadDeviations('calico'));
      const state: ClusterState = { topology, policies: [] };
      expect(calico(cell({ from: 'x/a', target: 'service' }), { state, explanation: explanation() as never })).to.equal('calico-self-via-service');
      expect(calico(cell({ from: 'x/a', target: 'pod-ip' }), { state, explanation: explanation() as never })).to.equal(undefined);
    });
  });
});
