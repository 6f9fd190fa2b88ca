import { expect } from 'chai';
import { rewriteClusterPolicy } from '../../../src/providers/kube/rewrite-cluster-policy.js';
import { RunNamespaces } from '../../../src/providers/kube/run-namespaces.js';
import { clusterWidePolicy, smallTopology } from './fixtures.js';

const runScope = { key: 'netseg.io/run-id', operator: 'In', values: ['r1a2b3'] };
const worldScope = { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['r1a2b3-1-x', 'r1a2b3-1-y', 'kube-system'] };

describe('rewriteClusterPolicy()', () => {
  const namespaces = new RunNamespaces('r1a2b3', 1, smallTopology());

  it('should name the cluster object with the deployment prefix and label it with the run id', () => {
    const out = rewriteClusterPolicy(clusterWidePolicy(), namespaces);
    expect(out.metadata).to.deep.equal({ name: 'r1a2b3-1-guard', labels: { 'netseg.io/run-id': 'r1a2b3' } });
    expect(out).to.not.have.nested.property('metadata.namespace');
  });

  it('should confine a select-everything subject to the namespaces of this deployment of the run', () => {
    expect(rewriteClusterPolicy(clusterWidePolicy(), namespaces).spec.subject).to.deep.equal({ namespaces: { matchExpressions: [runScope, worldScope] } });
  });

  it('should confine a pods subject without namespaceSelector, keeping its podSelector', () => {
    const p = clusterWidePolicy();
    const out = rewriteClusterPolicy({ ...p, spec: { ...p.spec, subject: { pods: { podSelector: { matchLabels: { app: 'web' } } } } } }, namespaces);
    expect(out.spec.subject).to.deep.equal({ pods: { podSelector: { matchLabels: { app: 'web' } }, namespaceSelector: { matchExpressions: [runScope, worldScope] } } });
  });

  it('should rewrite name-label peers to cluster names and confine every namespace and pod peer to the scenario\'s namespaces', () => {
    const out = rewriteClusterPolicy(clusterWidePolicy(), namespaces);
    expect(out.spec.ingress?.[0]?.from).to.deep.equal([{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'r1a2b3-1-y' }, matchExpressions: [worldScope] } }]);
    const [dns, web] = out.spec.egress ?? [];
    expect(dns?.to).to.deep.equal([{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' }, matchExpressions: [worldScope] }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } }]);
    expect(dns?.protocols).to.deep.equal([{ udp: { destinationPort: { number: 53 } } }]);
    expect(web?.to).to.deep.equal([{ pods: { podSelector: { matchLabels: { app: 'web' } }, namespaceSelector: { matchExpressions: [worldScope] } } }]);
  });

  it('should keep networks peers, actions, names, tier and priority as written', () => {
    const out = rewriteClusterPolicy(clusterWidePolicy(), namespaces);
    expect(out.spec.egress?.[2]).to.deep.equal({ name: 'metadata', action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] });
    expect([out.spec.tier, out.spec.priority]).to.deep.equal(['Admin', 10]);
  });

  it('should give the same scenario policy different names in two concurrent runs', () => {
    const other = new RunNamespaces('r9z8y7', 1, smallTopology());
    expect(rewriteClusterPolicy(clusterWidePolicy(), other).metadata.name).to.not.equal(rewriteClusterPolicy(clusterWidePolicy(), namespaces).metadata.name);
  });

  it('should cut a name longer than a DNS subdomain and keep it distinct with a hash', () => {
    const p = clusterWidePolicy();
    const long = (n: string) => rewriteClusterPolicy({ ...p, metadata: { name: `${'a'.repeat(250)}${n}` } }, namespaces).metadata.name;
    expect(long('1')).to.have.length.at.most(253);
    expect(long('1')).to.not.equal(long('2'));
  });
});
