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
});
