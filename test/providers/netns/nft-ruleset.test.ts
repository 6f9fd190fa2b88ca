import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PolicyObject } from '../../../src/model/index.js';
import { compileFilterPlan, type FilterPlan } from '../../../src/providers/netns/filter-plan.js';
import { renderRuleset, type DenyAction } from '../../../src/providers/netns/nft-ruleset.js';
import { serviceEntries } from '../../../src/providers/netns/service-plan.js';
import { calicoPolicy, ciliumClusterPolicy, ciliumPolicy, clusterPolicy, dualStackTopology, globalPolicy, gridTopology, policy, sel, tier } from './fixtures.js';
import { canCheckNft, nftCheck } from './nft-check.js';
import { twoLayerPlan } from './two-layer-plan.js';

const topology = gridTopology({ externals: true });

function render(policies: PolicyObject[], options: { enforce?: boolean; deny?: DenyAction; plan?: FilterPlan } = {}): string {
  return renderRuleset({
    table: 'netseg_t1',
    gateway: '169.254.1.1',
    services: serviceEntries(topology),
    filter: options.enforce === false ? undefined : (options.plan ?? compileFilterPlan({ topology, policies })),
    denyAction: options.deny ?? 'drop',
    generation: 7,
  });
}

/** Compares with test/providers/netns/golden/<name>.nft; UPDATE_GOLDEN=1 rewrites it. */
function golden(name: string, text: string): void {
  const file = fileURLToPath(new URL(`./golden/${name}.nft`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  expect(text).to.equal(readFileSync(file, 'utf8'));
}

const FQDN_POLICIES: PolicyObject[] = [
  ciliumPolicy('x', 'fqdn', {
    endpointSelector: { matchLabels: { pod: 'a' } },
    egress: [
      { toEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: { number: 53 }, protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*.example.com' }] } }] },
      { toFQDNs: [{ matchName: 'api.example.com' }], toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }] }] },
      { toFQDNs: [{ matchPattern: '**.example.org' }] },
    ],
  }),
];

