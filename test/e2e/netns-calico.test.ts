import { expect } from 'chai';
import type { ClusterNetworkPolicy, PolicyObject, Topology } from '../../src/model/index.js';
import type { DeployedScenario } from '../../src/providers/provider.js';
import { calicoPolicy, globalPolicy, sel, tier } from '../providers/netns/fixtures.js';
import { connect, np, probe, smallTopology, useNetnsWorld } from './netns-helpers.js';

// smallTopology: x/a 10.244.0.1 (Service 10.96.0.101), x/b .2, y/a .3, y/b .4 (namespace y: team=blue),
// kube-system/coredns .9, external host "metadata" 169.254.169.254:80; here y/b runs as service account
// "robot" (label role=bot), the others as "default".
const XA = '10.244.0.1';
const XB = '10.244.0.2';
const YA = '10.244.0.3';
const YB = '10.244.0.4';
const METADATA = '169.254.169.254';
const XA_ONLY = "projectcalico.org/namespace == 'x' && pod == 'a'";
const from = (namespace: string, pod: string) => ({ selector: sel(`projectcalico.org/namespace == '${namespace}' && pod == '${pod}'`) });
/** NetworkPolicy isolating x/a for ingress, allowing only x/b. */
const npXAFromXB = np('x', 'from-b', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] });

/**
 * Calico tiers on real packets: Pass to the next tier (and to the namespace profile after the last),
 * the end-of-tier drop and a Pass default, Deny before Allow by policy order, Log going on, and
 * notSelector matching an external host where a negated selector does not.
 */
