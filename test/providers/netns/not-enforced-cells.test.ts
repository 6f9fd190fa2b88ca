import { expect } from 'chai';
import type { CellKey, PodRef } from '../../../src/model/index.js';
import { compileFilterPlan } from '../../../src/providers/netns/filter-plan.js';
import { notEnforcedReason } from '../../../src/providers/netns/not-enforced-cells.js';
import { clusterPolicy, globalPolicy, gridTopology, sel } from './fixtures.js';

const topology = gridTopology();
const cell = (from: PodRef, to: PodRef, target: CellKey['target'] = 'pod-ip', port = 80, protocol: CellKey['protocol'] = 'TCP'): CellKey => ({ from, to, target, port, protocol });
const domains = clusterPolicy('fqdn', {
  tier: 'Admin',
  priority: 1,
  subject: { pods: { podSelector: { matchLabels: { pod: 'a' } } } },
  egress: [{ action: 'Accept', to: [{ domainNames: ['*.example.com'] }] }],
});

describe('notEnforcedReason', () => {
  it('should name the unevaluable rule for every cell whose source egress chain holds it, and nothing for the others', () => {
    const plan = compileFilterPlan({ topology, policies: [domains] });
    expect(notEnforcedReason(plan, cell('x/a', 'y/b'))).to.equal('netns cannot evaluate ClusterNetworkPolicy/fqdn egress[0]: domainNames peer (*.example.com)');
    expect(notEnforcedReason(plan, cell('y/a', 'x/b'))).to.match(/domainNames/);
    expect(notEnforcedReason(plan, cell('x/b', 'x/a'))).to.equal(undefined);
  });

  it('should leave a pod reaching its own IP alone (no chain sees it), but not its own Service (the hairpin crosses the node)', () => {
    const plan = compileFilterPlan({ topology, policies: [domains] });
    expect(notEnforcedReason(plan, cell('x/a', 'x/a'))).to.equal(undefined);
    expect(notEnforcedReason(plan, cell('x/a', 'x/a', 'service'))).to.match(/domainNames/);
  });

  it('should mark only the cells on the ports of the rule when it has protocols', () => {
    const ranged = clusterPolicy('fqdn-https', { ...domains.spec, egress: [{ action: 'Accept', to: [{ domainNames: ['*.example.com'] }], protocols: [{ tcp: { destinationPort: { range: { start: 80, end: 443 } } } }] }] });
    const plan = compileFilterPlan({ topology, policies: [ranged] });
    expect(notEnforcedReason(plan, cell('x/a', 'y/b', 'pod-ip', 443))).to.match(/fqdn-https/);
    expect(notEnforcedReason(plan, cell('x/a', 'y/b', 'pod-ip', 80))).to.match(/fqdn-https/);
    expect(notEnforcedReason(plan, cell('x/a', 'y/b', 'pod-ip', 81, 'UDP'))).to.equal(undefined);
    expect(notEnforcedReason(plan, cell('x/a', 'y/b', 'pod-ip', 444))).to.equal(undefined);
  });

  it('should mark the cells a Calico rule with source ports could decide: into its pod, on its destination ports', () => {
    const sourcePorts = globalPolicy('sport', { selector: "pod == 'a'", ingress: [{ action: 'Deny', protocol: 'TCP', source: { ports: [{ number: 1234 }], selector: sel("pod == 'b'") }, destination: { ports: [{ number: 80 }] } }] });
    const plan = compileFilterPlan({ topology, policies: [sourcePorts] });
    expect(notEnforcedReason(plan, cell('x/b', 'x/a'))).to.equal('netns cannot evaluate GlobalNetworkPolicy/sport ingress[0] Deny: source ports');
    expect(notEnforcedReason(plan, cell('x/b', 'x/a', 'pod-ip', 81))).to.equal(undefined);
    expect(notEnforcedReason(plan, cell('x/a', 'x/b'))).to.equal(undefined);
  });

  it('should say nothing with enforcement off or without such a rule', () => {
    expect(notEnforcedReason(undefined, cell('x/a', 'y/b'))).to.equal(undefined);
    expect(notEnforcedReason(compileFilterPlan({ topology, policies: [] }), cell('x/a', 'y/b'))).to.equal(undefined);
  });
});
