import { expect } from 'chai';
import { compileFilterPlan } from '../../../src/providers/netns/filter-plan.js';
import type { LayerChain, LayerRule } from '../../../src/providers/netns/layers/netns-layer.js';
import { gridTopology, policy } from './fixtures.js';

const topology = gridTopology();
type AllowRule = Omit<LayerRule, 'verdict'>;
/** A NetworkPolicy chain as a list of allow rules (the layer's rules all accept; see the layer test). */
const allowChain = (c: LayerChain | undefined) => c && { ...c, rules: c.rules.map(({ verdict: _verdict, ...rule }): AllowRule => rule) };
const chainOf = (spec: Parameters<typeof policy>[2], pod: string, direction: 'ingress' | 'egress', ns = 'x') =>
  allowChain(compileFilterPlan({ topology, policies: [policy(ns, 'p', spec)] }).chains.find((c) => c.pod === pod && c.direction === direction));
const ips = (r: AllowRule | undefined) => (r?.peer.kind === 'ips' ? r.peer.ips : undefined);

describe('compileFilterPlan', () => {
  describe('isolation', () => {
    it('should isolate only pods selected by a policy of their own namespace', () => {
      const plan = compileFilterPlan({ topology, policies: [policy('x', 'p', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [] })] });
      expect(plan.chains.map((c) => `${c.pod} ${c.direction}`)).to.deep.equal(['x/a ingress']);
    });

    it('should default policyTypes to Ingress, plus Egress only when egress rules exist', () => {
      expect(chainOf({ podSelector: {}, egress: [{}] }, 'x/a', 'egress')).to.not.equal(undefined);
      expect(chainOf({ podSelector: {}, egress: [] }, 'x/a', 'egress')).to.equal(undefined);
      expect(chainOf({ podSelector: {}, egress: [{}] }, 'x/a', 'ingress')?.rules).to.deep.equal([]);
    });

    it('should honor explicit policyTypes (Egress only leaves ingress open)', () => {
      expect(chainOf({ podSelector: {}, policyTypes: ['Egress'] }, 'x/a', 'ingress')).to.equal(undefined);
      expect(chainOf({ podSelector: {}, policyTypes: ['Egress'] }, 'x/a', 'egress')?.rules).to.deep.equal([]);
    });

    it('should treat an empty rule list as deny and an empty rule as allow-all', () => {
      expect(chainOf({ podSelector: {}, ingress: [] }, 'x/a', 'ingress')?.rules).to.deep.equal([]);
      expect(chainOf({ podSelector: {}, ingress: [{}] }, 'x/a', 'ingress')?.rules).to.deep.equal([{ peer: { kind: 'any' }, port: { kind: 'any' }, origin: 'x/p ingress[0]' }]);
    });

    it('should take the union of every selecting policy', () => {
      const plan = compileFilterPlan({
        topology,
        policies: [policy('x', 'p1', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }), policy('x', 'p2', { podSelector: {}, ingress: [{ ports: [{ port: 81 }] }] })],
      });
      const chain = plan.chains.find((c) => c.pod === 'x/a');
      expect(chain?.policies).to.deep.equal(['x/p1', 'x/p2']);
      expect(chain?.rules.map((r) => r.origin)).to.deep.equal(['x/p1 ingress[0]', 'x/p2 ingress[0]']);
    });
  });

  describe('peers', () => {
    it('should read podSelector alone in the policy namespace', () => {
      expect(ips(chainOf({ podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] }, 'x/a', 'ingress')?.rules[0])).to.deep.equal(['10.244.0.2']);
    });

    it('should read namespaceSelector alone as every pod of matching namespaces', () => {
      expect(ips(chainOf({ podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }] }, 'x/a', 'ingress')?.rules[0])).to.deep.equal(['10.244.0.3', '10.244.0.4']);
    });

    it('should AND namespaceSelector and podSelector of one peer', () => {
      const spec = { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { pod: 'a' } } }] }] };
      expect(ips(chainOf(spec, 'x/a', 'ingress')?.rules[0])).to.deep.equal(['10.244.0.1', '10.244.0.3']);
    });

    it('should OR separate peers and drop peers that select nobody', () => {
      const spec = { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'a' } } }, { podSelector: { matchLabels: { pod: 'zzz' } } }, { namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' as const }] } }] }] };
      expect(chainOf(spec, 'x/b', 'ingress')?.rules.map(ips)).to.deep.equal([['10.244.0.1'], ['10.244.0.3', '10.244.0.4']]);
    });

    it('should match namespaces by kubernetes.io/metadata.name with NotIn', () => {
      const spec = { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn' as const, values: ['x', 'kube-system'] }] } }] }] };
      expect(ips(chainOf(spec, 'x/a', 'ingress')?.rules[0])).to.deep.equal(['10.244.0.3', '10.244.0.4']);
    });

    it('should keep ipBlock except of the same family only', () => {
      const rule = chainOf({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.244.0.1/32', 'fd00::/64'] } }] }] }, 'x/a', 'egress')?.rules[0];
      expect(rule?.peer.kind === 'block' && rule.peer.except.map((e) => e.text)).to.deep.equal(['10.244.0.1/32']);
    });
  });

  describe('ports', () => {
    it('should default the protocol to TCP and keep endPort ranges', () => {
      const rule = chainOf({ podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 90 }] }] }, 'x/a', 'ingress')?.rules[0];
      expect(rule?.port).to.deep.equal({ kind: 'range', protocol: 'TCP', from: 80, to: 90 });
    });

    it('should match a whole protocol when a port entry has no port', () => {
      expect(chainOf({ podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP' }] }] }, 'x/a', 'ingress')?.rules[0]?.port).to.deep.equal({ kind: 'protocol', protocol: 'UDP' });
    });

    it('should resolve a named ingress port against the destination pod, protocol included', () => {
      expect(chainOf({ podSelector: {}, ingress: [{ ports: [{ port: 'serve-81-udp', protocol: 'UDP' }] }] }, 'x/a', 'ingress')?.rules[0]?.port).to.deep.equal({ kind: 'range', protocol: 'UDP', from: 81, to: 81 });
      expect(chainOf({ podSelector: {}, ingress: [{ ports: [{ port: 'serve-81-udp' }] }] }, 'x/a', 'ingress')?.rules).to.deep.equal([]);
    });

    it('should resolve a named egress port per destination pod of the peer', () => {
      const spec = { podSelector: {}, egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }], ports: [{ port: 'serve-80-tcp' }] }] };
      const port = chainOf(spec, 'x/a', 'egress')?.rules[0]?.port;
      expect(port).to.deep.equal({ kind: 'tuples', tuples: [{ ip: '10.244.0.3', protocol: 'TCP', port: 80 }, { ip: '10.244.0.4', protocol: 'TCP', port: 80 }] });
    });
  });

  describe('modules', () => {
    it('should compile no chain for a kind whose module is null (netns does not enforce it)', () => {
      const policies = [policy('x', 'deny', { podSelector: {}, ingress: [] })];
      expect(compileFilterPlan({ topology, policies }).chains).to.have.length(2);
      expect(compileFilterPlan({ topology, policies }, { NetworkPolicy: null, ClusterNetworkPolicy: null, CalicoNetworkPolicy: null, CalicoGlobalNetworkPolicy: null, CalicoTier: null, CiliumNetworkPolicy: null, CiliumClusterwideNetworkPolicy: null, AuthorizationPolicy: null }).chains).to.deep.equal([]);
    });
  });
});