describe('netns Calico policy (e2e)', function () {
  this.timeout(60_000);
  const runId = `cal${process.pid}`;
  const base = smallTopology();
  const topology: Topology = {
    ...base,
    pods: base.pods.map((p) => (p.namespace === 'y' && p.name === 'b' ? { ...p, serviceAccount: 'robot' } : p)),
    serviceAccounts: [{ namespace: 'y', name: 'robot', labels: { role: 'bot' } }],
  };
  const world = useNetnsWorld(runId, topology);
  const e = () => world.deployed as DeployedScenario;
  const sync = (...policies: PolicyObject[]) => e().sync({ topology, policies });
  const probeFrom = (source: Parameters<typeof probe>[1], ...jobs: Parameters<typeof connect>[]) => probe(e(), source, jobs.map((j) => connect(...j)));

  it('should Pass to the next applying tier, where the NetworkPolicy in the default tier decides, and allow after the last tier', async () => {
    const security = globalPolicy('security', { tier: 'security', selector: 'all()', ingress: [{ action: 'Pass', source: from('x', 'b') }, { action: 'Pass', destination: from('x', 'b') }, { action: 'Deny' }] });
    await sync(tier('security', 100), security, npXAFromXB);
    // x/b -> x/a: passed, the NetworkPolicy allows it; y/a -> x/a: denied in the security tier.
    expect(await probeFrom('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected' });
    expect(await probeFrom('y/a', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
    // y/a -> x/b: passed, no later tier applies to x/b: the profile allows.
    expect(await probeFrom('y/a', [XB, 80])).to.deep.equal({ [`${XB}:80/TCP`]: 'connected' });
  });

  it('should drop at the end of a tier that applied without deciding, unless the tier\'s defaultAction is Pass', async () => {
    const onlyYA = globalPolicy('only-y-a', { tier: 'security', selector: XA_ONLY, ingress: [{ action: 'Allow', protocol: 'TCP', source: from('y', 'a'), destination: { ports: [{ number: 80 }] } }] });
    await sync(tier('security', 100), onlyYA);
    expect(await probeFrom('y/a', [XA, 80], [XA, 81])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected', [`${XA}:81/TCP`]: 'timeout' });
    expect(await probeFrom('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
    await sync(tier('security', 100, 'Pass'), onlyYA);
    expect(await probeFrom('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected' });
  });

  it('should apply policies in order: a Deny before an Allow wins, after it loses; Log decides nothing', async () => {
    const deny = (order: number) => globalPolicy('deny-x-b', { order, selector: XA_ONLY, ingress: [{ action: 'Log' }, { action: 'Deny', source: from('x', 'b') }] });
    const allow = (order: number) => globalPolicy('allow-all', { order, selector: XA_ONLY, ingress: [{ action: 'Allow' }] });
    await sync(deny(10), allow(20));
    expect(await probeFrom('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
    expect(await probeFrom('y/a', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected' });
    await sync(deny(30), allow(20));
    expect(await probeFrom('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected' });
  });

  it('should match an external host with notSelector, but not with a negated selector (it is no endpoint)', async () => {
    await sync(globalPolicy('egress', { selector: XA_ONLY, egress: [{ action: 'Deny', destination: { notSelector: sel("pod == 'b'") } }, { action: 'Allow' }] }));
    expect(await probeFrom('x/a', [METADATA, 80], [XB, 80], [YA, 80])).to.deep.equal({ [`${METADATA}:80/TCP`]: 'timeout', [`${XB}:80/TCP`]: 'connected', [`${YA}:80/TCP`]: 'timeout' });
    await sync(globalPolicy('egress', { selector: XA_ONLY, egress: [{ action: 'Deny', destination: { selector: sel("pod != 'b'") } }, { action: 'Allow' }] }));
    expect(await probeFrom('x/a', [METADATA, 80], [XB, 80], [YA, 80])).to.deep.equal({ [`${METADATA}:80/TCP`]: 'connected', [`${XB}:80/TCP`]: 'connected', [`${YA}:80/TCP`]: 'timeout' });
  });

  it('should select peers by service account and scope a namespaced policy\'s rules to its namespace unless namespaceSelector says otherwise', async () => {
    const fromBots = calicoPolicy('x', 'bots', { selector: "pod == 'a'", ingress: [{ action: 'Allow', source: { serviceAccounts: { selector: sel("role == 'bot'") }, namespaceSelector: sel("team == 'blue'") } }] });
    await sync(fromBots);
    expect(await probeFrom('y/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected' });
    expect(await probeFrom('y/a', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
    // Without namespaceSelector the account is looked for in x only: y/b no longer matches.
    await sync(calicoPolicy('x', 'bots', { selector: "pod == 'a'", ingress: [{ action: 'Allow', source: { serviceAccounts: { names: ['robot'] } } }] }));
    expect(await probeFrom('y/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
  });

  it('should run a Calico tier ordered between kube-admin and the default tier after a ClusterNetworkPolicy Pass', async () => {
    const adminPass: ClusterNetworkPolicy = {
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'admin-pass' },
      spec: { tier: 'Admin', priority: 1, subject: { namespaces: {} }, egress: [{ action: 'Pass', to: [{ namespaces: {} }] }, { action: 'Accept', to: [{ networks: ['0.0.0.0/0'] }] }] },
    };
    const platform = globalPolicy('platform', { tier: 'platform', selector: XA_ONLY, egress: [{ action: 'Deny', destination: { selector: sel("pod == 'b'") } }, { action: 'Pass' }] });
    await sync(adminPass, tier('platform', 5000), platform);
    // Passed by Admin: the platform tier denies pods b, passes the rest (no later tier: allowed).
    expect(await probeFrom('x/a', [XB, 80], [YB, 80], [YA, 80])).to.deep.equal({ [`${XB}:80/TCP`]: 'timeout', [`${YB}:80/TCP`]: 'timeout', [`${YA}:80/TCP`]: 'connected' });
    // Accepted by Admin before any Calico tier: the external host.
    await sync(adminPass, tier('platform', 5000), globalPolicy('platform', { tier: 'platform', selector: XA_ONLY, egress: [{ action: 'Deny' }] }));
    expect(await probeFrom('x/a', [METADATA, 80], [YA, 80])).to.deep.equal({ [`${METADATA}:80/TCP`]: 'connected', [`${YA}:80/TCP`]: 'timeout' });
  });

  it('should exclude notPorts and notProtocol, and judge a Service flow by its backend', async () => {
    await sync(globalPolicy('ports', { selector: XA_ONLY, ingress: [{ action: 'Deny', protocol: 'TCP', destination: { notPorts: [{ name: 'serve-81-tcp' }] } }, { action: 'Deny', notProtocol: 'TCP' }, { action: 'Allow' }] }));
    expect(await probeFrom('y/a', [XA, 80], [XA, 81], [XA, 81, 'UDP'], ['10.96.0.101', 81])).to.deep.equal({
      [`${XA}:80/TCP`]: 'timeout',
      [`${XA}:81/TCP`]: 'connected',
      [`${XA}:81/UDP`]: 'timeout',
      '10.96.0.101:81/TCP': 'connected',
    });
  });
});
