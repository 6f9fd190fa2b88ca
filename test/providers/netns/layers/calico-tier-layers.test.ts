import { expect } from 'chai';
import type { PolicyObject, Topology } from '../../../../src/model/index.js';
import { compileFilterPlan } from '../../../../src/providers/netns/filter-plan.js';
import type { LayerChain } from '../../../../src/providers/netns/layers/netns-layer.js';
import { calicoPolicy, globalPolicy, gridTopology, policy, tier } from '../fixtures.js';

// gridTopology: x/a 10.244.0.1, x/b .2, y/a .3, y/b .4 (namespace y: team=blue), kube-system/coredns .5, external 169.254.169.254.
const topology: Topology = gridTopology({ externals: true });
const chains = (...policies: PolicyObject[]): LayerChain[] => [...compileFilterPlan({ topology, policies }).chains];
const of = (cs: LayerChain[], pod: string, direction: 'ingress' | 'egress' = 'ingress') => cs.filter((c) => c.pod === pod && c.direction === direction);
const allowAll = { action: 'Allow' as const };

describe('calicoLayerModule', () => {
  describe('#compile()', () => {
    it('should give a chain only to the (pod, direction) a policy applies to, per its selector and types', () => {
      const cs = chains(globalPolicy('a-in', { selector: "pod == 'a'", ingress: [allowAll] }));
      expect(cs.map((c) => `${c.direction} ${c.pod}`)).to.deep.equal(['ingress x/a', 'ingress y/a']);
      expect(cs[0]).to.deep.include({ layer: { id: 'calico_default', rank: 1_000_000 }, end: 'deny', policies: ['GlobalNetworkPolicy/a-in'] });
    });

    it('should apply a namespaced policy to its own namespace only, and a GlobalNetworkPolicy by its namespaceSelector', () => {
      expect(chains(calicoPolicy('y', 'p', { ingress: [allowAll] })).map((c) => c.pod)).to.deep.equal(['y/a', 'y/b']);
      expect(chains(globalPolicy('g', { namespaceSelector: "team == 'blue'", ingress: [allowAll] })).map((c) => c.pod)).to.deep.equal(['y/a', 'y/b']);
      expect(chains(globalPolicy('g', { namespaceSelector: "projectcalico.org/name == 'kube-system'", ingress: [allowAll] })).map((c) => c.pod)).to.deep.equal(['kube-system/coredns']);
      expect(chains(globalPolicy('g', { selector: "projectcalico.org/namespace == 'x' && pod == 'b'", ingress: [allowAll] })).map((c) => c.pod)).to.deep.equal(['x/b']);
    });

    it('should rank each tier by its order, end it with deny unless its defaultAction is Pass, and skip tiers that do not apply', () => {
      const cs = chains(
        tier('security', 100),
        tier('platform', 200, 'Pass'),
        tier('unused', 50),
        globalPolicy('sec', { tier: 'security', selector: "pod == 'a'", ingress: [{ action: 'Pass' }] }),
        globalPolicy('plat', { tier: 'platform', ingress: [{ action: 'Log' }] }),
        calicoPolicy('x', 'app', { ingress: [allowAll] }),
      );
      expect(of(cs, 'x/a').map((c) => [c.layer.id, c.layer.rank, c.end])).to.deep.equal([
        ['calico_security', 100, 'deny'],
        ['calico_platform', 200, 'continue'],
        ['calico_default', 1_000_000, 'deny'],
      ]);
      expect(of(cs, 'y/b').map((c) => c.layer.id)).to.deep.equal(['calico_platform']);
      expect(of(cs, 'x/a')[0]?.rules.map((r) => r.verdict)).to.deep.equal(['pass']);
      expect(of(cs, 'x/a')[1]?.rules.map((r) => r.verdict)).to.deep.equal(['log']);
    });

    it('should order tiers without order last and equal orders by name, keeping name order in the ranks', () => {
      const cs = chains(tier('b', 10), tier('a', 10), tier('z', undefined), ...['a', 'b', 'z'].map((t) => globalPolicy(`p-${t}`, { tier: t, ingress: [allowAll] })));
      const ranked = [...of(cs, 'x/a')].sort((p, q) => p.layer.rank - q.layer.rank).map((c) => c.layer.id);
      expect(ranked).to.deep.equal(['calico_a', 'calico_b', 'calico_z']);
    });

    it('should order a tier\'s policies by order, unordered last, equal orders by name', () => {
      const deny = (name: string, order?: number) => globalPolicy(name, { ...(order === undefined ? {} : { order }), ingress: [{ action: 'Deny' }] });
      const [chain] = of(chains(deny('none'), deny('late', 20), deny('b-early', 10), deny('a-early', 10)), 'x/a');
      expect(chain?.policies).to.deep.equal(['GlobalNetworkPolicy/a-early', 'GlobalNetworkPolicy/b-early', 'GlobalNetworkPolicy/late', 'GlobalNetworkPolicy/none']);
    });

    it('should put Kubernetes NetworkPolicies in the default tier at order 1000, among Calico policies, with no NetworkPolicy layer', () => {
      const np = policy('x', 'web', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] });
      const cs = chains(np, globalPolicy('before', { order: 999, selector: "pod == 'a'", ingress: [{ action: 'Deny', source: { nets: ['169.254.0.0/16'] } }] }), globalPolicy('after', { order: 1001, selector: "pod == 'a'", ingress: [allowAll] }));
      expect(cs.some((c) => c.layer.id === 'np')).to.equal(false);
      const [xa] = of(cs, 'x/a');
      expect(xa?.policies).to.deep.equal(['GlobalNetworkPolicy/before', 'x/web', 'GlobalNetworkPolicy/after']);
      expect(xa?.rules.map((r) => r.verdict)).to.deep.equal(['deny', 'accept', 'accept']);
      // A Tier alone also takes the NetworkPolicies into the Calico layers.
      expect(chains(np, tier('security', 100)).map((c) => c.layer.id)).to.deep.equal(['calico_default']);
      expect(chains(np).map((c) => c.layer.id)).to.deep.equal(['np']);
    });

    it('should sit between ClusterNetworkPolicy Admin (rank 1,000) and Baseline (rank 10,000,000) by tier order', () => {
      const cs = chains(tier('early', 500), tier('late', 20_000_000), globalPolicy('e', { tier: 'early', ingress: [allowAll] }), globalPolicy('l', { tier: 'late', ingress: [allowAll] }));
      expect(of(cs, 'x/a').map((c) => c.layer.rank)).to.deep.equal([500, 20_000_000]);
    });

    it('should order a tier of the same order as kube-admin or kube-baseline by name around it, as Calico orders tiers', () => {
      const names = ['alpha', 'kube-z', 'zeta', 'b'];
      const cs = chains(...names.map((n, i) => tier(n, i < 2 ? 1_000 : 10_000_000)), ...names.map((n) => globalPolicy(`p-${n}`, { tier: n, ingress: [allowAll] })));
      const rank = (id: string) => of(cs, 'x/a').find((c) => c.layer.id === id)!.layer.rank;
      expect(rank('calico_alpha')).to.be.below(1_000);
      expect(rank('calico_kube_z')).to.be.above(1_000).and.below(1_001);
      expect(rank('calico_b')).to.be.below(10_000_000);
      expect(rank('calico_zeta')).to.be.above(10_000_000).and.below(10_000_001);
    });
  });
});
