import { expect } from 'chai';
import fc from 'fast-check';
import { hostHeaderFor, podRefOf, policiesOfKind, requestOfProbe, type HttpProbe, type PolicyObject, type Topology } from '../../../src/model/index.js';
import { CILIUM_L7_MODULE } from '../../../src/policy/l7/cilium-l7-module.js';
import { ciliumPoliciesArb } from '../../builders/random-cilium-policy.js';
import { naiveCiliumHttpDecision } from '../naive-cilium.js';
import { naiveNetworkPolicyLayer } from '../naive-evaluate.js';
import { namedExternalsTopologyArb, policiesArb } from '../policy-arbitraries.js';

const RUNS = { numRuns: 100 };

/** Requests around the generator's HTTP_RULES: matching and missing methods, paths, headers and hosts. */
const REQUESTS: readonly HttpProbe[] = [
  { id: 'GET /', method: 'GET', path: '/', headers: {} },
  { id: 'POST /orders', method: 'POST', path: '/orders', headers: {} },
  { id: 'GET /public/a', method: 'GET', path: '/public/a', headers: {} },
  { id: 'HEAD /public/', method: 'HEAD', path: '/public/', headers: { 'x-token': 'secret' } },
  { id: 'GET /orders/1', method: 'GET', path: '/orders/1', headers: { 'X-Token': 'other' } },
  { id: 'DELETE /orders', method: 'DELETE', path: '/orders', host: 'api.example.com', headers: {} },
];

/** Every (engine layer, naive) disagreement over pod → pod request cells on 80 and 81/TCP, and external sources → pods. */
function disagreements(topology: Topology, policies: readonly PolicyObject[]): string[] {
  const layers = CILIUM_L7_MODULE.compile({ topology, policies }, topology);
  const cilium = [...policiesOfKind(policies, 'CiliumNetworkPolicy'), ...policiesOfKind(policies, 'CiliumClusterwideNetworkPolicy')];
  const np = naiveNetworkPolicyLayer(topology, policiesOfKind(policies, 'NetworkPolicy'));
  const pods = topology.pods.filter((p) => !p.system);
  const sources = [...pods.map((p) => ({ ref: podRefOf(p), ip: p.ip, pod: p })), ...topology.externals.filter((e) => e.source).map((e) => ({ ref: `external:${e.name}`, ip: e.ip, pod: undefined }))];
  const out: string[] = [];
  for (const src of sources) {
    for (const dst of pods) {
      for (const port of [80, 81]) {
        for (const request of REQUESTS) {
          const flow = { source: src.ref as never, sourceIp: src.ip, destination: podRefOf(dst), destinationIp: dst.ip, port, http: true, request };
          const http = requestOfProbe(request, hostHeaderFor(dst.ip, port), port);
          const naive = {
            egress: src.pod ? naiveCiliumHttpDecision(topology, cilium, np, 'Egress', src.pod, { other: { ip: dst.ip, pod: dst }, destPod: dst, port, protocol: 'TCP' }, http) : undefined,
            ingress: naiveCiliumHttpDecision(topology, cilium, np, 'Ingress', dst, { other: { ip: src.ip, pod: src.pod }, destPod: dst, port, protocol: 'TCP' }, http),
          };
          for (const layer of layers) {
            const direction = layer.name.includes('egress') ? 'egress' : 'ingress';
            const engine = layer.judge(flow)?.decision;
            if (engine !== naive[direction]) out.push(`${src.ref} → ${podRefOf(dst)} ${port}/TCP ${request.id} ${direction}: engine ${engine}, naive ${naive[direction]}`);
          }
        }
      }
    }
  }
  return out;
}

describe('CiliumHttpLayer', () => {
  describe('#judge() properties', () => {
    it('should agree with the naive reference on every request cell of random Cilium policies with HTTP rules and NetworkPolicies', () => {
      fc.assert(
        fc.property(namedExternalsTopologyArb, policiesArb(2), ciliumPoliciesArb(4, { l7: true }), (t, nps, cilium) => {
          expect(disagreements(t, [...nps, ...cilium]).slice(0, 5)).to.deep.equal([]);
        }),
        RUNS,
      );
    }).timeout(120_000);
  });
});
