import { expect } from 'chai';
import { decisionText, type ClusterNetworkPolicy, type ClusterNetworkPolicyEgressRule, type ClusterNetworkPolicySpec, type PolicyObject, type Topology } from '../../../src/model/index.js';
import { compilePolicies } from '../../../src/policy/index.js';
import { cell, gridTopology, netpol } from '../grid-topology.js';

const cnp = (name: string, spec: ClusterNetworkPolicySpec): ClusterNetworkPolicy => ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec });
const ns = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
const topology: Topology = gridTopology({
  namespaces: ['x', 'y'],
  externals: [
    { name: 'web4', ip: '192.0.2.9', ports: [{ port: 80, protocol: 'TCP' }] },
    { name: 'web6', ip: '2001:db8::9', ports: [{ port: 80, protocol: 'TCP' }] },
  ],
});
const verdict = (ps: readonly PolicyObject[], ...key: Parameters<typeof cell>) => compilePolicies(topology, ps).evaluate(cell(...key)).verdict;
const both = (ps: readonly PolicyObject[], ...key: Parameters<typeof cell>) => {
  const engine = compilePolicies(topology, ps);
  const k = cell(...key);
  return { evaluate: engine.evaluate(k).verdict, grid: engine.verdict(k) };
};

/** Admin: every pod of x denies ingress from y. */
const isolateTenants = cnp('tenant-isolation', {
  tier: 'Admin',
  priority: 10,
  subject: { namespaces: ns('x') },
  ingress: [
    { name: 'allow-same-tenant', action: 'Accept', from: [{ namespaces: ns('x') }] },
    { name: 'deny-cross-tenant', action: 'Deny', from: [{ namespaces: {} }] },
  ],
});
const allowAllToX = netpol('x', 'allow-all', { podSelector: {}, ingress: [{}] });

