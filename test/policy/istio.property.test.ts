import { expect } from 'chai';
import fc from 'fast-check';
import type { CellKey, HttpProbe, PolicyObject, Topology } from '../../src/model/index.js';
import { compilePolicies } from '../../src/policy/index.js';
import { authorizationPoliciesArb } from '../builders/random-authorization-policy.js';
import { cellsOf, cellText } from './engine-oracles.js';
import { naiveIstioVerdict } from './naive-istio.js';
import { policiesArb, topologyArb } from './policy-arbitraries.js';

const RUNS = { numRuns: 50 };

/** The HTTP probes of the property tests: a plain GET, a POST with a query and a header, a request with its own Host. */
export const REQUESTS: readonly HttpProbe[] = [
  { id: 'GET /', method: 'GET', path: '/', headers: {} },
  { id: 'POST /orders', method: 'POST', path: '/orders?id=1', headers: { 'X-User': 'alice' } },
  { id: 'shop', method: 'GET', path: '/public/a/x', host: 'shop.example', headers: {} },
];

/** The property-test topology with service accounts and 80/TCP served as HTTP by some pods. */
const meshTopologyArb: fc.Arbitrary<Topology> = topologyArb.chain((t) =>
  fc.tuple(fc.array(fc.constantFrom('default', 'web', 'db'), { minLength: t.pods.length, maxLength: t.pods.length }), fc.array(fc.boolean(), { minLength: t.pods.length, maxLength: t.pods.length })).map(([accounts, http]) => ({
    ...t,
    pods: t.pods.map((p, i) => ({
      ...p,
      ...(accounts[i] !== 'default' && !p.system && { serviceAccount: accounts[i]! }),
      ports: p.ports.map((c) => (http[i] && c.port === 80 && c.protocol === 'TCP' ? { ...c, appProtocol: 'http' as const } : c)),
    })),
  })),
);

const worldArb = meshTopologyArb.chain((t) => fc.tuple(fc.constant(t), policiesArb(2), authorizationPoliciesArb(t, 4, { http: REQUESTS, custom: true, unevaluable: true })));

/** Every cell of the Cilium/NetworkPolicy property tests plus one request cell per HTTP probe on each 80/TCP cell. */
function cellsWithRequests(t: Topology): CellKey[] {
  const cells = cellsOf(t);
  const requests = cells.filter((c) => c.port === 80 && c.protocol === 'TCP' && c.target !== 'external').flatMap((c) => REQUESTS.map((r) => ({ ...c, request: r.id })));
  return [...cells, ...requests];
}

function disagreements(t: Topology, ps: readonly PolicyObject[]): string[] {
  const engine = compilePolicies(t, ps, REQUESTS);
  const bad: string[] = [];
  for (const key of cellsWithRequests(t)) {
    const e = engine.evaluate(key).verdict;
    const naive = naiveIstioVerdict(t, ps, key, REQUESTS);
    if (e !== naive) bad.push(`${cellText(key)}${key.request ? ` [${key.request}]` : ''}: engine ${e}, naive ${naive}`);
  }
  return bad;
}

describe('CompiledPolicies with AuthorizationPolicies', () => {
  describe('#evaluate() properties', () => {
    it('should agree with the naive Istio reference on every connection and request cell of random NetworkPolicy + AuthorizationPolicy mixes', () => {
      fc.assert(
        fc.property(worldArb, ([t, nps, authz]) => {
          expect(disagreements(t, [...nps, ...authz])).to.deep.equal([]);
        }),
        RUNS,
      );
    }).timeout(120_000);

    it('should give the same verdicts on verdicts(), verdict() and the slice grids as evaluate()', () => {
      fc.assert(
        fc.property(worldArb, ([t, nps, authz]) => {
          const ps = [...nps, ...authz];
          const engine = compilePolicies(t, ps, REQUESTS);
          const keys = cellsWithRequests(t);
          const fast = engine.verdicts(keys);
          const bad: string[] = [];
          const grids = new Map<string, ReturnType<typeof engine.cellGrid>>();
          for (const k of keys) {
            const e = engine.evaluate(k).verdict;
            const id = `${k.target} ${k.port}/${k.protocol} ${k.request}`;
            if (!grids.has(id)) grids.set(id, engine.cellGrid(k.target, k.port, k.protocol, k.request));
            const grid = grids.get(id)!.get(k.from, k.to);
            if (fast.get(k) !== e || engine.verdict(k) !== e || grid !== e) bad.push(`${cellText(k)} [${k.request}]: verdicts ${fast.get(k)}, grid ${grid}, evaluate ${e}`);
          }
          expect(bad).to.deep.equal([]);
        }),
        { numRuns: 20 },
      );
    }).timeout(60_000);

    it('should never turn a cell L3/L4 blocks into anything else, nor make a blocked cell allowed', () => {
      fc.assert(
        fc.property(worldArb, ([t, nps, authz]) => {
          const withL7 = compilePolicies(t, [...nps, ...authz], REQUESTS);
          const without = compilePolicies(t, nps, REQUESTS);
          const bad = cellsWithRequests(t).filter((k) => {
            const before = without.evaluate(k).verdict;
            const after = withL7.evaluate(k).verdict;
            return before !== 'allowed' && before !== 'ambiguous' ? after !== before : !['allowed', 'denied', 'unknown', 'ambiguous'].includes(after);
          });
          expect(bad.map(cellText)).to.deep.equal([]);
        }),
        { numRuns: 30 },
      );
    }).timeout(60_000);

    it('should leave every verdict and explanation unchanged when only dry-run and AUDIT policies exist', () => {
      fc.assert(
        fc.property(worldArb, ([t, nps, authz]) => {
          const inert = authz.map((p) => ({ ...p, metadata: { ...p.metadata, annotations: { 'istio.io/dry-run': 'true' } } }));
          const a = compilePolicies(t, [...nps, ...inert], REQUESTS);
          const b = compilePolicies(t, nps, REQUESTS);
          const bad = cellsWithRequests(t).filter((k) => a.evaluate(k).verdict !== b.evaluate(k).verdict);
          expect(bad.map(cellText)).to.deep.equal([]);
        }),
        { numRuns: 30 },
      );
    }).timeout(60_000);
  });
});
