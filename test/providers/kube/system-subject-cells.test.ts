import { expect } from 'chai';
import { parseCalicoSelector, type CalicoGlobalNetworkPolicy, type CellKey, type ClusterNetworkPolicy, type ClusterNetworkPolicySubject } from '../../../src/model/index.js';
import { systemSubjectReason } from '../../../src/providers/kube/system-subject-cells.js';
import { gridTopology, netpol } from '../../builders/grid-topology.js';

const cnp = (name: string, subject: ClusterNetworkPolicySubject): ClusterNetworkPolicy => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name },
  spec: { tier: 'Baseline', priority: 10, subject, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] },
});
const topology = gridTopology();
const dns: CellKey = { from: 'x/a', to: 'kube-system/coredns', target: 'dns', port: 53, protocol: 'UDP' };
const dnsName: CellKey = { from: 'x/a', to: 'y/b', target: 'dns-name', port: 80, protocol: 'TCP' };
const podIp: CellKey = { from: 'x/a', to: 'y/b', target: 'pod-ip', port: 80, protocol: 'TCP' };

describe('systemSubjectReason', () => {
  it('should mark cells judged at a system pod that a ClusterNetworkPolicy subject selects, and dns-name cells that need its answer', () => {
    const state = { topology, policies: [cnp('deny-all', { namespaces: {} })] };
    expect(systemSubjectReason(state, dns)).to.match(/deny-all denies ingress of the system pod kube-system\/coredns/);
    expect(systemSubjectReason(state, dnsName)).to.match(/deny-all/);
    expect(systemSubjectReason(state, podIp)).to.equal(undefined);
  });

  it('should mark nothing when the policy only accepts, or denies the other direction (no NetworkPolicy isolates a system pod on a cluster)', () => {
    const accept = cnp('accept', { namespaces: {} });
    const egressOnly = cnp('egress', { namespaces: {} });
    const state = {
      topology,
      policies: [
        { ...accept, spec: { ...accept.spec, ingress: [{ action: 'Accept' as const, from: [{ namespaces: {} }] }] } },
        { ...egressOnly, spec: { ...egressOnly.spec, ingress: undefined, egress: [{ action: 'Deny' as const, to: [{ namespaces: {} }] }] } },
      ],
    };
    expect(systemSubjectReason(state, dns)).to.equal(undefined);
    expect(systemSubjectReason(state, dnsName)).to.equal(undefined);
  });

  it('should mark nothing when no subject selects a system pod, or there is no ClusterNetworkPolicy', () => {
    const own = { topology, policies: [cnp('x-only', { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } })] };
    expect(systemSubjectReason(own, dns)).to.equal(undefined);
    expect(systemSubjectReason({ topology, policies: [netpol('x', 'deny', { podSelector: {}, ingress: [] })] }, dns)).to.equal(undefined);
    expect(systemSubjectReason(undefined, dns)).to.equal(undefined);
  });

  it('should mark cells judged at a system pod that a CiliumClusterwideNetworkPolicy rule with that section selects, and nothing for a rule selecting other pods', () => {
    const ccnp = (name: string, endpointSelector: Record<string, unknown>) => ({ apiVersion: 'cilium.io/v2' as const, kind: 'CiliumClusterwideNetworkPolicy' as const, metadata: { name }, specs: [{ endpointSelector, ingress: [{}] }] });
    const all = { topology, policies: [ccnp('lock-down', {})] };
    expect(systemSubjectReason(all, dns)).to.match(/CiliumClusterwideNetworkPolicy lock-down restricts ingress of the system pod kube-system\/coredns/);
    expect(systemSubjectReason(all, dnsName)).to.match(/lock-down/);
    expect(systemSubjectReason(all, podIp)).to.equal(undefined);
    const apps = { topology, policies: [ccnp('apps', { matchLabels: { 'io.kubernetes.pod.namespace': 'x' } })] };
    expect(systemSubjectReason(apps, dns)).to.equal(undefined);
  });

  it('should mark cells judged at a system pod that a GlobalNetworkPolicy applies to in that direction, with Calico\'s labels', () => {
    const gnp = (name: string, selector: string, types: ('Ingress' | 'Egress')[]): CalicoGlobalNetworkPolicy => {
      const parsed = parseCalicoSelector(selector);
      if (!parsed.ok) throw new Error(parsed.message);
      return { apiVersion: 'projectcalico.org/v3', kind: 'CalicoGlobalNetworkPolicy', metadata: { name }, spec: { tier: 'default', selector: parsed.selector, types, ingress: [], egress: [] } };
    };
    expect(systemSubjectReason({ topology, policies: [gnp('all', 'all()', ['Ingress'])] }, dns)).to.match(/GlobalNetworkPolicy all applies to ingress of the system pod kube-system\/coredns/);
    expect(systemSubjectReason({ topology, policies: [gnp('ks', "projectcalico.org/namespace == 'kube-system'", ['Ingress'])] }, dnsName)).to.match(/ks/);
    expect(systemSubjectReason({ topology, policies: [gnp('apps', "projectcalico.org/namespace != 'kube-system'", ['Ingress', 'Egress'])] }, dns)).to.equal(undefined);
    expect(systemSubjectReason({ topology, policies: [gnp('egress', 'all()', ['Egress'])] }, dns)).to.equal(undefined);
  });
});