describe('ClusterNetworkPolicyLayer', () => {
  describe('#rows() and #explainer() through CompiledPolicies', () => {
    it('should let an Admin Deny win over a NetworkPolicy that allows, and say who decided', () => {
      const engine = compilePolicies(topology, [isolateTenants, allowAllToX]);
      const e = engine.evaluate(cell('y/a', 'x/b'));
      expect(e.verdict).to.equal('blocked');
      expect(engine.verdict(cell('y/a', 'x/b'))).to.equal('blocked');
      expect(decisionText(e.ingress.layers!, e.ingress.verdict)).to.equal('Admin: tenant-isolation (priority 10) rule deny-cross-tenant Deny → blocked; NetworkPolicy and Baseline not consulted');
      expect(e.ingress.layers![0]).to.deep.include({ layer: 'Admin', outcome: 'deny', policy: 'ClusterNetworkPolicy/tenant-isolation', priority: 10, rule: 1, ruleName: 'deny-cross-tenant' });
    });

    it('should apply the first matching rule of a policy (Accept before Deny)', () => {
      expect(both([isolateTenants], 'x/a', 'x/b')).to.deep.equal({ evaluate: 'allowed', grid: 'allowed' });
    });

    it('should check the lower priority first, whatever the order of the policies', () => {
      const deny = cnp('deny', { tier: 'Admin', priority: 5, subject: { namespaces: ns('x') }, ingress: [{ action: 'Deny', from: [{ namespaces: ns('x') }] }] });
      expect(both([isolateTenants, deny], 'x/a', 'x/b')).to.deep.equal({ evaluate: 'blocked', grid: 'blocked' });
      const later = { ...deny, spec: { ...deny.spec, priority: 11 } };
      expect(both([later, isolateTenants], 'x/a', 'x/b')).to.deep.equal({ evaluate: 'allowed', grid: 'allowed' });
    });

    it('should isolate nothing implicitly: a subject no rule matches keeps its verdict', () => {
      const unrelated = cnp('only-dns', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ pods: { podSelector: { matchLabels: { app: 'none' } } } }] }] });
      expect(both([unrelated], 'x/a', 'y/b')).to.deep.equal({ evaluate: 'allowed', grid: 'allowed' });
    });

    it('should hand a Pass to the NetworkPolicy tier, and a Baseline Pass to the default allow', () => {
      const pass = cnp('pass', { tier: 'Admin', priority: 1, subject: { namespaces: ns('x') }, ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }] });
      const denyNp = netpol('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });
      expect(both([pass, isolateTenants, allowAllToX], 'y/a', 'x/b')).to.deep.equal({ evaluate: 'allowed', grid: 'allowed' });
      expect(both([pass, isolateTenants, denyNp], 'y/a', 'x/b')).to.deep.equal({ evaluate: 'blocked', grid: 'blocked' });
      const baselinePass = cnp('b-pass', { tier: 'Baseline', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }] });
      const baselineDeny = cnp('b-deny', { tier: 'Baseline', priority: 2, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
      expect(both([baselineDeny], 'y/a', 'x/b')).to.deep.equal({ evaluate: 'blocked', grid: 'blocked' });
      expect(both([baselinePass, baselineDeny], 'y/a', 'x/b')).to.deep.equal({ evaluate: 'allowed', grid: 'allowed' });
    });

    it('should never let a Baseline Deny change a pod that a NetworkPolicy selects', () => {
      const baselineDeny = cnp('b-deny', { tier: 'Baseline', priority: 0, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
      expect(both([baselineDeny, allowAllToX], 'y/a', 'x/b')).to.deep.equal({ evaluate: 'allowed', grid: 'allowed' });
      expect(both([baselineDeny, allowAllToX], 'x/a', 'y/b')).to.deep.equal({ evaluate: 'blocked', grid: 'blocked' });
    });

    it('should not apply to a pod reaching its own pod IP, but apply through its Service', () => {
      const denySelf = cnp('deny-all', { tier: 'Admin', priority: 0, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ namespaces: {} }] }] });
      expect(both([denySelf], 'x/a', 'x/a', 80, 'TCP', 'pod-ip')).to.deep.equal({ evaluate: 'allowed', grid: 'allowed' });
      expect(both([denySelf], 'x/a', 'x/a', 80, 'TCP', 'service')).to.deep.equal({ evaluate: 'blocked', grid: 'blocked' });
      expect(both([denySelf], 'x/a', 'x/b', 80, 'TCP', 'pod-ip')).to.deep.equal({ evaluate: 'blocked', grid: 'blocked' });
    });

    it('should keep NetworkPolicy on a pod reaching its own pod IP when a ClusterNetworkPolicy exists', () => {
      const denyNp = netpol('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });
      expect(both([denyNp, isolateTenants], 'x/a', 'x/a', 80, 'TCP', 'pod-ip')).to.deep.equal({ evaluate: 'blocked', grid: 'blocked' });
    });

    it('should report ambiguous with both candidates when equal-priority policies disagree, and not when they agree', () => {
      const accept = cnp('allow-monitoring', { tier: 'Admin', priority: 10, subject: { namespaces: ns('x') }, ingress: [{ name: 'scrape', action: 'Accept', from: [{ namespaces: ns('y') }] }] });
      const engine = compilePolicies(topology, [accept, isolateTenants]);
      const e = engine.evaluate(cell('y/a', 'x/b'));
      expect(e.verdict).to.equal('ambiguous');
      expect(engine.verdict(cell('y/a', 'x/b'))).to.equal('ambiguous');
      expect(e.ingress.layers![0]!.candidates!.map((c) => `${c.policy} ${c.ruleName} ${c.outcome}`)).to.deep.equal([
        'ClusterNetworkPolicy/allow-monitoring scrape accept',
        'ClusterNetworkPolicy/tenant-isolation deny-cross-tenant deny',
      ]);
      expect(e.summary).to.match(/^ambiguous: /);
      // x -> x: only tenant-isolation matches; same-action duplicates are not ambiguous.
      expect(both([accept, isolateTenants], 'x/a', 'x/b')).to.deep.equal({ evaluate: 'allowed', grid: 'allowed' });
      const twin = { ...isolateTenants, metadata: { name: 'twin' } };
      expect(both([twin, isolateTenants], 'y/a', 'x/b')).to.deep.equal({ evaluate: 'blocked', grid: 'blocked' });
    });

    it('should settle a Pass-or-Deny ambiguity when the next tier blocks anyway', () => {
      const pass = cnp('pass', { tier: 'Admin', priority: 10, subject: { namespaces: ns('x') }, ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }] });
      const denyNp = netpol('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });
      expect(both([pass, isolateTenants, denyNp], 'y/a', 'x/b')).to.deep.equal({ evaluate: 'blocked', grid: 'blocked' });
      expect(both([pass, isolateTenants, allowAllToX], 'y/a', 'x/b')).to.deep.equal({ evaluate: 'ambiguous', grid: 'ambiguous' });
    });

    it('should match networks against pod and external IPs of both families', () => {
      const denyNet = (networks: string[]) => [cnp('net', { tier: 'Admin', priority: 0, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks }] }] })];
      expect(both(denyNet(['0.0.0.0/0']), 'x/a', 'y/b')).to.deep.equal({ evaluate: 'blocked', grid: 'blocked' });
      expect(both(denyNet(['10.244.1.0/24']), 'x/a', 'x/b')).to.deep.equal({ evaluate: 'allowed', grid: 'allowed' });
      expect(both(denyNet(['2001:db8::/32']), 'x/a', 'external:web6', 80, 'TCP', 'external')).to.deep.equal({ evaluate: 'blocked', grid: 'blocked' });
      expect(both(denyNet(['2001:db8::/32']), 'x/a', 'external:web4', 80, 'TCP', 'external')).to.deep.equal({ evaluate: 'allowed', grid: 'allowed' });
    });

    it('should match protocols by number, inclusive range and destination named port, and nodes / domainNames never', () => {
      const deny = (rule: Partial<ClusterNetworkPolicyEgressRule>) => [cnp('p', { tier: 'Admin', priority: 0, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ namespaces: {} }], ...rule }] })];
      expect(verdict(deny({ protocols: [{ tcp: { destinationPort: { range: { start: 79, end: 80 } } } }] }), 'x/a', 'y/b', 80)).to.equal('blocked');
      expect(verdict(deny({ protocols: [{ tcp: { destinationPort: { range: { start: 79, end: 80 } } } }] }), 'x/a', 'y/b', 81)).to.equal('allowed');
      expect(verdict(deny({ protocols: [{ udp: { destinationPort: { number: 80 } } }] }), 'x/a', 'y/b', 80, 'TCP')).to.equal('allowed');
      expect(verdict(deny({ protocols: [{ destinationNamedPort: 'serve-81-udp' }] }), 'x/a', 'y/b', 81, 'UDP')).to.equal('blocked');
      expect(verdict(deny({ protocols: [{ destinationNamedPort: 'serve-81-udp' }] }), 'x/a', 'y/b', 81, 'TCP')).to.equal('allowed');
      expect(verdict(deny({ to: [{ nodes: {} }] }), 'x/a', 'y/b')).to.equal('allowed');
      expect(verdict(deny({ action: 'Accept', to: [{ domainNames: ['*.example.com'] }] }), 'x/a', 'y/b')).to.equal('allowed');
    });
  });
});
