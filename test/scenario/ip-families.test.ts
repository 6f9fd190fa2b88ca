import { expect } from 'chai';
import { formatIssue, type Scenario } from '../../src/model/index.js';
import { loadScenarioCollecting } from '../../src/scenario/index.js';

/** Loads a scenario from its `spec.topology` (and optional steps) YAML; returns it or its formatted issues. */
function load(topology: string, steps = '  steps: [{ name: s, expect: { default: allowed } }]'): { scenario?: Scenario; issues: string[] } {
  const text = `apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: t }\nspec:\n  topology:\n${topology}\n${steps}\n`;
  const { scenario, issues } = loadScenarioCollecting('s.yaml', text);
  return { ...(scenario && { scenario }), issues: issues.map(formatIssue) };
}

describe('normalizeTopology (ipFamilies)', () => {
  describe('#normalizeTopology()', () => {
    it('should leave an IPv4 scenario exactly as before: no families, no per-family addresses', () => {
      const { scenario } = load('    grid: { namespaces: [x], pods: [a] }');
      expect(scenario!.topology).not.to.have.property('ipFamilies');
      expect(scenario!.topology).not.to.have.property('perFamily');
      expect(scenario!.topology.pods[0]).to.deep.include({ ip: '10.244.0.1', serviceIP: '10.96.0.100' });
      expect(scenario!.topology.pods[0]).not.to.have.property('ips');
    });

    it('should give every pod, Service and the DNS Service an address per family, primary first, the IPv6 ones from ULA defaults', () => {
      const { scenario, issues } = load('    ipFamilies: [IPv4, IPv6]\n    grid: { namespaces: [x], pods: [a] }');
      expect(issues).to.deep.equal([]);
      const t = scenario!.topology;
      expect(t.ipFamilies).to.deep.equal(['IPv4', 'IPv6']);
      expect(t.pods[0]).to.deep.include({ ip: '10.244.0.1', ips: ['10.244.0.1', 'fd00:10:244::1'], serviceIP: '10.96.0.100', serviceIPs: ['10.96.0.100', 'fd00:10:96::64'] });
      expect(t.perFamily).to.deep.equal([
        { family: 'IPv4', podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16', dnsServiceIP: '10.96.0.10' },
        { family: 'IPv6', podCIDR: 'fd00:10:244::/56', serviceCIDR: 'fd00:10:96::/112', dnsServiceIP: 'fd00:10:96::a' },
      ]);
    });

    it('should make IPv6 primary when listed first, and take one CIDR per family comma-separated', () => {
      const { scenario, issues } = load('    ipFamilies: [IPv6, IPv4]\n    podCIDR: "fd00:1::/64, 10.1.0.0/16"\n    grid: { namespaces: [x], pods: [a] }');
      expect(issues).to.deep.equal([]);
      expect(scenario!.topology.pods[0]).to.deep.include({ ip: 'fd00:1::1', ips: ['fd00:1::1', '10.1.0.1'] });
      expect(scenario!.topology).to.deep.include({ podCIDR: 'fd00:1::/64', dnsServiceIP: 'fd00:10:96::a' });
    });

    it('should plan an IPv6-only scenario from the IPv6 defaults', () => {
      const { scenario } = load('    ipFamilies: [IPv6]\n    grid: { namespaces: [x], pods: [a] }');
      expect(scenario!.topology).to.deep.include({ ipFamilies: ['IPv6'], podCIDR: 'fd00:10:244::/56', dnsServiceIP: 'fd00:10:96::a' });
      expect(scenario!.topology.pods[0]!.ip).to.equal('fd00:10:244::1');
    });

    it('should keep an external host of one family in that family only and carry both addresses of a dual one', () => {
      const { scenario, issues } = load('    ipFamilies: [IPv4, IPv6]\n    externals:\n      - { name: v4, ip: 192.0.2.1 }\n      - { name: both, ip: "2001:db8::1", secondIP: 192.0.2.2 }');
      expect(issues).to.deep.equal([]);
      expect(scenario!.topology.externals.map((e) => [e.ip, e.ips])).to.deep.equal([['192.0.2.1', undefined], ['2001:db8::1', ['2001:db8::1', '192.0.2.2']]]);
    });

    it('should report addresses and CIDRs of a family the scenario does not declare, at their position', () => {
      expect(load('    podCIDR: fd00::/64').issues[0]).to.match(/^s\.yaml:6:\d+: podCIDR fd00::\/64 is IPv6, but the scenario's ipFamilies is \[IPv4\]; add IPv6 to spec.topology.ipFamilies/);
      expect(load('    externals: [{ name: e, ip: "fd00::5" }]').issues[0]).to.match(/^s\.yaml:6:\d+: fd00::5 is IPv6, but the scenario's ipFamilies is \[IPv4\]/);
      expect(load('    ipFamilies: [IPv4, IPv4]').issues[0]).to.match(/^s\.yaml:6:\d+: IPv4 is listed twice/);
    });

    it('should reject a secondIP of the same family and an external source without an address of each family', () => {
      expect(load('    ipFamilies: [IPv4, IPv6]\n    externals: [{ name: e, ip: 192.0.2.1, secondIP: 192.0.2.2 }]').issues[0]).to.match(/secondIP 192\.0\.2\.2 is IPv4 like ip 192\.0\.2\.1/);
      expect(load('    ipFamilies: [IPv4, IPv6]\n    externals: [{ name: e, ip: 192.0.2.1, source: true }]').issues[0]).to.match(/is a probe source in a dual-stack scenario: give it an address of each family/);
    });
  });

  describe('expectations and placeholders by family', () => {
    const steps = (rule: string) => `  steps:\n    - name: s\n      expect: { rules: [${rule}] }`;

    it('should reject a family restriction in a single-family scenario', () => {
      expect(load('    grid: { namespaces: [x], pods: [a] }', steps('{ family: IPv6, expect: blocked }')).issues[0]).to.match(/restricts to one IP family, but the scenario has one family only \(IPv4\)/);
    });

    it('should resolve a family placeholder to that family\'s address and reject one of a missing family', () => {
      const policy = (cidr: string) =>
        `  steps:\n    - name: s\n      actions:\n        - apply: { apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: { name: p, namespace: x }, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '${cidr}' } }] }] } }\n      expect: computed`;
      const { scenario, issues } = load('    ipFamilies: [IPv4, IPv6]\n    grid: { namespaces: [x], pods: [a] }', policy('{{podIP x/a IPv6}}'));
      expect(issues).to.deep.equal([]);
      expect(scenario).not.to.equal(undefined);
      expect(load('    grid: { namespaces: [x], pods: [a] }', policy('{{podIP x/a IPv6}}')).issues[0]).to.match(/placeholder asks for the IPv6 address, but the scenario's ipFamilies is \[IPv4\]/);
    });
  });
});
