import { expect } from 'chai';
import type { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, CiliumRule, PolicyObject, Topology } from '../../../src/model/index.js';
import { compilePolicies } from '../../../src/policy/index.js';
import { cell, gridTopology, netpol } from '../grid-topology.js';

const topology: Topology = gridTopology({
  namespaces: ['x', 'y'],
  namespaceLabels: { y: { team: 'red' } },
  externals: [
    { name: 'web', ip: '192.0.2.9', ports: [{ port: 80, protocol: 'TCP' }] },
    { name: 'office', ip: '198.51.100.7', ports: [], source: true },
  ],
});

function cnp(namespace: string, name: string, ...specs: CiliumRule[]): CiliumNetworkPolicy {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, specs };
}

function ccnp(name: string, ...specs: CiliumRule[]): CiliumClusterwideNetworkPolicy {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, specs };
}

function verdict(policies: readonly PolicyObject[], from: string, to: string, target: 'pod-ip' | 'external' = to.startsWith('external:') ? 'external' : 'pod-ip'): string {
  return compilePolicies(topology, policies).evaluate(cell(from as never, to as never, 80, 'TCP', target)).verdict;
}

const onA = { matchLabels: { pod: 'a' } };

describe('CiliumLayer', () => {
  describe('#rows() and #explainer()', () => {
    it('should let an ingressDeny win over a NetworkPolicy allow of the same flow', () => {
      const allowAll = netpol('x', 'allow-all', { podSelector: {}, ingress: [{}] });
      const deny = cnp('x', 'deny-b', { endpointSelector: onA, ingressDeny: [{ fromEndpoints: [{ matchLabels: { pod: 'b' } }] }] });
      expect(verdict([allowAll], 'x/b', 'x/a')).to.equal('allowed');
      expect(verdict([allowAll, deny], 'x/b', 'x/a')).to.equal('blocked');
      expect(verdict([allowAll, deny], 'x/c', 'x/a')).to.equal('allowed');
      const e = compilePolicies(topology, [allowAll, deny]).evaluate(cell('x/b', 'x/a'));
      expect(e.ingress.layers?.[0]).to.include({ layer: 'CiliumDeny', outcome: 'deny', policy: 'CiliumNetworkPolicy/x/deny-b', rule: 0 });
    });

    it('should never match a pod with a CIDR rule, even one that covers its IP', () => {
      const egress = cnp('x', 'cidr', { endpointSelector: onA, egress: [{ toCIDRSet: [{ cidr: '0.0.0.0/0', except: [] }] }] });
      expect(verdict([egress], 'x/a', 'x/b')).to.equal('blocked');
      expect(verdict([egress], 'x/a', 'external:web')).to.equal('allowed');
      const except = cnp('x', 'except', { endpointSelector: onA, egress: [{ toCIDRSet: [{ cidr: '192.0.2.0/24', except: ['192.0.2.8/29'] }] }] });
      expect(verdict([except], 'x/a', 'external:web')).to.equal('blocked');
    });

    it('should match external hosts with world and pods with cluster', () => {
      const world = cnp('x', 'world', { endpointSelector: onA, egress: [{ toEntities: ['world'] }] });
      expect(verdict([world], 'x/a', 'external:web')).to.equal('allowed');
      expect(verdict([world], 'x/a', 'y/b')).to.equal('blocked');
      const cluster = cnp('x', 'cluster', { endpointSelector: onA, ingress: [{ fromEntities: ['cluster'] }] });
      expect(verdict([cluster], 'y/b', 'x/a')).to.equal('allowed');
      expect(verdict([cluster], 'external:office', 'x/a')).to.equal('blocked');
      const host = cnp('x', 'host', { endpointSelector: onA, ingress: [{ fromEntities: ['host', 'kube-apiserver'] }] });
      expect(verdict([host], 'x/b', 'x/a')).to.equal('blocked');
    });

    it("should keep a CiliumNetworkPolicy's peer selectors in its namespace unless they name io.kubernetes.pod.namespace", () => {
      const own = cnp('x', 'own', { endpointSelector: onA, ingress: [{ fromEndpoints: [{ matchLabels: { pod: 'b' } }] }] });
      expect(verdict([own], 'x/b', 'x/a')).to.equal('allowed');
      expect(verdict([own], 'y/b', 'x/a')).to.equal('blocked');
      const other = cnp('x', 'other', { endpointSelector: onA, ingress: [{ fromEndpoints: [{ matchLabels: { pod: 'b', 'io.kubernetes.pod.namespace': 'y' } }] }] });
      expect(verdict([other], 'y/b', 'x/a')).to.equal('allowed');
      expect(verdict([other], 'x/b', 'x/a')).to.equal('blocked');
    });

    it("should let a CiliumNetworkPolicy peer selector with an io.cilium.k8s.namespace.labels. key leave the policy's namespace (getEndpointSelector)", () => {
      const red = cnp('x', 'red', { endpointSelector: onA, ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'red' } }] }] });
      expect(verdict([red], 'y/b', 'x/a')).to.equal('allowed');
      expect(verdict([red], 'x/b', 'x/a')).to.equal('blocked');
      const byName = cnp('x', 'by-name', { endpointSelector: onA, ingress: [{ fromEndpoints: [{ matchExpressions: [{ key: 'io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name', operator: 'In', values: ['y'] }] }] }] });
      expect(verdict([byName], 'y/c', 'x/a')).to.equal('allowed');
    });

    it('should resolve toServices kube-system/kube-dns to the DNS pod, and a pod Service by its name', () => {
      const dns = cnp('x', 'dns', { endpointSelector: onA, egress: [{ toServices: [{ k8sService: { serviceName: 'kube-dns', namespace: 'kube-system' } }] }] });
      const at53 = (policies: readonly PolicyObject[]) => compilePolicies(topology, policies).evaluate(cell('x/a', 'kube-system/coredns' as never, 53, 'UDP', 'pod-ip')).verdict;
      expect(at53([dns])).to.equal('allowed');
      expect(verdict([dns], 'x/a', 'x/b')).to.equal('blocked');
      const elsewhere = cnp('x', 'elsewhere', { endpointSelector: onA, egress: [{ toServices: [{ k8sService: { serviceName: 'kube-dns' } }] }] });
      expect(at53([elsewhere])).to.equal('blocked');
      const podService = cnp('x', 'svc', { endpointSelector: onA, egress: [{ toServices: [{ k8sService: { serviceName: 'b' } }] }] });
      expect(verdict([podService], 'x/a', 'x/b')).to.equal('allowed');
    });

    it('should select no peer with a peer list written empty, toPorts or not (mergeEndpointSelectors)', () => {
      const ports = [{ ports: [{ port: { number: 80 }, protocol: 'TCP' as const }] }];
      for (const entry of [{ fromEndpoints: [] }, { fromEntities: [] }, { fromCIDRSet: [] }]) {
        const policy = cnp('x', 'empty-list', { endpointSelector: onA, ingress: [{ ...entry, toPorts: ports }] });
        expect(verdict([policy], 'x/b', 'x/a'), JSON.stringify(entry)).to.equal('blocked');
        expect(verdict([policy], 'external:office', 'x/a'), JSON.stringify(entry)).to.equal('blocked');
      }
      const egress = cnp('x', 'empty-egress', { endpointSelector: onA, egress: [{ toEndpoints: [], toPorts: ports }] });
      expect(verdict([egress], 'x/a', 'x/b')).to.equal('blocked');
      const portsOnly = cnp('x', 'ports-only', { endpointSelector: onA, ingress: [{ toPorts: ports }] });
      expect(verdict([portsOnly], 'x/b', 'x/a')).to.equal('allowed');
    });

    it("should apply a CiliumNetworkPolicy endpointSelector naming another namespace in the policy's own (Cilium overwrites the term)", () => {
      const policy = cnp('x', 'ns-y', { endpointSelector: { matchLabels: { pod: 'a', 'io.kubernetes.pod.namespace': 'y' } }, ingress: [{}] });
      expect(verdict([policy], 'x/b', 'x/a')).to.equal('blocked');
      expect(verdict([policy], 'x/b', 'y/a')).to.equal('allowed');
    });

    it('should let a CiliumClusterwideNetworkPolicy select pods of every namespace and peers by namespace labels', () => {
      const policy = ccnp('red-only', { endpointSelector: onA, ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'red' } }] }] });
      expect(verdict([policy], 'y/b', 'x/a')).to.equal('allowed');
      expect(verdict([policy], 'x/b', 'x/a')).to.equal('blocked');
      expect(verdict([policy], 'x/b', 'y/a')).to.equal('blocked');
      expect(verdict([policy], 'y/c', 'y/a')).to.equal('allowed');
    });

    it('should leave a direction open when enableDefaultDeny turns it off, while its allows still count and its denies still deny', () => {
      const open = cnp('x', 'open', { endpointSelector: onA, ingress: [{ fromEndpoints: [{ matchLabels: { pod: 'b' } }] }], ingressDeny: [{ fromEndpoints: [{ matchLabels: { pod: 'c' } }] }], enableDefaultDeny: { ingress: false } });
      expect(verdict([open], 'y/b', 'x/a')).to.equal('allowed');
      expect(verdict([open], 'x/c', 'x/a')).to.equal('blocked');
      const isolate = netpol('x', 'isolate', { podSelector: onA, policyTypes: ['Ingress'] });
      expect(verdict([open, isolate], 'x/b', 'x/a')).to.equal('allowed');
      expect(verdict([open, isolate], 'y/b', 'x/a')).to.equal('blocked');
    });

    it('should make an empty rule {} match nothing while its section still switches the direction to default deny', () => {
      const empty = cnp('x', 'empty', { endpointSelector: onA, ingress: [{}] });
      expect(verdict([empty], 'x/b', 'x/a')).to.equal('blocked');
      expect(verdict([empty], 'external:office', 'x/a')).to.equal('blocked');
      expect(verdict([cnp('x', 'none', { endpointSelector: onA, ingress: [] })], 'x/b', 'x/a')).to.equal('allowed');
    });

    it('should explain an allow with the entry, the peer item and the written port entry that matched', () => {
      const policy = cnp('x', 'web', { endpointSelector: onA, ingress: [{}, { fromEntities: ['world', 'cluster'], toPorts: [{ ports: [{ port: { number: 81 }, protocol: 'TCP' }] }, { ports: [{ port: { number: 80 }, protocol: 'ANY' }] }] }] });
      const e = compilePolicies(topology, [policy]).evaluate(cell('x/b', 'x/a'));
      expect(e.ingress.allowedBy).to.deep.equal([{ policy: 'CiliumNetworkPolicy/x/web', direction: 'ingress', rule: 1, peer: 1, port: 1 }]);
      expect(e.ingress.selectedBy).to.deep.equal(['CiliumNetworkPolicy/x/web']);
    });

    it('should union Cilium allows with NetworkPolicy allows', () => {
      const np = netpol('x', 'from-b', { podSelector: onA, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] });
      const cilium = cnp('x', 'from-c', { endpointSelector: onA, ingress: [{ fromEndpoints: [{ matchLabels: { pod: 'c' } }] }] });
      expect(verdict([np, cilium], 'x/b', 'x/a')).to.equal('allowed');
      expect(verdict([np, cilium], 'x/c', 'x/a')).to.equal('allowed');
      expect(verdict([np, cilium], 'y/a', 'x/a')).to.equal('blocked');
    });
  });
});
