import { expect } from 'chai';
import fc from 'fast-check';
import type { CiliumRule, PolicyObject } from '../../../../src/model/index.js';
import { compileFilterPlan } from '../../../../src/providers/netns/filter-plan.js';
import { NETNS_POLICY_KINDS } from '../../../../src/providers/netns/layers/layer-modules.js';
import type { AddrMatch } from '../../../../src/providers/netns/layers/flow-match.js';
import type { LayerChain } from '../../../../src/providers/netns/layers/netns-layer.js';
import { renderRuleset } from '../../../../src/providers/netns/nft-ruleset.js';
import { serviceEntries } from '../../../../src/providers/netns/service-plan.js';
import { ciliumPoliciesArb } from '../../../builders/random-cilium-policy.js';
import { policiesArb } from '../../../policy/policy-arbitraries.js';
import { ciliumClusterPolicy, ciliumPolicy, gridTopology, policy } from '../fixtures.js';
import { canCheckNft, nftCheck } from '../nft-check.js';

// Pods: x/a 10.244.0.1, x/b .2, y/a .3, y/b .4 (namespace y has team=blue), kube-system/coredns .5; external 169.254.169.254.
const topology = gridTopology({ externals: true });
const compile = (...policies: PolicyObject[]) => compileFilterPlan({ topology, policies }).chains;
const chainOf = (chains: readonly LayerChain[], pod: string, direction: 'ingress' | 'egress', layer = 'cilium') => chains.find((c) => c.pod === pod && c.direction === direction && c.layer.id === layer);
const onXA: CiliumRule['endpointSelector'] = { matchLabels: { pod: 'a' } };
const xa = (rule: Omit<CiliumRule, 'endpointSelector'>) => ciliumPolicy('x', 'p', { endpointSelector: onXA, ...rule });
const peersOf = (chain: LayerChain | undefined) => chain?.rules.map((r) => r.peer);
const text = (m: AddrMatch) => (m.kind === 'block' ? `${m.cidr.text} except ${m.except.map((e) => e.text).join(',')}` : m.kind === 'ips' ? m.ips.join(',') : 'any');
const POD_EXCEPTS = '10.244.0.1/32,10.244.0.2/32,10.244.0.3/32,10.244.0.4/32,10.244.0.5/32';

