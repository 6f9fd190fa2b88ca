import { expect } from 'chai';
import type { CiliumEgressRule, CiliumNetworkPolicy, CiliumRule, PolicyObject, Topology } from '../../../src/model/index.js';
import { compilePolicies } from '../../../src/policy/index.js';
import { cell, gridTopology } from '../grid-topology.js';

const topology: Topology = gridTopology({
  namespaces: ['x'],
  externals: [
    { name: 'api', ip: '192.0.2.9', ports: [{ port: 443, protocol: 'TCP' }], dnsName: 'api.example.com' },
    { name: 'cdn', ip: '192.0.2.10', ports: [{ port: 443, protocol: 'TCP' }], dnsName: 'a.cdn.example.org' },
    { name: 'bare', ip: '192.0.2.11', ports: [{ port: 443, protocol: 'TCP' }] },
  ],
});

function cnp(name: string, ...specs: CiliumRule[]): CiliumNetworkPolicy {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: 'x' }, specs };
}

const onA = { matchLabels: { pod: 'a' } };
const dnsRule = (...dns: { matchName?: string; matchPattern?: string }[]): CiliumEgressRule => ({
  toEndpoints: [{ matchLabels: { 'k8s-app': 'kube-dns', 'io.kubernetes.pod.namespace': 'kube-system' } }],
  toPorts: [{ ports: [{ port: { number: 53 }, protocol: 'ANY' }], rules: { dns } }],
});
const toFqdn: CiliumEgressRule = { toFQDNs: [{ matchName: 'api.example.com' }, { matchPattern: '**.example.org' }], toPorts: [{ ports: [{ port: { number: 443 }, protocol: 'TCP' }] }] };

function verdict(policies: readonly PolicyObject[], from: string, to: string): string {
  return compilePolicies(topology, policies).evaluate(cell(from as never, to as never, 443, 'TCP', 'external')).verdict;
}

