import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { checkScenario } from '../../src/app/check-scenarios.js';
import { suggestClusterPolicies } from '../../src/app/suggest-cluster-policies.js';
import { suggestForScenario } from '../../src/app/suggest-scenario.js';
import { ExpectedMatrix, type ClusterNetworkPolicy } from '../../src/model/index.js';
import { compilePolicies } from '../../src/policy/index.js';
import { loadScenarioCollecting, replaySteps } from '../../src/scenario/index.js';
import { checkWithPolicies, expectPackRoundTrips, packFiles, tcpCell, TOPOLOGY, withBrowser } from './suggest-fixtures.js';

describe('suggestClusterPolicies', () => {
  describe('#suggestClusterPolicies()', () => {
    it('should accept allowed flows in the Admin tier and deny isolated subjects in the Baseline tier, with DNS to kube-dns and namespaces by name', () => {
      const scenario = loadScenarioCollecting('t.yaml', TOPOLOGY).scenario!;
      const result = suggestForScenario(scenario, undefined, 'ClusterNetworkPolicy');
      expect(result.unrealisable).to.deep.equal([]);
      const cnps = result.policies as ClusterNetworkPolicy[];
      expect(cnps.length).to.be.greaterThan(0);
      expect(cnps.every((p) => p.kind === 'ClusterNetworkPolicy' && p.apiVersion === 'policy.networking.k8s.io/v1alpha2')).to.equal(true);
      const rules = (p: ClusterNetworkPolicy) => [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])];
      expect(cnps.filter((p) => p.spec.tier === 'Admin').flatMap(rules).every((r) => r.action === 'Accept')).to.equal(true);
      expect(cnps.filter((p) => p.spec.tier === 'Baseline').flatMap(rules).every((r) => r.action === 'Deny')).to.equal(true);
      const text = JSON.stringify(cnps);
      expect(text).to.contain('"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"shop"}}');
      expect(text).not.to.match(/"key":"pod"|"pod":"/);
      const dns = cnps.flatMap((p) => p.spec.egress ?? []).filter((r) => JSON.stringify(r.to).includes('kube-dns'));
      expect(dns.length).to.be.greaterThan(0);
      for (const r of dns) expect(r.protocols).to.deep.equal([{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }]);
      expect(new Set(cnps.map((p) => p.metadata.name)).size).to.equal(cnps.length);
      expect(checkWithPolicies(scenario, scenario.steps[0]!, result.policies).counts.fail).to.equal(0);
    });

    it('should hold the ingress and egress of one subject in one policy per tier', () => {
      const scenario = loadScenarioCollecting('t.yaml', TOPOLOGY).scenario!;
      const state = replaySteps(scenario)[0]!;
      const expected = new ExpectedMatrix();
      const cell = tcpCell;
      expected.set(cell('shop/api', 'shop/web', 80), 'allowed');
      expected.set(cell('shop/db', 'shop/web', 80), 'blocked');
      expected.set(cell('shop/web', 'external:metadata', 80, 'external'), 'blocked');
      expected.set(cell('shop/web', 'shop/api', 8080), 'allowed');
      const result = suggestClusterPolicies(state.topology, expected);
      expect(result.unrealisable).to.deep.equal([]);
      for (const tier of ['Admin', 'Baseline']) {
        const ofTier = result.policies.filter((p) => p.spec.tier === tier);
        expect(ofTier.map((p) => JSON.stringify(p.spec.subject)), tier).to.deep.equal(['{"pods":{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"shop"}},"podSelector":{"matchLabels":{"app":"web"}}}}']);
        expect(ofTier[0]!.spec.ingress, tier).to.have.length(1);
        expect(ofTier[0]!.spec.egress, tier).to.not.equal(undefined);
      }
    });

    it('should print YAML that loads back, through the scenario loader, to policies that check passes', () => {
      const scenario = loadScenarioCollecting('t.yaml', TOPOLOGY).scenario!;
      const result = suggestForScenario(scenario, undefined, 'ClusterNetworkPolicy');
      const docs = parseAllDocuments(result.text).map((d) => d.toJS() as unknown);
      expect(docs).to.deep.equal(result.policies);
      const inline = docs.map((d) => `        - apply: ${JSON.stringify(d)}\n`).join('');
      const again = TOPOLOGY.replace('    - name: chain\n', `    - name: chain\n      actions:\n${inline}`);
      const loaded = loadScenarioCollecting('t.yaml', again);
      expect(loaded.scenario, JSON.stringify(loaded)).to.not.equal(undefined);
      expect(checkScenario(loaded.scenario!).counts.fail).to.equal(0);
    });

    it('should report a blocked external source instead of printing policies (CNP ingress names pods only)', () => {
      const topology = withBrowser();
      const cell = tcpCell;
      const expected = new ExpectedMatrix();
      expected.set(cell('external:browser', 'shop/api', 8080), 'blocked');
      expected.set(cell('shop/web', 'shop/api', 8080), 'allowed');
      const result = suggestClusterPolicies(topology, expected);
      expect(result.policies).to.deep.equal([]);
      expect(result.unrealisable.map((u) => u.reason)).to.deep.equal([
        '1 cell(s) must block an external source (external:browser), but ClusterNetworkPolicy ingress can only name pods and namespaces as peers: use --kind NetworkPolicy (ipBlock)',
      ]);
    });

    it('should let an allowed external source through without accepting every pod where the rule had only its ipBlock', () => {
      const topology = withBrowser();
      const cell = tcpCell;
      const expected = new ExpectedMatrix();
      expected.set(cell('external:browser', 'shop/web', 80), 'allowed');
      expected.set(cell('shop/api', 'shop/web', 80), 'blocked');
      expected.set(cell('ops/debug', 'shop/web', 80), 'blocked');
      const result = suggestClusterPolicies(topology, expected);
      expect(result.unrealisable).to.deep.equal([]);
      expect(result.policies.map((p) => p.spec.tier)).to.deep.equal(['Baseline']);
    });

    it('should realise every decided cell exactly as the engine evaluates the suggestion', () => {
      const scenario = loadScenarioCollecting('t.yaml', TOPOLOGY).scenario!;
      const state = replaySteps(scenario)[0]!;
      const cell = tcpCell;
      const expected = new ExpectedMatrix();
      expected.set(cell('shop/web', 'shop/api', 8080), 'allowed');
      expected.set(cell('shop/db', 'shop/api', 8080), 'blocked');
      expected.set(cell('ops/debug', 'shop/api', 8080), 'blocked');
      expected.set(cell('shop/api', 'shop/db', 5432), 'allowed');
      const result = suggestClusterPolicies(state.topology, expected);
      expect(result.unrealisable).to.deep.equal([]);
      expect(result.decidedCells).to.equal(4);
      const compiled = compilePolicies(state.topology, result.policies);
      for (const [c, e] of expected.entries()) expect(compiled.evaluate(c).verdict, JSON.stringify(c)).to.equal(e);
    });

    for (const file of packFiles) {
      it(`should round-trip every step of ${file} as ClusterNetworkPolicies (suggest, then check passes) or explain why not`, () => expectPackRoundTrips(file, 'ClusterNetworkPolicy'));
    }
  });
});