describe('ciliumNetworkPolicyLayer', () => {
  describe('#compile()', () => {
    it('should put deny rules in layer cilium_deny (rank 999,999, before NetworkPolicy) ending with continue, and allows in layer cilium (rank 1,000,000) ending with deny', () => {
      const chains = compile(xa({ ingress: [{ fromEndpoints: [{}] }], ingressDeny: [{ fromEndpoints: [{ matchLabels: { pod: 'b' } }] }] }));
      expect(chains.map((c) => [c.pod, c.direction, c.layer, c.end, c.rules.map((r) => r.verdict)])).to.deep.equal([
        ['x/a', 'ingress', { id: 'cilium_deny', rank: 999_999 }, 'continue', ['deny']],
        ['x/a', 'ingress', { id: 'cilium', rank: 1_000_000 }, 'deny', ['accept']],
      ]);
    });

    it('should be registered for both Cilium kinds, each absorbing NetworkPolicy and the other Cilium kind', () => {
      expect(NETNS_POLICY_KINDS).to.include.members(['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy']);
      const np = policy('y', 'np', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: {} }] }] });
      const ccnp = ciliumClusterPolicy('c', { endpointSelector: { matchLabels: { pod: 'b' } }, egress: [{ toEntities: ['cluster'] }] });
      for (const policies of [[np, xa({ ingress: [{}] }), ccnp], [np, ccnp]]) {
        const chains = compile(...policies);
        expect(chains.map((c) => c.layer.id)).to.not.include('np');
        expect(chainOf(chains, 'y/a', 'ingress')?.policies).to.deep.equal(['y/np']);
        expect(chainOf(chains, 'y/b', 'egress')?.policies).to.deep.equal(['CiliumClusterwideNetworkPolicy/c']);
      }
    });
  });

  describe('default deny', () => {
    it('should switch on a direction with a non-empty allow or deny section only, `{}` included (it matches nothing)', () => {
      const chains = compile(xa({ ingress: [{}], egress: [] }));
      expect(chains.map((c) => [c.direction, c.layer.id, c.rules.length, c.end])).to.deep.equal([['ingress', 'cilium', 0, 'deny']]);
      const denyOnly = compile(xa({ egressDeny: [{ toEntities: ['world'] }] }));
      expect(denyOnly.map((c) => [c.direction, c.layer.id, c.end])).to.deep.equal([['egress', 'cilium_deny', 'continue'], ['egress', 'cilium', 'deny']]);
    });

    it('should not switch it on for a rule whose enableDefaultDeny turns it off, while its allows and denies still count for a default-deny direction', () => {
      const off = xa({ ingress: [{ fromEntities: ['world'] }], ingressDeny: [{ fromEndpoints: [{ matchLabels: { pod: 'b' } }] }], enableDefaultDeny: { ingress: false } });
      expect(compile(off).map((c) => c.layer.id)).to.deep.equal(['cilium_deny']);
      const on = ciliumPolicy('x', 'q', { endpointSelector: onXA, ingress: [{ fromEndpoints: [{ matchLabels: { pod: 'b' } }] }] });
      const chain = chainOf(compile(off, on), 'x/a', 'ingress');
      expect(chain?.end).to.equal('deny');
      expect(chain?.rules.map((r) => r.origin)).to.deep.equal(['CiliumNetworkPolicy/x/p specs[0] ingress[0]', 'CiliumNetworkPolicy/x/p specs[0] ingress[0]', 'CiliumNetworkPolicy/x/q specs[0] ingress[0]']);
    });

    it('should give an egress that is not default-deny but has DNS rules an l7Only chain, without its toFQDNs, that nft leaves out', () => {
      const dns = { toEndpoints: [{ matchLabels: { 'k8s-app': 'kube-dns', 'io.kubernetes.pod.namespace': 'kube-system' } }], toPorts: [{ ports: [{ port: { number: 53 }, protocol: 'UDP' as const }], rules: { dns: [{ matchName: 'api.example.com' }] } }] };
      const off = xa({ egress: [dns, { toFQDNs: [{ matchName: 'api.example.com' }] }, { toEntities: ['world'] }], enableDefaultDeny: { egress: false } });
      const chains = compile(off);
      expect(chains.map((c) => [c.direction, c.layer.id, c.end, c.l7Only])).to.deep.equal([['egress', 'cilium', 'continue', true]]);
      expect(chains[0]?.rules.map((r) => r.origin)).to.deep.equal(['CiliumNetworkPolicy/x/p specs[0] egress[0]', ...chains[0]!.rules.slice(1).map(() => 'CiliumNetworkPolicy/x/p specs[0] egress[2]')]);
      expect(chains[0]?.rules[0]?.dns).to.deep.equal([{ matchName: 'api.example.com' }]);
      expect(renderRuleset({ table: 'netseg_t1', gateway: '169.254.1.1', services: [], filter: { chains }, denyAction: 'drop', generation: 1 })).to.not.include('eg_10_244_0_1');
      expect(compile(xa({ egress: [{ toEntities: ['world'] }], enableDefaultDeny: { egress: false } }))).to.deep.equal([]);
    });

    it('should union NetworkPolicy allows with Cilium allows, a NetworkPolicy alone isolating its pods', () => {
      const np = policy('x', 'np', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }], ports: [{ port: 80 }] }] });
      const chains = compile(np, xa({ ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: { number: 81 }, protocol: 'TCP' }] }] }] }), ciliumPolicy('y', 'other', { endpointSelector: {}, egress: [{}] }));
      const chain = chainOf(chains, 'x/a', 'ingress');
      expect(chain?.policies).to.deep.equal(['x/np', 'CiliumNetworkPolicy/x/p']);
      expect(chain?.rules.map((r) => [text(r.peer), r.port])).to.deep.equal([
        ['10.244.0.2', { kind: 'range', protocol: 'TCP', from: 80, to: 80 }],
        ['10.244.0.1,10.244.0.2,10.244.0.3,10.244.0.4,10.244.0.5', { kind: 'range', protocol: 'TCP', from: 81, to: 81 }],
      ]);
      const npOnly = compile(policy('x', 'np', { podSelector: { matchLabels: { pod: 'b' } }, policyTypes: ['Egress'] }), xa({ ingress: [{}] }));
      expect(chainOf(npOnly, 'x/b', 'egress')).to.deep.include({ end: 'deny', rules: [], policies: ['x/np'] });
    });
  });

  describe('endpoint selectors', () => {
    const ingressFrom = (p: PolicyObject) => peersOf(chainOf(compile(p), 'x/a', 'ingress'))?.map(text);

    it('should select a CiliumNetworkPolicy subject in its own namespace only, whatever namespace its selector names', () => {
      const chains = compile(ciliumPolicy('x', 'p', { endpointSelector: { matchLabels: { 'io.kubernetes.pod.namespace': 'y' } }, ingress: [{}] }));
      expect(chains.map((c) => c.pod)).to.deep.equal(['x/a', 'x/b']);
    });

    it('should scope fromEndpoints of a CiliumNetworkPolicy to its namespace unless they name io.kubernetes.pod.namespace', () => {
      expect(ingressFrom(xa({ ingress: [{ fromEndpoints: [{ matchLabels: { pod: 'b' } }] }] }))).to.deep.equal(['10.244.0.2']);
      expect(ingressFrom(xa({ ingress: [{ fromEndpoints: [{}] }] }))).to.deep.equal(['10.244.0.1,10.244.0.2']);
      expect(ingressFrom(xa({ ingress: [{ fromEndpoints: [{ matchLabels: { pod: 'b', 'io.kubernetes.pod.namespace': 'y' } }] }] }))).to.deep.equal(['10.244.0.4']);
      expect(ingressFrom(xa({ ingress: [{ fromEndpoints: [{ matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'Exists' }] }] }] }))).to.deep.equal([
        '10.244.0.1,10.244.0.2,10.244.0.3,10.244.0.4,10.244.0.5',
      ]);
    });

    it('should let a CiliumNetworkPolicy fromEndpoints with an io.cilium.k8s.namespace.labels. key span every namespace', () => {
      expect(ingressFrom(xa({ ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'blue' } }] }] }))).to.deep.equal(['10.244.0.3,10.244.0.4']);
      expect(ingressFrom(xa({ ingress: [{ fromEndpoints: [{ matchExpressions: [{ key: 'io.cilium.k8s.namespace.labels.team', operator: 'DoesNotExist' }] }] }] }))).to.deep.equal(['10.244.0.1,10.244.0.2,10.244.0.5']);
    });

    it('should select across namespaces in a CiliumClusterwideNetworkPolicy, by namespace labels too', () => {
      const ccnp = (fromEndpoints: CiliumRule['endpointSelector'][]) => ciliumClusterPolicy('c', { endpointSelector: onXA, ingress: [{ fromEndpoints }] });
      expect(ingressFrom(ccnp([{ matchLabels: { pod: 'b' } }]))).to.deep.equal(['10.244.0.2,10.244.0.4']);
      expect(ingressFrom(ccnp([{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'blue' } }]))).to.deep.equal(['10.244.0.3,10.244.0.4']);
      expect(ingressFrom(ccnp([{ matchLabels: { 'io.cilium.k8s.policy.serviceaccount': 'default', 'k8s-app': 'kube-dns' } }]))).to.deep.equal(['10.244.0.5']);
      expect(compile(ciliumClusterPolicy('c', { endpointSelector: {}, ingress: [{}] })).map((c) => c.pod)).to.deep.equal(['x/a', 'x/b', 'y/a', 'y/b', 'kube-system/coredns']);
    });
  });

  describe('entities, CIDRs and Services', () => {
    const egressTo = (rule: CiliumRule['egress']) => peersOf(chainOf(compile(xa({ egress: rule })), 'x/a', 'egress'))?.map(text);

    it('should map world to every address but the pods, cluster to the pods, all to anything, node-side entities to nothing', () => {
      expect(egressTo([{ toEntities: ['world'] }])).to.deep.equal([`0.0.0.0/0 except ${POD_EXCEPTS}`, '::/0 except ']);
      expect(egressTo([{ toEntities: ['world-ipv4', 'cluster'] }])).to.deep.equal([`0.0.0.0/0 except ${POD_EXCEPTS}`, '10.244.0.1,10.244.0.2,10.244.0.3,10.244.0.4,10.244.0.5']);
      expect(egressTo([{ toEntities: ['all'] }])).to.deep.equal(['any']);
      expect(egressTo([{ toEntities: ['host', 'remote-node', 'kube-apiserver', 'ingress', 'init', 'health', 'unmanaged'] }])).to.deep.equal([]);
    });

    it('should never let a CIDR rule match a pod address, keeping its own except', () => {
      expect(egressTo([{ toCIDRSet: [{ cidr: '10.244.0.0/16', except: ['10.244.0.0/31'] }, { cidr: '169.254.169.254/32', except: [] }] }])).to.deep.equal([
        '10.244.0.0/16 except 10.244.0.0/31,10.244.0.2/32,10.244.0.3/32,10.244.0.4/32,10.244.0.5/32',
        '169.254.169.254/32 except ',
      ]);
    });

    it('should resolve toServices to the backend pods, in the policy namespace by default, kube-dns to the DNS pod', () => {
      expect(egressTo([{ toServices: [{ k8sService: { serviceName: 'b' } }] }])).to.deep.equal(['10.244.0.2']);
      expect(egressTo([{ toServices: [{ k8sService: { serviceName: 'b', namespace: 'y' } }, { k8sService: { serviceName: 'kube-dns', namespace: 'kube-system' } }] }])).to.deep.equal(['10.244.0.4,10.244.0.5']);
      expect(egressTo([{ toServices: [{ k8sService: { serviceName: 'nope' } }] }])).to.deep.equal([]);
      // netseg's Services carry no labels: an empty selector takes every Service of the namespace, a label nothing.
      expect(egressTo([{ toServices: [{ k8sServiceSelector: { selector: {}, namespace: 'y' } }] }])).to.deep.equal(['10.244.0.3,10.244.0.4']);
      expect(egressTo([{ toServices: [{ k8sServiceSelector: { selector: { matchLabels: { pod: 'a' } } } }] }])).to.deep.equal([]);
    });
  });

  describe('toPorts', () => {
    const ingressPorts = (toPorts: CiliumRule['ingress']) => chainOf(compile(xa({ ingress: toPorts })), 'x/a', 'ingress')?.rules.map((r) => [text(r.peer), r.port]);

    it('should apply a ports-only entry to every peer, ANY meaning TCP, UDP and SCTP, port 0 or none every port, endPort an inclusive range', () => {
      expect(ingressPorts([{ toPorts: [{ ports: [{ protocol: 'ANY', port: { number: 80, endPort: 81 } }, { protocol: 'UDP' }, { protocol: 'TCP', port: { number: 0 } }] }] }])).to.deep.equal([
        ['any', { kind: 'range', protocol: 'TCP', from: 80, to: 81 }],
        ['any', { kind: 'range', protocol: 'UDP', from: 80, to: 81 }],
        ['any', { kind: 'range', protocol: 'SCTP', from: 80, to: 81 }],
        ['any', { kind: 'protocol', protocol: 'UDP' }],
        ['any', { kind: 'protocol', protocol: 'TCP' }],
      ]);
    });

    it('should compile a peer list written empty to no rule, toPorts or not, while an absent one with toPorts matches every peer', () => {
      const toPorts = [{ ports: [{ protocol: 'TCP' as const, port: { number: 80 } }] }];
      for (const entry of [{ fromEndpoints: [] }, { fromEntities: [] }, { fromCIDRSet: [] }]) expect(ingressPorts([{ ...entry, toPorts }]), JSON.stringify(entry)).to.deep.equal([]);
      expect(peersOf(chainOf(compile(xa({ egress: [{ toEndpoints: [], toPorts }] })), 'x/a', 'egress'))).to.deep.equal([]);
      expect(ingressPorts([{ toPorts }])).to.deep.equal([['any', { kind: 'range', protocol: 'TCP', from: 80, to: 80 }]]);
    });

    it('should resolve an ingress named port on the destination pod with the protocols the entry allows, case-insensitively', () => {
      expect(ingressPorts([{ fromEntities: ['all'], toPorts: [{ ports: [{ protocol: 'ANY', port: { name: 'serve-81-udp' } }, { protocol: 'TCP', port: { name: 'serve-80-udp' } }, { protocol: 'TCP', port: { name: 'Serve-81-TCP' } }] }] }])).to.deep.equal([
        ['any', { kind: 'range', protocol: 'UDP', from: 81, to: 81 }],
        ['any', { kind: 'range', protocol: 'TCP', from: 81, to: 81 }],
      ]);
    });

    it('should resolve an egress named port pod by pod behind the peer, and to nothing behind world', () => {
      const chain = chainOf(compile(xa({ egress: [{ toEntities: ['cluster', 'world'], toPorts: [{ ports: [{ protocol: 'UDP', port: { name: 'dns' } }] }] }] })), 'x/a', 'egress');
      expect(chain?.rules.map((r) => [text(r.peer), r.port])).to.deep.equal([['any', { kind: 'tuples', tuples: [{ ip: '10.244.0.5', protocol: 'UDP', port: 53 }] }]]);
    });
  });
});

describe('ciliumNetworkPolicyLayer (random policies)', () => {
  let nftAvailable = false;
  before(async function () {
    this.timeout(10_000);
    nftAvailable = await canCheckNft();
  });

  it('should compile random Cilium policies mixed with NetworkPolicies into a ruleset nft accepts', async function () {
    this.timeout(60_000);
    const sets = fc.sample(fc.tuple(ciliumPoliciesArb(3), policiesArb(2)), { seed: 11, numRuns: 20 });
    for (const [cilium, nps] of sets) {
      const policies: PolicyObject[] = [...cilium, ...nps];
      const text = renderRuleset({ table: 'netseg_t1', gateway: '169.254.1.1', services: serviceEntries(topology), filter: compileFilterPlan({ topology, policies }), denyAction: 'drop', generation: 1 });
      // Cilium's own modules answer for every NetworkPolicy of a Cilium world: no `np` chain is left.
      if (cilium.length > 0) expect(text).to.not.match(/_np \{/);
      if (!nftAvailable) continue;
      const r = await nftCheck(text);
      expect(r.ok, `${r.stderr}\n${JSON.stringify(policies)}`).to.equal(true);
    }
  });
});
