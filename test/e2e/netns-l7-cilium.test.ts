import { expect } from 'chai';
import type { CiliumNetworkPolicy } from '../../src/model/index.js';
import { connect, outcome } from './netns-helpers.js';
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
});
