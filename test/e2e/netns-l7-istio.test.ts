import { expect } from 'chai';
import type { ClusterState, PolicyObject } from '../../src/model/index.js';
import { connect, np, outcome } from './netns-helpers.js';
import { authz, deniedBy, l7Topology, l7Unavailable, passed, RBAC_DENIED, request, withL7World } from './netns-l7-helpers.js';

const XA = 'http://10.244.0.1/orders';

function state(policies: PolicyObject[]): ClusterState {
  return { topology: l7Topology(), policies };
}

/**
 * Istio AuthorizationPolicy on the netns datapath's HAProxy proxies, with real HTTP requests (curl)
 * and real connections (the agent): each world has its own run id.
 */
describe('netns L7 proxy: Istio AuthorizationPolicy (e2e)', function () {
  this.timeout(60_000);

  before(async function () {
    if (await l7Unavailable()) this.skip();
  });

  it('should allow only POST from the inventory service account, and stop enforcing when the policy goes', async () => {
    await withL7World(`l7p${process.pid}`, async (deployed) => {
      const postOnly = authz('x', 'shoes-writer', {
        selector: { matchLabels: { pod: 'a' } },
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/y/sa/inventory'] } }], to: [{ operation: { methods: ['POST'] } }] }],
      });
      await deployed.sync(state([postOnly]));
      expect(deployed.enterHint('x/a')).to.match(/^sudo ip netns exec \S+ bash \(its L7 proxy: HAProxy with \S+\/l7\/proxy-0\.cfg/);
      expect(deployed.enterHint('x/b')).to.match(/^sudo ip netns exec \S+ bash$/);
      passed(await request(deployed, 'y/b', 'POST', XA));
      deniedBy(RBAC_DENIED, await request(deployed, 'y/b', 'GET', XA));
      deniedBy(RBAC_DENIED, await request(deployed, 'y/a', 'POST', XA));
      // A pod the policy does not select has no proxy.
      expect(await outcome(deployed, 'y/a', connect('10.244.0.2', 80))).to.equal('connected');
      await deployed.sync(state([]));
      passed(await request(deployed, 'y/a', 'GET', XA));
    });
  });

  it('should deny before allowing, apply root-namespace policies everywhere, and never see what L4 blocks', async () => {
    await withL7World(`l7d${process.pid}`, async (deployed) => {
      const allowAll = authz('x', 'allow-all', { selector: { matchLabels: { pod: 'a' } }, rules: [{}] });
      const denyAdmin = authz('istio-system', 'deny-admin', { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }] });
      await deployed.sync(state([allowAll, denyAdmin]));
      passed(await request(deployed, 'x/b', 'GET', XA));
      deniedBy(RBAC_DENIED, await request(deployed, 'x/b', 'GET', 'http://10.244.0.1/admin/users'));
      // The root-namespace DENY reaches y/a too.
      deniedBy(RBAC_DENIED, await request(deployed, 'x/b', 'GET', 'http://10.244.0.3/admin'));
      passed(await request(deployed, 'x/b', 'GET', 'http://10.244.0.3/shop'));
      // L4 blocks x/b -> x/a: the request never reaches the proxy (no answer at all, not 403).
      const l4 = np('x', 'only-from-y', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }] });
      await deployed.sync(state([allowAll, denyAdmin, l4]));
      expect((await request(deployed, 'x/b', 'GET', XA)).exit).to.equal(28);
      passed(await request(deployed, 'y/a', 'GET', XA));
      deniedBy(RBAC_DENIED, await request(deployed, 'y/a', 'GET', 'http://10.244.0.1/admin'));
    });
  });

  it('should deny every connection on a TCP port where a DENY rule has HTTP-only fields, and leave the HTTP port to its requests', async () => {
    await withL7World(`l7t${process.pid}`, async (deployed) => {
      const denyPost = authz('x', 'deny-post', { action: 'DENY', selector: { matchLabels: { pod: 'a' } }, rules: [{ to: [{ operation: { methods: ['POST'] } }] }] });
      await deployed.sync(state([denyPost]));
      // 81/TCP is not HTTP: the method cannot be seen, so the rule denies every connection (accepted, then closed).
      expect(await outcome(deployed, 'x/b', connect('10.244.0.1', 81, 'TCP', 'x/a'))).to.equal('closed-after-connect');
      expect(await outcome(deployed, 'x/b', connect('10.244.0.2', 81, 'TCP', 'x/b'))).to.equal('connected');
      deniedBy(RBAC_DENIED, await request(deployed, 'x/b', 'POST', XA));
      passed(await request(deployed, 'x/b', 'GET', XA));
      // A connection that sends no request on the HTTP port passes: its verdict is the L3/L4 one.
      expect(await outcome(deployed, 'x/b', connect('10.244.0.1', 80, 'TCP', 'x/a'))).to.equal('connected');
    });
  });
});
