import { expect } from 'chai';
import {
  decisionText,
  layerPathText,
  parseCalicoSelector,
  type CalicoGlobalNetworkPolicy,
  type CalicoNetworkPolicy,
  type CalicoPolicySpec,
  type CalicoRule,
  type CalicoSelector,
  type CalicoTier,
  type ClusterNetworkPolicy,
  type PolicyObject,
  type Topology,
} from '../../../src/model/index.js';
import { compilePolicies } from '../../../src/policy/index.js';
import { compileLayers } from '../../../src/policy/layers/layer-modules.js';
import { CompiledTopology } from '../../../src/policy/compiled-topology.js';
import { cell, gridTopology, netpol } from '../grid-topology.js';

const sel = (text: string): CalicoSelector => {
  const parsed = parseCalicoSelector(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.selector;
};
type Spec = Partial<CalicoPolicySpec> & { readonly ingress?: readonly CalicoRule[]; readonly egress?: readonly CalicoRule[] };
const settled = (spec: Spec): CalicoPolicySpec => ({
  tier: 'default',
  selector: { kind: 'all' },
  ingress: [],
  egress: [],
  types: spec.egress?.length && !spec.ingress?.length ? ['Egress'] : spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'],
  ...spec,
});
const cnp = (namespace: string, name: string, spec: Spec): CalicoNetworkPolicy => ({ apiVersion: 'projectcalico.org/v3', kind: 'CalicoNetworkPolicy', metadata: { name, namespace }, spec: settled(spec) });
const gnp = (name: string, spec: Spec & { namespaceSelector?: CalicoSelector }): CalicoGlobalNetworkPolicy => ({ apiVersion: 'projectcalico.org/v3', kind: 'CalicoGlobalNetworkPolicy', metadata: { name }, spec: settled(spec) });
const tier = (name: string, order: number | undefined, defaultAction: 'Deny' | 'Pass' = 'Deny'): CalicoTier => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'CalicoTier',
  metadata: { name },
  spec: { ...(order !== undefined && { order }), defaultAction },
});

const topology: Topology = {
  ...gridTopology({ namespaces: ['x', 'y'], externals: [{ name: 'web4', ip: '192.0.2.9', ports: [{ port: 80, protocol: 'TCP' }] }] }),
  serviceAccounts: [{ namespace: 'y', name: 'api', labels: { role: 'admin' } }],
};
const withAccounts: Topology = { ...topology, pods: topology.pods.map((p) => (p.namespace === 'y' && p.name === 'a' ? { ...p, serviceAccount: 'api' } : p)) };

/** Both engine paths on one cell (they must agree). */
const both = (ps: readonly PolicyObject[], from: string, to: string, t: Topology = topology, target: 'pod-ip' | 'external' = 'pod-ip') => {
  const engine = compilePolicies(t, ps);
  const k = cell(from as never, to as never, 80, 'TCP', target);
  return { evaluate: engine.evaluate(k).verdict, grid: engine.verdict(k) };
};
const allowed = { evaluate: 'allowed', grid: 'allowed' };
const blocked = { evaluate: 'blocked', grid: 'blocked' };

const allowAll: CalicoRule = { action: 'Allow' };
const denyAll: CalicoRule = { action: 'Deny' };
const fromY: CalicoRule['source'] = { namespaceSelector: sel('projectcalico.org/name == "y"') };

