import { expect } from 'chai';
import { cnp, lintText } from './lint-text.js';

const HEAD = '  tier: Admin\n  priority: 10\n  subject: { namespaces: {} }\n';

describe('badClusterNetworkPolicy', () => {
  describe('#check()', () => {
    it('should report schema errors at their positions, as netseg check does', async () => {
      const found = await lintText({ 'c.yaml': cnp('c', '  tier: Developer\n  priority: 2000\n  subject: {}\n  egres: []\n') }, 'bad-cluster-network-policy');
      expect(found).to.have.length(3);
      expect(found[0]).to.match(/^c\.yaml:5:3 error spec\.tier: tier must be Admin or Baseline/);
      expect(found[1]).to.match(/^c\.yaml:6:3 error spec\.priority: priority must be between 0 and 1000/);
      expect(found[2]).to.match(/^c\.yaml:8:3 error spec\.egres: unknown key "egres"/);
    });

    it('should report CEL rule violations and warn about domainNames outside Accept rules', async () => {
      const spec = `${HEAD}  egress:\n    - action: Deny\n      to: [{ namespaces: {}, networks: [10.0.0.0/8] }]\n    - action: Deny\n      to: [{ domainNames: [example.com] }]\n`;
      expect(await lintText({ 'c.yaml': cnp('c', spec) }, 'bad-cluster-network-policy')).to.deep.equal([
        'c.yaml:10:30 error spec.egress[0].to[0].networks: a peer needs exactly one of namespaces, pods, networks, nodes, domainNames; it has namespaces and networks',
        'c.yaml:12:14 warning spec.egress[1].to[0].domainNames: domainNames peers are only supported in Accept rules; in a Deny rule the API gives them no meaning',
      ]);
    });

    it('should reject placeholders in a plain manifest and accept them in a scenario', async () => {
      const spec = `${HEAD}  egress:\n    - { action: Deny, to: [{ networks: ["{{podIP x/a}}"] }] }\n`;
      const found = await lintText({ 'c.yaml': cnp('c', spec) }, 'bad-cluster-network-policy');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/placeholder, valid only in scenarios/);
      const scenario = `apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: s }\nspec:\n  topology: { grid: {} }\n  steps:\n    - name: one\n      actions: [{ apply: { file: c.yaml } }]\n      expect: computed\n`;
      expect(await lintText({ 's.yaml': scenario, 'c.yaml': cnp('c', spec) }, 'bad-cluster-network-policy')).to.deep.equal([]);
    });

    it('should recognise the kind through the registry and report a wrong apiVersion or a misspelt kind at its key', async () => {
      const wrongVersion = cnp('c', HEAD).replace('v1alpha2', 'v1alpha1');
      const found = await lintText({ 'c.yaml': wrongVersion }, 'bad-cluster-network-policy');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^c\.yaml:1:1 error apiVersion: apiVersion must be policy\.networking\.k8s\.io\/v1alpha2/);
      const misspelt = await lintText({ 'c.yaml': cnp('c', HEAD).replace('kind: ClusterNetworkPolicy', 'kind: ClusterNetworkpolicy') }, 'bad-cluster-network-policy');
      expect(misspelt).to.have.length(1);
      expect(misspelt[0]).to.match(/^c\.yaml:2:1 error kind: kind "ClusterNetworkpolicy" is not a supported policy kind/);
    });

    it('should report nothing for a valid policy', async () => {
      const spec = `${HEAD}  ingress:\n    - { name: a, action: Accept, from: [{ pods: { podSelector: {} } }], protocols: [{ tcp: { destinationPort: { range: { start: 80, end: 90 } } } }] }\n`;
      expect(await lintText({ 'c.yaml': cnp('c', spec) }, 'bad-cluster-network-policy')).to.deep.equal([]);
    });
  });
});