const CASES: Record<string, PolicyObject[]> = {
  'no-policy': [],
  'deny-all-ingress': [policy('x', 'deny', { podSelector: {}, ingress: [] })],
  'selectors-and-ports': [
    policy('x', 'web', {
      podSelector: { matchLabels: { pod: 'a' } },
      ingress: [
        { from: [{ podSelector: { matchLabels: { pod: 'b' } } }, { namespaceSelector: { matchLabels: { team: 'blue' } }, podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['a'] }] } }], ports: [{ port: 80 }, { protocol: 'UDP', port: 80, endPort: 81 }] },
        { ports: [{ port: 'serve-81-tcp' }] },
      ],
    }),
  ],
  'egress-ipblock-dns-named': [
    policy('y', 'egress', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '10.244.0.0/30'] } }] },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
        { to: [{ namespaceSelector: {} }], ports: [{ port: 'serve-80-udp', protocol: 'UDP' }] },
        { to: [{ ipBlock: { cidr: 'fd00::/8', except: ['fd00::1/128'] } }] },
      ],
    }),
  ],
  // x/a: Admin (deny y/a, pass y/b, accept DNS by named port), its NetworkPolicy (x/b on TCP 80), then
  // Baseline (deny everything else); y/b: Admin denies egress to 169.254.169.254 after passing pods.
  'cluster-network-policy-tiers': [
    clusterPolicy('admin-x', {
      tier: 'Admin',
      priority: 10,
      subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } },
      ingress: [
        { name: 'deny-y-a', action: 'Deny', from: [{ pods: { namespaceSelector: { matchLabels: { team: 'blue' } }, podSelector: { matchLabels: { pod: 'a' } } } }] },
        { action: 'Pass', from: [{ pods: { podSelector: { matchLabels: { pod: 'b' } } } }], protocols: [{ tcp: { destinationPort: { range: { start: 80, end: 81 } } } }] },
      ],
      egress: [{ name: 'dns', action: 'Accept', to: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], protocols: [{ destinationNamedPort: 'dns' }, { destinationNamedPort: 'dns-tcp' }] }],
    }),
    clusterPolicy('metadata', {
      tier: 'Admin',
      priority: 5,
      subject: { pods: { podSelector: { matchLabels: { pod: 'b' } }, namespaceSelector: { matchLabels: { team: 'blue' } } } },
      egress: [
        { action: 'Pass', to: [{ networks: ['10.244.0.0/16'] }] },
        { action: 'Deny', to: [{ networks: ['169.254.169.254/32', 'fd00:ec2::254/128'] }] },
      ],
    }),
    policy('x', 'web', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }], ports: [{ port: 80 }] }] }),
    clusterPolicy('baseline-deny', { tier: 'Baseline', priority: 0, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
  ],
  // x/a: security tier (log, pass x/b, deny all but TCP 80/81 from outside y/b) → platform tier (Pass
  // default, ICMP denied) → default tier (its NetworkPolicy at order 1000, then an allow of UDP except
  // 53); y/b egress: named UDP port to pods of x, anything but UDP elsewhere, then end-of-tier drop.
  'calico-tiers': [
    tier('security', 100),
    tier('platform', 200, 'Pass'),
    globalPolicy('sec', {
      tier: 'security',
      order: 10,
      selector: "pod == 'a' && projectcalico.org/namespace == 'x'",
      ingress: [
        { action: 'Log', protocol: 'TCP' },
        { action: 'Pass', source: { selector: sel("pod == 'b'"), namespaceSelector: sel("projectcalico.org/name == 'x'") } },
        { action: 'Deny', protocol: 'TCP', source: { notSelector: sel("pod == 'b'"), notNets: ['169.254.0.0/16'] }, destination: { notPorts: [{ range: { start: 80, end: 81 } }] } },
      ],
    }),
    globalPolicy('plat', { tier: 'platform', namespaceSelector: "projectcalico.org/name == 'x'", ingress: [{ action: 'Deny', protocol: 'ICMP' }] }),
    policy('x', 'web', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }], ports: [{ port: 80 }] }] }),
    calicoPolicy('x', 'udp', { order: 2000, selector: "pod == 'a'", ingress: [{ action: 'Allow', protocol: 'UDP', destination: { notPorts: [{ number: 53 }] } }] }),
    calicoPolicy('y', 'out', {
      selector: "pod == 'b'",
      egress: [
        { action: 'Allow', protocol: 'UDP', destination: { namespaceSelector: sel("projectcalico.org/name == 'x'"), ports: [{ name: 'serve-80-udp' }] } },
        { action: 'Allow', notProtocol: 'UDP', destination: { nets: ['169.254.169.254/32'] } },
      ],
    }),
  ],
  // x/a: Cilium deny from world before the union of its NetworkPolicy (namespace y on TCP 80) and
  // its CiliumNetworkPolicy (x/b on 80-81 TCP); namespace y (CCNP): egress to world except the
  // metadata host, DNS through the kube-dns Service, and a deny on a pod CIDR that never matches pods.
  'cilium-deny-and-allow': [
    ciliumPolicy('x', 'web', {
      endpointSelector: { matchLabels: { pod: 'a' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { pod: 'b' } }], toPorts: [{ ports: [{ port: { number: 80, endPort: 81 }, protocol: 'TCP' }] }] }],
      ingressDeny: [{ fromEntities: ['world'] }],
    }),
    policy('x', 'from-y', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }], ports: [{ port: 80 }] }] }),
    ciliumClusterPolicy('blue-egress', {
      endpointSelector: { matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'blue' } },
      egress: [
        { toEntities: ['world'], toCIDRSet: [{ cidr: '169.254.0.0/16', except: ['169.254.169.254/32'] }] },
        { toServices: [{ k8sService: { serviceName: 'kube-dns', namespace: 'kube-system' } }], toPorts: [{ ports: [{ port: { number: 53 }, protocol: 'ANY' }] }] },
      ],
      egressDeny: [{ toCIDRSet: [{ cidr: '10.244.0.0/16', except: [] }] }],
    }),
  ],
  // x/a: DNS to kube-dns on 53 with a DNS rule (the L4 part is an ordinary accept), toFQDNs by name on
  // TCP 80 and by pattern on any port: one set per toFQDNs rule, matched by destination address.
  'cilium-fqdn': FQDN_POLICIES,
};

