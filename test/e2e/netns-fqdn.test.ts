import { expect } from 'chai';
import type { ProbeJob, ProbeResult } from '../../src/agent/protocol.js';
import type { CiliumEgressRule, CiliumFqdnSpec, CiliumNetworkPolicy, PolicyObject, Topology } from '../../src/model/index.js';
import type { DeployedScenario } from '../../src/providers/provider.js';
import { connect, dnsQuery, smallTopology, useNetnsWorld } from './netns-helpers.js';

// smallTopology (x/a 10.244.0.1, DNS pod kube-system/coredns) plus three external hosts with names.
const API = '192.0.2.20';
const DEEP = '192.0.2.21';
const OTHER = '192.0.2.22';
const KUBE_DNS = [{ matchLabels: { 'io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }];

const onXA = (...egress: CiliumEgressRule[]): CiliumNetworkPolicy => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: 'fqdn', namespace: 'x' },
  specs: [{ endpointSelector: { matchLabels: { pod: 'a' } }, egress }],
});
/** Egress to the DNS pod on 53 (UDP and TCP), with DNS rules when names are given. */
const dnsEgress = (...dns: CiliumFqdnSpec[]): CiliumEgressRule => ({ toEndpoints: KUBE_DNS, toPorts: [{ ports: [{ port: { number: 53 }, protocol: 'ANY' }], ...(dns.length > 0 && { rules: { dns } }) }] });
const toFqdns = (...selectors: CiliumFqdnSpec[]): CiliumEgressRule => ({ toFQDNs: selectors, toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }] }] });

/**
 * Cilium DNS rules and toFQDNs on real packets (src/providers/netns/README.md "FQDN"): the cluster DNS
 * agent refuses names outside a source's DNS rules and fills the source's nft sets with what it
 * answers, before the answer leaves, so a connect right after a lookup passes and one without fails.
 */
