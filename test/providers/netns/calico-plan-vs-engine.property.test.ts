import { expect } from 'chai';
import fc from 'fast-check';
import { cellId, isExternalRef, type CellKey, type PolicyObject, type Protocol, type Topology } from '../../../src/model/index.js';
import { compilePolicies } from '../../../src/policy/index.js';
import { planCells } from '../../../src/probe/plan-cells.js';
import { compileFilterPlan, type FilterPlan } from '../../../src/providers/netns/filter-plan.js';
import { addrMatches } from '../../../src/providers/netns/layers/addr-matches.js';
import type { PortMatch } from '../../../src/providers/netns/layers/flow-match.js';
import type { LayerChain } from '../../../src/providers/netns/layers/netns-layer.js';
import { groupPodLayers } from '../../../src/providers/netns/nft-layer-chains.js';
import { notEnforcedReason } from '../../../src/providers/netns/not-enforced-cells.js';
import { calicoPoliciesArb, calicoTopologyArb } from '../../builders/random-calico-policy.js';
import { clusterNetworkPoliciesArb } from '../../builders/random-cluster-network-policy.js';
import { policiesArb } from '../../policy/policy-arbitraries.js';

/**
 * The netns filter plan of random Calico worlds, read as nftables would run it (a test-only reading
 * of the layer chains: first matching rule, `pass` / end `continue` to the next layer, after the last
 * accepted), against the engine on every cell. Thousands of worlds in seconds, where the real-packet
 * differential (test/e2e/differential.test.ts) affords dozens; that one also checks the rendering.
 */
interface Flow {
  readonly src: string;
  readonly dst: string;
  readonly protocol: Protocol;
  readonly port: number;
}

function portMatches(match: PortMatch, flow: Flow): boolean {
  switch (match.kind) {
    case 'any':
      return true;
    case 'protocol':
      return match.protocol === flow.protocol;
    case 'range':
      return match.protocol === flow.protocol && flow.port >= match.from && flow.port <= match.to;
    case 'tuples':
      return match.tuples.some((t) => t.ip === flow.dst && t.protocol === flow.protocol && t.port === flow.port);
    case 'ipProtocol':
      return false;
  }
}

/** One direction of a flow through a pod's layer chains in rank order: accepted or refused. */
function judge(chains: readonly LayerChain[], flow: Flow): boolean {
  for (const chain of chains) {
    const remote = chain.direction === 'ingress' ? flow.src : flow.dst;
    const rule = chain.rules.find((r) => r.verdict !== 'log' && addrMatches(r.peer, remote) && portMatches(r.port, flow) && !(r.except ?? []).some((e) => portMatches(e, flow)));
    if (rule?.verdict === 'accept') return true;
    if (rule?.verdict === 'deny') return false;
    if (!rule && chain.end === 'deny') return false;
  }
  return true;
}

function simulate(plan: FilterPlan, topology: Topology, cell: CellKey): 'allowed' | 'blocked' {
  const ipOf = (ref: string) => (isExternalRef(ref) ? topology.externals.find((e) => `external:${e.name}` === ref)!.ip : topology.pods.find((p) => `${p.namespace}/${p.name}` === ref)!.ip);
  const flow: Flow = { src: ipOf(cell.from), dst: ipOf(cell.to), protocol: cell.protocol, port: cell.port };
  const groups = groupPodLayers(plan.chains);
  const egress = groups.find((g) => g.direction === 'egress' && g.ip === flow.src);
  const ingress = groups.find((g) => g.direction === 'ingress' && g.ip === flow.dst);
  return (!egress || judge(egress.chains, flow)) && (!ingress || judge(ingress.chains, flow)) ? 'allowed' : 'blocked';
}

/** As the differential deploys it: IPv4 externals, Service IPs. */
function deployable(t: Topology): Topology {
  return { ...t, externals: t.externals.filter((e) => !e.ip.includes(':')), pods: t.pods.map((p, i) => ({ ...p, serviceIP: p.system ? t.dnsServiceIP : `10.96.0.${100 + i}` })) };
}

const worldArb = fc.record({
  topology: calicoTopologyArb.map(deployable),
  calico: calicoPoliciesArb(),
  networkPolicies: policiesArb(2),
  clusterPolicies: fc.option(clusterNetworkPoliciesArb(2), { nil: undefined }),
});

describe('the netns filter plan of random Calico worlds', () => {
  it('should decide every cell as the engine does', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(worldArb, ({ topology, calico, networkPolicies, clusterPolicies }) => {
        const policies: PolicyObject[] = [...networkPolicies, ...(clusterPolicies ?? []), ...calico];
        const plan = compileFilterPlan({ topology, policies });
        const engine = compilePolicies(topology, policies);
        const cells = planCells(topology, {
          ports: [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }],
          targets: ['pod-ip', 'service', 'external'],
          dns: ['UDP', 'TCP'],
          timeoutMs: 100,
        }).filter((c) => (c.from !== c.to || c.target === 'service') && notEnforcedReason(plan, c) === undefined);
        const wrong = cells.filter((c) => {
          const verdict = engine.verdict(c);
          return (verdict === 'allowed' || verdict === 'blocked') && verdict !== simulate(plan, topology, c);
        });
        expect(wrong.map((c) => `${cellId(c)}: engine ${engine.verdict(c)}`)).to.deep.equal([]);
      }),
      { numRuns: 300 },
    );
  });
});