describe('CalicoTierLayer', () => {
  describe('#rows() and #explainer() through CompiledPolicies', () => {
    it('should jump to the next applying tier on Pass, and allow when no later tier applies', () => {
      const security = tier('security', 100);
      const passFromY = gnp('pass-y', { tier: 'security', selector: sel('pod == "b"'), ingress: [{ action: 'Pass', source: fromY }, denyAll] });
      const denyInDefault = cnp('x', 'deny', { selector: sel('pod == "b"'), ingress: [] });
      expect(both([security, passFromY, denyInDefault], 'y/a', 'x/b')).to.deep.equal(blocked);
      expect(both([security, passFromY], 'y/a', 'x/b')).to.deep.equal(allowed);
      // The Deny after the Pass rule still decides what the Pass does not match.
      expect(both([security, passFromY], 'x/a', 'x/b')).to.deep.equal(blocked);
    });

    it('should drop at the end of an applying tier unless its defaultAction is Pass', () => {
      const onlyLogs = (t: string) => gnp('log-only', { tier: t, selector: sel('pod == "b"'), ingress: [{ action: 'Log' }] });
      expect(both([tier('t', 100), onlyLogs('t')], 'y/a', 'x/b')).to.deep.equal(blocked);
      expect(both([tier('t', 100, 'Pass'), onlyLogs('t')], 'y/a', 'x/b')).to.deep.equal(allowed);
      // The default tier drops too (it holds the NetworkPolicy isolation).
      expect(both([onlyLogs('default')], 'y/a', 'x/b')).to.deep.equal(blocked);
    });

    it('should skip a tier (and its end-of-tier drop) where no policy applies to the pod', () => {
      const onlyA = gnp('only-a', { tier: 't', selector: sel('pod == "a"'), ingress: [] });
      expect(both([tier('t', 100), onlyA], 'y/a', 'x/b')).to.deep.equal(allowed);
      expect(both([tier('t', 100), onlyA], 'y/b', 'x/a')).to.deep.equal(blocked);
      const e = compilePolicies(topology, [tier('t', 100), onlyA]).evaluate(cell('y/a', 'x/b'));
      expect(e.ingress.layers!.map((l) => `${l.layer} ${l.outcome}`)).to.deep.equal(['Tier/t no-decision', 'Tier/default no-decision']);
    });

    it('should order policies of a tier by order, ties by name, no order last', () => {
      const allowA = gnp('a-allow', { order: 100, selector: sel('pod == "b"'), ingress: [allowAll] });
      const denyB = gnp('b-deny', { order: 100, selector: sel('pod == "b"'), ingress: [denyAll] });
      expect(both([denyB, allowA], 'y/a', 'x/b')).to.deep.equal(allowed);
      const renamed = { ...allowA, metadata: { name: 'c-allow' } };
      expect(both([denyB, renamed], 'y/a', 'x/b')).to.deep.equal(blocked);
      const unordered = { ...denyB, spec: { ...denyB.spec, order: undefined } };
      expect(both([unordered, renamed], 'y/a', 'x/b')).to.deep.equal(allowed);
    });

    it('should order tiers by order, ties by name, no order last', () => {
      const inTier = (t: string, rule: CalicoRule) => gnp(`p-${t}`, { tier: t, selector: sel('pod == "b"'), ingress: [rule] });
      expect(both([tier('a', 100), tier('b', 100), inTier('a', allowAll), inTier('b', denyAll)], 'y/a', 'x/b')).to.deep.equal(allowed);
      expect(both([tier('a', 100), tier('b', 50), inTier('a', allowAll), inTier('b', denyAll)], 'y/a', 'x/b')).to.deep.equal(blocked);
      expect(both([tier('a', undefined), inTier('a', allowAll), inTier('default', denyAll)], 'y/a', 'x/b')).to.deep.equal(blocked);
    });

    it('should record Log rules in the provenance without letting them decide', () => {
      const logged = gnp('audit', { order: 10, selector: sel('pod == "b"'), ingress: [{ action: 'Log', source: fromY }, allowAll] });
      const engine = compilePolicies(topology, [logged]);
      const e = engine.evaluate(cell('y/a', 'x/b'));
      expect(e.verdict).to.equal('allowed');
      expect(e.ingress.layers![0]).to.deep.include({ layer: 'Tier/default', outcome: 'accept', policy: 'GlobalNetworkPolicy/audit', rule: 1, order: 10, logged: [{ policy: 'GlobalNetworkPolicy/audit', rule: 0 }] });
      expect(layerPathText(e.ingress.layers!)).to.equal('Tier/default accept (GlobalNetworkPolicy/audit order 10 rule 1) [logged by GlobalNetworkPolicy/audit rule 0]');
      expect(engine.evaluate(cell('x/a', 'x/b')).ingress.layers![0]!.logged).to.equal(undefined);
    });

    it('should say which tier, policy, order and rule decided', () => {
      const deny = cnp('x', 'deny-y', { tier: 'security', order: 100, selector: sel('pod == "b"'), ingress: [allowAll] });
      const e = compilePolicies(topology, [tier('security', 100), { ...deny, spec: { ...deny.spec, ingress: [{ action: 'Deny', source: fromY }, allowAll] } }]).evaluate(cell('y/a', 'x/b'));
      expect(decisionText(e.ingress.layers!, e.ingress.verdict)).to.equal('Tier/security: CalicoNetworkPolicy/x/deny-y (order 100) rule 0 Deny → blocked; Tier/default not consulted');
      expect(e.ingress.selectedBy).to.deep.equal(['CalicoNetworkPolicy/x/deny-y']);
      const a = compilePolicies(topology, [tier('security', 100), deny]).evaluate(cell('y/a', 'x/b'));
      expect(decisionText(a.ingress.layers!, a.ingress.verdict)).to.equal('Tier/security: CalicoNetworkPolicy/x/deny-y (order 100) rule 0 Allow → allowed; Tier/default not consulted');
      expect(a.ingress.allowedBy).to.deep.equal([{ policy: 'CalicoNetworkPolicy/x/deny-y', direction: 'ingress', rule: 0 }]);
    });

    it('should let notSelector match external hosts in a GlobalNetworkPolicy, where selector: !has() never does', () => {
      const egress = (destination: CalicoRule['destination']) => gnp('egress', { selector: sel('pod == "a"'), egress: [{ action: 'Allow', destination }] });
      expect(both([egress({ notSelector: sel('has(blocked)') })], 'x/a', 'external:web4', topology, 'external')).to.deep.equal(allowed);
      expect(both([egress({ selector: sel('!has(blocked)') })], 'x/a', 'external:web4', topology, 'external')).to.deep.equal(blocked);
      expect(both([egress({ selector: sel('!has(blocked)') })], 'x/a', 'y/b')).to.deep.equal(allowed);
      expect(both([egress({ notSelector: sel('pod == "b"') })], 'x/a', 'y/b')).to.deep.equal(blocked);
    });

    it('should confine a namespaced policy\'s notSelector to its namespace (libcalico-go scopes every selector field)', () => {
      const np = cnp('x', 'egress', { selector: sel('pod == "a"'), egress: [{ action: 'Allow', destination: { notSelector: sel('pod == "c"') } }] });
      expect(both([np], 'x/a', 'x/b')).to.deep.equal(allowed);
      expect(both([np], 'x/a', 'x/c')).to.deep.equal(blocked);
      expect(both([np], 'x/a', 'y/b')).to.deep.equal(blocked);
      expect(both([np], 'x/a', 'external:web4', topology, 'external')).to.deep.equal(blocked);
      // nets alone are not a selector field: they reach outside the namespace.
      const nets = cnp('x', 'nets', { selector: sel('pod == "a"'), egress: [{ action: 'Allow', destination: { nets: ['192.0.2.0/24'] } }] });
      expect(both([nets], 'x/a', 'external:web4', topology, 'external')).to.deep.equal(allowed);
    });

    it('should let a Calico Deny at order 500 win over a Kubernetes NetworkPolicy allow in the default tier', () => {
      const npAllow = netpol('x', 'allow-all', { podSelector: {}, ingress: [{}] });
      const deny = cnp('x', 'deny-y', { order: 500, selector: sel('pod == "b"'), ingress: [{ action: 'Deny', source: fromY }] });
      expect(both([npAllow, deny], 'y/a', 'x/b')).to.deep.equal(blocked);
      expect(both([npAllow, { ...deny, spec: { ...deny.spec, order: 1500 } }], 'y/a', 'x/b')).to.deep.equal(allowed);
      const e = compilePolicies(topology, [npAllow, { ...deny, spec: { ...deny.spec, order: 1500 } }]).evaluate(cell('y/a', 'x/b'));
      expect(e.ingress.layers![0]).to.deep.include({ layer: 'Tier/default', outcome: 'accept', policy: 'x/allow-all', rule: 0, order: 1000 });
      expect(decisionText(e.ingress.layers!, e.ingress.verdict)).to.equal('Tier/default: x/allow-all (order 1000) rule 0 Allow → allowed');
    });

    it('should let a Calico Allow at order 2000 allow after an isolating NetworkPolicy that does not (isolation is the end-of-tier drop)', () => {
      const npIsolate = netpol('x', 'isolate', { podSelector: {}, policyTypes: ['Ingress'] });
      const allow = cnp('x', 'allow-y', { order: 2000, selector: sel('pod == "b"'), ingress: [{ action: 'Allow', source: fromY }] });
      expect(both([npIsolate, allow], 'y/a', 'x/b')).to.deep.equal(allowed);
      expect(both([npIsolate, allow], 'x/a', 'x/b')).to.deep.equal(blocked);
      expect(both([npIsolate, allow], 'y/a', 'x/c')).to.deep.equal(blocked);
    });

    it('should apply a policy only in the directions of its types', () => {
      const egressOnly = gnp('egress-only', { types: ['Egress'], selector: sel('pod == "b"'), ingress: [denyAll], egress: [allowAll] });
      expect(both([egressOnly], 'y/a', 'x/b')).to.deep.equal(allowed);
      const ingressNoRules = gnp('isolate', { types: ['Ingress'], selector: sel('pod == "b"') });
      expect(both([ingressNoRules], 'y/a', 'x/b')).to.deep.equal(blocked);
      expect(both([ingressNoRules], 'x/b', 'y/a')).to.deep.equal(allowed);
    });

    it('should feel the types Calico defaults to: only egress rules leave ingress alone, no rules isolate ingress only', () => {
      const egressRules = gnp('egress-rules', { selector: sel('pod == "b"'), egress: [{ action: 'Deny', destination: { selector: sel('pod == "c"') } }] });
      expect(egressRules.spec.types).to.deep.equal(['Egress']);
      expect(both([egressRules], 'y/a', 'x/b')).to.deep.equal(allowed);
      expect(both([egressRules], 'x/b', 'y/c')).to.deep.equal(blocked);
      // Its egress type makes the tier apply: what its rule does not deny is dropped at the end of the tier.
      expect(both([egressRules], 'x/b', 'y/a')).to.deep.equal(blocked);
      const noRules = gnp('no-rules', { selector: sel('pod == "b"') });
      expect(noRules.spec.types).to.deep.equal(['Ingress']);
      expect(both([noRules], 'y/a', 'x/b')).to.deep.equal(blocked);
      expect(both([noRules], 'x/b', 'y/a')).to.deep.equal(allowed);
    });

    it('should match service accounts by name and by their labels', () => {
      const byName = gnp('sa', { selector: sel('pod == "b"'), ingress: [{ action: 'Allow', source: { serviceAccounts: { names: ['api'] } } }] });
      expect(both([byName], 'y/a', 'x/b', withAccounts)).to.deep.equal(allowed);
      expect(both([byName], 'y/c', 'x/b', withAccounts)).to.deep.equal(blocked);
      const byLabel = gnp('sa', { selector: sel('pod == "b"'), ingress: [{ action: 'Allow', source: { serviceAccounts: { selector: sel('role == "admin"') } } }] });
      expect(both([byLabel], 'y/a', 'x/b', withAccounts)).to.deep.equal(allowed);
      expect(both([byLabel], 'y/b', 'x/b', withAccounts)).to.deep.equal(blocked);
      const subjects = gnp('subjects', { selector: { kind: 'all' }, serviceAccountSelector: sel('projectcalico.org/name == "api"'), ingress: [] });
      expect(both([subjects], 'x/a', 'y/a', withAccounts)).to.deep.equal(blocked);
      expect(both([subjects], 'x/a', 'y/b', withAccounts)).to.deep.equal(allowed);
    });

    it('should sort Calico tiers around the ClusterNetworkPolicy tiers by order (Admin = order 1,000, Baseline = 10,000,000)', () => {
      const admitAll: ClusterNetworkPolicy = {
        apiVersion: 'policy.networking.k8s.io/v1alpha2',
        kind: 'ClusterNetworkPolicy',
        metadata: { name: 'admit' },
        spec: { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Accept', from: [{ namespaces: {} }] }] },
      };
      const denyIn = (t: string) => gnp(`deny-${t}`, { tier: t, selector: { kind: 'all' }, ingress: [denyAll] });
      expect(both([admitAll, tier('early', 500), denyIn('early')], 'y/a', 'x/b')).to.deep.equal(blocked);
      expect(both([admitAll, tier('late', 2000), denyIn('late')], 'y/a', 'x/b')).to.deep.equal(allowed);
      const names = compileLayers(new CompiledTopology(topology), [admitAll, tier('early', 500), tier('late', 2000), tier('last', undefined), tier('end', 20_000_000)]).map((l) => l.name);
      expect(names).to.deep.equal(['Tier/early', 'Admin', 'Tier/late', 'Tier/default', 'Baseline', 'Tier/end', 'Tier/last']);
    });

    it('should compile a NetworkPolicy-only world exactly as before (one NetworkPolicy layer), and absorb it into the default tier with Calico', () => {
      const np = netpol('x', 'allow-all', { podSelector: {}, ingress: [{}] });
      expect(compileLayers(new CompiledTopology(topology), [np]).map((l) => l.name)).to.deep.equal(['NetworkPolicy']);
      expect(compileLayers(new CompiledTopology(topology), [np, tier('t', 5)]).map((l) => l.name)).to.deep.equal(['Tier/t', 'Tier/default']);
      expect(both([netpol('x', 'isolate', { podSelector: {}, policyTypes: ['Ingress'] }), tier('t', 5)], 'y/a', 'x/b')).to.deep.equal(blocked);
    });

    it('should match protocol, notProtocol, ports, notPorts and named ports', () => {
      const rule = (r: Omit<CalicoRule, 'action'>) => gnp('p', { selector: sel('pod == "b"'), ingress: [{ action: 'Allow', ...r }] });
      expect(both([rule({ protocol: 'TCP', destination: { ports: [{ number: 80 }] } })], 'y/a', 'x/b')).to.deep.equal(allowed);
      expect(both([rule({ protocol: 'UDP', destination: { ports: [{ number: 80 }] } })], 'y/a', 'x/b')).to.deep.equal(blocked);
      expect(both([rule({ notProtocol: 'TCP' })], 'y/a', 'x/b')).to.deep.equal(blocked);
      expect(both([rule({ protocol: 'TCP', destination: { notPorts: [{ range: { start: 79, end: 81 } }] } })], 'y/a', 'x/b')).to.deep.equal(blocked);
      expect(both([rule({ protocol: 'TCP', destination: { ports: [{ name: 'serve-80-tcp' }] } })], 'y/a', 'x/b')).to.deep.equal(allowed);
      expect(both([rule({ protocol: 'TCP', destination: { ports: [{ name: 'serve-81-tcp' }] } })], 'y/a', 'x/b')).to.deep.equal(blocked);
      expect(both([rule({ ipVersion: 6 })], 'y/a', 'x/b')).to.deep.equal(blocked);
    });
  });
});
