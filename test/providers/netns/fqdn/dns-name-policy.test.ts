import { expect } from 'chai';
import type { CiliumEgressRule, PolicyObject } from '../../../../src/model/index.js';
import { compileFilterPlan } from '../../../../src/providers/netns/filter-plan.js';
import { compileDnsNamePolicy } from '../../../../src/providers/netns/fqdn/dns-name-policy.js';
import { ciliumPolicy, gridTopology, policy } from '../fixtures.js';

const topology = gridTopology({ externals: true });
const target = { netns: 'netseg-t-node', table: 'netseg_t', timeoutSeconds: 3600 };
const KUBE_DNS = [{ matchLabels: { 'io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }];
const XA = '10.244.0.1';

function compile(...policies: PolicyObject[]) {
  return compileDnsNamePolicy(compileFilterPlan({ topology, policies }), topology, target);
}

const onXA = (...egress: CiliumEgressRule[]) => ciliumPolicy('x', 'p', { endpointSelector: { matchLabels: { pod: 'a' } }, egress });
const dnsRule = (protocol: 'UDP' | 'TCP' | 'ANY', ...dns: { matchName?: string; matchPattern?: string }[]): CiliumEgressRule => ({
  toEndpoints: KUBE_DNS,
  toPorts: [{ ports: [{ port: { number: 53 }, protocol }], rules: { dns } }],
});

describe('compileDnsNamePolicy', () => {
  it('should judge the lookups of a source whose DNS rule covers the DNS pod on 53, per transport, and no other source', () => {
    const p = compile(onXA(dnsRule('UDP', { matchName: 'api.example.com' }, { matchPattern: '*.example.org' })));
    expect(p.nft).to.deep.equal(target);
    expect(p.sources).to.deep.equal([{ ip: XA, pod: 'x/a', lookups: { UDP: ['^api\\.example\\.com$', '^[-a-z0-9_]*\\.example\\.org$'] }, sets: [] }]);
  });

  it('should admit every name (still judged) when an L4-only rule of the same chain also accepts the query', () => {
    const p = compile(onXA(dnsRule('ANY', { matchName: 'api.example.com' }), { toEntities: ['cluster'] }));
    expect(p.sources[0]?.lookups).to.deep.equal({ UDP: ['^.*$'], TCP: ['^.*$'] });
  });

  it('should judge the lookups of an egress that is not default-deny (enableDefaultDeny.egress false), its L4-only entries still wildcarding', () => {
    const off = (...egress: CiliumEgressRule[]) => ciliumPolicy('x', 'p', { endpointSelector: { matchLabels: { pod: 'a' } }, egress, enableDefaultDeny: { egress: false } });
    expect(compile(off(dnsRule('UDP', { matchName: 'api.example.com' }), { toFQDNs: [{ matchName: 'api.example.com' }] })).sources).to.deep.equal([
      { ip: XA, pod: 'x/a', lookups: { UDP: ['^api\\.example\\.com$'] }, sets: [] },
    ]);
    expect(compile(off(dnsRule('ANY', { matchName: 'api.example.com' }), { toEntities: ['cluster'] })).sources[0]?.lookups).to.deep.equal({ UDP: ['^.*$'], TCP: ['^.*$'] });
    expect(compile(off({ toEntities: ['cluster'] })).sources).to.deep.equal([]);
  });

  it('should judge nothing when the DNS rule names another peer than the DNS pod', () => {
    const p = compile(onXA({ toCIDRSet: [{ cidr: '8.8.8.8/32', except: [] }], toPorts: [{ ports: [{ port: { number: 53 }, protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }] }));
    expect(p.sources).to.deep.equal([]);
  });

  it('should give each toFQDNs rule of a source a set of its family with its selectors, whatever the DNS rules say', () => {
    const p = compile(onXA({ toFQDNs: [{ matchName: 'api.example.com' }, { matchPattern: '**.example.org' }], toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }] }] }));
    expect(p.sources).to.deep.equal([
      { ip: XA, pod: 'x/a', lookups: {}, sets: [{ set: 'fqdn_10_244_0_1_cilium_0', family: 4, names: ['^api\\.example\\.com$', '^(?:[-a-z0-9_]+\\.)+example\\.org$'] }] },
    ]);
  });

  it('should judge nothing without a Cilium policy, and nothing when enforcement is off', () => {
    expect(compile(policy('x', 'deny', { podSelector: {}, policyTypes: ['Egress'], egress: [] })).sources).to.deep.equal([]);
    expect(compileDnsNamePolicy(undefined, topology, target).sources).to.deep.equal([]);
  });
});
