import { expect } from 'chai';
import type { AuthorizationPolicy, CellKey, ContainerPort, HttpProbe, PodRef } from '../../../src/model/index.js';
import { compilePolicies } from '../../../src/policy/index.js';
import { cell, gridTopology, netpol } from '../../builders/grid-topology.js';

const HTTP_PORTS: readonly ContainerPort[] = [
  { port: 8080, protocol: 'TCP', appProtocol: 'http' },
  { port: 9000, protocol: 'TCP' },
];
const topology = (() => {
  const t = gridTopology({ namespaces: ['shop', 'ops'], pods: ['shoes', 'inventory'], ports: HTTP_PORTS, externals: [{ name: 'office', ip: '192.0.2.10', ports: [], source: true }] });
  return { ...t, pods: t.pods.map((p) => (p.name === 'inventory' ? { ...p, serviceAccount: 'inventory' } : p)) };
})();
const GET: HttpProbe = { id: 'GET /', method: 'GET', path: '/', headers: {} };
const POST: HttpProbe = { id: 'POST /orders', method: 'POST', path: '/orders', headers: {} };
const REQUESTS = [GET, POST];

const request = (from: PodRef | `external:${string}`, to: PodRef, probe: HttpProbe, port = 8080): CellKey => ({ ...cell(from, to, port), request: probe.id });

function authz(name: string, spec: Partial<AuthorizationPolicy['spec']>, more: { namespace?: string; annotations?: Record<string, string> } = {}): AuthorizationPolicy {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name, namespace: more.namespace ?? 'shop', ...(more.annotations && { annotations: more.annotations }) },
    spec: { action: 'ALLOW', ...spec },
  };
}

/** The story: only the inventory service account may POST to shoes. */
const shoesWriter = authz('shoes-writer', {
  selector: { matchLabels: { pod: 'shoes' } },
  rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/inventory'] } }], to: [{ operation: { methods: ['POST'] } }] }],
});
const allowInventory = netpol('shop', 'allow-inventory', { podSelector: { matchLabels: { pod: 'shoes' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'inventory' } } }], ports: [{ port: 8080 }] }] });