describe('compileCiliumPolicies', () => {
  describe('toFQDNs', () => {
    it('should match an external by dnsName only when a DNS rule of the pod lets it look the name up', () => {
      const fqdnOnly = cnp('fqdn', { endpointSelector: onA, egress: [toFqdn] });
      expect(verdict([fqdnOnly], 'x/a', 'external:api')).to.equal('blocked');
      const withDns = cnp('dns', { endpointSelector: onA, egress: [dnsRule({ matchPattern: '*.example.com' })] });
      expect(verdict([fqdnOnly, withDns], 'x/a', 'external:api')).to.equal('allowed');
      // The DNS rule does not cover a.cdn.example.org: the proxy refuses the lookup (denied), and the address never enters the FQDN cache.
      expect(verdict([fqdnOnly, withDns], 'x/a', 'external:cdn')).to.equal('denied');
      const allNames = cnp('all', { endpointSelector: onA, egress: [dnsRule({ matchPattern: '*' })] });
      expect(verdict([fqdnOnly, allNames], 'x/a', 'external:cdn')).to.equal('allowed');
      expect(verdict([fqdnOnly, allNames], 'x/a', 'external:bare')).to.equal('blocked');
    });

    it('should keep the DNS rules of one pod from opening toFQDNs of another pod selected by the same rule', () => {
      const fqdnAll = cnp('fqdn', { endpointSelector: {}, egress: [toFqdn] });
      const dnsForA = cnp('dns', { endpointSelector: onA, egress: [dnsRule({ matchName: 'api.example.com' })] });
      expect(verdict([fqdnAll, dnsForA], 'x/a', 'external:api')).to.equal('allowed');
      expect(verdict([fqdnAll, dnsForA], 'x/b', 'external:api')).to.equal('blocked');
    });

    it('should let every name through when an L4-only rule allows the same lookup beside a DNS rule', () => {
      const fqdnOnly = cnp('fqdn', { endpointSelector: onA, egress: [toFqdn] });
      const narrow = cnp('dns', { endpointSelector: onA, egress: [dnsRule({ matchName: 'api.example.com' })] });
      expect(verdict([fqdnOnly, narrow], 'x/a', 'external:cdn')).to.equal('denied');
      const l4 = cnp('l4', { endpointSelector: onA, egress: [{ toEntities: ['cluster'], toPorts: [{ ports: [{ port: { number: 53 }, protocol: 'UDP' }] }] }] });
      expect(verdict([fqdnOnly, narrow, l4], 'x/a', 'external:cdn')).to.equal('allowed');
      // Without any DNS rule the lookups are not proxied: nothing is learned.
      expect(verdict([fqdnOnly, l4], 'x/a', 'external:cdn')).to.equal('blocked');
    });

    it('should deny a dns-name or named-external cell whose lookup the DNS rules refuse, naming the layer and policies', () => {
      const dns = cnp('dns', { endpointSelector: onA, egress: [dnsRule({ matchPattern: '*.example.com' })] });
      const engine = compilePolicies(topology, [dns]);
      const e = engine.evaluate(cell('x/a', 'x/b', 80, 'TCP', 'dns-name'));
      expect(e.verdict).to.equal('denied');
      expect(e.dns?.verdict).to.equal('allowed');
      expect(e.l7).to.deep.equal([{ layer: 'Cilium DNS', decision: 'deny', policies: ['CiliumNetworkPolicy/x/dns'], reason: "no DNS rule of CiliumNetworkPolicy/x/dns matches b.x.svc.cluster.local: Cilium's DNS proxy answers REFUSED" }]);
      expect(engine.verdict(cell('x/a', 'x/b', 80, 'TCP', 'dns-name'))).to.equal('denied');
      // Pods without DNS rules are not proxied; an external without a name is probed by address.
      expect(engine.evaluate(cell('x/b', 'x/c', 80, 'TCP', 'dns-name')).verdict).to.equal('allowed');
      expect(engine.evaluate(cell('x/a', 'external:bare', 443, 'TCP', 'external')).verdict).to.equal('blocked');
      expect(engine.evaluate(cell('x/b', 'external:bare', 443, 'TCP', 'external')).dns).to.equal(undefined);
      expect(engine.evaluate(cell('x/b', 'external:api', 443, 'TCP', 'external')).dns?.verdict).to.equal('allowed');
    });

    it('should name the toFQDNs entry in the provenance of an allowed cell', () => {
      const e = compilePolicies(topology, [cnp('p', { endpointSelector: onA, egress: [dnsRule({ matchPattern: '*' }), toFqdn] })]).evaluate(cell('x/a', 'external:api', 443, 'TCP', 'external'));
      expect(e.egress.allowedBy).to.deep.include({ policy: 'CiliumNetworkPolicy/x/p', direction: 'egress', rule: 1, peer: 0, port: 0 });
    });
  });

  describe('dns cells (DNS probes) under DNS rules', () => {
    // The DNS probe asks for the Service name of the first probe pod with one: a.x.svc.cluster.local here.
    const query = (protocol: 'UDP' | 'TCP' = 'UDP', from = 'x/a') => cell(from as never, 'kube-system/coredns', 53, protocol, 'dns');

    it('should deny a query whose name no DNS rule of the source matches, on the fast path too, layer "Cilium DNS"', () => {
      const engine = compilePolicies(topology, [cnp('dns', { endpointSelector: onA, egress: [dnsRule({ matchName: 'api.example.com' })] })]);
      const e = engine.evaluate(query());
      expect(e.verdict).to.equal('denied');
      expect(e.dns).to.equal(undefined);
      expect(e.l7).to.deep.equal([{ layer: 'Cilium DNS', decision: 'deny', policies: ['CiliumNetworkPolicy/x/dns'], reason: "no DNS rule of CiliumNetworkPolicy/x/dns matches a.x.svc.cluster.local: Cilium's DNS proxy answers REFUSED" }]);
      expect(e.summary).to.match(/^denied: the DNS query of x\/a for a\.x\.svc\.cluster\.local is refused; Cilium DNS: /);
      expect(e.egress.verdict).to.equal('allowed');
      expect(engine.verdict(query())).to.equal('denied');
      expect(engine.verdicts([query('TCP')]).get(query('TCP'))).to.equal('denied');
      // A pod without DNS rules is not proxied.
      expect(engine.evaluate(query('UDP', 'x/b')).verdict).to.equal('allowed');
      expect(engine.verdict(query('UDP', 'x/b'))).to.equal('allowed');
    });

    it('should allow the query when a DNS rule matches the Service name (matchPattern "*.*.svc.cluster.local")', () => {
      const engine = compilePolicies(topology, [cnp('dns', { endpointSelector: onA, egress: [dnsRule({ matchName: 'api.example.com' }, { matchPattern: '*.*.svc.cluster.local' })] })]);
      expect(engine.evaluate(query()).verdict).to.equal('allowed');
      expect(engine.verdict(query())).to.equal('allowed');
    });

    it('should judge each transport by the DNS rules on it: a TCP query allowed at L4 only is not proxied', () => {
      const udpRule: CiliumEgressRule = { ...dnsRule({ matchName: 'api.example.com' }), toPorts: [{ ports: [{ port: { number: 53 }, protocol: 'UDP' }], rules: { dns: [{ matchName: 'api.example.com' }] } }] };
      const tcpL4: CiliumEgressRule = { toEntities: ['cluster'], toPorts: [{ ports: [{ port: { number: 53 }, protocol: 'TCP' }] }] };
      const engine = compilePolicies(topology, [cnp('dns', { endpointSelector: onA, egress: [udpRule, tcpL4] })]);
      expect(engine.evaluate(query('UDP')).verdict).to.equal('denied');
      expect(engine.verdict(query('UDP'))).to.equal('denied');
      expect(engine.evaluate(query('TCP')).verdict).to.equal('allowed');
      expect(engine.verdict(query('TCP'))).to.equal('allowed');
    });

    it('should keep a query the network drops blocked, not denied', () => {
      const engine = compilePolicies(topology, [cnp('dns', { endpointSelector: onA, egress: [{ ...dnsRule({ matchName: 'api.example.com' }), toPorts: [{ ports: [{ port: { number: 53 }, protocol: 'UDP' }], rules: { dns: [{ matchName: 'api.example.com' }] } }] }] })]);
      expect(engine.evaluate(query('TCP')).verdict).to.equal('blocked');
      expect(engine.verdict(query('TCP'))).to.equal('blocked');
    });
  });
});
