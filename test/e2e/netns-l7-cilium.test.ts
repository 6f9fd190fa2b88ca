import { expect } from 'chai';
import type { CiliumNetworkPolicy } from '../../src/model/index.js';
import { connect, np, outcome } from './netns-helpers.js';
import { CILIUM_DENIED, deniedBy, l7Topology, l7Unavailable, passed, request, withL7World } from './netns-l7-helpers.js';

function getPublicOnly(): CiliumNetworkPolicy {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'public-get', namespace: 'x' },
    specs: [
      {
        endpointSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { pod: 'b' } }], toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/public/.*' }] } }] }],
      },
    ],
  };
}

/** x/b may only GET x/a:80 (egress, default-deny: nothing else leaves x/b). */
function egressGetOnly(): CiliumNetworkPolicy {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'egress-get', namespace: 'x' },
    specs: [
      {
        endpointSelector: { matchLabels: { pod: 'b' } },
        egress: [{ toEndpoints: [{ matchLabels: { pod: 'a' } }], toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] }],
      },
    ],
  };
}

/** Cilium ingress HTTP rules on the netns datapath's HAProxy proxies, with real requests (curl). */
describe('netns L7 proxy: Cilium HTTP rules (e2e)', function () {
  this.timeout(60_000);

  before(async function () {
    if (await l7Unavailable()) this.skip();
  });

  it('should pass GET /public/.* from the allowed peer, answer 403 to anything else it sends, and drop other peers below L7', async () => {
    await withL7World(`l7c${process.pid}`, async (deployed) => {
      await deployed.sync({ topology: l7Topology(), policies: [getPublicOnly()] });
      // x/b is in namespace x (a CiliumNetworkPolicy's endpoints are scoped to its namespace).
      passed(await request(deployed, 'x/b', 'GET', 'http://10.244.0.1/public/shoes?size=42'));
      deniedBy(CILIUM_DENIED, await request(deployed, 'x/b', 'POST', 'http://10.244.0.1/public/shoes'));
      deniedBy(CILIUM_DENIED, await request(deployed, 'x/b', 'GET', 'http://10.244.0.1/private'));
      // Whole-value match: /publicity is not /public/.*
      deniedBy(CILIUM_DENIED, await request(deployed, 'x/b', 'GET', 'http://10.244.0.1/publicity'));
      // y/a has no L4 allow: dropped by the node's filter, never answered.
      expect((await request(deployed, 'y/a', 'GET', 'http://10.244.0.1/public/shoes')).exit).to.equal(28);
      // A connection that sends no request passes on the allowed peer (its verdict is L3/L4).
      expect(await outcome(deployed, 'x/b', connect('10.244.0.1', 80, 'TCP', 'x/a'))).to.equal('connected');
    });
  });

  it('should judge egress HTTP rules at the source: GET passes, POST gets the source proxy\'s 403, other pods are unaffected and L4-blocked peers stay blocked', async () => {
    await withL7World(`l7e${process.pid}`, async (deployed) => {
      await deployed.sync({ topology: l7Topology(), policies: [egressGetOnly()] });
      passed(await request(deployed, 'x/b', 'GET', 'http://10.244.0.1/anything'));
      // x/a has no proxy of its own: this 403 is the one x/b's egress proxy answers.
      deniedBy(CILIUM_DENIED, await request(deployed, 'x/b', 'POST', 'http://10.244.0.1/anything'));
      // A pod the policy does not select is not redirected.
      passed(await request(deployed, 'y/b', 'POST', 'http://10.244.0.1/anything'));
      // y/a:80 (HTTP too) is no egress peer of x/b: the node drops it, nothing answers (not a 403).
      expect((await request(deployed, 'x/b', 'GET', 'http://10.244.0.3/anything')).exit).to.equal(28);
      expect(await outcome(deployed, 'x/b', connect('10.244.0.3', 80, 'TCP', 'y/a'))).to.not.equal('connected');
      // A connection that sends no request passes the proxy to the allowed peer (its verdict is L3/L4).
      expect(await outcome(deployed, 'x/b', connect('10.244.0.1', 80, 'TCP', 'x/a'))).to.equal('connected');
      // The proxy's onward connection is the pod's own: the node still judges it (x/a's ingress isolated: no way through).
      await deployed.sync({ topology: l7Topology(), policies: [egressGetOnly(), np('x', 'isolate-a', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Ingress'] })] });
      const refused = await request(deployed, 'x/b', 'GET', 'http://10.244.0.1/anything');
      expect(refused.exit !== 0 || refused.status === 503, JSON.stringify(refused)).to.equal(true);
      // The policy goes: the redirect goes with it.
      await deployed.sync({ topology: l7Topology(), policies: [] });
      passed(await request(deployed, 'x/b', 'POST', 'http://10.244.0.1/anything'));
    });
  });
});