describe('netns Cilium toFQDNs and DNS rules (e2e)', function () {
  this.timeout(60_000);
  const runId = `fqdn${process.pid}`;
  const base = smallTopology();
  const topology: Topology = {
    ...base,
    externals: [
      ...base.externals,
      { name: 'api', ip: API, ports: [{ port: 80, protocol: 'TCP' }], dnsName: 'api.example.com' },
      { name: 'deep', ip: DEEP, ports: [{ port: 80, protocol: 'TCP' }], dnsName: 'a.b.example.com' },
      { name: 'other', ip: OTHER, ports: [{ port: 80, protocol: 'TCP' }], dnsName: 'other.example.net' },
    ],
  };
  const world = useNetnsWorld(runId, topology);
  const sync = (...policies: PolicyObject[]) => (world.deployed as DeployedScenario).sync({ topology, policies });
  /** Runs jobs from x/a one after the other (order matters: lookups fill sets) and returns each result by job id. */
  const fromXA = async (...jobs: ProbeJob[]): Promise<Record<string, ProbeResult>> => {
    const out: Record<string, ProbeResult> = {};
    for (const job of jobs) {
      const r = await (world.deployed as DeployedScenario).transport().runBatch('x/a', { jobs: [job], concurrency: 1 });
      out[job.id] = r.results[0] as ProbeResult;
    }
    return out;
  };
  const outcomes = (r: Record<string, ProbeResult>) => Object.fromEntries(Object.entries(r).map(([id, x]) => [id, x.outcome]));
  // A fully qualified name: the probe resolves it without walking the search list.
  const byName = (name: string) => connect(`${name}.`, 80);
  const byIp = (ip: string) => ({ ...connect(ip, 80), id: `ip ${ip}` });

  it('should reach a toFQDNs matchName only after a lookup a DNS rule allowed, and never without the DNS rule', async () => {
    await sync(onXA(dnsEgress({ matchPattern: '*' }), toFqdns({ matchName: 'api.example.com' })));
    const before = await fromXA(byIp(API));
    const after = await fromXA(byName('api.example.com'), byIp(API), byName('other.example.net'));
    expect(outcomes(before)).to.deep.equal({ [`ip ${API}`]: 'timeout' });
    expect(outcomes(after)).to.deep.equal({ 'api.example.com.:80/TCP': 'connected', [`ip ${API}`]: 'connected', 'other.example.net.:80/TCP': 'timeout' });
    // A sync replaces the table: what the last step's lookups added is gone.
    await sync(onXA(dnsEgress({ matchPattern: '*' }), toFqdns({ matchName: 'api.example.com' })));
    expect((await fromXA(byIp(API)))[`ip ${API}`]?.outcome).to.equal('timeout');
    // L4 to the DNS pod but no DNS rule: the name resolves, nothing fills the set, the connect is dropped.
    await sync(onXA(dnsEgress(), toFqdns({ matchName: 'api.example.com' })));
    expect(outcomes(await fromXA(dnsQuery('api.example.com', 'UDP'), byName('api.example.com')))).to.deep.equal({
      'dns api.example.com UDP': 'connected',
      'api.example.com.:80/TCP': 'timeout',
    });
  });

  it('should let matchPattern *.example.com admit api.example.com but not a.b.example.com, and **.example.com both', async () => {
    await sync(onXA(dnsEgress({ matchPattern: '*' }), toFqdns({ matchPattern: '*.example.com' })));
    expect(outcomes(await fromXA(byName('api.example.com'), byName('a.b.example.com')))).to.deep.equal({
      'api.example.com.:80/TCP': 'connected',
      'a.b.example.com.:80/TCP': 'timeout',
    });
    await sync(onXA(dnsEgress({ matchPattern: '*' }), toFqdns({ matchPattern: '**.example.com' })));
    expect(outcomes(await fromXA(byName('a.b.example.com')))).to.deep.equal({ 'a.b.example.com.:80/TCP': 'connected' });
  });

  it('should answer REFUSED for a name outside the DNS rule over UDP and TCP, and still answer and admit the name it allows', async () => {
    await sync(onXA(dnsEgress({ matchName: 'api.example.com' }), toFqdns({ matchPattern: '*.example.com' }, { matchName: 'other.example.net' })));
    const r = await fromXA(dnsQuery('other.example.net', 'UDP'), dnsQuery('other.example.net', 'TCP'), dnsQuery('api.example.com', 'TCP'), byName('api.example.com'), byName('other.example.net'));
    expect(Object.fromEntries(Object.entries(r).map(([id, x]) => [id, `${x.outcome}${x.detail ? ` ${x.detail}` : ''}`]))).to.deep.include({
      'dns other.example.net UDP': 'dns-refused REFUSED',
      'dns other.example.net TCP': 'dns-refused REFUSED',
      'dns api.example.com TCP': 'connected',
      'api.example.com.:80/TCP': 'connected',
    });
    // The refused name matches a toFQDNs selector, but a refused lookup fills nothing.
    expect(r['other.example.net.:80/TCP']?.outcome).to.equal('dns-refused');
    expect((await fromXA(byIp(OTHER)))[`ip ${OTHER}`]?.outcome).to.equal('timeout');
  });

  it('should refuse names outside the DNS rule of an egress that is not default-deny, whose connects stay open', async () => {
    const off: CiliumNetworkPolicy = { ...onXA(dnsEgress({ matchName: 'api.example.com' })), specs: [{ endpointSelector: { matchLabels: { pod: 'a' } }, egress: [dnsEgress({ matchName: 'api.example.com' })], enableDefaultDeny: { egress: false } }] };
    await sync(off);
    expect(outcomes(await fromXA(dnsQuery('other.example.net', 'UDP'), dnsQuery('api.example.com', 'TCP'), byIp(OTHER)))).to.deep.equal({
      'dns other.example.net UDP': 'dns-refused',
      'dns api.example.com TCP': 'connected',
      [`ip ${OTHER}`]: 'connected',
    });
  });

  it('should leave the lookups of a pod without DNS rules alone', async () => {
    await sync(onXA(dnsEgress({ matchName: 'api.example.com' })));
    const r = await (world.deployed as DeployedScenario).transport().runBatch('x/b', { jobs: [dnsQuery('other.example.net', 'UDP'), connect(OTHER, 80)], concurrency: 1 });
    expect(r.results.map((x) => x.outcome)).to.deep.equal(['connected', 'connected']);
  });
});
