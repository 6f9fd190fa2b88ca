import { expect } from 'chai';
import type { CellKey, PeerRef } from '../../../../src/model/index.js';
import { compileL7Plan } from '../../../../src/providers/netns/l7/compile-l7-plan.js';
import { re2ToPcre } from '../../../../src/providers/netns/l7/cilium-regex.js';
import { compileFilterPlan } from '../../../../src/providers/netns/filter-plan.js';
import { notEnforcedReason } from '../../../../src/providers/netns/not-enforced-cells.js';
import { ciliumPolicy } from '../fixtures.js';
import { authz, l7State } from './l7-fixtures.js';

const ALL = { rules: [{}] };

describe('compileL7Plan', () => {
  describe('#istio()', () => {
    it('should give no proxy for AUDIT and dry-run policies', () => {
      const plan = compileL7Plan(l7State([authz('x', 'audit', { action: 'AUDIT', ...ALL }), authz('x', 'dry', { action: 'DENY', ...ALL }, { 'istio.io/dry-run': 'true' })]));
      expect(plan.proxies).to.deep.equal([]);
    });

    it('should proxy every non-system pod for a root-namespace policy, on every TCP port', () => {
      const plan = compileL7Plan(l7State([authz('istio-system', 'deny-all', { action: 'DENY', ...ALL })]));
      expect(plan.proxies.map((p) => p.pod)).to.deep.equal(['x/a', 'x/b', 'y/a', 'y/b']);
      expect(plan.proxies[0]?.ingress.map((p) => [p.port, p.http])).to.deep.equal([
        [80, true],
        [81, false],
      ]);
    });

    it('should leave an ALLOW rule with HTTP-only fields out on a TCP port and widen a DENY rule to every connection there', () => {
      const post = { rules: [{ to: [{ operation: { methods: ['POST'] } }] }] };
      const plan = compileL7Plan(l7State([authz('x', 'allow-post', { selector: { matchLabels: { pod: 'a' } }, ...post }), authz('x', 'deny-post', { action: 'DENY', selector: { matchLabels: { pod: 'a' } }, ...post })]));
      const [http, tcp] = plan.proxies[0]!.ingress;
      expect(tcp?.tcpLayers[0]?.allow).to.deep.equal([]);
      expect(tcp?.tcpLayers[0]?.deny).to.deep.equal([[]]);
      expect(http?.httpLayers[0]?.deny).to.deep.equal([[{ negate: false, acls: [{ sample: { kind: 'method' }, match: 'str', patterns: ['POST'] }] }]]);
    });

    it('should report a CUSTOM policy without a stated verdict unenforced, and deny like DENY with custom-verdict deny', () => {
      const custom = (annotations?: Record<string, string>) => authz('x', 'ext', { action: 'CUSTOM', provider: { name: 'opa' }, selector: { matchLabels: { pod: 'b' } }, ...ALL }, annotations);
      const unstated = compileL7Plan(l7State([custom()]));
      expect(unstated.proxies).to.deep.equal([]);
      expect(unstated.unenforced.map((u) => [u.pod, u.side])).to.deep.equal([['x/b', 'destination']]);
      const denying = compileL7Plan(l7State([custom({ 'netseg.io/custom-verdict': 'deny' })]));
      expect(denying.proxies[0]?.ingress[0]?.tcpLayers[0]?.deny).to.deep.equal([[]]);
    });

    it('should map every pod address to its service account principal', () => {
      const plan = compileL7Plan(l7State([]));
      expect(plan.identities.get('10.244.0.4')).to.equal('spiffe://cluster.local/ns/y/sa/inventory');
      expect(plan.identities.get('10.244.0.1')).to.equal('spiffe://cluster.local/ns/x/sa/default');
    });
  });

  describe('#cilium()', () => {
    it('should proxy the egress port of a pod with egress HTTP rules, judging requests by their original destination', () => {
      const egress = ciliumPolicy('x', 'egress-http', {
        endpointSelector: { matchLabels: { pod: 'b' } },
        egress: [{ toEndpoints: [{ matchLabels: { pod: 'a' } }], toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] }],
      });
      const plan = compileL7Plan(l7State([egress]));
      expect(plan.proxies.map((p) => [p.pod, p.ingress.length, p.egress.map((e) => [e.port, e.to])])).to.deep.equal([['x/b', 0, [[80, [{ cidr: '10.244.0.1/32', except: [] }]]]]]);
      expect(plan.proxies[0]?.egress[0]?.httpLayers[0]?.allow).to.deep.equal([
        [
          { negate: false, acls: [{ sample: { kind: 'dst' }, match: 'ip', patterns: ['10.244.0.1'] }] },
          { negate: false, acls: [{ sample: { kind: 'method' }, match: 'reg', patterns: ['^(?:GET)\\z'] }] },
        ],
      ]);
      const cell = (from: PeerRef, to: PeerRef, target: CellKey['target']): CellKey => ({ from, to, target, port: 80, protocol: 'TCP' });
      expect(notEnforcedReason({ chains: [], l7: plan }, cell('x/b', 'x/a', 'pod-ip'))).to.equal(undefined);
      // The redirect matches pod addresses; a ClusterIP is translated on the node, after it.
      expect(notEnforcedReason({ chains: [], l7: plan }, cell('x/b', 'x/a', 'service'))).to.match(/egress HTTP rules .* ClusterIP/);
      expect(notEnforcedReason({ chains: [], l7: plan }, cell('x/a', 'x/b', 'service'))).to.equal(undefined);
    });

    it('should leave an egress-proxied cell unsupported when the node could still refuse the onward connection, or an egressDeny covers the port', () => {
      const getOnly = { toEndpoints: [{ matchLabels: { pod: 'a' } }], toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' as const }], rules: { http: [{ method: 'GET' }] } }] };
      const egress = ciliumPolicy('x', 'egress-http', { endpointSelector: { matchLabels: { pod: 'b' } }, egress: [getOnly] });
      const isolateA = ciliumPolicy('x', 'isolate-a', { endpointSelector: { matchLabels: { pod: 'a' } }, ingress: [{ fromEndpoints: [{ matchLabels: { pod: 'b' } }] }] });
      const cell: CellKey = { from: 'x/b', to: 'x/a', target: 'pod-ip', port: 80, protocol: 'TCP' };
      expect(notEnforcedReason(compileFilterPlan(l7State([egress])), cell)).to.equal(undefined);
      expect(notEnforcedReason(compileFilterPlan(l7State([egress, isolateA])), cell)).to.match(/accepts|answers the connection before/);
      const denying = ciliumPolicy('x', 'egress-deny', { endpointSelector: { matchLabels: { pod: 'b' } }, egress: [getOnly], egressDeny: [{ toEndpoints: [{ matchLabels: { pod: 'a' } }], toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }] }] }] });
      const plan = compileFilterPlan(l7State([denying]));
      expect(plan.l7?.proxies).to.deep.equal([]);
      expect(notEnforcedReason(plan, cell)).to.match(/egressDeny/);
    });

    it('should report the source cells of egress HTTP rules on a port range unsupported, and not proxy them', () => {
      const egress = ciliumPolicy('x', 'egress-range', {
        endpointSelector: { matchLabels: { pod: 'b' } },
        egress: [{ toPorts: [{ ports: [{ port: { number: 80, endPort: 81 }, protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] }],
      });
      const plan = compileL7Plan(l7State([egress]));
      expect(plan.proxies).to.deep.equal([]);
      const cell: CellKey = { from: 'x/b', to: 'x/a', target: 'pod-ip', port: 80, protocol: 'TCP' };
      expect(notEnforcedReason({ chains: [], l7: plan }, cell)).to.match(/port range/);
    });

    it('should report a regex it cannot translate unsupported instead of guessing', () => {
      const ingress = ciliumPolicy('x', 'unicode', {
        endpointSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }], rules: { http: [{ path: '/\\pL+' }] } }] }],
      });
      const plan = compileL7Plan(l7State([ingress]));
      expect(plan.proxies).to.deep.equal([]);
      expect(plan.unenforced[0]?.reason).to.match(/RE2 construct/);
    });
  });
});

describe('re2ToPcre', () => {
  it('should anchor the whole value and reject constructs whose PCRE2 meaning differs', () => {
    expect(re2ToPcre('/public/.*')).to.equal('^(?:/public/.*)\\z');
    expect(re2ToPcre('[[:digit:]]+|a')).to.equal('^(?:[[:digit:]]+|a)\\z');
    for (const bad of ['\\C', '\\pL', '\\x{263a}', '\\1', 'é']) expect(re2ToPcre(bad), bad).to.equal(undefined);
  });
});