describe('IstioLayer', () => {
  describe('#judge() through CompiledPolicies#evaluate()', () => {
    it('should deny a GET the ALLOW policy does not cover and say both layers in the summary', () => {
      const engine = compilePolicies(topology, [allowInventory, shoesWriter], REQUESTS);
      const get = engine.evaluate(request('shop/inventory', 'shop/shoes', GET));
      expect(get.verdict).to.equal('denied');
      expect(get.l7).to.deep.equal([{ layer: 'AuthorizationPolicy', decision: 'deny', policies: ['AuthorizationPolicy/shop/shoes-writer'], reason: 'ALLOW policy shop/shoes-writer has no rule matching GET / → GET / denied' }]);
      expect(get.summary).to.match(/^denied: shop\/inventory egress not isolated; shop\/shoes ingress allowed by shop\/allow-inventory rule 0; AuthorizationPolicy: ALLOW policy shop\/shoes-writer has no rule matching GET \/ → GET \/ denied$/);
      const post = engine.evaluate(request('shop/inventory', 'shop/shoes', POST));
      expect(post.verdict).to.equal('allowed');
      expect(post.l7![0]!.reason).to.equal('shop/shoes-writer rule 0 allows POST /orders');
    });

    it('should leave a request L3/L4 blocks blocked, without an L7 part', () => {
      const engine = compilePolicies(topology, [allowInventory, shoesWriter], REQUESTS);
      const e = engine.evaluate(request('ops/inventory', 'shop/shoes', POST));
      expect(e.verdict).to.equal('blocked');
      expect(e.l7).to.equal(undefined);
    });

    it('should keep the connection cell of an HTTP port at its L3/L4 verdict and close a denied TCP connection on a plain port', () => {
      const engine = compilePolicies(topology, [shoesWriter], REQUESTS);
      const http = engine.evaluate(cell('ops/shoes', 'shop/shoes', 8080));
      expect(http.verdict).to.equal('allowed');
      expect(http.l7![0]!.decision).to.equal('no-decision');
      // The ALLOW rule uses methods (HTTP-only): on TCP it is ignored, so nothing allows the connection.
      const tcp = engine.evaluate(cell('shop/inventory', 'shop/shoes', 9000));
      expect(tcp.verdict).to.equal('denied');
      expect(tcp.l7![0]!.reason).to.match(/rules with HTTP-only fields are ignored on TCP\) → connection closed$/);
    });

    it('should deny every TCP connection a DENY rule with HTTP-only fields scopes, and only the matching requests on HTTP ports', () => {
      const deny = authz('no-posts', { action: 'DENY', rules: [{ to: [{ operation: { methods: ['POST'] } }] }] });
      const engine = compilePolicies(topology, [deny], REQUESTS);
      expect(engine.evaluate(cell('ops/shoes', 'shop/shoes', 9000)).verdict).to.equal('denied');
      expect(engine.evaluate(request('ops/shoes', 'shop/shoes', POST)).verdict).to.equal('denied');
      expect(engine.evaluate(request('ops/shoes', 'shop/shoes', GET)).verdict).to.equal('allowed');
    });

    it('should apply a root-namespace policy to every workload and give external sources no identity (ipBlocks still match)', () => {
      const mesh = authz('mesh-only', { rules: [{ from: [{ source: { namespaces: ['*'] } }] }, { from: [{ source: { ipBlocks: ['192.0.2.0/24'] } }], to: [{ operation: { methods: ['GET'] } }] }] }, { namespace: 'istio-system' });
      const engine = compilePolicies(topology, [mesh], REQUESTS);
      expect(engine.evaluate(request('shop/inventory', 'ops/shoes', POST)).verdict).to.equal('allowed');
      expect(engine.evaluate(request('external:office', 'ops/shoes', POST)).verdict).to.equal('denied');
      expect(engine.evaluate(request('external:office', 'ops/shoes', GET)).verdict).to.equal('allowed');
    });

    it('should evaluate dry-run policies without enforcing them and show them in the provenance', () => {
      const dry = authz('deny-all', { action: 'DENY', rules: [{}] }, { annotations: { 'istio.io/dry-run': 'true' } });
      const e = compilePolicies(topology, [dry], REQUESTS).evaluate(request('ops/shoes', 'shop/shoes', GET));
      expect(e.verdict).to.equal('allowed');
      expect(e.l7![0]!.reason).to.equal('no ALLOW policy selects the workload and no DENY policy matches GET / (dry-run DENY policy shop/deny-all would deny GET /; not enforced)');
    });

    it('should make cells of a CUSTOM policy without a stated verdict unsupported, and follow the netseg.io/custom-verdict annotation', () => {
      const custom = (verdict?: string) => authz('ext', { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{ to: [{ operation: { paths: ['/orders'] } }] }] }, verdict ? { annotations: { 'netseg.io/custom-verdict': verdict } } : {});
      const unknown = compilePolicies(topology, [custom()], REQUESTS).evaluate(request('ops/shoes', 'shop/shoes', POST));
      expect(unknown.verdict).to.equal('unknown');
      expect(unknown.l7![0]!.decision).to.equal('unsupported');
      expect(unknown.summary).to.match(/^unsupported: /);
      expect(compilePolicies(topology, [custom()], REQUESTS).evaluate(request('ops/shoes', 'shop/shoes', GET)).verdict).to.equal('allowed');
      expect(compilePolicies(topology, [custom('deny')], REQUESTS).evaluate(request('ops/shoes', 'shop/shoes', POST)).verdict).to.equal('denied');
      expect(compilePolicies(topology, [custom('allow')], REQUESTS).evaluate(request('ops/shoes', 'shop/shoes', POST)).verdict).to.equal('allowed');
    });

    it('should make cells unsupported for unevaluable conditions and targetRefs policies, unless something surely denies', () => {
      const jwt = authz('jwt', { rules: [{ when: [{ key: 'request.auth.claims[iss]', values: ['me'] }] }] });
      expect(compilePolicies(topology, [jwt], REQUESTS).evaluate(request('ops/shoes', 'shop/shoes', GET)).verdict).to.equal('unknown');
      const denyAll = authz('deny-all', { action: 'DENY', rules: [{}] });
      expect(compilePolicies(topology, [jwt, denyAll], REQUESTS).evaluate(request('ops/shoes', 'shop/shoes', GET)).verdict).to.equal('denied');
      const waypoint = authz('waypoint', { targetRefs: [{ kind: 'Service', name: 'shoes' }], rules: [{}] });
      expect(compilePolicies(topology, [waypoint], REQUESTS).evaluate(request('ops/shoes', 'shop/shoes', GET)).l7![0]!.reason).to.match(/targetRefs/);
    });

    it('should add no L7 part and change nothing for a state without AuthorizationPolicy', () => {
      const e = compilePolicies(topology, [allowInventory], REQUESTS).evaluate(request('shop/inventory', 'shop/shoes', GET));
      expect(e.l7).to.equal(undefined);
      expect(e.verdict).to.equal('allowed');
    });
  });
});