describe('renderRuleset', () => {
  let nftAvailable = false;
  before(async function () {
    this.timeout(10_000);
    nftAvailable = await canCheckNft();
  });

  for (const [name, policies] of Object.entries(CASES)) {
    describe(name, () => {
      it('should match the golden ruleset', () => golden(name, render(policies)));

      it('should be accepted by nft -c', async function () {
        if (!nftAvailable) this.skip();
        const r = await nftCheck(render(policies));
        expect(r.ok, r.stderr).to.equal(true);
      });
    });
  }

  it('should replace the table atomically: declare, delete and re-add in one file', () => {
    const lines = render([]).split('\n');
    expect(lines.slice(0, 3)).to.deep.equal(['table inet netseg_t1 {}', 'delete table inet netseg_t1', 'table inet netseg_t1 {']);
  });

  it('should install Services but no filter chain when enforcement is off', () => {
    const text = render(CASES['deny-all-ingress'] ?? [], { enforce: false });
    expect(text).to.contain('dnat ip to');
    expect(text).to.not.contain('vmap');
    expect(text).to.not.contain('drop');
  });

  it('should reject instead of dropping when asked', async function () {
    const text = render(CASES['deny-all-ingress'] ?? [], { deny: 'reject' });
    expect(text).to.contain('reject with tcp reset').and.to.contain('reject with icmpx admin-prohibited').and.not.contain('    drop');
    if (!nftAvailable) return;
    const r = await nftCheck(text);
    expect(r.ok, r.stderr).to.equal(true);
  });

  it('should stamp the generation on new connections and accept only established ones of that generation', () => {
    const text = render([]);
    expect(text).to.contain('ct state established,related ct mark 7 accept').and.contain('ct mark set 7 accept');
  });

  describe('dual-stack', () => {
    const dual = dualStackTopology({ externals: true });
    const policies = [
      policy('x', 'blocks', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.0.2/32'] } }, { ipBlock: { cidr: '::/0', except: ['fd00:10:244::3/128'] } }] }] }),
      policy('y', 'named', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }], ports: [{ port: 'serve-80-tcp' }] }] }),
    ];
    const text = () =>
      renderRuleset({ table: 'netseg_t1', gateway: '169.254.1.1', gateway6: 'fd00:6e:5e9::1', services: serviceEntries(dual), filter: compileFilterPlan({ topology: dual, policies }), denyAction: 'drop', generation: 7 });

    it('should match the golden ruleset', () => golden('dual-stack', text()));

    it('should be accepted by nft -c', async function () {
      if (!nftAvailable) this.skip();
      const r = await nftCheck(text());
      expect(r.ok, r.stderr).to.equal(true);
    });

    it('should give each family its Service map, hairpin SNAT and vmaps, jumping to chains of that family\'s pod address', () => {
      const t = text();
      expect(t).to.contain('dnat ip to ip daddr . meta l4proto . th dport map @services').and.contain('dnat ip6 to ip6 daddr . meta l4proto . th dport map @services6');
      expect(t).to.contain('fd00:10:96::a . udp . 53 : fd00:10:244::5').and.contain('snat ip6 to fd00:6e:5e9::1');
      expect(t).to.contain('ip daddr vmap { 10.244.0.1 : jump in_10_244_0_1_np }').and.contain('ip6 daddr vmap { fd00:10:244::1 : jump in_fd00_10_244__1_np }');
      // Named ports resolve to each family's own pod addresses.
      expect(t).to.contain('ip6 daddr . meta l4proto . th dport { fd00:10:244::3 . tcp . 80, fd00:10:244::4 . tcp . 80 }');
    });
  });

  describe('cilium-fqdn, dual-stack', () => {
    const dual = dualStackTopology({ externals: true });
    const text = () =>
      renderRuleset({ table: 'netseg_t1', gateway: '169.254.1.1', gateway6: 'fd00:6e:5e9::1', services: serviceEntries(dual), filter: compileFilterPlan({ topology: dual, policies: FQDN_POLICIES }), denyAction: 'drop', generation: 7 });

    it('should give each family of the source its own sets, of that family', async function () {
      const t = text();
      expect(t).to.contain('set fqdn_10_244_0_1_cilium_3 {\n    type ipv4_addr').and.contain('set fqdn_fd00_10_244__1_cilium_3 {\n    type ipv6_addr');
      expect(t).to.contain('ip6 daddr @fqdn_fd00_10_244__1_cilium_3 meta l4proto tcp th dport 80 return');
      if (!nftAvailable) return;
      const r = await nftCheck(t);
      expect(r.ok, r.stderr).to.equal(true);
    });
  });

  describe('layer composition (two test-only layers)', () => {
    const text = (deny: DenyAction = 'drop') => render([], { plan: twoLayerPlan(), deny });

    it('should match the golden ruleset', () => golden('two-layers', text()));

    it('should be accepted by nft -c, with drop and with reject', async function () {
      if (!nftAvailable) this.skip();
      for (const deny of ['drop', 'reject'] as const) {
        const r = await nftCheck(text(deny));
        expect(r.ok, `${deny}: ${r.stderr}`).to.equal(true);
      }
    });

    it('should jump to the lowest-ranked layer and link the next one with goto', () => {
      expect(text()).to.contain('ip daddr vmap { 10.244.0.1 : jump in_10_244_0_1_first }').and.contain('    goto in_10_244_0_1_last\n  }');
    });

    it('should render accept as return, deny as the deny action, pass as goto the next layer or return after the last', () => {
      const lines = text().split('\n');
      const ruleOf = (origin: string) => lines.find((l) => l.includes(JSON.stringify(origin)))?.trim();
      expect(ruleOf('first: deny x/b 80')).to.match(/ drop comment/);
      expect(ruleOf('first: pass x/b')).to.match(/ goto in_10_244_0_1_last comment/);
      expect(ruleOf('first: accept y/a')).to.match(/ return comment/);
      expect(ruleOf('first: pass to x/b')).to.match(/ return comment/);
      expect(text('reject').split('\n').find((l) => l.includes('"first: deny x/b 80"'))).to.match(/ goto refuse comment/);
    });

    it('should give no chain and no vmap entry to a layer that decides nothing', () => {
      expect(text()).to.not.contain('10.244.0.3 :').and.not.contain('in_10_244_0_3');
    });
  });
});
