import { expect } from 'chai';
import type { CellKey, Connectivity, NetworkPolicy, Topology } from '../../src/model/index.js';
import { compilePolicies } from '../../src/policy/index.js';
import { cell, gridTopology, netpol } from './grid-topology.js';

/** The verdict of a cell by evaluate(), checked to agree with the grid fast path. */
function verdict(topology: Topology, policies: readonly NetworkPolicy[], key: CellKey): Connectivity {
  const engine = compilePolicies(topology, policies);
  const explained = engine.evaluate(key).verdict;
  expect(engine.verdict(key), 'grid fast path agrees with evaluate()').to.equal(explained);
  return explained;
}

const grid = gridTopology();
const denyAllIngress = (ns: string) => netpol(ns, 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] });

describe('CompiledPolicies', () => {
  describe('#evaluate()', () => {
    it('should allow every flow when no policy exists (non-isolated pods)', () => {
      expect(verdict(grid, [], cell('x/a', 'y/b'))).to.equal('allowed');
    });

    it('should select pods only in the policy namespace', () => {
      const p = netpol('x', 'deny', { podSelector: { matchLabels: { pod: 'b' } }, ingress: [] });
      expect(verdict(grid, [p], cell('x/a', 'x/b'))).to.equal('blocked');
      expect(verdict(grid, [p], cell('x/a', 'y/b'))).to.equal('allowed');
    });

    it('should deny with an empty ingress rule list (ingress: [])', () => {
      const p = netpol('y', 'deny', { podSelector: {}, ingress: [] });
      expect(verdict(grid, [p], cell('x/a', 'y/b'))).to.equal('blocked');
    });

    it('should deny when policyTypes has Ingress but there are no ingress rules', () => {
      expect(verdict(grid, [denyAllIngress('y')], cell('x/a', 'y/b'))).to.equal('blocked');
    });

    it('should allow everything with a single empty rule (ingress: [{}])', () => {
      const p = netpol('y', 'allow', { podSelector: {}, ingress: [{}] });
      expect(verdict(grid, [p], cell('x/a', 'y/b'))).to.equal('allowed');
      expect(verdict(grid, [p], cell('x/a', 'y/b', 81, 'UDP'))).to.equal('allowed');
    });

    it('should AND namespaceSelector and podSelector within one peer', () => {
      const p = netpol('y', 'and', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } }, podSelector: { matchLabels: { pod: 'a' } } }] }],
      });
      expect(verdict(grid, [p], cell('x/a', 'y/b'))).to.equal('allowed');
      expect(verdict(grid, [p], cell('x/b', 'y/b'))).to.equal('blocked');
      expect(verdict(grid, [p], cell('z/a', 'y/b'))).to.equal('blocked');
      expect(verdict(grid, [p], cell('y/a', 'y/b'))).to.equal('blocked');
    });

    it('should OR separate namespaceSelector and podSelector peers', () => {
      const p = netpol('y', 'or', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }, { podSelector: { matchLabels: { pod: 'a' } } }] }],
      });
      expect(verdict(grid, [p], cell('x/b', 'y/b'))).to.equal('allowed'); // namespace peer
      expect(verdict(grid, [p], cell('y/a', 'y/b'))).to.equal('allowed'); // pod peer, same namespace
      expect(verdict(grid, [p], cell('z/a', 'y/b'))).to.equal('blocked'); // podSelector alone = policy namespace only
    });

    it('should treat a podSelector-only peer as pods of the policy namespace', () => {
      const p = netpol('y', 'pods', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
      expect(verdict(grid, [p], cell('y/a', 'y/b'))).to.equal('allowed');
      expect(verdict(grid, [p], cell('x/a', 'y/b'))).to.equal('blocked');
    });

    it('should treat an empty podSelector as selecting every pod of the namespace', () => {
      const p = netpol('y', 'deny', { podSelector: {}, ingress: [] });
      for (const to of ['y/a', 'y/b', 'y/c'] as const) expect(verdict(grid, [p], cell('x/a', to))).to.equal('blocked');
    });

    it('should treat an empty namespaceSelector as all pods of all namespaces', () => {
      const p = netpol('y', 'all-ns', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] });
      expect(verdict(grid, [p], cell('x/a', 'y/b'))).to.equal('allowed');
      expect(verdict(grid, [p], cell('z/c', 'y/b'))).to.equal('allowed');
    });

    it('should select namespaces by their labels with namespaceSelector alone', () => {
      const topo = gridTopology({ namespaceLabels: { z: { team: 'red' } } });
      const p = netpol('y', 'team', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'red' } } }] }] });
      expect(verdict(topo, [p], cell('z/a', 'y/b'))).to.equal('allowed');
      expect(verdict(topo, [p], cell('x/a', 'y/b'))).to.equal('blocked');
    });

    describe('matchExpressions operators', () => {
      const topo = gridTopology({ podLabels: { 'x/a': { tier: 'web' }, 'x/b': { tier: 'db' } } });
      const withExpr = (expr: NonNullable<NonNullable<NetworkPolicy['spec']['podSelector']['matchExpressions']>>[number]) =>
        netpol('x', 'expr', { podSelector: { matchExpressions: [expr] }, ingress: [] });
      const isolated = (p: NetworkPolicy) =>
        (['x/a', 'x/b', 'x/c'] as const).filter((to) => verdict(topo, [p], cell('y/a', to)) === 'blocked');

      it('should select pods whose label value is listed with operator In', () => {
        expect(isolated(withExpr({ key: 'tier', operator: 'In', values: ['web', 'cache'] }))).to.deep.equal(['x/a']);
      });
      it('should select pods without the key or with an unlisted value with operator NotIn', () => {
        expect(isolated(withExpr({ key: 'tier', operator: 'NotIn', values: ['web'] }))).to.deep.equal(['x/b', 'x/c']);
      });
      it('should select pods having the key with operator Exists', () => {
        expect(isolated(withExpr({ key: 'tier', operator: 'Exists' }))).to.deep.equal(['x/a', 'x/b']);
      });
      it('should select pods lacking the key with operator DoesNotExist', () => {
        expect(isolated(withExpr({ key: 'tier', operator: 'DoesNotExist' }))).to.deep.equal(['x/c']);
      });
      it('should AND matchLabels with matchExpressions', () => {
        const p = netpol('x', 'both', { podSelector: { matchLabels: { pod: 'b' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, ingress: [] });
        expect(isolated(p)).to.deep.equal(['x/b']);
      });
    });

    it('should match ipBlock with except against pod IPs (IPv4)', () => {
      const p = netpol('y', 'cidr', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/24', except: ['10.244.0.2/32'] } }] }] });
      expect(verdict(grid, [p], cell('x/a', 'y/b'))).to.equal('allowed'); // 10.244.0.1
      expect(verdict(grid, [p], cell('x/b', 'y/b'))).to.equal('blocked'); // 10.244.0.2 excepted
      expect(verdict(grid, [p], cell('z/a', 'y/b'))).to.equal('blocked'); // 10.244.2.1 outside
    });

    it('should match ipBlock with except against pod and external IPs (IPv6)', () => {
      const topo = gridTopology({
        podIPs: { 'x/a': 'fd00::1', 'x/b': 'fd00::2' },
        externals: [
          { name: 'v6in', ip: 'fd00:1::5', ports: [{ port: 80, protocol: 'TCP' }] },
          { name: 'v6out', ip: 'fd00:2::5', ports: [{ port: 80, protocol: 'TCP' }] },
        ],
      });
      const ing = netpol('y', 'cidr6', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'fd00::/32', except: ['fd00::2/128'] } }] }] });
      expect(verdict(topo, [ing], cell('x/a', 'y/b'))).to.equal('allowed');
      expect(verdict(topo, [ing], cell('x/b', 'y/b'))).to.equal('blocked');
      expect(verdict(topo, [ing], cell('x/c', 'y/b'))).to.equal('blocked'); // IPv4 pod never matches an IPv6 block
      const eg = netpol('x', 'egress6', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: 'fd00::/16', except: ['fd00:2::/32'] } }] }] });
      expect(verdict(topo, [eg], cell('x/c', 'external:v6in', 80, 'TCP', 'external'))).to.equal('allowed');
      expect(verdict(topo, [eg], cell('x/c', 'external:v6out', 80, 'TCP', 'external'))).to.equal('blocked');
    });

    it('should match external hosts only by ipBlock, never by selectors', () => {
      const topo = gridTopology({ externals: [{ name: 'meta', ip: '169.254.169.254', ports: [{ port: 80, protocol: 'TCP' }] }] });
      const key = cell('x/a', 'external:meta', 80, 'TCP', 'external');
      const bySelector = netpol('x', 'sel', { podSelector: {}, egress: [{ to: [{ namespaceSelector: {} }] }] });
      expect(verdict(topo, [bySelector], key)).to.equal('blocked');
      const byBlock = netpol('x', 'blk', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }] });
      expect(verdict(topo, [byBlock], key)).to.equal('blocked');
      expect(verdict(topo, [byBlock], cell('x/a', 'y/a'))).to.equal('allowed');
      const all = netpol('x', 'all', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '169.254.0.0/16' } }] }] });
      expect(verdict(topo, [all], key)).to.equal('allowed');
    });

    it('should decide a flow from an external source by the destination ingress alone: ipBlock matches its IP, selectors never do', () => {
      const topo = gridTopology({ externals: [{ name: 'browser', ip: '203.0.113.10', ports: [], source: true }] });
      const key = cell('external:browser', 'y/b');
      expect(verdict(topo, [], key)).to.equal('allowed');
      expect(verdict(topo, [denyAllIngress('y')], key)).to.equal('blocked');
      const everyPod = netpol('y', 'pods', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] });
      expect(verdict(topo, [everyPod], key)).to.equal('blocked');
      expect(verdict(topo, [everyPod], cell('x/a', 'y/b'))).to.equal('allowed');
      const byBlock = netpol('y', 'blk', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.0/29'] } }] }] });
      expect(verdict(topo, [byBlock], key)).to.equal('allowed');
      const excepted = netpol('y', 'exc', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.8/29'] } }] }] });
      expect(verdict(topo, [excepted], key)).to.equal('blocked');
      // Egress policies select pods: none applies to an outside client, even a deny-all egress in every namespace.
      const denyEgress = ['x', 'y', 'z'].map((ns) => netpol(ns, 'no-egress', { podSelector: {}, policyTypes: ['Egress'] }));
      expect(verdict(topo, denyEgress, key)).to.equal('allowed');
    });

    it('should explain a flow from an external source with no egress side and the destination ingress provenance', () => {
      const topo = gridTopology({ externals: [{ name: 'browser', ip: '203.0.113.10', ports: [], source: true }] });
      const engine = compilePolicies(topo, [denyAllIngress('y')]);
      const e = engine.evaluate(cell('external:browser', 'y/b'));
      expect(e.egress.applies).to.equal(false);
      expect(e.ingress.selectedBy).to.deep.equal(['y/deny-all']);
      expect(e.summary).to.equal('blocked: ingress of y/b is isolated by y/deny-all and no ingress rule allows external:browser on 80/TCP');
      expect(engine.evaluate(cell('external:browser', 'x/a')).summary).to.equal('allowed: external:browser is outside the cluster (no egress policy applies); x/a ingress not isolated');
    });

    it('should refuse an external host that is not declared a source as the source of a flow', () => {
      const topo = gridTopology({ externals: [{ name: 'meta', ip: '169.254.169.254', ports: [{ port: 80, protocol: 'TCP' }] }] });
      expect(() => compilePolicies(topo, []).evaluate(cell('external:meta', 'y/b'))).to.throw(/unknown source: external:meta/);
    });

    it('should resolve a named port per destination pod (same name, different numbers)', () => {
      const topo = gridTopology({
        podPorts: {
          'y/a': [{ port: 8080, protocol: 'TCP', name: 'http' }, { port: 9090, protocol: 'TCP', name: 'metrics' }],
          'y/b': [{ port: 9090, protocol: 'TCP', name: 'http' }, { port: 8080, protocol: 'TCP', name: 'metrics' }],
        },
      });
      const ing = netpol('y', 'http-in', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] });
      expect(verdict(topo, [ing], cell('x/a', 'y/a', 8080))).to.equal('allowed');
      expect(verdict(topo, [ing], cell('x/a', 'y/a', 9090))).to.equal('blocked');
      expect(verdict(topo, [ing], cell('x/a', 'y/b', 9090))).to.equal('allowed');
      expect(verdict(topo, [ing], cell('x/a', 'y/b', 8080))).to.equal('blocked');
      // Egress: the name resolves against the destination pod of the flow, not the source.
      const eg = netpol('x', 'http-out', { podSelector: {}, egress: [{ ports: [{ port: 'http' }] }] });
      expect(verdict(topo, [eg], cell('x/a', 'y/a', 8080))).to.equal('allowed');
      expect(verdict(topo, [eg], cell('x/a', 'y/b', 9090))).to.equal('allowed');
      expect(verdict(topo, [eg], cell('x/a', 'y/b', 8080))).to.equal('blocked');
    });

    it('should never match a named port on an external host (named ports are container ports)', () => {
      const topo = gridTopology({
        externals: [
          { name: 'plain', ip: '192.0.2.1', ports: [{ port: 80, protocol: 'TCP' }] },
          { name: 'named', ip: '192.0.2.2', ports: [{ port: 80, protocol: 'TCP', name: 'web' }] },
        ],
      });
      const eg = netpol('x', 'web-out', { podSelector: {}, egress: [{ ports: [{ port: 'web' }] }] });
      expect(verdict(topo, [eg], cell('x/a', 'external:plain', 80, 'TCP', 'external'))).to.equal('blocked');
      expect(verdict(topo, [eg], cell('x/a', 'external:named', 80, 'TCP', 'external'))).to.equal('blocked');
    });

    it('should match the whole range port..endPort', () => {
      const topo = gridTopology({ ports: [79, 80, 81, 82].map((port) => ({ port, protocol: 'TCP' as const })) });
      const p = netpol('y', 'range', { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 81 }] }] });
      expect([79, 80, 81, 82].map((port) => verdict(topo, [p], cell('x/a', 'y/b', port)))).to.deep.equal(['blocked', 'allowed', 'allowed', 'blocked']);
    });

    it('should default a port entry protocol to TCP', () => {
      const p = netpol('y', 'tcp', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] });
      expect(verdict(grid, [p], cell('x/a', 'y/b', 80, 'TCP'))).to.equal('allowed');
      expect(verdict(grid, [p], cell('x/a', 'y/b', 80, 'UDP'))).to.equal('blocked');
    });

    it('should match every port of the protocol when a port entry has no port', () => {
      const p = netpol('y', 'udp', { podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP' }] }] });
      expect(verdict(grid, [p], cell('x/a', 'y/b', 81, 'UDP'))).to.equal('allowed');
      expect(verdict(grid, [p], cell('x/a', 'y/b', 81, 'TCP'))).to.equal('blocked');
    });

    it('should default policyTypes to Ingress only when the spec has no egress field', () => {
      const p = netpol('x', 'ing', { podSelector: {}, ingress: [] });
      expect(verdict(grid, [p], cell('x/a', 'y/b'))).to.equal('allowed'); // x/a egress unaffected
      expect(verdict(grid, [p], cell('y/b', 'x/a'))).to.equal('blocked');
    });

    it('should default policyTypes to Ingress and Egress when the spec has at least one egress rule', () => {
      const p = netpol('x', 'both', { podSelector: {}, egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'z' } } }] }] });
      expect(verdict(grid, [p], cell('x/a', 'y/b'))).to.equal('blocked'); // egress isolated, only z allowed
      expect(verdict(grid, [p], cell('x/a', 'z/b'))).to.equal('allowed');
      expect(verdict(grid, [p], cell('y/b', 'x/a'))).to.equal('blocked'); // Ingress included with no rules
    });

    it('should not isolate egress for `egress: []` without policyTypes (the API server defaults to Ingress only)', () => {
      const p = netpol('x', 'empty-egress', { podSelector: {}, ingress: [{}], egress: [] });
      expect(verdict(grid, [p], cell('x/a', 'y/b'))).to.equal('allowed');
    });

    it('should treat an empty policyTypes list like an absent one', () => {
      const p = netpol('x', 'empty-types', { podSelector: {}, policyTypes: [] });
      expect(verdict(grid, [p], cell('y/b', 'x/a'))).to.equal('blocked');
      expect(verdict(grid, [p], cell('x/a', 'y/b'))).to.equal('allowed');
    });

    it('should leave ingress open with an egress-only policy (policyTypes: [Egress])', () => {
      const p = netpol('x', 'egress-only', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] });
      expect(verdict(grid, [p], cell('x/a', 'x/b'))).to.equal('allowed');
      expect(verdict(grid, [p], cell('x/a', 'y/b'))).to.equal('blocked');
      expect(verdict(grid, [p], cell('y/b', 'x/a'))).to.equal('allowed');
    });

    it('should ignore rules of a direction not listed in policyTypes', () => {
      const p = netpol('x', 'ing-only', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}], egress: [] });
      expect(verdict(grid, [p], cell('x/a', 'y/b'))).to.equal('allowed');
    });

    it('should allow a flow when any policy allows it (union of policies)', () => {
      const onlyA = netpol('y', 'from-a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { pod: 'a' } } }] }] });
      const onlyB = netpol('y', 'from-b', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { pod: 'b' } } }] }] });
      expect(verdict(grid, [onlyA, onlyB], cell('x/a', 'y/c'))).to.equal('allowed');
      expect(verdict(grid, [onlyA, onlyB], cell('x/b', 'y/c'))).to.equal('allowed');
      expect(verdict(grid, [onlyA, onlyB], cell('x/c', 'y/c'))).to.equal('blocked');
      expect(verdict(grid, [denyAllIngress('y'), onlyA], cell('x/a', 'y/c'))).to.equal('allowed');
    });

    it('should need both the source egress and the destination ingress to allow', () => {
      const egAllow = netpol('x', 'eg', { podSelector: {}, egress: [{}], policyTypes: ['Egress'] });
      const egDeny = netpol('x', 'eg', { podSelector: {}, egress: [], policyTypes: ['Egress'] });
      const inAllow = netpol('y', 'in', { podSelector: {}, ingress: [{}] });
      const inDeny = denyAllIngress('y');
      const k = cell('x/a', 'y/b');
      expect(verdict(grid, [egAllow, inAllow], k)).to.equal('allowed');
      expect(verdict(grid, [egDeny, inAllow], k)).to.equal('blocked');
      expect(verdict(grid, [egAllow, inDeny], k)).to.equal('blocked');
      expect(verdict(grid, [egDeny, inDeny], k)).to.equal('blocked');
    });

    it('should evaluate self traffic like any other flow', () => {
      expect(verdict(grid, [denyAllIngress('x')], cell('x/a', 'x/a'))).to.equal('blocked');
    });

    it('should judge service targets against the backend pod, like pod-ip', () => {
      const p = netpol('y', 'from-x', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }], ports: [{ port: 80 }] }] });
      for (const [from, port] of [['x/a', 80], ['x/a', 81], ['z/a', 80]] as const) {
        expect(verdict(grid, [p], cell(from, 'y/b', port, 'TCP', 'service'))).to.equal(verdict(grid, [p], cell(from, 'y/b', port, 'TCP', 'pod-ip')));
      }
    });

    it('should evaluate dns targets as a pod-to-pod flow to the DNS pod on 53', () => {
      const p = netpol('x', 'dns', { podSelector: {}, egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 53, protocol: 'UDP' }] }] });
      expect(verdict(grid, [p], cell('x/a', 'kube-system/coredns', 53, 'UDP', 'dns'))).to.equal('allowed');
      expect(verdict(grid, [p], cell('x/a', 'kube-system/coredns', 53, 'TCP', 'dns'))).to.equal('blocked');
    });

    it('should block dns-name targets when DNS egress (53/UDP to the DNS pod) is not allowed', () => {
      const toY = netpol('x', 'to-y', { podSelector: {}, egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }] });
      const dns = netpol('x', 'dns', { podSelector: {}, egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }] }] });
      const k = cell('x/a', 'y/b', 80, 'TCP', 'dns-name');
      expect(verdict(grid, [toY], cell('x/a', 'y/b'))).to.equal('allowed');
      expect(verdict(grid, [toY], k)).to.equal('blocked');
      expect(verdict(grid, [toY, dns], k)).to.equal('allowed');
      const e = compilePolicies(grid, [toY]).evaluate(k);
      expect(e.dns?.verdict).to.equal('blocked');
      expect(e.summary).to.match(/DNS lookup/);
    });

    it('should treat the DNS lookup as allowed when the topology has no DNS pod', () => {
      const topo = gridTopology({ dns: false });
      const e = compilePolicies(topo, []).evaluate(cell('x/a', 'y/b', 80, 'TCP', 'dns-name'));
      expect(e.verdict).to.equal('allowed');
      expect(e.dns).to.equal(undefined);
    });

    it('should apply only the source egress to external targets (no ingress side)', () => {
      const topo = gridTopology({ externals: [{ name: 'meta', ip: '169.254.169.254', ports: [{ port: 80, protocol: 'TCP' }] }] });
      const e = compilePolicies(topo, [denyAllIngress('x')]).evaluate(cell('x/a', 'external:meta', 80, 'TCP', 'external'));
      expect(e.verdict).to.equal('allowed');
      expect(e.ingress.applies).to.equal(false);
      expect(e.ingress.verdict).to.equal('allowed');
      const deny = netpol('x', 'deny-eg', { podSelector: {}, policyTypes: ['Egress'], egress: [] });
      expect(verdict(topo, [deny], cell('x/a', 'external:meta', 80, 'TCP', 'external'))).to.equal('blocked');
    });

    it('should return invalid-port when the destination does not serve the port, before any policy verdict', () => {
      const topo = gridTopology({ externals: [{ name: 'meta', ip: '169.254.169.254', ports: [{ port: 80, protocol: 'TCP' }] }] });
      expect(verdict(topo, [], cell('x/a', 'y/b', 8080))).to.equal('invalid-port');
      expect(verdict(topo, [denyAllIngress('y')], cell('x/a', 'y/b', 82, 'UDP'))).to.equal('invalid-port');
      expect(verdict(topo, [], cell('x/a', 'external:meta', 443, 'TCP', 'external'))).to.equal('invalid-port');
      expect(verdict(topo, [], cell('x/a', 'y/b', 8080, 'TCP', 'dns-name'))).to.equal('invalid-port');
    });

    it('should throw on an unknown pod, an unknown external, or a target kind that does not fit the destination', () => {
      const engine = compilePolicies(grid, []);
      expect(() => engine.evaluate(cell('q/a', 'y/b'))).to.throw(/unknown source: q\/a/);
      expect(() => engine.evaluate(cell('x/a', 'y/q'))).to.throw(/unknown destination: y\/q/);
      expect(() => engine.evaluate(cell('x/a', 'external:nope', 80, 'TCP', 'external'))).to.throw(/unknown destination/);
      expect(() => engine.evaluate(cell('x/a', 'y/b', 80, 'TCP', 'external'))).to.throw(/needs an external host/);
      expect(() => engine.verdict(cell('q/a', 'y/b'))).to.throw(/unknown source: q\/a/);
    });

    it('should throw on a malformed CIDR naming the policy', () => {
      const p = netpol('y', 'bad', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/99' } }] }] });
      expect(() => compilePolicies(grid, [p])).to.throw(/y\/bad.*10\.0\.0\.0\/99/);
    });

    describe('provenance', () => {
      it('should name the isolating policies and no allowing rule when blocked', () => {
        const e = compilePolicies(grid, [denyAllIngress('y')]).evaluate(cell('x/a', 'y/b'));
        expect(e.verdict).to.equal('blocked');
        expect(e.ingress).to.deep.equal({ applies: true, isolated: true, selectedBy: ['y/deny-all'], allowedBy: [], verdict: 'blocked', layers: [{ layer: 'NetworkPolicy', outcome: 'deny' }] });
        expect(e.egress).to.deep.equal({ applies: true, isolated: false, selectedBy: [], allowedBy: [], verdict: 'allowed', layers: [{ layer: 'NetworkPolicy', outcome: 'no-decision' }] });
        expect(e.summary).to.equal('blocked: ingress of y/b is isolated by y/deny-all and no ingress rule allows x/a on 80/TCP');
      });

      it('should list every allowing rule with its matching peer and port index', () => {
        const p1 = netpol('y', 'p1', {
          podSelector: {},
          ingress: [
            { from: [{ podSelector: {} }], ports: [{ port: 81 }] }, // rule 0: does not match x/a
            { from: [{ ipBlock: { cidr: '192.0.2.0/24' } }, { namespaceSelector: {} }], ports: [{ port: 81 }, { port: 80 }] }, // rule 1: peer 1, port 1
            {}, // rule 2: matches everything (no peer/port index)
          ],
        });
        const p2 = netpol('y', 'p2', { podSelector: { matchLabels: { pod: 'b' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] });
        const p3 = netpol('y', 'p3', { podSelector: { matchLabels: { pod: 'c' } }, ingress: [{}] });
        const e = compilePolicies(grid, [p1, p2, p3]).evaluate(cell('x/a', 'y/b'));
        expect(e.verdict).to.equal('allowed');
        expect(e.ingress.selectedBy).to.deep.equal(['y/p1', 'y/p2']);
        expect(e.ingress.allowedBy).to.deep.equal([
          { policy: 'y/p1', direction: 'ingress', rule: 1, peer: 1, port: 1 },
          { policy: 'y/p1', direction: 'ingress', rule: 2 },
          { policy: 'y/p2', direction: 'ingress', rule: 0, peer: 0 },
        ]);
        expect(e.summary).to.equal('allowed: x/a egress not isolated; y/b ingress allowed by y/p1 rule 1, y/p1 rule 2, y/p2 rule 0');
      });

      it('should explain egress provenance and name both blocked sides', () => {
        const eg = netpol('x', 'allow-dns', { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] });
        const e = compilePolicies(grid, [eg, denyAllIngress('y')]).evaluate(cell('x/a', 'y/b'));
        expect(e.egress).to.include({ isolated: true, verdict: 'blocked' });
        expect(e.summary).to.equal(
          'blocked: egress of x/a is isolated by x/allow-dns and no egress rule allows y/b on 80/TCP; ingress of y/b is isolated by y/deny-all and no ingress rule allows x/a on 80/TCP',
        );
        const dnsCell = compilePolicies(grid, [eg]).evaluate(cell('x/a', 'kube-system/coredns', 53, 'UDP', 'dns'));
        expect(dnsCell.egress.allowedBy).to.deep.equal([{ policy: 'x/allow-dns', direction: 'egress', rule: 0, port: 0 }]);
        expect(dnsCell.summary).to.equal('allowed: x/a egress allowed by x/allow-dns rule 0; kube-system/coredns ingress not isolated');
      });

      it('should summarise invalid-port and external cells', () => {
        const topo = gridTopology({ externals: [{ name: 'meta', ip: '169.254.169.254', ports: [{ port: 80, protocol: 'TCP' }] }] });
        const engine = compilePolicies(topo, []);
        expect(engine.evaluate(cell('x/a', 'y/b', 9999)).summary).to.equal('invalid-port: y/b does not serve 9999/TCP');
        expect(engine.evaluate(cell('x/a', 'external:meta', 80, 'TCP', 'external')).summary).to.equal(
          'allowed: x/a egress not isolated; external:meta has no ingress side',
        );
      });
    });
  });

  describe('#matrix()', () => {
    it('should return the verdict and explanation of every key, equal to evaluate()', () => {
      const engine = compilePolicies(grid, [denyAllIngress('y')]);
      const keys = [cell('x/a', 'y/b'), cell('x/a', 'z/b'), cell('x/a', 'y/b', 99)];
      const { matrix, explanations } = engine.matrix(keys);
      expect(keys.map((k) => matrix.get(k))).to.deep.equal(['blocked', 'allowed', 'invalid-port']);
      for (const k of keys) expect(explanations.get(k)).to.deep.equal(engine.evaluate(k));
    });
  });

  describe('#verdicts()', () => {
    it('should return the same verdicts as matrix() without explanations', () => {
      const engine = compilePolicies(grid, [denyAllIngress('y')]);
      const keys = [cell('x/a', 'y/b'), cell('x/a', 'z/b'), cell('x/a', 'y/b', 99), cell('x/a', 'y/b', 80, 'TCP', 'dns-name')];
      const fast = engine.verdicts(keys);
      const slow = engine.matrix(keys).matrix;
      expect(fast.keys().map((k) => fast.get(k))).to.deep.equal(slow.keys().map((k) => slow.get(k)));
    });
  });
});
