import { expect } from 'chai';
import { parseCalicoSelector, type CalicoGlobalNetworkPolicy, type CalicoNetworkPolicy, type CalicoSelector } from '../../../src/model/index.js';
import { rewriteCalicoPolicy, rewriteSelector } from '../../../src/providers/kube/rewrite-calico-policy.js';
import { RunNamespaces } from '../../../src/providers/kube/run-namespaces.js';
import { smallTopology } from './fixtures.js';

function sel(text: string): CalicoSelector {
  const parsed = parseCalicoSelector(text, { allowGlobal: true });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.selector;
}

const SPEC = { tier: 'security', selector: sel('all()'), types: ['Ingress', 'Egress'] as const, ingress: [], egress: [] };

function gnp(): CalicoGlobalNetworkPolicy {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'CalicoGlobalNetworkPolicy',
    metadata: { name: 'deny-all' },
    spec: {
      ...SPEC,
      order: 10,
      egress: [
        { action: 'Allow', protocol: 'UDP', destination: { selector: sel("k8s-app == 'kube-dns'"), namespaceSelector: sel("projectcalico.org/name == 'kube-system'"), ports: [{ number: 53 }] } },
        { action: 'Pass', protocol: 'TCP', destination: { notSelector: sel("projectcalico.org/namespace starts with 'y'"), ports: [{ range: { start: 80, end: 81 } }, { name: 'http' }] } },
        { action: 'Deny', destination: { nets: ['169.254.169.254/32'], serviceAccounts: { names: ['api'], selector: sel("projectcalico.org/name == 'x'") } } },
      ],
    },
  };
}

describe('rewriteCalicoPolicy()', () => {
  const namespaces = new RunNamespaces('r1a2b3', 1, smallTopology());

  it('should write a GlobalNetworkPolicy as a crd.projectcalico.org/v1 object with the deployment prefix, the run label and its tier\'s cluster name', () => {
    const out = rewriteCalicoPolicy(gnp(), namespaces) as unknown as { apiVersion: string; kind: string; metadata: unknown; spec: Record<string, unknown> };
    expect([out.apiVersion, out.kind]).to.deep.equal(['crd.projectcalico.org/v1', 'GlobalNetworkPolicy']);
    expect(out.metadata).to.deep.equal({ name: 'r1a2b3-1-deny-all', labels: { 'netseg.io/run-id': 'r1a2b3' } });
    expect([out.spec.tier, out.spec.order, out.spec.types]).to.deep.equal(['r1a2b3-1-security', 10, ['Ingress', 'Egress']]);
  });

  it('should confine a GlobalNetworkPolicy\'s endpoints to the namespaces this deployment created', () => {
    const spec = (rewriteCalicoPolicy(gnp(), namespaces) as unknown as { spec: { selector: string } }).spec;
    expect(spec.selector).to.equal('all() && projectcalico.org/namespace in {"r1a2b3-1-x", "r1a2b3-1-y"}');
  });

  it('should print rules back with namespace names rewritten, ports and protocols as Calico writes them, and service accounts as written', () => {
    const [dns, pass, deny] = (rewriteCalicoPolicy(gnp(), namespaces) as unknown as { spec: { egress: Record<string, unknown>[] } }).spec.egress;
    expect(dns).to.deep.equal({ action: 'Allow', protocol: 'UDP', destination: { selector: 'k8s-app == "kube-dns"', namespaceSelector: 'projectcalico.org/name == "kube-system"', ports: [53] } });
    expect(pass).to.deep.equal({ action: 'Pass', protocol: 'TCP', destination: { notSelector: 'projectcalico.org/namespace in {"r1a2b3-1-y"}', ports: ['80:81', 'http'] } });
    expect(deny).to.deep.equal({ action: 'Deny', destination: { nets: ['169.254.169.254/32'], serviceAccounts: { names: ['api'], selector: 'projectcalico.org/name == "x"' } } });
  });

  it('should move a NetworkPolicy to its cluster namespace, keep its name and the default tier', () => {
    const np: CalicoNetworkPolicy = { apiVersion: 'crd.projectcalico.org/v1', kind: 'CalicoNetworkPolicy', metadata: { name: 'web', namespace: 'x', labels: { app: 'a' } }, spec: { ...SPEC, tier: 'default' } };
    const out = rewriteCalicoPolicy(np, namespaces) as unknown as { metadata: unknown; spec: { tier: string; selector: string } };
    expect(out.metadata).to.deep.equal({ name: 'web', namespace: 'r1a2b3-1-x', labels: { app: 'a', 'netseg.io/run-id': 'r1a2b3' } });
    expect([out.spec.tier, out.spec.selector]).to.deep.equal(['default', 'all()']);
  });

  it('should refuse a NetworkPolicy in the cluster\'s system namespace', () => {
    const np: CalicoNetworkPolicy = { apiVersion: 'projectcalico.org/v3', kind: 'CalicoNetworkPolicy', metadata: { name: 'p', namespace: 'kube-system' }, spec: { ...SPEC, tier: 'default' } };
    expect(() => rewriteCalicoPolicy(np, namespaces)).to.throw(/system namespace kube-system/);
  });

  it('should prefix a Tier\'s name and keep its order and default action', () => {
    const out = rewriteCalicoPolicy({ apiVersion: 'projectcalico.org/v3', kind: 'CalicoTier', metadata: { name: 'security' }, spec: { order: 100, defaultAction: 'Pass' } }, namespaces);
    expect(out).to.deep.equal({ apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: { name: 'r1a2b3-1-security', labels: { 'netseg.io/run-id': 'r1a2b3' } }, spec: { order: 100, defaultAction: 'Pass' } });
  });
});

describe('rewriteSelector()', () => {
  const namespaces = new RunNamespaces('r1a2b3', 1, smallTopology());
  const print = (text: string) => rewriteSelector(sel(text), namespaces);

  it('should name cluster namespaces in ==, !=, in and not in terms on namespace keys, and leave other keys alone', () => {
    expect(print("projectcalico.org/namespace == 'x' && app == 'x'")).to.deep.equal(sel("projectcalico.org/namespace == 'r1a2b3-1-x' && app == 'x'"));
    expect(print("kubernetes.io/metadata.name not in {'y', 'kube-system'}")).to.deep.equal(sel("kubernetes.io/metadata.name not in {'r1a2b3-1-y', 'kube-system'}"));
    expect(print("!(projectcalico.org/name != 'q')")).to.deep.equal(sel("!(projectcalico.org/name != 'r1a2b3-1-q')"));
  });

  it('should turn string matches on namespace names into the set of scenario namespaces they match', () => {
    expect(print("projectcalico.org/namespace ends with 'system'")).to.deep.equal(sel("projectcalico.org/namespace in {'kube-system'}"));
    expect(print("projectcalico.org/namespace contains 'nothing'")).to.deep.equal(sel("projectcalico.org/namespace in {}"));
  });
});
