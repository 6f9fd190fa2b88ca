import { expect } from 'chai';
import { formatIssue } from '../../src/model/index.js';
import { loadScenarioCollecting } from '../../src/scenario/index.js';

const HEAD = 'apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: t }\nspec:\n  topology:\n';
const STEPS = '  steps: [{ name: s, expect: computed }]\n';

function load(topology: string) {
  const { scenario, issues } = loadScenarioCollecting('/tmp/netseg-topology-test.yaml', HEAD + topology + STEPS);
  return { topology: scenario?.topology, issues: issues.map(formatIssue) };
}

describe('normalizeTopology', () => {
  describe('external DNS names', () => {
    it('should keep an external dnsName, lower-cased', () => {
      const { topology, issues } = load('    grid: {}\n    externals: [{ name: api, ip: 203.0.113.10, dnsName: API.Example.com }]\n');
      expect(issues).to.deep.equal([]);
      expect(topology?.externals[0]?.dnsName).to.equal('api.example.com');
    });

    it('should reject a name that is no hostname, one in cluster.local and a name two externals share', () => {
      const { issues } = load(
        '    grid: {}\n    externals:\n      - { name: a, ip: 203.0.113.10, dnsName: "bad_name.example.com" }\n      - { name: b, ip: 203.0.113.11, dnsName: localhost }\n      - { name: c, ip: 203.0.113.12, dnsName: x.svc.cluster.local }\n      - { name: d, ip: 203.0.113.13, dnsName: api.example.com }\n      - { name: e, ip: 203.0.113.14, dnsName: API.example.com }\n',
      );
      expect(issues.map((i) => i.replace(/^.*?:(\d+:\d+): /, '$1: ').replace(/ \(at .*\)$/, ''))).to.deep.equal([
        '8:38: dnsName "bad_name.example.com" must be a hostname with at least two labels, such as api.example.com (letters, digits and "-" per label, at most 63 characters each, no trailing dot)',
        '9:38: dnsName "localhost" must be a hostname with at least two labels, such as api.example.com (letters, digits and "-" per label, at most 63 characters each, no trailing dot)',
        '10:38: dnsName "x.svc.cluster.local" is in the cluster domain cluster.local, which the cluster DNS answers: give the external a name outside it',
        '12:38: dnsName "API.example.com" is already the name of external host "d": each name belongs to one external',
      ]);
    });
  });

  describe('service accounts', () => {
    it('should give a pod its serviceAccountName, merged over a grid pod, and keep the declared accounts with their labels', () => {
      const { topology, issues } = load('    grid: {}\n    pods: [{ ref: x/a, serviceAccountName: api }, { ref: y/n }]\n    serviceAccounts: [{ namespace: x, name: api, labels: { tier: backend } }, { namespace: y, name: web }]\n');
      expect(issues).to.deep.equal([]);
      expect(topology?.pods.find((p) => p.name === 'a' && p.namespace === 'x')?.serviceAccount).to.equal('api');
      expect(topology?.pods.find((p) => p.name === 'n')).to.not.have.property('serviceAccount');
      expect(topology?.serviceAccounts).to.deep.equal([
        { namespace: 'x', name: 'api', labels: { tier: 'backend' } },
        { namespace: 'y', name: 'web', labels: {} },
      ]);
    });

    it('should leave serviceAccounts out when none is declared', () => {
      expect(load('    grid: {}\n').topology).to.not.have.property('serviceAccounts');
    });

    it('should reject bad names, unknown or system namespaces, an account declared twice and bad labels', () => {
      const { issues } = load(
        '    grid: {}\n    pods: [{ ref: x/a, serviceAccountName: Bad_Name }]\n    serviceAccounts:\n      - { namespace: q, name: api }\n      - { namespace: kube-system, name: api }\n      - { namespace: x, name: api }\n      - { namespace: x, name: api, labels: { "bad key!": v } }\n',
      );
      expect(issues.map((i) => i.replace(/^.*?:(\d+:\d+): /, '$1: ').replace(/ \(at .*\)$/, ''))).to.deep.equal([
        '7:24: serviceAccountName "Bad_Name" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".")',
        '9:11: namespace "q" is not in the topology',
        '10:11: kube-system is the system namespace: netseg creates nothing there',
        '12:25: service account "x/api" is declared twice',
        '12:46: label key "bad key!" is invalid',
      ]);
    });
  });
});
