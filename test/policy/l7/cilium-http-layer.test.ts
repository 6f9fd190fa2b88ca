import { expect } from 'chai';
import type { CiliumNetworkPolicy, CiliumPortRule, CiliumRule, HttpProbe, PolicyObject, Topology } from '../../../src/model/index.js';
import type { CiliumHttpRuleSpec } from '../../../src/model/l7/index.js';
import { CILIUM_L7_MODULE } from '../../../src/policy/l7/cilium-l7-module.js';
import type { L7Flow } from '../../../src/policy/l7/l7-layer.js';
import { gridTopology, netpol } from '../grid-topology.js';

const topology: Topology = gridTopology({ namespaces: ['x'] });
const ip = (ref: string) => topology.pods.find((p) => `${p.namespace}/${p.name}` === ref)!.ip;

function cnp(name: string, ...specs: CiliumRule[]): CiliumNetworkPolicy {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: 'x' }, specs };
}

const probe = (method: string, path: string, headers: Record<string, string> = {}): HttpProbe => ({ id: `${method} ${path}`, method, path, headers });
const flow = (request: HttpProbe | undefined, from = 'x/b', to = 'x/a', port = 80): L7Flow => ({
  source: from as never,
  sourceIp: ip(from),
  destination: to as never,
  destinationIp: ip(to),
  port,
  http: true,
  ...(request && { request }),
});
const httpPort = (http: CiliumHttpRuleSpec[], port = 80): CiliumPortRule => ({ ports: [{ port: { number: port }, protocol: 'TCP' }], rules: { http } });
const getPublic = cnp('get-public', { endpointSelector: { matchLabels: { pod: 'a' } }, ingress: [{ fromEndpoints: [{}], toPorts: [httpPort([{ method: 'GET', path: '/public/.*' }])] }] });

function judge(policies: readonly PolicyObject[], f: L7Flow) {
  const layers = CILIUM_L7_MODULE.compile({ topology, policies }, topology);
  return layers.map((l) => l.judge(f)).filter((d) => d !== undefined);
}

describe('CiliumHttpLayer', () => {
  describe('#judge()', () => {
    it('should allow a request some HTTP rule matches and deny (403) the others, naming the policy', () => {
      expect(judge([getPublic], flow(probe('GET', '/public/a')))).to.deep.equal([
        { layer: 'Cilium HTTP (ingress)', decision: 'allow', policies: ['CiliumNetworkPolicy/x/get-public'], reason: 'an HTTP rule of CiliumNetworkPolicy/x/get-public allows GET /public/a' },
      ]);
      const [denied] = judge([getPublic], flow(probe('POST', '/public/a')));
      expect(denied).to.include({ layer: 'Cilium HTTP (ingress)', decision: 'deny' });
      expect(denied!.reason).to.match(/no HTTP rule of CiliumNetworkPolicy\/x\/get-public allows POST \/public\/a on 80\/TCP: Cilium's proxy answers 403/);
      expect(judge([getPublic], flow(probe('GET', '/private')))[0]).to.include({ decision: 'deny' });
    });

    it('should not judge connection cells, other ports or pods no HTTP rule covers', () => {
      expect(judge([getPublic], flow(undefined))).to.deep.equal([]);
      expect(judge([getPublic], flow(probe('POST', '/'), 'x/b', 'x/a', 81))).to.deep.equal([]);
      expect(judge([getPublic], flow(probe('POST', '/'), 'x/a', 'x/b'))).to.deep.equal([]);
    });

    it('should take the HTTP rules out of effect where an L4-only rule (Cilium or an absorbed NetworkPolicy) allows the same peer and port', () => {
      const l4 = cnp('l4', { endpointSelector: { matchLabels: { pod: 'a' } }, ingress: [{ fromEndpoints: [{ matchLabels: { pod: 'b' } }], toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }] }] }] });
      expect(judge([getPublic, l4], flow(probe('POST', '/x')))[0]).to.include({ decision: 'allow' });
      expect(judge([getPublic, l4], flow(probe('POST', '/x'), 'x/c'))[0]).to.include({ decision: 'deny' });
      const np = netpol('x', 'np', { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }] });
      const [allowed] = judge([getPublic, np], flow(probe('POST', '/x'), 'x/c'));
      expect(allowed).to.include({ decision: 'allow' });
      expect(allowed!.policies).to.deep.equal(['x/np']);
    });

    it('should judge the source side first, on egress rules, with header conditions', () => {
      const egress = cnp('egress', { endpointSelector: { matchLabels: { pod: 'b' } }, egress: [{ toEndpoints: [{}], toPorts: [httpPort([{ headers: ['X-Token secret'] }])] }] });
      const layers = CILIUM_L7_MODULE.compile({ topology, policies: [egress, getPublic] }, topology);
      expect(layers.map((l) => [l.name, l.rank])).to.deep.equal([
        ['Cilium HTTP (egress)', 10],
        ['Cilium HTTP (ingress)', 20],
      ]);
      expect(judge([egress], flow(probe('GET', '/public/a', { 'x-token': 'secret' })))[0]).to.include({ layer: 'Cilium HTTP (egress)', decision: 'allow' });
      expect(judge([egress], flow(probe('GET', '/public/a', { 'X-Token': 'other' })))[0]).to.include({ layer: 'Cilium HTTP (egress)', decision: 'deny' });
    });

    it('should compile no layer when no Cilium policy has HTTP rules', () => {
      expect(CILIUM_L7_MODULE.compile({ topology, policies: [cnp('l4', { endpointSelector: {}, ingress: [{}] })] }, topology)).to.deep.equal([]);
    });
  });
});
