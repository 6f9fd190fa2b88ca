import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { separatingSelector } from '../../src/app/label-separator.js';
import { suggestPolicies } from '../../src/app/suggest-policies.js';
import { suggestForScenario } from '../../src/app/suggest-scenario.js';
import { ExpectedMatrix, type CellKey, type Expectation } from '../../src/model/index.js';
import { loadScenarioCollecting, loadScenarioFile, replaySteps } from '../../src/scenario/index.js';
import { checkWithPolicies, expectPackRoundTrips, packFiles, tcpCell, TOPOLOGY, withBrowser } from './suggest-fixtures.js';

describe('suggestPolicies', () => {
  describe('#suggestPolicies()', () => {
    it('should select by app labels, allow DNS to kube-dns on UDP and TCP 53, and verify every decided cell', () => {
      const scenario = loadScenarioCollecting('t.yaml', TOPOLOGY).scenario!;
      const result = suggestForScenario(scenario);
      expect(result.unrealisable).to.deep.equal([]);
      const text = JSON.stringify(result.policies);
      expect(text).to.contain('"key":"app","operator":"In","values":["api","db"]');
      expect(text).not.to.match(/"pod"|"key":"pod"/);
      expect(result.policies.map((p) => p.metadata.name)).to.include('deny-ingress-to-all');
      const egress = result.policies.filter((p) => p.spec.egress);
      expect(egress.length).to.be.greaterThan(0);
      for (const p of egress) {
        expect(p.spec.egress![0]).to.deep.equal({
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        });
      }
      expect(checkWithPolicies(scenario, scenario.steps[0]!, result.policies).counts.fail).to.equal(0);
    });

    it('should print YAML that parses back to exactly the verified policies', () => {
      const scenario = loadScenarioCollecting('t.yaml', TOPOLOGY).scenario!;
      const result = suggestForScenario(scenario);
      expect(result.text).to.match(/^# Suggested by `netseg suggest` for step 0 "chain" of t\.yaml\.\n# Verified:/);
      const docs = parseAllDocuments(result.text).map((d) => d.toJS() as unknown);
      expect(docs).to.deep.equal(result.policies);
    });

    it('should explain cells that labels cannot express instead of printing policies', () => {
      const scenario = loadScenarioCollecting('t.yaml', TOPOLOGY).scenario!;
      const state = replaySteps(scenario)[0]!;
      const twins = { ...state.topology, pods: state.topology.pods.map((p) => (p.name === 'db' ? { ...p, labels: { app: 'api', pod: 'api' }, ports: [{ port: 8080, protocol: 'TCP' as const }] } : p)) };
      const cell = (from: string, to: string): CellKey => ({ from: from as `${string}/${string}`, to: to as `${string}/${string}`, target: 'pod-ip', port: 8080, protocol: 'TCP' });
      const expected = new ExpectedMatrix();
      const set = (c: CellKey, e: Expectation) => expected.set(c, e);
      set(cell('shop/web', 'shop/api'), 'allowed');
      set(cell('shop/web', 'shop/db'), 'blocked');
      const result = suggestPolicies(twins, expected);
      expect(result.policies).to.deep.equal([]);
      expect(result.unrealisable.map((u) => u.reason)).to.deep.equal([
        'shop/api and shop/db have labels no selector tells apart, but shop/web must reach one and not the other on 8080/TCP (netseg does not suggest ipBlocks of pod IPs: they change when pods restart)',
      ]);
    });

    it('should admit an external source by an ipBlock of its address where the pod is isolated, and verify it', () => {
      const topology = withBrowser();
      const cell = tcpCell;
      const expected = new ExpectedMatrix();
      expected.set(cell('external:browser', 'shop/web', 80), 'allowed');
      expected.set(cell('shop/api', 'shop/web', 80), 'blocked');
      expected.set(cell('ops/debug', 'shop/web', 80), 'allowed');
      expected.set(cell('external:browser', 'shop/api', 8080), 'blocked');
      expected.set(cell('shop/web', 'shop/api', 8080), 'allowed');
      const result = suggestPolicies(topology, expected);
      expect(result.unrealisable).to.deep.equal([]);
      const web = result.policies.find((p) => JSON.stringify(p.spec.podSelector).includes('web'))!;
      expect(web.spec.ingress?.[0]?.from).to.deep.include({ ipBlock: { cidr: '203.0.113.10/32' } });
      expect(result.decidedCells).to.equal(5);
    });

    it('should judge the request cells of a scenario with HTTP probes and L7 policies, naming denied cells unrealisable', async () => {
      const scenario = await loadScenarioFile('scenarios/l7/02-network-policy-and-authorization-policy.yaml');
      const result = suggestForScenario(scenario, '1');
      expect(result.unrealisable.length).to.be.greaterThan(0);
      expect(result.text).to.equal('');
    });

    for (const file of packFiles) {
      it(`should round-trip every step of ${file} (suggest, then check passes) or explain why not`, () => expectPackRoundTrips(file, 'NetworkPolicy'));
    }
  });
});

describe('separatingSelector', () => {
  describe('#separatingSelector()', () => {
    it('should prefer app and role labels over pod names', () => {
      expect(separatingSelector([{ pod: 'a', app: 'web' }], [{ pod: 'b', app: 'db' }])).to.deep.equal({ matchLabels: { app: 'web' } });
    });

    it('should use one key In a set of values when the included pods share no label', () => {
      expect(separatingSelector([{ pod: 'a' }, { pod: 'b' }], [{ pod: 'c' }])).to.deep.equal({ matchExpressions: [{ key: 'pod', operator: 'In', values: ['a', 'b'] }] });
    });

    it('should add DoesNotExist for a key only the excluded pod has', () => {
      expect(separatingSelector([{ app: 'web' }], [{ app: 'web', canary: 'true' }])).to.deep.equal({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] });
    });

    it('should give up when an excluded pod has every label an included one has', () => {
      expect(separatingSelector([{ app: 'web', canary: 'true' }], [{ app: 'web', canary: 'true' }])).to.equal(undefined);
    });
  });
});
