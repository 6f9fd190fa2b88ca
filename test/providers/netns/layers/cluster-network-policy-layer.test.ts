import { expect } from 'chai';
import type { ClusterNetworkPolicy, ClusterNetworkPolicySpec } from '../../../../src/model/index.js';
import { clusterNetworkPolicyLayer } from '../../../../src/providers/netns/layers/cluster-network-policy-layer.js';
import type { LayerChain } from '../../../../src/providers/netns/layers/netns-layer.js';
import { clusterPolicy, gridTopology } from '../fixtures.js';

// Pods: x/a 10.244.0.1, x/b .2, y/a .3, y/b .4 (namespace y has team=blue), kube-system/coredns .5.
const topology = gridTopology();
const compile = (...policies: ClusterNetworkPolicy[]) => clusterNetworkPolicyLayer.compile({ topology, policies }, policies);
const chainOf = (chains: LayerChain[], pod: string, direction: 'ingress' | 'egress', layer = 'admin') => chains.find((c) => c.pod === pod && c.direction === direction && c.layer.id === layer);
const subjectXa = { pods: { podSelector: { matchLabels: { pod: 'a' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } } };
const admin = (name: string, spec: Partial<ClusterNetworkPolicySpec>) => clusterPolicy(name, { tier: 'Admin', priority: 10, subject: subjectXa, ...spec });
const allFrom = [{ namespaces: {} }];

describe('clusterNetworkPolicyLayer', () => {
  describe('#compile()', () => {
    it('should put Admin policies in layer admin (rank 1,000) and Baseline ones in layer baseline (rank 10,000,000), each ending with continue', () => {
      const chains = compile(admin('a', { ingress: [{ action: 'Deny', from: allFrom }] }), clusterPolicy('b', { tier: 'Baseline', priority: 0, subject: subjectXa, ingress: [{ action: 'Deny', from: allFrom }] }));
      expect(chains.map((c) => [c.pod, c.direction, c.layer, c.end])).to.deep.equal([
        ['x/a', 'ingress', { id: 'admin', rank: 1_000 }, 'continue'],
        ['x/a', 'ingress', { id: 'baseline', rank: 10_000_000 }, 'continue'],
      ]);
    });

    it('should map Accept, Deny and Pass to accept, deny and pass', () => {
      const chain = chainOf(compile(admin('a', { egress: (['Accept', 'Deny', 'Pass'] as const).map((action) => ({ action, to: allFrom })) })), 'x/a', 'egress');
      expect(chain?.rules.map((r) => r.verdict)).to.deep.equal(['accept', 'deny', 'pass']);
    });

    it('should give no chain for a direction the policy has no rules for (no implicit isolation)', () => {
      const chains = compile(admin('a', { ingress: [{ action: 'Deny', from: allFrom }], egress: [] }));
      expect(chainOf(chains, 'x/a', 'egress')).to.equal(undefined);
      expect(chains).to.have.length(1);
    });

    it('should order policies by priority, then by name for equal priorities, then rules in written order', () => {
      const rule = (name: string) => ({ name, action: 'Deny' as const, from: allFrom });
      const chains = compile(
        admin('zeta', { priority: 5, ingress: [rule('z1'), rule('z2')] }),
        admin('beta', { priority: 20, ingress: [rule('b1')] }),
        admin('alpha', { priority: 20, ingress: [rule('a1')] }),
      );
      expect(chainOf(chains, 'x/a', 'ingress')?.rules.map((r) => r.origin)).to.deep.equal([
        'ClusterNetworkPolicy/zeta ingress[0] z1',
        'ClusterNetworkPolicy/zeta ingress[1] z2',
        'ClusterNetworkPolicy/alpha ingress[0] a1',
        'ClusterNetworkPolicy/beta ingress[0] b1',
      ]);
      expect(chainOf(chains, 'x/a', 'ingress')?.policies).to.deep.equal(['ClusterNetworkPolicy/zeta', 'ClusterNetworkPolicy/alpha', 'ClusterNetworkPolicy/beta']);
    });

    it('should select subjects by namespace labels, or by pods with an absent namespaceSelector meaning every namespace', () => {
      const byNs = compile(admin('a', { subject: { namespaces: { matchLabels: { team: 'blue' } } }, ingress: [{ action: 'Deny', from: allFrom }] }));
      expect(byNs.map((c) => c.pod)).to.deep.equal(['y/a', 'y/b']);
      const byPod = compile(admin('a', { subject: { pods: { podSelector: { matchLabels: { pod: 'b' } } } }, ingress: [{ action: 'Deny', from: allFrom }] }));
      expect(byPod.map((c) => c.pod)).to.deep.equal(['x/b', 'y/b']);
    });
  });

  describe('peers', () => {
    const egressTo = (to: ClusterNetworkPolicySpec['egress'] extends readonly (infer R)[] | undefined ? R extends { to: infer T } ? T : never : never) =>
      chainOf(compile(admin('a', { egress: [{ action: 'Deny', to }] })), 'x/a', 'egress');

    it('should resolve namespaces and pods peers to pod IPs (cluster-scoped: no own-namespace default)', () => {
      expect(egressTo([{ namespaces: { matchLabels: { team: 'blue' } } }])?.rules.map((r) => r.peer)).to.deep.equal([{ kind: 'ips', ips: ['10.244.0.3', '10.244.0.4'] }]);
      expect(egressTo([{ pods: { podSelector: { matchLabels: { pod: 'b' } } } }])?.rules.map((r) => r.peer)).to.deep.equal([{ kind: 'ips', ips: ['10.244.0.2', '10.244.0.4'] }]);
    });

    it('should match networks as CIDRs without exceptions, v4 and v6', () => {
      expect(egressTo([{ networks: ['0.0.0.0/0', 'fd00::/8'] }])?.rules.map((r) => (r.peer.kind === 'block' ? `${r.peer.cidr.network}/${r.peer.cidr.prefix} ${r.peer.except.length}` : r.peer.kind))).to.deep.equal([
        '0.0.0.0/0 0',
        'fd00::/8 0',
      ]);
    });

    it('should let a peer that selects nothing, and a nodes peer, match nothing', () => {
      expect(egressTo([{ namespaces: { matchLabels: { team: 'none' } } }, { nodes: {} }])?.rules).to.deep.equal([]);
    });

    it('should leave a domainNames peer out and mark the chain unsupported, naming the rule', () => {
      const chain = egressTo([{ domainNames: ['*.example.com'] }, { pods: { podSelector: { matchLabels: { pod: 'b' } } } }]);
      expect(chain?.rules.map((r) => r.peer)).to.deep.equal([{ kind: 'ips', ips: ['10.244.0.2', '10.244.0.4'] }]);
      expect(chain?.unsupported).to.deep.equal([{ reason: 'netns cannot evaluate ClusterNetworkPolicy/a egress[0]: domainNames peer (*.example.com)', ports: [{ kind: 'any' }] }]);
    });
  });

  describe('protocols', () => {
    it('should match every port without protocols, and numbers and inclusive ranges per protocol with them', () => {
      const chain = chainOf(
        compile(admin('a', { ingress: [{ action: 'Accept', from: allFrom }, { action: 'Deny', from: allFrom, protocols: [{ tcp: { destinationPort: { number: 80 } } }, { udp: { destinationPort: { range: { start: 80, end: 81 } } } }, { sctp: { destinationPort: { number: 9 } } }] }] })),
        'x/a',
        'ingress',
      );
      expect(chain?.rules.map((r) => r.port)).to.deep.equal([
        { kind: 'any' },
        { kind: 'range', protocol: 'TCP', from: 80, to: 80 },
        { kind: 'range', protocol: 'UDP', from: 80, to: 81 },
        { kind: 'range', protocol: 'SCTP', from: 9, to: 9 },
      ]);
    });

    it('should resolve an ingress named port on the destination pod, with the protocol that port declares', () => {
      const chain = chainOf(compile(admin('a', { ingress: [{ action: 'Deny', from: allFrom, protocols: [{ destinationNamedPort: 'serve-81-udp' }, { destinationNamedPort: 'nope' }] }] })), 'x/a', 'ingress');
      expect(chain?.rules.map((r) => r.port)).to.deep.equal([{ kind: 'range', protocol: 'UDP', from: 81, to: 81 }]);
    });

    it('should resolve an egress named port pod by pod behind the peer, as (IP, protocol, port) tuples', () => {
      const chain = chainOf(compile(admin('a', { egress: [{ action: 'Accept', to: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], protocols: [{ destinationNamedPort: 'dns' }] }] })), 'x/a', 'egress');
      expect(chain?.rules).to.deep.equal([
        { peer: { kind: 'any' }, port: { kind: 'tuples', tuples: [{ ip: '10.244.0.5', protocol: 'UDP', port: 53 }] }, verdict: 'accept', origin: 'ClusterNetworkPolicy/a egress[0]' },
      ]);
    });
  });
});
